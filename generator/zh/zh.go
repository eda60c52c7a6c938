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

// ParseNumeral reads a number from 1 to 999 written in Chinese numerals
// (十二, 一十二, 二十, 两百, 一百零五, 一百〇五, 一百一十) or in Arabic digits
// ("12", full-width "１２"). It reports false for anything else, including
// zero, leading zeros and irregular forms such as 一百十.
func ParseNumeral(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if n, ok := arabic(s); ok {
		return n, n >= 1 && n <= 999
	}
	rs := []rune(s)
	n, i := 0, 0
	// hundreds: d百
	if len(rs) >= 2 && rs[1] == '百' {
		d, ok := digit(rs[0])
		if !ok || d == 0 {
			return 0, false
		}
		n, i = d*100, 2
		if i == len(rs) {
			return n, true
		}
		if rs[i] == '零' || rs[i] == '〇' {
			// 一百零五: a single digit follows.
			if len(rs) != i+2 {
				return 0, false
			}
			d, ok := digit(rs[i+1])
			if !ok || d == 0 || rs[i+1] == '两' {
				return 0, false
			}
			return n + d, true
		}
		// after 百 the tens need their digit: 一百一十.
		if len(rs) < i+2 || rs[i+1] != '十' {
			return 0, false
		}
	}
	rest := rs[i:]
	// tens: [d]十[d]
	tens := -1
	switch {
	case len(rest) >= 1 && rest[0] == '十' && i == 0:
		tens, rest = 1, rest[1:]
	case len(rest) >= 2 && rest[1] == '十':
		d, ok := digit(rest[0])
		if !ok || d == 0 || rest[0] == '两' {
			return 0, false
		}
		tens, rest = d, rest[2:]
	}
	if tens > 0 {
		n += tens * 10
	}
	switch len(rest) {
	case 0:
		return n, n > 0
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
		if n > 999 {
			return n, true // too large; the caller rejects it
		}
		n = n*10 + d
	}
	return n, true
}

var chineseDigits = [10]string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// Numeral writes 1 ≤ n ≤ 999 in the canonical Chinese form of article
// numbers: 一, 十, 十二, 二十, 一百, 一百零五, 一百一十. Numbers outside that
// range are written in Arabic digits.
func Numeral(n int) string {
	if n < 1 || n > 999 {
		return strconv.Itoa(n)
	}
	h, t, u := n/100, n/10%10, n%10
	var b strings.Builder
	if h > 0 {
		b.WriteString(chineseDigits[h] + "百")
		if t == 0 && u > 0 {
			b.WriteString("零")
		}
	}
	if t > 0 {
		if h > 0 || t > 1 {
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
