// Package preview is the live preview behind `gongkai serve`: a Builder
// that keeps the decoded records and the rendered site in memory and, on
// an edit, re-decodes only the changed files and re-renders only the pages
// they affect; a Watcher that turns file-system events into batches of
// changed paths; and a Server that serves the last good build on
// 127.0.0.1, shows content errors as an overlay on every page and reloads
// open browsers through Server-Sent Events.
package preview

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"gongkai/generator/build"
	"gongkai/generator/calendar"
	"gongkai/generator/config"
	"gongkai/generator/content"
	"gongkai/generator/diag"
	"gongkai/generator/ledger"
	"gongkai/generator/link"
	"gongkai/generator/record"
	"gongkai/generator/render"
)

// Change is one changed path, relative to the content folder and
// slash-separated. Structural changes (created, removed or renamed
// files and folders) make the builder list the content folder again.
type Change struct {
	Path       string
	Structural bool
}

// Result describes one rebuild.
type Result struct {
	Full     bool          // everything was rebuilt
	Pages    int           // pages written before the result was served
	Took     time.Duration // until the edited pages were served
	Problems diag.List     // the errors now shown over the pages; nil when none
	Warnings int
	Changed  bool // the served site changed
}

// Builder keeps a board and its rendered site in memory between edits.
// Its methods must not be called concurrently, except Get, Names and
// Problems, which may be called at any time.
type Builder struct {
	// ExtrasDelay is how long the other stages (search, feeds, sheets,
	// versions, …) wait after an edit is served before they are rebuilt
	// in the background, so that a burst of edits starts them once and
	// does not compete with the edits for the processor; negative: never
	// (tests).
	ExtrasDelay time.Duration

	opt  build.Options
	log  io.Writer
	lang diag.Lang

	// Sources and decoded records, by content-relative file.
	site      *config.Site
	siteDs    diag.List
	srcs      map[string]record.Source
	srcDs     diag.List
	recs      map[string]*record.Record
	fileDs    map[string]diag.List
	decodedAt int
	standings map[string]ledger.Standing // read once a full build

	// The last good render and what changed since.
	board *record.Board
	r     *render.Renderer
	dirty map[string]bool // record ids
	full  bool            // the next render must be a full one

	mu       sync.RWMutex
	files    map[string][]byte
	problems diag.List
	gen      int
	extras   chan struct{} // closed when the running extras stop
}

// NewBuilder returns a Builder for opt (opt.Src is the content folder).
// Diagnostics are written to log, which may be nil, in lang.
func NewBuilder(opt build.Options, log io.Writer, lang diag.Lang) *Builder {
	if log == nil {
		log = io.Discard
	}
	opt.Reload = true
	return &Builder{ExtrasDelay: ExtrasDelay, opt: opt, log: log, lang: lang, files: map[string][]byte{}, full: true, dirty: map[string]bool{}}
}

// Get returns a served file of the last good build.
func (b *Builder) Get(name string) ([]byte, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	d, ok := b.files[name]
	return d, ok
}

// Names returns the names of every served file, sorted.
func (b *Builder) Names() []string {
	b.mu.RLock()
	out := make([]string, 0, len(b.files))
	for k := range b.files {
		out = append(out, k)
	}
	b.mu.RUnlock()
	sort.Strings(out)
	return out
}

// Problems returns the errors that keep the current content from being
// built; nil when the served site is up to date.
func (b *Builder) Problems() diag.List {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.problems
}

// Board returns the board of the last good build, or nil.
func (b *Builder) Board() *record.Board { return b.board }

// Full reads the whole content folder and renders the whole site.
func (b *Builder) Full() (Result, error) {
	start := time.Now()
	b.full = true
	b.site, b.siteDs = config.Load(b.opt.Src)
	b.standings = ledger.Standings(b.opt.Src)
	b.srcs, b.recs, b.fileDs = map[string]record.Source{}, map[string]*record.Record{}, map[string]diag.List{}
	if b.site == nil {
		return b.finish(start)
	}
	srcs, ds := content.Sources(b.opt.Src)
	b.srcDs = ds
	recs, dss := content.DecodeEach(b.site, b.opt.Src, srcs)
	for i, s := range srcs {
		b.srcs[s.File] = s
		b.recs[s.File] = recs[i]
		b.fileDs[s.File] = dss[i]
	}
	return b.finish(start)
}

