// Package render turns a validated board into the files of the public
// site: page models computed in Go, declarative templates from the theme,
// minified HTML, CSS and JS with content hashes in their names, all written
// through one Output so the same build can target a folder or memory.
package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"gongkai/generator/internal/par"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"gongkai/generator/link"
	"gongkai/generator/markdown"
	"gongkai/generator/record"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"golang.org/x/sync/errgroup"
)

// Output receives the files of the site. Implementations must be safe for
// concurrent use and must not keep data once WriteFile returns: the
// renderer reuses its page buffers.
type Output interface {
	WriteFile(name string, data []byte) error
}

// Options control a render.
type Options struct {
	Today   time.Time // what is on notice
	Offline bool      // links name index.html
	BaseURL string    // overrides site.toml base_url
	// Content is the content folder, for attachments.
	Content fs.FS
	// Theme is the theme folder (templates/, assets/).
	Theme fs.FS
	// Versions gives each record its version facts; nil when there is no
	// ledger yet (every record is then an unregistered version 1).
	Versions func(r *record.Record) Versions
	// LedgerSize is the number of ledger lines the site is built from:
	// the size of its latest checkpoint, printed on the wall sheets.
	LedgerSize int64
	// Overlay and Reload are for the preview server.
	Overlay []string
	Reload  bool
	// Base, when set, is an earlier renderer of the same theme whose
	// templates, minifier, Markdown converter and assets are reused (the
	// preview server re-renders after every edit). Assets are not written
	// again.
	Base *Renderer
	// Extra lets later stages add pages: called with the renderer once the
	// record views exist.
	Extra []func(*Renderer) error
	// Reuse, when set, may return a view made by an earlier render for a
	// record that has not changed since (the preview server); nil means
	// the view is built anew.
	Reuse func(*record.Record) *RecordView
}

// Versions are the registered versions of a record.
type Versions struct {
	Current   VersionInfo
	History   []VersionInfo // oldest first, the current (or pending) one last
	Withdrawn string
	Expired   bool
}

// Renderer holds what is built once per site: templates, the Markdown
// converter, the minifier, the site view and the record views.
type Renderer struct {
	Board   *record.Board
	Opt     Options
	Site    *SiteView
	Views   map[string]*RecordView
	Public  []*RecordView // sorted newest first; what the public site lists
	out     Output
	tmpl    map[string]*template.Template
	md      *markdown.Converter
	min     *minify.M
	mu      sync.Mutex
	written []string
	chromes sync.Map  // chromeKey, trailKey → template.HTML
	bufs    sync.Pool // *bytes.Buffer, reused from page to page
}

// chromeKey names a layout part made once per build: link.Rel climbs to
// the site root and back down, so its links depend on the depth of a page
// only.
type chromeKey struct {
	template, part, section string
	depth                   int
}

// CSP is the Content-Security-Policy of every page: the theme's own
// script and style only (SPEC §8). Pages carry no inline script and no
// event handler attributes: script-src 'self' admits no inline script
// element, and script-src-attr 'none' keeps any injected handler from
// running. Audit tools evaluate their scripts through the browser's
// DevTools protocol, which the policy does not govern.
const CSP = "default-src 'self'; script-src 'self'; script-src-attr 'none'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'"

