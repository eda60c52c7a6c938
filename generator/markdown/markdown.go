// Package markdown turns record bodies into HTML with goldmark: CommonMark
// and GFM tables, strikethrough and autolinks, the CJK extension (no
// spurious spaces at line breaks between Chinese characters), raw HTML
// dropped unless the site allows it, links written as record ids resolved
// to relative URLs, javascript:/vbscript:/data: links dropped, body headings
// moved one level down under the page title, and the articles of
// conventions given stable anchors (#tiao-3).
package markdown

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"gongkai/generator/link"
	"gongkai/generator/record"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Converter renders bodies. Build one per site and share it: it is safe for
// concurrent use.
type Converter struct {
	md goldmark.Markdown
}

// New returns a Converter; unsafe keeps raw HTML.
func New(unsafe bool) *Converter {
	opts := []renderer.Option{}
	if unsafe {
		opts = append(opts, html.WithUnsafe())
	}
	md := goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, extension.CJK),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithASTTransformers(util.Prioritized(&transformer{}, 100))),
		goldmark.WithRendererOptions(opts...),
	)
	return &Converter{md: md}
}

// Page says where a body is rendered and which record ids exist.
type Page struct {
	// Dir is the site-relative page the HTML appears on.
	Dir string
	// File is the record's file, content-relative: relative links
	// ("../pages/about.md", "资金明细.csv") are read from its folder.
	File    string
	Offline bool
	// Exists reports whether a record id exists; links to others are left
	// as written (validation has reported them).
	Exists func(id string) bool
	// Articles gives article paragraphs and headings their anchors.
	Articles bool
}

// Result is a rendered body.
type Result struct {
	HTML    []byte
	Summary string // the first paragraph as plain text, cut at ~120 characters
}

var pageKey = parser.NewContextKey()
var summaryKey = parser.NewContextKey()

// Convert renders body for page p. A body beyond the limits (Check) is
// an error: validation reports it, with its position, before any page is
// made.
func (c *Converter) Convert(body string, p Page) (Result, error) {
	if e := Check(body); e != nil {
		return Result{}, e
	}
	src := []byte(validUTF8(body))
	pc := parser.NewContext(parser.WithIDs(newIDs()))
	pc.Set(pageKey, &p)
	doc := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/2)
	if err := c.md.Renderer().Render(bufWriter{&buf}, src, doc); err != nil {
		return Result{}, err
	}
	s, _ := pc.Get(summaryKey).(string)
	out := buf.Bytes()
	if bytes.Contains(out, []byte("<table>")) {
		// A wide table scrolls inside its own box on a phone instead of
		// widening the page; the box takes focus so a keyboard can scroll.
		out = bytes.ReplaceAll(out, []byte("<table>"), []byte(`<div class="scroll" tabindex="0" role="region" aria-label="表格"><table>`))
		out = bytes.ReplaceAll(out, []byte("</table>"), []byte("</table></div>"))
	}
	return Result{HTML: out, Summary: s}, nil
}

// validUTF8 returns body with any invalid UTF-8 replaced: goldmark's CJK
// rendering panics on it. Bodies read through textenc are always valid;
// this keeps any other caller safe.
func validUTF8(body string) string {
	if utf8.ValidString(body) {
		return body
	}
	return strings.ToValidUTF8(body, "\uFFFD")
}

// bufWriter lets goldmark write into the buffer itself: any other writer
// it wraps in a new bufio.Writer for every document.
type bufWriter struct{ *bytes.Buffer }

func (w bufWriter) Buffered() int { return 0 }
func (w bufWriter) Flush() error  { return nil }

type transformer struct{}

func (transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	p, _ := pc.Get(pageKey).(*Page)
	if p == nil {
		p = &Page{}
	}
	src := reader.Source()
	summary := ""
	var drop []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if p.Articles {
				if num, ok := record.ArticleStart(string(nodeText(n, src))); ok {
					n.SetAttributeString("id", []byte(record.ArticleAnchor(num)))
				}
			}
			if n.Level < 6 {
				n.Level++
			}
		case *ast.Paragraph:
			t := nodeText(n, src)
			if summary == "" && n.Parent() == doc {
				summary = Cut(string(t), 120)
			}
			if p.Articles {
				if num, ok := record.ArticleStart(string(t)); ok && n.Parent() == doc {
					n.SetAttributeString("id", []byte(record.ArticleAnchor(num)))
				}
			}
		case *ast.Link:
			dest := string(n.Destination)
			if unsafeURL(dest) {
				drop = append(drop, n)
				return ast.WalkSkipChildren, nil
			}
			n.Destination = []byte(resolve(dest, p))
		case *ast.AutoLink:
			if unsafeURL(string(n.URL(src))) {
				drop = append(drop, n)
			}
		case *ast.Image:
			if unsafeURL(string(n.Destination)) {
				drop = append(drop, n)
			} else {
				n.Destination = []byte(resolve(string(n.Destination), p))
			}
		case *extast.TableHeader:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				c.SetAttributeString("scope", []byte("col"))
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range drop {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		// Keep the link text, drop the link.
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
	pc.Set(summaryKey, summary)
}

// nodeText returns the plain text of a node's inline children.
func nodeText(n ast.Node, src []byte) []byte {
	var b []byte
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			if t, ok := c.(*ast.Text); ok {
				b = append(b, t.Segment.Value(src)...)
				if t.SoftLineBreak() {
					b = append(b, ' ')
				}
			} else if s, ok := c.(*ast.String); ok {
				b = append(b, s.Value...)
			}
		}
		return ast.WalkContinue, nil
	})
	return b
}

func unsafeURL(dest string) bool {
	d := strings.ToLower(strings.TrimSpace(dest))
	d = strings.Map(func(r rune) rune {
		if r < 0x21 {
			return -1
		}
		return r
	}, d)
	return strings.HasPrefix(d, "javascript:") || strings.HasPrefix(d, "vbscript:") || strings.HasPrefix(d, "data:")
}

// resolve turns a destination that names a record, a section or a file of
// the content folder (record.LinkTarget) into a URL relative to the page;
// anything else stays as written.
func resolve(dest string, p *Page) string {
	t := record.LinkTarget(p.File, dest)
	frag := ""
	if t.Frag != "" {
		frag = "#" + t.Frag
	}
	switch {
	case t.Kind == record.ToRecord && strings.HasPrefix(strings.TrimSpace(dest), "#"):
		return dest
	case t.Kind == record.ToRecord && p.Exists != nil && p.Exists(t.ID):
		return link.Rel(p.Dir, link.Page(t.ID), p.Offline) + frag
	case t.Kind == record.ToSection:
		return link.Rel(p.Dir, t.Path, p.Offline) + frag
	case t.Kind == record.ToFile && p.File != "":
		return link.Rel(p.Dir, t.Path, false) + frag
	}
	return dest
}

// Cut shortens s to about n characters, at a sentence or clause end when
// there is one near, and adds an ellipsis when it cut.
func Cut(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	for i := len(r) - 1; i > n*2/3; i-- {
		if strings.ContainsRune("。；！？", r[i]) {
			return string(r[:i+1])
		}
	}
	return strings.TrimRight(string(r), "，、；： ") + "……"
}
