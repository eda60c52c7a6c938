// Package zh reads and writes the Chinese numerals of article headings
// (第十二条) and formats dates the way official documents write them:
// 2026年11月7日 (GB/T 9704-2012) or the older 二〇二六年十一月七日.
package zh

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// digit maps a Chinese digit to its value.
func digit(r rune) (int, bool) {
	switch r {
	case '〇', '零':
		return 0, true
	case '一':
		return 1, true
	case '二', '两':
		return 2, true
	case '三':
		return 3, true
	case '四':
		return 4, true
	case '五':
		return 5, true
	case '六':
		return 6, true
	case '七':
		return 7, true
	case '八':
		return 8, true
	case '九':
		return 9, true
	}
	return 0, false
}

// MaxNumeral is the largest number ParseNumeral reads and Numeral writes
// in Chinese: 第九千九百九十九条.
const MaxNumeral = 9999

// ParseNumeral reads a number from 1 to 9999 written in Chinese numerals
// (十二, 一十二, 二十, 两百, 一百零五, 一百〇五, 一百一十, 一千, 一千零五,
// 一千零一十, 一千二百三十四) or in Arabic digits ("12", full-width "１２").
// It reports false for anything else, including zero, leading zeros and
// irregular forms such as 一百十 or 一千零十.
func ParseNumeral(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if n, ok := arabic(s); ok {
		return n, n >= 1 && n <= MaxNumeral
	}
	rs := []rune(s)
	n, i := 0, 0
	// unit reads d千 or d百 at i; ok is false when the next two runes are
	// not a digit and that unit.
	unit := func(u rune, value int) bool {
		if len(rs) < i+2 || rs[i+1] != u {
			return false
		}
		d, ok := digit(rs[i])
		if !ok || d == 0 {
			return false
		}
		n += d * value
		i += 2
		return true
	}
	// zero reads the 零 that stands for a skipped unit; what follows must
	// then be smaller than the unit skipped.
	zero := func() bool {
		if i < len(rs) && (rs[i] == '零' || rs[i] == '〇') {
			i++
			return true
		}
		return false
	}
	lead := true // the next part is the first: 十 may stand without 一
	if unit('千', 1000) {
		lead = false
		if i == len(rs) {
			return n, true
		}
		if zero() {
			return tens(rs[i:], n, false, true)
		}
	}
	if unit('百', 100) {
		lead = false
		if i == len(rs) {
			return n, true
		}
		if zero() {
			return tens(rs[i:], n, false, false)
		}
		// after 百 the tens need their digit: 一百一十.
		if len(rs) < i+2 || rs[i+1] != '十' {
			return 0, false
		}
	} else if !lead && i < len(rs) {
		return 0, false // 一千 must be followed by 零 or hundreds: not 一千五十
	}
	return tens(rs[i:], n, lead, false)
}

// tens reads [d]十[d] or a single digit after n. lead allows 十 without
// its digit; afterZero is set after 千零, where the tens need their digit
// too (一千零一十) and a single digit may stand alone (一千零五).
func tens(rest []rune, n int, lead, afterZero bool) (int, bool) {
	if len(rest) == 0 {
		return 0, false // a 零 at the end, or nothing after 十
	}
	t := -1
	switch {
	case rest[0] == '十' && lead:
		t, rest = 1, rest[1:]
	case len(rest) >= 2 && rest[1] == '十':
		d, ok := digit(rest[0])
		if !ok || d == 0 || rest[0] == '两' {
			return 0, false
		}
		t, rest = d, rest[2:]
	}
	if t > 0 {
		n += t * 10
	} else if afterZero && len(rest) != 1 {
		return 0, false
	}
	switch len(rest) {
	case 0:
		return n, true
	case 1:
		d, ok := digit(rest[0])
		if !ok || d == 0 || (rest[0] == '两' && n > 0) {
			return 0, false
		}
		return n + d, true
	}
	return 0, false
}