// Update re-reads the changed paths and re-renders what they affect. A
// change of site.toml (or before any good build) rebuilds everything.
func (b *Builder) Update(changes []Change) (Result, error) {
	start := time.Now()
	if b.site == nil {
		return b.Full()
	}
	structural := false
	redo := map[string]bool{}
	gone := map[string]bool{}
	for _, c := range changes {
		if c.Path == config.File || c.Path == "." {
			return b.Full()
		}
		if _, ok := b.srcs[c.Path]; ok {
			// A known record file: saved in place, replaced by a
			// rename, or deleted.
			if _, err := fs.Stat(b.opt.Src, c.Path); err != nil {
				gone[c.Path] = true
				delete(redo, c.Path)
			} else {
				redo[c.Path] = true
				delete(gone, c.Path)
			}
			continue
		}
		if c.Structural && b.folderChange(c.Path) {
			structural = true
		}
		if _, ok := record.IDFromPath(c.Path); ok {
			structural = true // a record file we do not know yet
			continue
		}
		// An attachment or a table: re-decode the records that use it.
		for f, r := range b.recs {
			if uses(r, b.srcs[f], c.Path) {
				redo[f] = true
			}
		}
	}
	if structural || len(gone) > 0 {
		// Files came or went: list the folder again (this also finds
		// duplicates and bad names).
		srcs, ds := content.Sources(b.opt.Src)
		b.srcDs = ds
		now := map[string]record.Source{}
		for _, s := range srcs {
			now[s.File] = s
			if old, ok := b.srcs[s.File]; !ok || old.ID != s.ID {
				redo[s.File] = true
			}
		}
		for f, s := range b.srcs {
			if _, ok := now[f]; !ok {
				b.dirty[s.ID] = true
				delete(b.recs, f)
				delete(b.fileDs, f)
				delete(redo, f)
			}
		}
		b.srcs = now
	}
	files := make([]string, 0, len(redo))
	for f := range redo {
		files = append(files, f)
	}
	sort.Strings(files)
	srcs := make([]record.Source, len(files))
	for i, f := range files {
		srcs[i] = b.srcs[f]
		b.dirty[srcs[i].ID] = true
	}
	var recs []*record.Record
	var dss []diag.List
	if len(srcs) == 1 {
		r, ds := content.DecodeOne(b.site, b.opt.Src, srcs[0])
		recs, dss = []*record.Record{r}, []diag.List{ds}
	} else {
		recs, dss = content.DecodeEach(b.site, b.opt.Src, srcs)
	}
	for i, f := range files {
		b.recs[f] = recs[i]
		b.fileDs[f] = dss[i]
	}
	return b.finish(start)
}

// folderChange reports whether a created, removed or renamed path that
// is not a known record file may add or remove records: a record file, a
// folder, or a path that held records.
func (b *Builder) folderChange(p string) bool {
	if strings.HasSuffix(p, ".md") {
		return true
	}
	if st, err := fs.Stat(b.opt.Src, p); err == nil {
		return st.IsDir()
	}
	for f := range b.srcs {
		if strings.HasPrefix(f, p+"/") {
			return true
		}
	}
	return false
}

// uses reports whether rec (from src) reads the content file p: a file of
// its bundle or one of its tables.
func uses(rec *record.Record, src record.Source, p string) bool {
	if src.Bundle && strings.HasPrefix(p, path.Dir(src.File)+"/") {
		return true
	}
	if rec != nil && rec.Disclosure != nil {
		for _, t := range rec.Disclosure.Tables {
			if t.Path == p {
				return true
			}
		}
	}
	return false
}

