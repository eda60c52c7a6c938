package render

import (
	"bytes"
	"regexp"
)

// The first implementation of noBreaks, with a regular expression: the
// reference that FuzzNoBreaks holds the hand-written scanner to.

// unbreakableRE matches what a reader must see on one line: a date
// (2026年3月18日, 3月18日), a 文号 (青石居〔2026〕4号) and an amount
// (3,742,318.60元, 128640.00, 12.5万元).
var unbreakableRE = regexp.MustCompile(`\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|\p{Han}{0,6}[〔［\[]\d{4}[〕］\]]第?\d+号|-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:万?元)?|-?\d+\.\d+(?:万?元)?|\d+(?:万?元)`)

func noBreaksRE(h []byte) []byte {
	if !unbreakableRE.Match(h) {
		return h
	}
	var out bytes.Buffer
	out.Grow(len(h) + len(h)/8)
	skip := 0 // depth inside elements whose text stays as written
	for i := 0; i < len(h); {
		if h[i] == '<' {
			j := bytes.IndexByte(h[i:], '>')
			if j < 0 {
				out.Write(h[i:])
				break
			}
			tag := h[i : i+j+1]
			switch name := tagName(tag); {
			case name == "pre" || name == "code" || name == "script" || name == "style":
				skip++
			case name == "/pre" || name == "/code" || name == "/script" || name == "/style":
				if skip > 0 {
					skip--
				}
			}
			out.Write(tag)
			i += j + 1
			continue
		}
		j := bytes.IndexByte(h[i:], '<')
		if j < 0 {
			j = len(h) - i
		}
		text := h[i : i+j]
		if skip > 0 {
			out.Write(text)
		} else {
			out.Write(unbreakableRE.ReplaceAll(text, []byte(`<span class="nw">$0</span>`)))
		}
		i += j
	}
	return out.Bytes()
}

// tagName returns the lower-case name of a tag, with its slash when it
// closes one: "pre", "/pre".
func tagName(tag []byte) string {
	var b []byte
	for _, c := range tag[1:] {
		switch {
		case c == '/' && len(b) == 0:
			b = append(b, c)
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b = append(b, c)
		case 'A' <= c && c <= 'Z':
			b = append(b, c+'a'-'A')
		default:
			return string(b)
		}
	}
	return string(b)
}
