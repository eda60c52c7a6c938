// Package render turns a validated board into the files of the public
// site: page models computed in Go, declarative templates from the theme,
// minified HTML, CSS and JS with content hashes in their names, written
// through an Output so the same render can target a folder or memory.
//
// A Kit holds what a theme makes once; a Renderer holds one render of a
// board (its views, made once); a Writer writes the pages of a render
// through one Output. The later stages of the pipeline (search, feeds,
// versions, data files, sheets) are Stages that see a render through the
// narrow Site interface.
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gongkai/generator/calendar"
	"gongkai/generator/record"
)

// Output receives the files of the site. Implementations must be safe for
// concurrent use and must not keep data once WriteFile returns: the
// renderer reuses its page buffers.
type Output interface {
	WriteFile(name string, data []byte) error
}

// Options control a render. Everything in them is data worked out before
// rendering: the renderer calls nothing back.
type Options struct {
	Today   time.Time // what is on notice
	Offline bool      // links name index.html
	BaseURL string    // overrides site.toml base_url
	// Content is the content folder, for attachments.
	Content fs.FS
	// Reload adds the preview server's live-reload script to every page.
	Reload bool
	// Versions gives each record id its version facts; a record without
	// an entry is an unregistered version 1.
	Versions map[string]Versions
	// LedgerSize is the number of ledger lines the site is built from:
	// the size of its latest checkpoint, printed on the wall sheets.
	LedgerSize int64
	// Calendar is the state of the disclosure schedule, for the home page.
	Calendar []calendar.Status
	// Again says that a later render will take these views over (the
	// preview server): they then keep what is worked out from them (the
	// text the search index holds), which a single build would only
	// carry around.
	Again bool
	// Reuse holds views of an earlier render of the same site by record
	// id: a view is taken over, instead of made anew, when its record is
	// the very same *record.Record. The caller leaves out the records
	// whose neighbours or versions changed.
	Reuse map[string]*RecordView
	// Bodies, when set, keeps the HTML of record bodies between builds
	// (see BodyCache).
	Bodies BodyCache
}

// BodyCache keeps what a record's body renders to — its HTML and the
// summary taken from it — by a key that hashes everything the rendering
// reads: the body, its file, the page's folder, the site's settings that
// change Markdown (unsafe_html, --offline), the generator's own
// rendering, and whether each record the body links to is on the site.
type BodyCache interface {
	Body(key [32]byte) (RenderedBody, bool)
	KeepBody(key [32]byte, b RenderedBody)
}

// RenderedBody is what a record's body renders to.
type RenderedBody struct {
	HTML    string
	Summary string // taken from the HTML
	Plain   string // the text of the HTML (PlainText), which search indexes
}

// Versions are the registered versions of a record.
type Versions struct {
	Current   VersionInfo
	History   []VersionInfo // oldest first, the current (or pending) one last
	Withdrawn string
	Expired   bool
	// Renotice is true when the current version sets a notice period the
	// version before it did not have: the correction is posted anew.
	Renotice bool
}

// Renderer is one render of a board: the site view and the record views,
// made once by New and then only read.
type Renderer struct {
	kit      *Kit
	board    *record.Board
	opt      Options
	site     *SiteView
	views    map[string]*RecordView
	public   []*RecordView // sorted newest first; what the public site lists
	parts    *partials     // this render's partials, over the kit's templates
	sections sync.Map      // section → *section, its lists
	bufs     sync.Pool     // *bytes.Buffer, reused from page to page
	bodies   atomic.Int64  // bodies rendered from Markdown
}

// CSP is the Content-Security-Policy of every page: the theme's own
// script and style only (SPEC §8). Pages carry no inline script and no
// event handler attributes: script-src 'self' admits no inline script
// element, and script-src-attr 'none' keeps any injected handler from
// running. Audit tools evaluate their scripts through the browser's
// DevTools protocol, which the policy does not govern.
const CSP = "default-src 'self'; script-src 'self'; script-src-attr 'none'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'"

// New prepares a render of board with the kit of its theme: the site
// view and the record views.
func New(kit *Kit, board *record.Board, opt Options) (*Renderer, error) {
	if kit.unsafe != board.Site.UnsafeHTML {
		return nil, fmt.Errorf("render: the kit was made for unsafe_html = %v", kit.unsafe)
	}
	r := &Renderer{kit: kit, board: board, opt: opt}
	parts, err := newPartials(kit.tmpls, &r.bufs)
	if err != nil {
		return nil, err
	}
	r.parts = parts
	r.site = r.siteView(board, opt)
	if err := r.buildViews(); err != nil {
		return nil, err
	}
	return r, nil
}

// Board returns the rendered board.
func (r *Renderer) Board() *record.Board { return r.board }

// Site returns the site-wide part of every page.
func (r *Renderer) Site() *SiteView { return r.site }

// Public returns the views of the records on the public site, newest
// first.
func (r *Renderer) Public() []*RecordView { return r.public }

// View returns the view of a record on the public site, or nil.
func (r *Renderer) View(id string) *RecordView { return r.views[id] }

// Views returns the views of the records on the public site by id, for
// Options.Reuse of a later render. The map must not be changed.
func (r *Renderer) Views() map[string]*RecordView { return r.views }

// Today returns the render date.
func (r *Renderer) Today() time.Time { return r.opt.Today }

// Offline reports whether links name index.html.
func (r *Renderer) Offline() bool { return r.opt.Offline }

