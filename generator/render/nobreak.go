package render

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// noBreaks wraps every date, 文号 and amount in the text of an HTML
// fragment (a rendered body) in <span class="nw">, which the theme keeps
// on one line; the rest of the text still wraps anywhere it must. Only
// text between tags is touched, and nothing inside pre, code, script or
// style. When there is nothing to wrap, h itself is returned.
//
// What is kept on one line is, in the words of a regular expression,
//
//	\d{4}年\d{1,2}月(?:\d{1,2}日)?        a date: 2026年3月18日, 2026年3月
//	|\d{1,2}月\d{1,2}日                  3月18日
//	|\p{Han}{0,6}[〔［\[]\d{4}[〕］\]]第?\d+号   a 文号: 青石居〔2026〕4号
//	|-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:万?元)?  3,742,318.60元
//	|-?\d+\.\d+(?:万?元)?                128640.00, 12.5万元
//	|\d+(?:万?元)                        300元
//
// matched leftmost-first as Go's regexp does (the reference in
// nobreak_ref_test.go, to which FuzzNoBreaks holds this scanner). The
// scanner is written by hand because bodies are long and most of their
// text can be ruled out byte by byte: every form holds an ASCII digit.
func noBreaks(h []byte) []byte {
	if !hasDigit(h) {
		return h
	}
	var out []byte // nil until the first wrap
	done := 0      // h[:done] is in out
	skip := 0      // depth inside elements whose text stays as written
	for i := 0; i < len(h); {
		if h[i] == '<' {
			j := bytes.IndexByte(h[i:], '>')
			if j < 0 {
				break
			}
			skip = max(skip+keepDepth(h[i:i+j+1]), 0)
			i += j + 1
			continue
		}
		j := bytes.IndexByte(h[i:], '<')
		if j < 0 {
			j = len(h) - i
		}
		if text := h[i : i+j]; skip == 0 && hasDigit(text) {
			brackets := hasBracket(text)
			for from := 0; ; {
				s, e := nextUnbreakable(text, from, brackets)
				if s < 0 {
					break
				}
				if out == nil {
					out = make([]byte, 0, len(h)+len(h)/8)
				}
				out = append(out, h[done:i+s]...)
				out = append(out, `<span class="nw">`...)
				out = append(out, text[s:e]...)
				out = append(out, `</span>`...)
				done, from = i+e, e
			}
		}
		i += j
	}
	if out == nil {
		return h
	}
	return append(out, h[done:]...)
}

// keepDepth tells how a tag changes the depth inside pre, code, script and
// style: 1 for an opening tag of one of them, -1 for a closing one, 0
// otherwise. The name is the ASCII letters and digits after < (or </),
// in any case.
func keepDepth(tag []byte) int {
	var name [8]byte
	n, open := 0, 1
	for k, c := range tag[1:] {
		switch {
		case c == '/' && k == 0:
			open = -1
			continue
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		default:
			return open * keptAsWritten(name[:n])
		}
		if n == len(name) {
			return 0
		}
		name[n] = c
		n++
	}
	return open * keptAsWritten(name[:n])
}

func keptAsWritten(name []byte) int {
	switch string(name) {
	case "pre", "code", "script", "style":
		return 1
	}
	return 0
}

// hasDigit reports whether b holds an ASCII digit.
func hasDigit(b []byte) bool {
	for _, c := range b {
		if c-'0' <= 9 {
			return true
		}
	}
	return false
}

// hasBracket reports whether b holds an opening bracket of a 文号.
func hasBracket(b []byte) bool {
	return bytes.IndexByte(b, '[') >= 0 || bytes.Contains(b, []byte("〔")) || bytes.Contains(b, []byte("［"))
}

// nextUnbreakable returns the first match in s at or after from, as
// [start, end) byte offsets; start is -1 when there is none. brackets
// false says s holds no opening bracket, so that no 文号 can start.
func nextUnbreakable(s []byte, from int, brackets bool) (start, end int) {
	for i := from; i < len(s); {
		c := s[i]
		switch {
		case c-'0' <= 9:
			if e := atDigit(s, i); e >= 0 {
				return i, e
			}
		case c == '-':
			if e := amount(s, i); e >= 0 {
				return i, e
			}
		case c == '[':
			if e := docNumber(s, i); e >= 0 {
				return i, e
			}
		case c >= utf8.RuneSelf && brackets:
			r, w := utf8.DecodeRune(s[i:])
			if !unicode.Is(unicode.Han, r) {
				if e := docNumber(s, i); e >= 0 {
					return i, e
				}
				i += w
				continue
			}
			// A run of Han characters: a 文号 takes at most six of them
			// before its bracket, and nothing else starts on one.
			q, n := i+w, 1
			for q < len(s) {
				r, w := utf8.DecodeRune(s[q:])
				if !unicode.Is(unicode.Han, r) {
					break
				}
				q, n = q+w, n+1
			}
			if e := docNumber(s, q); e >= 0 {
				for ; n > 6; n-- {
					_, w := utf8.DecodeRune(s[i:])
					i += w
				}
				return i, e
			}
			i = q
			continue
		}
		i++
	}
	return -1, -1
}

