package record

import (
	"strings"
	"unicode/utf8"

	"gongkai/generator/diag"
	"gongkai/generator/fields"
)

// PlaceholderMark starts every piece of text a record template asks the
// clerk to replace: 【请填写：标题】, 【请填写：会议地点】. The templates of
// `gongkai new` write their placeholders this way, in values and in the
// body, and a record that still holds the mark anywhere outside a TOML
// comment is an error at the mark, in check, build and publish, until it is
// replaced. A number the clerk must fill in is written as a quoted
// placeholder too (expected = "【请填写：应到人数】"): the error says to
// replace it, quotes and all, by the number.
const PlaceholderMark = "【请填写"

// CodePlaceholder is the code of a placeholder left in a record.
const CodePlaceholder = "record.placeholder"

// placeholders reports every placeholder left in the record: in the front
// matter's values (doc) and in the body. It returns the lines they are on,
// so that other errors of those lines (a placeholder where a number or a
// known value belongs) are not reported as well.
func placeholders(r *Record, doc *fields.Doc) (diag.List, map[int]bool) {
	if !HasPlaceholder(r.Text) {
		return nil, nil
	}
	var ds diag.List
	lines := map[int]bool{}
	fileLines := strings.Split(r.Text, "\n")
	// report gives one error per placeholder on line, at its column.
	report := func(line int, text string) {
		if lines[line] {
			return
		}
		lines[line] = true
		off := 0
		for _, m := range marks(text) {
			i := strings.Index(text[off:], m) + off
			col := utf8.RuneCountInString(text[:i]) + 1
			off = i + len(m)
			ds.Add(diag.Errorf(diag.Position{File: r.File, Line: line, Col: col}, "模板里的“%s”还没有换成实际内容", "the template's %q has not been replaced", m).
				WithHint("把 %s 整个换成实际内容；数字和日期不加引号", "replace all of %s by the real content; numbers and dates go without quotes", m).WithCode(CodePlaceholder))
		}
	}
	doc.EachString(func(key string, pos diag.Position, s string) {
		ms := marks(s)
		if len(ms) == 0 {
			return
		}
		if pos.Line >= 1 && pos.Line <= len(fileLines) && HasPlaceholder(fileLines[pos.Line-1]) {
			report(pos.Line, fileLines[pos.Line-1])
			return
		}
		// A multi-line string: the marks are on later lines.
		lines[pos.Line] = true
		for _, m := range ms {
			ds.Add(diag.Errorf(pos, "模板里的“%s”还没有换成实际内容", "the template's %q has not been replaced", m).
				WithHint("把 %s 整个换成实际内容", "replace all of %s by the real content", m).WithCode(CodePlaceholder))
		}
	})
	for i, l := range strings.Split(r.Body, "\n") {
		if HasPlaceholder(l) {
			report(r.BodyLine+i, l)
		}
	}
	return ds, lines
}

// marks returns the placeholders in s: each from the mark to the closing
// 】, or to the end of the line when it is missing.
func marks(s string) []string {
	var out []string
	for {
		i := strings.Index(s, PlaceholderMark)
		if i < 0 {
			return out
		}
		s = s[i:]
		end := strings.IndexAny(s, "】\n")
		if end < 0 {
			out = append(out, s)
			return out
		}
		if s[end] == '\n' {
			out = append(out, s[:end])
		} else {
			end += len("】")
			out = append(out, s[:end])
		}
		s = s[end:]
	}
}

// HasPlaceholder reports whether s holds a template placeholder.
func HasPlaceholder(s string) bool { return strings.Contains(s, PlaceholderMark) }
