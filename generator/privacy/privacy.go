// Package privacy finds personal numbers that would be published unmasked
// (resident ID numbers, old 15-digit IDs, mainland mobile numbers and bank
// card numbers) and masks them with the site's keep rule, so that the lint
// can name each one without printing it.
package privacy

import (
	"fmt"
	"strings"

	"gongkai/generator/diag"
	"gongkai/generator/textenc"
)

// Rules is the masking rule of a site: how many digits stay visible at the
// start and at the end ([privacy] id_keep and phone_keep in site.toml).
type Rules struct {
	IDKeep, PhoneKeep [2]int
}

// DefaultRules returns the default rule: three digits kept at the start and
// four at the end, for ID numbers and phones alike.
func DefaultRules() Rules {
	return Rules{IDKeep: [2]int{3, 4}, PhoneKeep: [2]int{3, 4}}
}

// Kind is a kind of personal number.
type Kind int

const (
	// ResidentID is an 18-character resident ID number (GB 11643-1999).
	ResidentID Kind = iota
	// OldID is a 15-digit first-generation ID number.
	OldID
	// Mobile is a mainland mobile phone number.
	Mobile
	// BankCard is a bank card number of 16 to 19 digits.
	BankCard
)

// Name returns the kind's name in lang, as used in messages.
func (k Kind) Name(lang diag.Lang) string {
	var t diag.Text
	switch k {
	case ResidentID:
		t = diag.Text{Zh: "居民身份证号", En: "resident ID number"}
	case OldID:
		t = diag.Text{Zh: "旧身份证号", En: "old 15-digit ID number"}
	case Mobile:
		t = diag.Text{Zh: "手机号码", En: "mobile number"}
	case BankCard:
		t = diag.Text{Zh: "银行卡号", En: "bank card number"}
	default:
		t = diag.Text{Zh: "个人号码", En: "personal number"}
	}
	return t.In(lang)
}

// Finding is one unmasked personal number in a text.
type Finding struct {
	Offset, Len int    // byte range of the number in the text, separators and +86 included
	Kind        Kind   // what the number is
	Text        string // the number as written; never print it
	Masked      string // the masked form to suggest
}

