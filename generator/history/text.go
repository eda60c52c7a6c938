package history

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// block is one block of a rendered body as plain text: a paragraph, a
// heading, a list item or a table row.
type block struct {
	text    string
	heading bool
}

// textBlocks reads the HTML of a rendered body (goldmark's, minified) as
// a reader sees it: the text of each block, without markup, link
// addresses or comments; table cells are joined by " | ".
func textBlocks(body string) []block {
	z := html.NewTokenizer(strings.NewReader(body))
	var out []block
	var cur strings.Builder
	heading := false
	end := func() {
		t := strings.TrimSpace(cur.String())
		if t != "" {
			out = append(out, block{text: t, heading: heading})
		}
		cur.Reset()
		heading = false
	}
	cellOpen := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			end()
			return out
		case html.TextToken:
			cur.WriteString(collapse(string(z.Text())))
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch a := atom.Lookup(name); a {
			case atom.Br:
				cur.WriteString(" ")
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				end()
				heading = true
			case atom.P, atom.Li, atom.Tr, atom.Blockquote, atom.Pre, atom.Div, atom.Ul, atom.Ol, atom.Table, atom.Hr:
				end()
			case atom.Td, atom.Th:
				if cellOpen {
					cur.WriteString(" | ")
				}
				cellOpen = true
			case atom.Img:
				for {
					k, v, more := z.TagAttr()
					if string(k) == "alt" && len(v) > 0 {
						cur.WriteString("［图片：" + string(v) + "］")
					}
					if !more {
						break
					}
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.P, atom.Li, atom.Blockquote, atom.Pre, atom.Div:
				end()
			case atom.Tr:
				end()
				cellOpen = false
			}
		}
	}
}

// collapse turns runs of white space into one blank, as a browser shows
// text.
func collapse(s string) string {
	t := strings.Join(strings.Fields(s), " ")
	if t == "" {
		if s != "" {
			return " "
		}
		return ""
	}
	if strings.TrimLeft(s, " \t\n") != s {
		t = " " + t
	}
	if strings.TrimRight(s, " \t\n") != s {
		t += " "
	}
	return t
}

// joinBlocks writes blocks one per line.
func joinBlocks(bs []block) string {
	var b strings.Builder
	for i, x := range bs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(x.text)
	}
	return b.String()
}
