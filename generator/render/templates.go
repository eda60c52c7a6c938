package render

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"sync"
	texttemplate "text/template"
	"text/template/parse"
	"unicode/utf8"
)

// Templates are the templates of a theme, parsed once. The page sets are
// never run themselves: each render runs clones of them, whose partial
// functions make and keep the partials of that render.
//
// A theme's templates folder holds:
//
//   - _*.html: the layout and the parts every page shares ("page",
//     "main" is the page's own);
//   - partials/NAME.html: a partial, run with {{partial "NAME" .}} or,
//     made once per key, with {{partialCached "NAME" . key…}};
//   - NAME.html: the page template NAME (record, list, home, sheet …);
//   - NAME.xml and NAME.txt: text templates (feed.xml, sitemap.xml,
//     robots.txt) whose every value is escaped for XML.
//
// Every template is named by its path under templates/, so that an error
// names the theme file.
type Templates struct {
	pages map[string]*template.Template
	text  map[string]*texttemplate.Template

	theme  fs.FS
	minify func([]byte) []byte
	fast   map[string]bool // partials whose markup Go may write
	// raw are the same page sets parsed without minifying, made when a
	// template fails: the minified ones count lines differently.
	rawOnce sync.Once
	raw     *Templates
	rawErr  error
}

// ParseTemplates parses the templates of theme; minify, when not nil,
// minifies an HTML template's text before it is parsed.
func ParseTemplates(theme fs.FS, minify func([]byte) []byte) (*Templates, error) {
	ts := &Templates{pages: map[string]*template.Template{}, text: map[string]*texttemplate.Template{}, theme: theme, minify: minify}
	if minify != nil {
		// Go writes the default markup as the minifier leaves it.
		ts.fast = defaultPartials(theme)
	}
	base := template.New("").Funcs(templateFuncs(nil))
	read := func(name string) (string, error) {
		b, err := fs.ReadFile(theme, "templates/"+name)
		if err != nil {
			return "", fmt.Errorf("render: templates: %w", err)
		}
		if minify != nil && strings.HasSuffix(name, ".html") {
			b = minify(b)
		}
		return string(b), nil
	}
	parseInto := func(t *template.Template, name string) error {
		text, err := read(name)
		if err != nil {
			return err
		}
		if _, err := t.New(name).Parse(text); err != nil {
			return ts.parseError(name, err)
		}
		return nil
	}
	shared, err := fs.Glob(theme, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	partials, err := fs.Glob(theme, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range append(shared, partials...) {
		if err := parseInto(base, strings.TrimPrefix(p, "templates/")); err != nil {
			return nil, err
		}
	}
	pages, err := fs.Glob(theme, "templates/[^_]*.html")
	if err != nil {
		return nil, err
	}
	// The set of the partials alone, for partialCached.
	ts.pages[""], err = base.Clone()
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		name := strings.TrimPrefix(p, "templates/")
		if err := parseInto(t, name); err != nil {
			return nil, err
		}
		ts.pages[strings.TrimSuffix(name, ".html")] = t
	}
	for _, pattern := range []string{"templates/*.xml", "templates/*.txt"} {
		files, err := fs.Glob(theme, pattern)
		if err != nil {
			return nil, err
		}
		for _, p := range files {
			name := strings.TrimPrefix(p, "templates/")
			text, err := read(name)
			if err != nil {
				return nil, err
			}
			t, err := texttemplate.New(name).Funcs(texttemplate.FuncMap{"xml": xmlText}).Parse(text)
			if err != nil {
				return nil, ts.parseError(name, err)
			}
			if strings.HasSuffix(name, ".xml") {
				for _, tt := range t.Templates() {
					escapeXML(tt.Tree.Root)
				}
			}
			ts.text[name] = t
		}
	}
	return ts, nil
}

// parseError returns the error of parsing the template name as it is in
// the theme: the minified text has other line numbers.
func (ts *Templates) parseError(name string, err error) error {
	if ts.minify != nil {
		if b, rerr := fs.ReadFile(ts.theme, "templates/"+name); rerr == nil {
			t := template.New("").Funcs(templateFuncs(nil))
			if _, perr := t.New(name).Parse(string(b)); perr != nil {
				err = perr
			}
		}
	}
	return err
}

// Has reports whether the theme has the page template name ("record").
func (ts *Templates) Has(name string) bool { return ts.pages[name] != nil }

// rawTemplates returns the templates parsed without minifying.
func (ts *Templates) rawTemplates() (*Templates, error) {
	ts.rawOnce.Do(func() { ts.raw, ts.rawErr = ParseTemplates(ts.theme, nil) })
	return ts.raw, ts.rawErr
}

// Text runs the text template name ("feed.xml") with data.
func (ts *Templates) Text(name string, data any) ([]byte, error) {
	t := ts.text[name]
	if t == nil {
		return nil, fmt.Errorf("render: the theme has no template templates/%s", name)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// templateFuncs are the functions of the HTML templates; p gives the
// partial functions of a render (nil while parsing).
func templateFuncs(p *partials) template.FuncMap {
	fm := template.FuncMap{
		"join":  strings.Join,
		"add":   func(a, b int) int { return a + b },
		"lines": func(kind string, ls []LineView, total string) LinesCtx { return LinesCtx{kind, ls, total} },
		"partial": func(name string, ctx any) (template.HTML, error) {
			return "", errors.New("partial outside a render")
		},
		"partialCached": func(name string, ctx any, keys ...any) (template.HTML, error) {
			return "", errors.New("partialCached outside a render")
		},
	}
	if p != nil {
		fm["partial"] = p.run
		fm["partialCached"] = p.cached
	}
	return fm
}

// xmlText escapes s for XML text and attribute values. A string with
// nothing to escape — most of them: a sitemap prints tens of thousands
// of addresses — is returned as it is.
func xmlText(s any) string {
	if str, ok := s.(string); ok && plainXML(str) {
		return str
	}
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(fmt.Sprint(s))) // a strings.Builder never fails
	return b.String()
}

// plainXML reports whether xml.EscapeText leaves s as it is: valid
// UTF-8 without markup characters, quotes or control characters, and
// without U+FFFE and U+FFFF (which start with the byte 0xEF, as do other
// characters that go the slow way).
func plainXML(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20, c == '"', c == '\'', c == '&', c == '<', c == '>', c == 0xEF:
			return false
		}
	}
	return utf8.ValidString(s)
}