// finish checks the board as a whole and renders it when it has no errors.
func (b *Builder) finish(start time.Time) (Result, error) {
	res := Result{Full: b.full}
	var ds diag.List
	ds.Add(b.siteDs...)
	var board *record.Board
	if b.site != nil {
		ds.Add(b.srcDs...)
		files := make([]string, 0, len(b.recs))
		for f := range b.recs {
			files = append(files, f)
		}
		sort.Strings(files)
		recs := make([]*record.Record, 0, len(files))
		srcs, all := make([]record.Source, len(files)), make([]*record.Record, len(files))
		for i, f := range files {
			ds.Add(b.fileDs[f]...)
			srcs[i], all[i] = b.srcs[f], b.recs[f]
			if r := b.recs[f]; r != nil && (b.opt.Drafts || !r.Draft) {
				recs = append(recs, r)
			}
		}
		var bds diag.List
		board, bds = record.NewBoard(b.site, recs, content.Other(b.opt.Src, b.standings, srcs, all, b.opt.Drafts))
		board.Unread = content.Unread(b.opt.Src, srcs, content.Broken(srcs, all))
		ds.Add(bds...)
		ds.Add(b.calendar(board)...)
	}
	_, res.Warnings = ds.Count()
	if board == nil || ds.HasErrors() {
		var errs diag.List
		for _, d := range ds.Sorted() {
			if d.Severity == diag.Error {
				errs = append(errs, d)
			}
		}
		res.Problems = errs
		b.mu.Lock()
		b.problems = errs
		b.mu.Unlock()
		res.Took = time.Since(start)
		errs.Print(b.log, b.lang)
		return res, nil
	}
	var err error
	if b.full || b.r == nil {
		res.Pages, err = b.renderAll(board)
		res.Full = true
	} else {
		res.Pages, err = b.renderSome(board)
	}
	if err != nil {
		return res, err
	}
	b.board = board
	b.dirty = map[string]bool{}
	b.full = false
	b.mu.Lock()
	b.problems = nil
	b.mu.Unlock()
	res.Changed = true
	res.Took = time.Since(start)
	return res, nil
}

// calendar returns the schedule's diagnostics, as build.Load does.
func (b *Builder) calendar(board *record.Board) diag.List {
	if len(board.Site.Schedule) == 0 {
		return nil
	}
	return calendar.Diagnostics(calendar.Evaluate(board.Site.Schedule, board.Publications(), build.Today(b.opt, board)))
}

// errStale stops the extra stages of a render that a newer one replaced.
var errStale = errors.New("preview: a newer build replaced this one")

// output writes into the served files for one generation of the build.
type output struct {
	b   *Builder
	gen int
}

func (o *output) WriteFile(name string, data []byte) error {
	o.b.mu.Lock()
	defer o.b.mu.Unlock()
	if o.gen != o.b.gen {
		return errStale
	}
	o.b.files[name] = append([]byte(nil), data...)
	return nil
}

// next starts a new generation: the extra stages still running for an
// older one stop at their next write.
func (b *Builder) next() *output {
	b.mu.Lock()
	b.gen++
	gen := b.gen
	b.mu.Unlock()
	return &output{b: b, gen: gen}
}

// renderAll renders the whole site into a fresh set of files and swaps it
// in.
func (b *Builder) renderAll(board *record.Board) (int, error) {
	b.next()
	mem := build.NewMemOutput()
	r, err := render.New(board, mem, build.RenderOptions(board, b.opt))
	if err != nil {
		return 0, err
	}
	if err := r.Render(); err != nil {
		return 0, err
	}
	b.mu.Lock()
	b.files = mem.Files
	// Later renders write into the served files.
	b.mu.Unlock()
	b.r = r
	return len(mem.Files), nil
}

