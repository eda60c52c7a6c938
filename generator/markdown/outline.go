package markdown

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gongkai/generator/record"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Outline reads body as the site will — with the same parser, so that a
// reference-style link `[目录][m]` counts like an inline one — and returns
// its links and images with their byte offsets and the anchors of its
// headings. A body beyond the limits (Check) is not parsed: Outline then
// returns only the problem. It is record.Source.Outline.
func (c *Converter) Outline(body string) record.Outline {
	if e := Check(body); e != nil {
		return record.Outline{Problem: &record.OutlineProblem{Offset: e.Offset, Msg: e.Msg, Hint: e.Hint}}
	}
	if !strings.ContainsAny(body, "[#") && !setext(body) {
		return record.Outline{} // no link, image or heading to find
	}
	src := []byte(validUTF8(body))
	pc := parser.NewContext(parser.WithIDs(newIDs()))
	doc := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	var o record.Outline
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			o.Refs = append(o.Refs, record.Ref{Dest: string(n.Destination), Offset: destOffset(n.Destination, linkOffset(n, src), src)})
		case *ast.Image:
			o.Refs = append(o.Refs, record.Ref{Dest: string(n.Destination), Offset: destOffset(n.Destination, linkOffset(n, src), src), Image: true})
		case *ast.Heading:
			if id, ok := n.AttributeString("id"); ok {
				if b, ok := id.([]byte); ok {
					o.Headings = append(o.Headings, record.Heading{ID: string(b), Text: string(nodeText(n, src))})
				}
			}
		}
		return ast.WalkContinue, nil
	})
	return o
}

// destOffset returns the offset of an inline link's destination, written
// on the same line after its [ at off; for a reference-style link, whose
// destination is written elsewhere, off itself.
func destOffset(dest []byte, off int, src []byte) int {
	line := src[off:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	if i := bytes.Index(line, append([]byte("]("), dest...)); i >= 0 && len(dest) > 0 {
		return off + i + 2
	}
	if i := bytes.Index(line, append([]byte("](<"), dest...)); i >= 0 && len(dest) > 0 {
		return off + i + 3
	}
	return off
}

// setext reports whether body may hold a heading underlined with = or -:
// a line of those marks alone.
func setext(body string) bool {
	for body != "" {
		line := body
		if i := strings.IndexByte(body, '\n'); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			body = ""
		}
		t := strings.TrimSpace(line)
		if t != "" && (strings.Trim(t, "=") == "" || strings.Trim(t, "-") == "") {
			return true
		}
	}
	return false
}

// linkOffset returns the byte offset of a link's opening bracket: the
// bracket before its first text, else the start of its block.
func linkOffset(n ast.Node, src []byte) int {
	var start = -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering && start < 0 {
			start = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if start >= 0 {
		for i := start - 1; i >= 0 && i >= start-8; i-- {
			if src[i] == '[' {
				if i > 0 && src[i-1] == '!' {
					return i - 1
				}
				return i
			}
		}
		return start
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}

// reservedIDs are the ids the default theme's pages use themselves; a
// heading never takes one of them (a test keeps the list complete).
var reservedIDs = []string{
	"art-h", "att-h", "bl-h", "body-h", "cp-h", "dazi", "fields-h", "files-h", "fin-h", "h-cal", "h-contact", "h-notice",
	"hist-h", "history", "key-h", "lines-h", "main", "meet-h", "pending-h", "proc-h", "q", "q-hint", "results", "search", "search-status", "toc-h",
}

// Reserved reports whether id is one of the theme's own ids.
func Reserved(id string) bool {
	for _, r := range reservedIDs {
		if r == id {
			return true
		}
	}
	return false
}

// ids gives headings their anchors: the heading's letters and digits of
// any script, ASCII in lower case, with spaces, - and _ as -, everything
// else left out ("第一章 总则" → "第一章-总则"; "Contact us" → "contact-us");
// "heading" when nothing is left; -1, -2 … added to repeats and to the
// theme's own ids.
type ids struct {
	used map[string]bool
	next map[string]int // the next number to try for a repeated id
}

func newIDs() *ids {
	s := &ids{used: make(map[string]bool, len(reservedIDs)), next: map[string]int{}}
	for _, r := range reservedIDs {
		s.used[r] = true
	}
	return s
}

// Generate implements parser.IDs.
func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	var b []byte
	dash := false
	for len(value) > 0 {
		r, n := utf8.DecodeRune(value)
		value = value[n:]
		switch {
		case r < utf8.RuneSelf && (r >= 'A' && r <= 'Z'):
			b = append(b, byte(r-'A'+'a'))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b = utf8.AppendRune(b, r)
		case unicode.IsSpace(r) || r == '-' || r == '_':
			if len(b) > 0 && !dash {
				b = append(b, '-')
				dash = true
			}
			continue
		default:
			continue
		}
		dash = false
	}
	for len(b) > 0 && b[len(b)-1] == '-' {
		b = b[:len(b)-1]
	}
	if len(b) == 0 {
		b = []byte("heading")
	}
	base := string(b)
	id := base
	for s.used[id] {
		s.next[base]++
		id = base + "-" + strconv.Itoa(s.next[base])
	}
	s.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs.
func (s *ids) Put(value []byte) { s.used[string(value)] = true }