// arabic reads ASCII or full-width digits without a leading zero.
func arabic(s string) (int, bool) {
	n := 0
	for i, r := range s {
		var d int
		switch {
		case r >= '0' && r <= '9':
			d = int(r - '0')
		case r >= '０' && r <= '９':
			d = int(r - '０')
		default:
			return 0, false
		}
		if i == 0 && d == 0 {
			return 0, false
		}
		if n > MaxNumeral {
			return n, true // too large; the caller rejects it
		}
		n = n*10 + d
	}
	return n, true
}

var chineseDigits = [10]string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// Numeral writes 1 ≤ n ≤ 9999 in the canonical Chinese form of article
// numbers: 一, 十, 十二, 二十, 一百, 一百零五, 一百一十, 一千, 一千零一十.
// Numbers outside that range are written in Arabic digits.
func Numeral(n int) string {
	if n < 1 || n > MaxNumeral {
		return strconv.Itoa(n)
	}
	q, h, t, u := n/1000, n/100%10, n/10%10, n%10
	var b strings.Builder
	if q > 0 {
		b.WriteString(chineseDigits[q] + "千")
		if h == 0 && (t > 0 || u > 0) {
			b.WriteString("零")
		}
	}
	if h > 0 {
		b.WriteString(chineseDigits[h] + "百")
		if t == 0 && u > 0 {
			b.WriteString("零")
		}
	}
	if t > 0 {
		if q > 0 || h > 0 || t > 1 {
			b.WriteString(chineseDigits[t])
		}
		b.WriteString("十")
	}
	if u > 0 {
		b.WriteString(chineseDigits[u])
	}
	return b.String()
}

// isSpace reports spaces including the full-width space U+3000.
func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' }

// ParseArticle reads an article heading at the start of s: "第十二条" or
// "第十二条　内容" gives 12 and the text after 条 with spaces (also
// full-width ones) trimmed. Spaces before 第 and around the numeral are
// allowed. ok is false when s does not start with such a heading.
func ParseArticle(s string) (n int, rest string, ok bool) {
	s = strings.TrimLeftFunc(s, isSpace)
	after, found := strings.CutPrefix(s, "第")
	if !found {
		return 0, "", false
	}
	num, tail, found := strings.Cut(after, "条")
	if !found {
		return 0, "", false
	}
	n, ok = ParseNumeral(strings.TrimFunc(num, isSpace))
	if !ok {
		return 0, "", false
	}
	return n, strings.TrimFunc(tail, isSpace), true
}

// DateStyle chooses how dates are written on pages and sheets.
type DateStyle int

const (
	// Arabic writes 2026年11月7日, as GB/T 9704-2012 asks; the default.
	Arabic DateStyle = iota
	// Chinese writes 二〇二六年十一月七日.
	Chinese
)

// String returns the name used in site.toml: "arabic" or "chinese".
func (s DateStyle) String() string {
	if s == Chinese {
		return "chinese"
	}
	return "arabic"
}

// ParseDateStyle reads print.date_style: "arabic" or "" gives Arabic,
// "chinese" gives Chinese (case and surrounding spaces ignored); anything
// else reports false.
func ParseDateStyle(s string) (DateStyle, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "arabic":
		return Arabic, true
	case "chinese":
		return Chinese, true
	}
	return Arabic, false
}

// FormatDate writes the date of t (in t's location) without zero padding:
// 2026年11月7日, or in the Chinese style 二〇二六年十一月七日.
func FormatDate(t time.Time, style DateStyle) string {
	y, m, d := t.Date()
	if style != Chinese {
		return strconv.Itoa(y) + "年" + strconv.Itoa(int(m)) + "月" + strconv.Itoa(d) + "日"
	}
	var b strings.Builder
	for _, c := range strconv.Itoa(y) {
		if c >= '0' && c <= '9' {
			b.WriteString(chineseDigits[c-'0'])
		} else {
			b.WriteRune(c)
		}
	}
	b.WriteString("年" + Numeral(int(m)) + "月" + Numeral(d) + "日")
	return b.String()
}
