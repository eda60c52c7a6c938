package config

import (
	"fmt"
	"strconv"
	"strings"
)

// Fraction is a threshold such as "at least two thirds" or "more than
// half".
type Fraction struct {
	Num, Den int
	Strict   bool // more than, rather than at least
}

// Met reports whether part out of whole reaches the threshold.
func (f Fraction) Met(part, whole int) bool {
	if f.Strict {
		return part*f.Den > whole*f.Num
	}
	return part*f.Den >= whole*f.Num
}

// Need returns the smallest part of whole that meets the threshold.
func (f Fraction) Need(whole int) int {
	for p := 0; p <= whole; p++ {
		if f.Met(p, whole) {
			return p
		}
	}
	return whole + 1
}

// String formats the fraction as written in site.toml.
func (f Fraction) String() string {
	s := fmt.Sprintf("%d/%d", f.Num, f.Den)
	if f.Strict {
		return ">" + s
	}
	return s
}

// Words says the threshold in Chinese: 三分之二以上 / 过半数.
func (f Fraction) Words() string {
	if f.Num*2 == f.Den && f.Strict {
		return "过半数"
	}
	w := fmt.Sprintf("%d分之%d", f.Den, f.Num)
	if names := map[int]string{2: "二", 3: "三", 4: "四", 5: "五"}; names[f.Den] != "" && f.Num < 10 {
		w = names[f.Den] + "分之" + []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}[f.Num]
	}
	if f.Strict {
		return "超过" + w
	}
	return w + "以上（含）"
}

// ParseFraction reads "2/3", ">=2/3" or ">1/2".
func ParseFraction(s string) (Fraction, bool) {
	s = strings.TrimSpace(s)
	var f Fraction
	switch {
	case strings.HasPrefix(s, ">="):
		s = s[2:]
	case strings.HasPrefix(s, ">"):
		f.Strict, s = true, s[1:]
	}
	num, den, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return f, false
	}
	n, err1 := strconv.Atoi(num)
	d, err2 := strconv.Atoi(den)
	if err1 != nil || err2 != nil || n < 0 || d <= 0 || n > d {
		return f, false
	}
	f.Num, f.Den = n, d
	return f, true
}

// Rule is the quorum (present out of expected) and the passing threshold
// (votes for out of present) of a meeting kind.
type Rule struct {
	Quorum, Pass Fraction
}

// DefaultRule applies to meetings without a rule of their own: more than
// half present, more than half of those present in favour.
var DefaultRule = Rule{Quorum: Fraction{1, 2, true}, Pass: Fraction{1, 2, true}}

// DefaultMeetings returns the rules of 村民委员会组织法 and 城市居民委员会组织法.
func DefaultMeetings() map[string]Rule {
	rep := Rule{Quorum: Fraction{2, 3, false}, Pass: Fraction{1, 2, true}}
	return map[string]Rule{
		"村民代表会议": rep,
		"居民代表会议": rep,
		"村民会议":   {Quorum: Fraction{1, 2, true}, Pass: Fraction{1, 2, true}},
		"居民会议":   {Quorum: Fraction{1, 2, true}, Pass: Fraction{1, 2, true}},
	}
}

// RuleFor returns the rule of a meeting kind.
func (s *Site) RuleFor(meeting string) Rule {
	if r, ok := s.Meetings[meeting]; ok {
		return r
	}
	return DefaultRule
}