// Minify minifies b as mediaType with the kit's minifier.
func (r *Renderer) Minify(mediaType string, b []byte) []byte { return r.kit.Minify(mediaType, b) }

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
		Assets: r.kit.assets, LedgerSize: opt.LedgerSize,
	}
	for _, sec := range record.Sections {
		sv.Nav = append(sv.Nav, NavItem{Section: sec, Name: record.SectionName(sec), Path: sec + "/"})
	}
	return sv
}

// Reader is what a render shows: the board and its views, read only.
// A Renderer is one.
type Reader interface {
	Board() *record.Board
	Site() *SiteView
	Public() []*RecordView
	View(id string) *RecordView
	Today() time.Time
	Offline() bool
	// ListPages returns the year and category pages of a section.
	ListPages(section string) []string
}

// Site is what a later stage of the pipeline sees of a render: a Reader,
// and the means to write the stage's own files. Nothing in it changes the
// render.
type Site interface {
	Reader
	// ViewOf builds the view of a record that is not on the board.
	ViewOf(rec *record.Record, dir string) (*RecordView, error)
	Minify(mediaType string, b []byte) []byte
	// Page writes a page from a theme template, RecordPage a record's
	// page with its attachments, Write any other file.
	Page(template string, p *Page) error
	RecordPage(v *RecordView) error
	// Text runs a text template of the theme (feed.xml, sitemap.xml,
	// robots.txt).
	Text(template string, data any) ([]byte, error)
	Write(name string, data []byte) error
}

// Stage is a later part of the pipeline. Record writes the files that
// belong to one record on the site (its sheet, its data file, its version
// pages), so that a rebuild runs it only for the records that changed;
// Board writes the files made from the whole board (an index, a feed).
// Either may be nil.
type Stage struct {
	Name   string
	Record func(s Site, v *RecordView) error
	Board  func(s Site) error
}

// Writer writes the pages and files of a render through one Output. It
// is the Site that stages are given.
type Writer struct {
	*Renderer
	out Output
}

// Writer returns a Writer of r's pages into out.
func (r *Renderer) Writer(out Output) *Writer { return &Writer{Renderer: r, out: out} }

var (
	_ Site   = (*Writer)(nil)
	_ Reader = (*Renderer)(nil)
)

// Write writes one file as it is.
func (w *Writer) Write(name string, data []byte) error {
	return w.out.WriteFile(name, data)
}

// Fragment minifies a piece of HTML made outside the templates (a
// converted Markdown body).
func (r *Renderer) Fragment(b []byte) template.HTML {
	return template.HTML(r.kit.Minify("text/html", b))
}

// Page writes a page from template name with the page model p. The file
// is p.Path + "index.html" for directory pages.
func (w *Writer) Page(name string, p *Page) error {
	r := w.Renderer
	t := r.parts.pages[name]
	if t == nil || name == "" {
		return fmt.Errorf("render: no template %s", name)
	}
	p.Site = r.site
	p.Offline = r.opt.Offline
	p.Depth = strings.Count(p.Path, "/")
	p.Reload = r.opt.Reload
	if p.Canonical == "" && !strings.HasSuffix(p.Path, ".html") {
		p.Canonical = r.site.BaseURL + p.Path
	}
	buf, _ := r.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = bytes.NewBuffer(make([]byte, 0, 32<<10))
	}
	defer r.bufs.Put(buf)
	buf.Reset()
	if err := t.ExecuteTemplate(buf, "page", p); err != nil {
		return r.pageProblem(name, p, err)
	}
	file := p.Path
	if file == "" || strings.HasSuffix(file, "/") {
		file += "index.html"
	}
	return w.Write(file, buf.Bytes())
}

// NotFound writes the 404 page.
func (w *Writer) NotFound() error {
	return w.Page("404", &Page{Path: "404.html", Title: "页面不存在", NoIndex: true, Root: w.rootPath()})
}

// Assets writes the theme's assets under their hashed names.
func (w *Writer) Assets() error {
	for _, name := range w.kit.AssetFiles() {
		if err := w.Write(name, w.kit.files[name]); err != nil {
			return err
		}
	}
	return nil
}

// rootPath is the path of the site's base URL ("/qingshi/"), from which
// the 404 page, served at any depth, makes its links; "" for an offline
// build, whose pages open from the disk, where no 404 page is served.
func (r *Renderer) rootPath() string {
	if r.opt.Offline {
		return ""
	}
	u, err := url.Parse(r.site.BaseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return strings.TrimSuffix(u.Path, "/") + "/"
}

// RecordPage writes a record's page and copies its attachments.
func (w *Writer) RecordPage(v *RecordView) error {
	p := &Page{Path: v.Path, Title: v.Title, Desc: v.Summary, Section: v.Section, Main: v, NoIndex: v.Personal,
		Crumbs: []Crumb{{record.SectionName(v.Section), v.Section + "/"}}, Withdrawn: v.Withdrawn}
	if err := w.Page(pageTemplate(v), p); err != nil {
		return err
	}
	for _, a := range v.Attachments {
		b, err := fs.ReadFile(w.opt.Content, path.Join(path.Dir(v.File), a.Name))
		if err != nil {
			return fmt.Errorf("render: attachment: %w", err)
		}
		if err := w.Write(v.Path+a.Name, b); err != nil {
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

// LinesCtx is one side of an account.
type LinesCtx struct {
	Kind  string
	Lines []LineView
	Total string
}