// digits returns the number of ASCII digits at s[i:].
func digits(s []byte, i int) int {
	n := 0
	for i+n < len(s) && s[i+n]-'0' <= 9 {
		n++
	}
	return n
}

// lit returns the offset after word when s[i:] starts with it, else -1.
func lit(s []byte, i int, word string) int {
	if i >= 0 && i <= len(s) && bytes.HasPrefix(s[i:], []byte(word)) {
		return i + len(word)
	}
	return -1
}

// atDigit matches at a digit: a date, then an amount.
func atDigit(s []byte, i int) int {
	if e := date(s, i); e >= 0 {
		return e
	}
	if e := amount(s, i); e >= 0 {
		return e
	}
	// \d+(?:万?元)
	return yuan(s, i+digits(s, i), false)
}

// date matches \d{4}年\d{1,2}月(?:\d{1,2}日)? | \d{1,2}月\d{1,2}日.
func date(s []byte, i int) int {
	n := digits(s, i)
	if n == 4 {
		if j := lit(s, i+4, "年"); j >= 0 {
			if m := digits(s, j); m >= 1 && m <= 2 {
				if k := lit(s, j+m, "月"); k >= 0 {
					if d := digits(s, k); d >= 1 && d <= 2 {
						if e := lit(s, k+d, "日"); e >= 0 {
							return e
						}
					}
					return k
				}
			}
		}
	}
	if n >= 1 && n <= 2 {
		if j := lit(s, i+n, "月"); j >= 0 {
			if d := digits(s, j); d >= 1 && d <= 2 {
				return lit(s, j+d, "日")
			}
		}
	}
	return -1
}

// amount matches -?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:万?元)? | -?\d+\.\d+(?:万?元)?
// at s[i], a digit or a minus sign.
func amount(s []byte, i int) int {
	p := i
	if s[p] == '-' {
		p++
	}
	n := digits(s, p)
	if n == 0 {
		return -1
	}
	if n <= 3 {
		q := p + n
		for q+3 < len(s) && s[q] == ',' && s[q+1]-'0' <= 9 && s[q+2]-'0' <= 9 && s[q+3]-'0' <= 9 {
			q += 4
		}
		if q > p+n {
			if q+1 < len(s) && s[q] == '.' {
				if f := digits(s, q+1); f > 0 {
					q += 1 + f
				}
			}
			return yuan(s, q, true)
		}
	}
	q := p + n
	if q < len(s) && s[q] == '.' {
		if f := digits(s, q+1); f > 0 {
			return yuan(s, q+1+f, true)
		}
	}
	return -1
}

// yuan matches 万?元 at s[i]: the offset after it; when it is absent, i
// if optional, else -1.
func yuan(s []byte, i int, optional bool) int {
	if e := lit(s, i, "万元"); e >= 0 {
		return e
	}
	if e := lit(s, i, "元"); e >= 0 {
		return e
	}
	if optional {
		return i
	}
	return -1
}

// docNumber matches [〔［\[]\d{4}[〕］\]]第?\d+号 at s[i], the part of a
// 文号 after its issuer.
func docNumber(s []byte, i int) int {
	j := lit(s, i, "[")
	if j < 0 {
		if j = lit(s, i, "〔"); j < 0 {
			j = lit(s, i, "［")
		}
	}
	if j < 0 || digits(s, j) != 4 {
		return -1
	}
	j += 4
	k := lit(s, j, "]")
	if k < 0 {
		if k = lit(s, j, "〕"); k < 0 {
			k = lit(s, j, "］")
		}
	}
	if k < 0 {
		return -1
	}
	if d := lit(s, k, "第"); d >= 0 {
		k = d
	}
	n := digits(s, k)
	if n == 0 {
		return -1
	}
	return lit(s, k+n, "号")
}