// New prepares a renderer: parses the templates, hashes the assets and
// builds the record views.
func New(board *record.Board, out Output, opt Options) (*Renderer, error) {
	r := &Renderer{Board: board, Opt: opt, out: out}
	if b := opt.Base; b != nil && b.Board.Site.UnsafeHTML == board.Site.UnsafeHTML {
		// Same theme and Markdown settings: share what is built once.
		r.md, r.min, r.tmpl = b.md, b.min, b.tmpl
		r.Site = r.siteView(board, opt)
		r.Site.Assets = b.Site.Assets
		if err := r.buildViews(); err != nil {
			return nil, err
		}
		return r, nil
	}
	r.md = markdown.New(board.Site.UnsafeHTML)
	r.min = minify.New()
	r.min.AddFunc("text/html", html.Minify)
	r.min.AddFunc("text/css", css.Minify)
	r.min.AddFunc("application/javascript", js.Minify)
	// No SVG minifier: the only SVG is the QR code, already written as one
	// run-length path. HTML is minified where it is made, not page by page:
	// the templates once when they are parsed (template actions kept
	// whole), and each Markdown body once when it is converted.
	r.min.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true, KeepDefaultAttrVals: true})
	r.min.Add(templateType, &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true, KeepDefaultAttrVals: true, TemplateDelims: html.GoTemplateDelims})
	r.Site = r.siteView(board, opt)
	if err := r.assets(); err != nil {
		return nil, err
	}
	if err := r.parseTemplates(); err != nil {
		return nil, err
	}
	if err := r.buildViews(); err != nil {
		return nil, err
	}
	return r, nil
}

// siteView returns the site-wide part of every page.
func (r *Renderer) siteView(board *record.Board, opt Options) *SiteView {
	s := board.Site
	base := s.BaseURL
	if opt.BaseURL != "" {
		base = strings.TrimSuffix(opt.BaseURL, "/") + "/"
	}
	sv := &SiteView{
		Title: s.Title, Community: s.Community, Issuer: s.Issuer, Parent: s.Parent,
		Phone: s.Contact.Phone, SupervisePhone: s.Contact.SupervisePhone, Address: s.Contact.Address,
		BaseURL: base, Lang: s.Language, Today: dateText(opt.Today), CSP: template.HTMLAttr(`content="` + CSP + `"`),
	}
	for _, sec := range record.Sections {
		sv.Nav = append(sv.Nav, NavItem{Section: sec, Name: record.SectionName(sec), Path: sec + "/"})
	}
	return sv
}

// Written returns the names of every file written, sorted.
func (r *Renderer) Written() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := append([]string(nil), r.written...)
	sort.Strings(out)
	return out
}

// Write writes one file, minifying by its type.
func (r *Renderer) Write(name string, data []byte) error {
	r.mu.Lock()
	r.written = append(r.written, name)
	r.mu.Unlock()
	return r.out.WriteFile(name, data)
}

var hashedRE = regexp.MustCompile(`^(.*)\.([a-z]+)$`)