// renderSome re-renders the pages the dirty records affect: their own
// pages, the pages of records linked to or from them, their sections'
// lists and the home page. The other stages (search, feeds, sheets, …)
// follow in the background.
func (b *Builder) renderSome(board *record.Board) (int, error) {
	prev, prevBoard := b.r, b.board
	affected := map[string]bool{}
	sections := map[string]bool{}
	for id := range b.dirty {
		affected[id] = true
		for _, bd := range []*record.Board{prevBoard, board} {
			if r := bd.Get(id); r != nil {
				sections[r.Section] = true
				for _, l := range r.Links {
					affected[l.Target] = true
				}
			}
		}
	}
	for _, r := range board.Records {
		for _, l := range r.Links {
			if b.dirty[l.Target] {
				affected[r.ID] = true
			}
		}
	}
	out := b.next()
	ropt := build.RenderOptions(board, b.opt)
	ropt.Reuse = func(rec *record.Record) *render.RecordView {
		if affected[rec.ID] {
			return nil
		}
		return prev.Views[rec.ID]
	}
	ropt.Base = prev
	r, err := render.New(board, out, ropt)
	if err != nil {
		return 0, err
	}
	var g errgroup.Group
	for id := range affected {
		if v := r.Views[id]; v != nil {
			g.Go(func() error { return r.RecordPage(v) })
		}
	}
	g.Go(r.Home)
	// Lists that gain or lose a record are written whole (and their
	// emptied pages removed below); otherwise only the section page and
	// the year and category pages that show an edited record.
	moved := listsMoved(prev, r, b.dirty)
	for sec := range sections {
		if moved[sec] {
			g.Go(func() error { return r.Lists(sec) })
			continue
		}
		years, cats := map[int]bool{}, map[string]bool{}
		for id := range b.dirty {
			if v := r.Views[id]; v != nil && v.Section == sec {
				years[v.Date.Year()] = true
				cats[v.Category] = true
			}
		}
		g.Go(func() error { return r.ListsOf(sec, years, cats) })
	}
	if err := g.Wait(); err != nil {
		return 0, fmt.Errorf("preview: %w", err)
	}
	written := r.Written()
	// Records that are gone (or hidden) lose their pages, and lists that
	// are empty now disappear.
	b.mu.Lock()
	for id := range b.dirty {
		if r.Views[id] == nil && prev.Views[id] != nil {
			for _, pre := range []string{link.Page(id), link.Print(id)} {
				for name := range b.files {
					if strings.HasPrefix(name, pre) {
						delete(b.files, name)
					}
				}
			}
		}
	}
	now := map[string]bool{}
	for _, w := range written {
		now[w] = true
	}
	for sec := range moved {
		for name := range b.files {
			if strings.HasPrefix(name, sec+"/") && listPage.MatchString(name[len(sec)+1:]) && !now[name] {
				delete(b.files, name)
			}
		}
	}
	done := make(chan struct{})
	b.extras = done
	b.mu.Unlock()
	b.r = r
	go b.runExtras(r, out.gen, done)
	return len(written), nil
}

// ExtrasDelay is the default of Builder.ExtrasDelay.
const ExtrasDelay = time.Second

// listsMoved returns the sections whose year or category pages may have
// gone: a dirty record came, went, or changed its year or category.
func listsMoved(prev, now *render.Renderer, dirty map[string]bool) map[string]bool {
	out := map[string]bool{}
	for id := range dirty {
		a, b := prev.Views[id], now.Views[id]
		switch {
		case a == nil && b == nil:
		case a == nil:
			out[b.Section] = true
		case b == nil:
			out[a.Section] = true
		case a.Date.Year() != b.Date.Year() || a.Category != b.Category || a.Section != b.Section:
			out[a.Section], out[b.Section] = true, true
		}
	}
	return out
}

// listPage matches the year and category list pages below a section.
var listPage = regexp.MustCompile(`^([0-9]{4}|category/[^/]+)/index\.html$`)

// runExtras renders the stages beyond the core pages after a partial
// render, stopping when a newer build starts.
func (b *Builder) runExtras(r *render.Renderer, gen int, done chan struct{}) {
	defer func() {
		b.mu.Lock()
		if b.extras == done {
			b.extras = nil
		}
		b.mu.Unlock()
		close(done)
	}()
	// A burst of edits starts the stages once.
	if b.ExtrasDelay < 0 {
		return
	}
	time.Sleep(b.ExtrasDelay)
	for _, f := range r.Opt.Extra {
		b.mu.RLock()
		stale := b.gen != gen
		b.mu.RUnlock()
		if stale {
			return
		}
		if err := f(r); err != nil {
			if !errors.Is(err, errStale) {
				fmt.Fprintf(b.log, "preview: %v\n", err)
			}
			return
		}
	}
}

// WaitExtras waits until the background stages of the last rebuild are
// done (for tests and benchmarks).
func (b *Builder) WaitExtras() {
	b.mu.RLock()
	ch := b.extras
	b.mu.RUnlock()
	if ch != nil {
		<-ch
	}
}