// escapeXML makes every action of a text template that prints a value
// pass it through xml last, as html/template escapes every action of an
// HTML template: a theme cannot forget it.
func escapeXML(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			escapeXML(c)
		}
	case *parse.ActionNode:
		if len(n.Pipe.Decl) > 0 {
			return // an assignment prints nothing
		}
		cmds := n.Pipe.Cmds
		if last := cmds[len(cmds)-1]; len(last.Args) == 1 {
			if id, ok := last.Args[0].(*parse.IdentifierNode); ok && id.Ident == "xml" {
				return
			}
		}
		n.Pipe.Cmds = append(cmds, &parse.CommandNode{NodeType: parse.NodeCommand, Pos: n.Pos,
			Args: []parse.Node{parse.NewIdentifier("xml").SetPos(n.Pos)}})
	case *parse.IfNode:
		escapeXML(n.List)
		escapeXML(n.ElseList)
	case *parse.RangeNode:
		escapeXML(n.List)
		escapeXML(n.ElseList)
	case *parse.WithNode:
		escapeXML(n.List)
		escapeXML(n.ElseList)
	}
}

// page returns the master of the page template name, nil when the theme
// has none.
func (ts *Templates) page(name string) *template.Template { return ts.pages[name] }

// fileOf returns the theme file of a template name ("record.html").
func fileOf(name string) string { return path.Join("templates", name) }