// Mask returns digits with all but the kept characters replaced by '*':
// 110***********1234, 138****5678. Mobile numbers use PhoneKeep; ID numbers
// and bank card numbers both use IDKeep. Spaces and dashes in digits are
// dropped; every other character counts as one digit, so the result has
// as many characters as digits has without its separators. When the kept
// characters would cover the whole number, everything is masked.
func (r Rules) Mask(kind Kind, digits string) string {
	keep := r.IDKeep
	if kind == Mobile {
		keep = r.PhoneKeep
	}
	head, tail := max(keep[0], 0), max(keep[1], 0)
	var chars []rune
	for _, c := range digits {
		if c != ' ' && c != '-' {
			chars = append(chars, c)
		}
	}
	n := len(chars)
	if head >= n || tail >= n || head+tail >= n {
		head, tail = 0, 0
	}
	var b strings.Builder
	for i, c := range chars {
		if i < head || i >= n-tail {
			b.WriteRune(c)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// Lint reports every unmasked personal number in text as an error at its
// file:line:col. The messages show only the masked form, never the number.
func (r Rules) Lint(file, text string) diag.List {
	var ds diag.List
	for _, f := range r.Scan(text) {
		line, col := textenc.LineCol(text, f.Offset)
		ds.Add(diag.Diagnostic{
			Pos:      diag.Position{File: file, Line: line, Col: col},
			Severity: diag.Error,
			Msg: diag.Text{
				Zh: fmt.Sprintf("发现未遮挡的%s %s（原文第 %d 行）", f.Kind.Name(diag.Zh), f.Masked, line),
				En: fmt.Sprintf("unmasked %s %s (line %d of the text)", f.Kind.Name(diag.En), f.Masked, line),
			},
			Hint: diag.T("请改为 %s：个人信息不得完整公开，须遮挡中间数字",
				"replace it with %s: personal numbers must not be published in full", f.Masked),
		})
	}
	return ds
}

// group is a run of ASCII digits, possibly ending in X or x.
type group struct {
	start, end int  // byte range in the text
	sep        byte // separator before the group (0 for the first of a chunk)
	x          bool // ends in X or x
}

func (g group) digits(text string) string { return text[g.start:g.end] }

// Scan returns the unmasked personal numbers in text, in order. A number
// must stand alone: a run of digits touching an ASCII letter, a '*' (a
// masked form) or a decimal point is not one. Digit groups joined by single
// spaces or dashes are read together (138-1234-5678, 6222 0212 3456 7890);
// a number made of some of the groups of a dashed chain is not reported,
// since the dash binds it into a longer code (2026-07-08, 023-6800-0001).
// When a run could be several kinds, the most specific wins: a valid
// 18-digit ID number before a bank card.
func (r Rules) Scan(text string) []Finding {
	var out []Finding
	i := 0
	for i < len(text) {
		if !isDigit(text[i]) {
			i++
			continue
		}
		// A chunk: digit groups joined by single separators.
		var gs []group
		j := i
		for {
			k := j
			for k < len(text) && isDigit(text[k]) {
				k++
			}
			g := group{start: j, end: k}
			if len(gs) > 0 {
				g.sep = text[j-1]
			}
			if k < len(text) && (text[k] == 'X' || text[k] == 'x') && (k+1 == len(text) || !isWordByte(text[k+1])) {
				g.x = true
				g.end = k + 1
			}
			gs = append(gs, g)
			k = g.end
			if !g.x && k+1 < len(text) && (text[k] == ' ' || text[k] == '-') && isDigit(text[k+1]) {
				j = k + 1
				continue
			}
			j = k
			break
		}
		out = append(out, r.scanChunk(text, gs)...)
		i = j
	}
	return out
}

// scanChunk finds numbers in one chunk of groups, longest first.
func (r Rules) scanChunk(text string, gs []group) []Finding {
	n := len(gs)
	first, last := gs[0], gs[n-1]
	leftBad := touches(text, first.start-1, -1)
	rightBad := touches(text, last.end, +1)
	var out []Finding
	for i := 0; i < n; {
		found := false
		for j := min(n, i+6); j > i; j-- {
			if (i == 0 && leftBad) || (j == n && rightBad) {
				continue
			}
			// Every separator inside must be the same, and a dash at an
			// edge binds the candidate into a longer code.
			if i > 0 && gs[i].sep == '-' || j < n && gs[j].sep == '-' {
				continue
			}
			if !sameSep(gs[i+1 : j]) {
				continue
			}
			if f, ok := r.match(text, gs[i:j]); ok {
				out = append(out, f)
				i = j
				found = true
				break
			}
		}
		if !found {
			i++
		}
	}
	return out
}

func sameSep(gs []group) bool {
	for _, g := range gs {
		if g.sep != gs[0].sep {
			return false
		}
	}
	return true
}

// touches reports whether the byte at i (looking in direction dir) makes a
// neighbouring number not stand alone: an ASCII letter or digit, a '*', or
// a decimal point with a digit behind it.
func touches(text string, i, dir int) bool {
	if i < 0 || i >= len(text) {
		return false
	}
	c := text[i]
	switch {
	case isWordByte(c) || c == '*':
		return true
	case c == '.':
		k := i + dir
		return k >= 0 && k < len(text) && isDigit(text[k])
	}
	return false
}

// match tries the kinds in order of specificity on a run of groups.
func (r Rules) match(text string, gs []group) (Finding, bool) {
	var all strings.Builder
	lens := make([]int, len(gs))
	for i, g := range gs {
		d := g.digits(text)
		all.WriteString(d)
		lens[i] = len(d)
	}
	s := all.String()
	x := gs[len(gs)-1].x
	start, end := gs[0].start, gs[len(gs)-1].end
	found := func(k Kind, digits string, start int) (Finding, bool) {
		return Finding{Offset: start, Len: end - start, Kind: k, Text: text[start:end], Masked: r.Mask(k, digits)}, true
	}
	if layout(lens, []int{18}, []int{6, 8, 4}) && validID(s) {
		return found(ResidentID, s, start)
	}
	if x {
		return Finding{}, false
	}
	if layout(lens, []int{15}, []int{6, 6, 3}) && validOldID(s) {
		return found(OldID, s, start)
	}
	if m, ok := mobile(s, lens); ok {
		if start > 0 && text[start-1] == '+' && strings.HasPrefix(s, "86") && len(s) == 13 {
			start--
		}
		return found(Mobile, m, start)
	}
	if cardLayout(lens) && luhn(s) {
		return found(BankCard, s, start)
	}
	return Finding{}, false
}

// layout reports whether the group lengths equal one of the layouts.
func layout(lens []int, layouts ...[]int) bool {
	for _, l := range layouts {
		if equal(lens, l) {
			return true
		}
	}
	return false
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// mobile returns the 11-digit national number when s with group lengths
// lens is a mainland mobile number, with or without an 86 prefix.
func mobile(s string, lens []int) (string, bool) {
	if len(s) == 13 && strings.HasPrefix(s, "86") {
		switch {
		case lens[0] == 13:
			lens = []int{11}
		case lens[0] == 2:
			lens = lens[1:]
		default:
			return "", false
		}
		s = s[2:]
	}
	if len(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9' {
		return "", false
	}
	return s, layout(lens, []int{11}, []int{3, 4, 4}, []int{3, 8})
}

// cardLayout accepts 16–19 digits in one run, or in groups of four with a
// last group of one to four.
func cardLayout(lens []int) bool {
	total := 0
	for _, l := range lens {
		total += l
	}
	if total < 16 || total > 19 {
		return false
	}
	if len(lens) == 1 {
		return true
	}
	for i, l := range lens {
		if l != 4 && (i != len(lens)-1 || l < 1 || l > 4) {
			return false
		}
	}
	return true
}

// checkChar returns the GB 11643-1999 (ISO 7064 MOD 11-2) check character
// of 17 digits.
func checkChar(d17 string) byte {
	idWeights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(d17[i]-'0') * idWeights[i]
	}
	return "10X98765432"[sum%11]
}

// validID reports whether s is 18 characters with a right check character
// and a plausible birth date.
func validID(s string) bool {
	if len(s) != 18 {
		return false
	}
	c := s[17]
	if c == 'x' {
		c = 'X'
	}
	return checkChar(s[:17]) == c && validDate(atoi(s[6:10]), atoi(s[10:12]), atoi(s[12:14]))
}

// validOldID reports whether s is a 15-digit ID with a valid 19YYMMDD date.
func validOldID(s string) bool {
	return len(s) == 15 && validDate(1900+atoi(s[6:8]), atoi(s[8:10]), atoi(s[10:12]))
}

func validDate(y, m, d int) bool {
	if y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// luhn reports whether the digits pass the Luhn check.
func luhn(s string) bool {
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordByte(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