// assets minifies the theme's CSS and JS and names them by content hash.
func (r *Renderer) assets() error {
	r.Site.Assets = map[string]string{}
	entries, err := fs.ReadDir(r.Opt.Theme, "assets")
	if err != nil {
		return fmt.Errorf("render: theme assets: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		b, err := fs.ReadFile(r.Opt.Theme, "assets/"+name)
		if err != nil {
			return fmt.Errorf("render: %w", err)
		}
		mt := ""
		switch path.Ext(name) {
		case ".css":
			mt = "text/css"
		case ".js":
			mt = "application/javascript"
		case ".svg":
			mt = "image/svg+xml"
		}
		if mt != "" {
			if m, err := r.min.Bytes(mt, b); err == nil {
				b = m
			}
		}
		sum := sha256.Sum256(b)
		m := hashedRE.FindStringSubmatch(name)
		out := "assets/" + name
		if m != nil {
			out = "assets/" + m[1] + "." + hex.EncodeToString(sum[:4]) + "." + m[2]
		}
		r.Site.Assets[name] = out
		if err := r.Write(out, b); err != nil {
			return err
		}
	}
	return nil
}

// templateType is the media type under which the minifier knows HTML
// templates.
const templateType = "text/x-go-template+html"

// actionBreaks matches a line break, with the blanks around it, before
// or after a template action; verbatim matches the elements whose text
// keeps its line breaks.
var (
	actionBreaks = regexp.MustCompile(`(}})[ \t]*\n\s*|\s*\n[ \t]*({{)`)
	verbatim     = regexp.MustCompile(`(?is)<pre\b.*?</pre>|<textarea\b.*?</textarea>|<script\b.*?</script>|<style\b.*?</style>`)
)

// dropActionBreaks removes the line breaks beside template actions that
// the minifier keeps (an action may stand in running text, where one
// blank matters, but a line break there is only the template's layout),
// except inside pre, textarea, script and style.
func dropActionBreaks(b []byte) []byte {
	var out []byte
	last := 0
	for _, m := range verbatim.FindAllIndex(b, -1) {
		out = append(out, actionBreaks.ReplaceAll(b[last:m[0]], []byte("$1$2"))...)
		out = append(out, b[m[0]:m[1]]...)
		last = m[1]
	}
	return append(out, actionBreaks.ReplaceAll(b[last:], []byte("$1$2"))...)
}

// parseTemplates parses the theme's templates, each minified first: the
// pages they make are then minified without a pass over every page.
func (r *Renderer) parseTemplates() error {
	funcs := template.FuncMap{
		"join":  strings.Join,
		"add":   func(a, b int) int { return a + b },
		"lines": func(kind string, ls []LineView, total string) LinesCtx { return LinesCtx{kind, ls, total} },
	}
	parse := func(t *template.Template, name string) error {
		b, err := fs.ReadFile(r.Opt.Theme, name)
		if err != nil {
			return fmt.Errorf("render: templates: %w", err)
		}
		if m, err := r.min.Bytes(templateType, b); err == nil {
			b = dropActionBreaks(m)
		}
		if _, err := t.New(path.Base(name)).Parse(string(b)); err != nil {
			return fmt.Errorf("render: %s: %w", name, err)
		}
		return nil
	}
	shared, err := fs.Glob(r.Opt.Theme, "templates/_*.html")
	if err != nil {
		return err
	}
	base := template.New("base").Funcs(funcs)
	for _, p := range shared {
		if err := parse(base, p); err != nil {
			return err
		}
	}
	pages, err := fs.Glob(r.Opt.Theme, "templates/[^_]*.html")
	if err != nil {
		return err
	}
	r.tmpl = map[string]*template.Template{}
	for _, p := range pages {
		t, err := base.Clone()
		if err != nil {
			return err
		}
		if err := parse(t, p); err != nil {
			return err
		}
		r.tmpl[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return nil
}

// Fragment minifies a piece of HTML made outside the templates (a
// converted Markdown body).
func (r *Renderer) Fragment(b []byte) template.HTML {
	if m, err := r.min.Bytes("text/html", b); err == nil {
		b = m
	}
	return template.HTML(b)
}

// Page writes a page from template name with the page model p. The file
// is p.Path + "index.html" for directory pages.
func (r *Renderer) Page(name string, p *Page) error {
	t := r.tmpl[name]
	if t == nil {
		return fmt.Errorf("render: no template %s", name)
	}
	p.Site = r.Site
	p.Offline = r.Opt.Offline
	p.chrome = func(part string) (template.HTML, error) { return r.chromePart(t, name, part, p) }
	p.trail = func() (template.HTML, error) { return r.trailPart(t, name, p) }
	p.Overlay = r.Opt.Overlay
	p.Reload = r.Opt.Reload
	if p.Canonical == "" && !strings.HasSuffix(p.Path, ".html") {
		p.Canonical = r.Site.BaseURL + p.Path
	}
	buf, _ := r.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = bytes.NewBuffer(make([]byte, 0, 32<<10))
	}
	defer r.bufs.Put(buf)
	buf.Reset()
	if err := t.ExecuteTemplate(buf, "page", p); err != nil {
		return fmt.Errorf("render: %s %s: %w", name, p.Path, err)
	}
	file := p.Path
	if file == "" || strings.HasSuffix(file, "/") {
		file += "index.html"
	}
	return r.Write(file, buf.Bytes())
}

// chromePart runs the layout part of template t (the page template name)
// for the depth and section of p, or returns it from an earlier page.
func (r *Renderer) chromePart(t *template.Template, name, part string, p *Page) (template.HTML, error) {
	depth := strings.Count(p.Path, "/")
	return r.sharedPart(chromeKey{name, part, p.Section, depth}, t, name, part, func() any {
		return &Chrome{Site: r.Site, Section: p.Section, Offline: r.Opt.Offline, dir: strings.Repeat("x/", depth)}
	})
}

// trailKey names a breadcrumb trail made once per build for the pages at
// one depth that share it.
type trailKey struct {
	template, trail string
	depth           int
}

// trailPart runs the "crumbs" part of template t for the trail and depth
// of p, or returns it from an earlier page.
func (r *Renderer) trailPart(t *template.Template, name string, p *Page) (template.HTML, error) {
	var k strings.Builder
	for _, c := range p.Crumbs {
		k.WriteString(c.Name + "\x00" + c.Path + "\x00")
	}
	depth := strings.Count(p.Path, "/")
	return r.sharedPart(trailKey{name, k.String(), depth}, t, name, "crumbs", func() any {
		return &Trail{Crumbs: p.Crumbs, Offline: r.Opt.Offline, dir: strings.Repeat("x/", depth)}
	})
}

// sharedPart returns the part of template t (the page template name) made
// for key, running it with data() the first time.
func (r *Renderer) sharedPart(key any, t *template.Template, name, part string, data func() any) (template.HTML, error) {
	if h, ok := r.chromes.Load(key); ok {
		return h.(template.HTML), nil
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, part, data()); err != nil {
		return "", fmt.Errorf("render: %s %s: %w", name, part, err)
	}
	h, _ := r.chromes.LoadOrStore(key, template.HTML(buf.String()))
	return h.(template.HTML), nil
}

// Site renders every page of the foundation: home, section, year and
// category lists, record pages with their attachments, 404, robots.txt
// and sitemap.xml, then the Extra stages.
func (r *Renderer) Render() error {
	var g errgroup.Group
	g.Go(func() error {
		return par.Each(len(r.Public), func(i int) error { return r.RecordPage(r.Public[i]) })
	})
	g.Go(r.Home)
	for _, sec := range record.Sections {
		g.Go(func() error { return r.Lists(sec) })
	}
	g.Go(func() error {
		return r.Page("404", &Page{Path: "404.html", Title: "页面不存在", NoIndex: true})
	})
	if err := g.Wait(); err != nil {
		return err
	}
	// The later stages only read the views and write files of their own,
	// so they run side by side: one stage's serial part overlaps the
	// others' work.
	var stages errgroup.Group
	for _, f := range r.Opt.Extra {
		stages.Go(func() error { return f(r) })
	}
	return stages.Wait()
}

// RecordPage writes a record's page and copies its attachments.
func (r *Renderer) RecordPage(v *RecordView) error {
	p := &Page{Path: v.Path, Title: v.Title, Desc: v.Summary, Section: v.Section, Main: v, NoIndex: v.Personal,
		Crumbs: []Crumb{{record.SectionName(v.Section), v.Section + "/"}}, Withdrawn: v.Withdrawn}
	if err := r.Page(pageTemplate(v), p); err != nil {
		return err
	}
	for _, a := range v.Attachments {
		b, err := fs.ReadFile(r.Opt.Content, path.Join(path.Dir(v.File), a.Name))
		if err != nil {
			return fmt.Errorf("render: attachment: %w", err)
		}
		if err := r.Write(v.Path+a.Name, b); err != nil {
			return err
		}
	}
	return nil
}

func pageTemplate(v *RecordView) string {
	if v.Section == "pages" {
		return "page"
	}
	return "record"
}

// Rel is link.Rel with the renderer's offline setting.
func (r *Renderer) Rel(from, to string) string { return link.Rel(from, to, r.Opt.Offline) }

// LinesCtx is one side of an account.
type LinesCtx struct {
	Kind  string
	Lines []LineView
	Total string
}
