package build

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"gongkai/generator/feed"
	"gongkai/generator/internal/par"
	"gongkai/generator/opendata"
	"gongkai/generator/record"
	"gongkai/generator/render"
	"gongkai/generator/search"
	"gongkai/generator/sheet"
)

// Output is where the pipeline writes a site: render.Output, and the
// removal of a file that the site no longer has.
type Output interface {
	render.Output
	Remove(name string) error
}

// ErrStale stops the work of a render that a newer one replaced (the
// preview server starts a new render while the stages of the last one are
// still running).
var ErrStale = errors.New("build: a newer render replaced this one")

// outputs is the site the pipeline last wrote: every file with the unit
// of the render that wrote it, so that a later render knows which files a
// re-run unit no longer makes.
type outputs struct {
	// gate is held for reading while a file is written and for writing
	// while a new render starts, so that no file of a replaced render is
	// written once its successor has begun.
	gate sync.RWMutex
	gen  int

	mu    sync.Mutex
	files map[string]written // by file name

	// The views and board of the last render, for the next one.
	views map[string]*render.RecordView
	board *record.Board

	// Records whose stage files are still to be made again, and whether
	// all are: the stages of a render may be cut short by the next one.
	stageAll     bool
	stageChanged map[string]bool
}

// written is the unit that wrote a file and the render that wrote it.
type written struct {
	unit string
	gen  int
}

// Job is one render of the site: the core pages (records, lists, home)
// and the later stages. A command runs both at once (Render); the preview
// server serves the core pages first and runs the stages afterwards.
type Job struct {
	p        *Pipeline
	r        *render.Renderer
	gen      int
	full     bool
	ids      []string // records whose core files are made again
	lists    []string // list pages made again, by folder
	stages   []render.Stage
	stageAll bool
	stageIDs []string // records whose stage files are made again
	progress func(string)

	coreFiles atomic.Int64
}

// Files returns the names of every file of the site as the last render
// left it, sorted.
func (p *Pipeline) Files() []string {
	p.out.mu.Lock()
	defer p.out.mu.Unlock()
	out := make([]string, 0, len(p.out.files))
	for name := range p.out.files {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Renderer returns the render of the last Prepare, or nil.
func (p *Pipeline) Renderer() *render.Renderer { return p.lastRenderer }

// Prepare starts a render of the last Update's snapshot: it makes the
// record views (reusing those of the last render for records that did
// not change) and works out which files to make again. It fails when the
// snapshot has errors. A Job of an earlier Prepare whose stages still run
// is stale from now on.
func (p *Pipeline) Prepare() (*Job, error) {
	s := p.snap
	if s == nil || s.Board == nil || s.Diags.HasErrors() {
		return nil, errors.New("build: the content has errors")
	}
	if p.kit == nil || p.kit.UnsafeHTML() != s.Board.Site.UnsafeHTML || p.themeChanged || p.kitTheme != s.Board.Site.Theme {
		kit, err := render.NewKit(p.theme(s.Board), s.Board.Site.UnsafeHTML)
		if err != nil {
			return nil, err
		}
		if p.kit != nil {
			p.all = true // every page of the old kit is out of date
		}
		p.kit, p.kitTheme, p.themeChanged = kit, s.Board.Site.Theme, false
	}
	full := p.all || (p.out.views == nil && !p.resumed)
	var reuse map[string]*render.RecordView
	var dirty map[string]bool
	if !full {
		dirty = reach(p.changed, p.out.board, s.Board)
		reuse = make(map[string]*render.RecordView, len(p.out.views))
		for id, v := range p.out.views {
			if !dirty[id] {
				reuse[id] = v
			}
		}
	}
	r, err := render.New(p.kit, s.Board, render.Options{
		Today: s.Today, Offline: p.opt.Offline, BaseURL: p.opt.BaseURL, Content: p.opt.Src, Reload: p.opt.Reload,
		Versions: s.Versions, LedgerSize: s.History.Ledger.Size(), Calendar: s.Calendar, Reuse: reuse, Again: p.opt.Reload,
		Bodies: p.bodyCache(),
	})
	if err != nil {
		return nil, err
	}
	p.out.gate.Lock()
	p.out.gen++
	gen := p.out.gen
	p.out.gate.Unlock()

	j := &Job{p: p, r: r, gen: gen, full: full, progress: p.opt.Progress}
	j.stages = []render.Stage{render.SearchStage(p.indexStore()), feed.Stage(), s.History.Stage(), opendata.Stage(), p.sheets()}
	if !full {
		for id := range dirty {
			j.ids = append(j.ids, id)
		}
		sort.Strings(j.ids)
		j.lists = p.listsReached(j.ids, r)
	}
	p.out.mu.Lock()
	if p.out.files == nil {
		p.out.files = map[string]written{}
	}
	if full {
		p.out.stageAll = true
	}
	if p.out.stageChanged == nil {
		p.out.stageChanged = map[string]bool{}
	}
	for id := range dirty {
		p.out.stageChanged[id] = true
	}
	j.stageAll = p.out.stageAll
	for id := range p.out.stageChanged {
		j.stageIDs = append(j.stageIDs, id)
	}
	p.out.views, p.out.board = r.Views(), s.Board
	p.out.mu.Unlock()
	sort.Strings(j.stageIDs)
	p.lastRenderer = r
	p.all, p.resumed, p.changed = false, false, map[string]bool{}
	return j, nil
}

// bodyCache returns the cache of rendered bodies, or nil.
func (p *Pipeline) bodyCache() render.BodyCache {
	if p.bodies == nil {
		return nil
	}
	return bodyStore{p.bodies}
}

// indexStore returns the cache of the search index, or nil.
func (p *Pipeline) indexStore() search.Store {
	if p.index == nil {
		return nil
	}
	return indexStore{p.index}
}

// sheets returns the stage of the print sheets, made once per pipeline:
// it keeps what the QR encoder works out between renders.
func (p *Pipeline) sheets() render.Stage {
	if p.sheetStage == nil {
		s := sheet.Stage()
		p.sheetStage = &s
	}
	return *p.sheetStage
}

// listsReached returns the list pages that show the records ids, before
// or after: their sections' pages, and the year and category pages they
// were or are on. Without the views of the last render (a build resumed
// from its note), every list page of their sections, as the site has them
// now and had them before.
func (p *Pipeline) listsReached(ids []string, r *render.Renderer) []string {
	pages := map[string]bool{}
	for _, id := range ids {
		sec, _, _ := strings.Cut(id, "/")
		pages[sec+"/"] = true
		if p.out.views == nil {
			for _, dir := range r.ListPages(sec) {
				pages[dir] = true
			}
			p.out.mu.Lock()
			for _, w := range p.out.files {
				if dir, ok := strings.CutPrefix(w.unit, "core#list "); ok && strings.HasPrefix(dir, sec+"/") {
					pages[dir] = true
				}
			}
			p.out.mu.Unlock()
			continue
		}
		for _, v := range []*render.RecordView{p.out.views[id], r.View(id)} {
			if v == nil {
				continue
			}
			pages[render.YearPage(sec, v.Date.Year())] = true
			if v.Category != "" && (sec == "disclosures" || sec == "decisions") {
				pages[render.CategoryPage(sec, v.Category)] = true
			}
		}
	}
	out := make([]string, 0, len(pages))
	for dir := range pages {
		out = append(out, dir)
	}
	sort.Strings(out)
	return out
}

// reach returns the records whose pages the changed records reach: the
// changed ones and every record linked to or from them, on the board
// before and after.
func reach(changed map[string]bool, before, after *record.Board) map[string]bool {
	out := make(map[string]bool, len(changed))
	for id := range changed {
		out[id] = true
		for _, b := range []*record.Board{before, after} {
			if b == nil {
				continue
			}
			if r := b.Get(id); r != nil {
				for _, l := range r.Links {
					out[l.Target] = true
				}
			}
		}
	}
	for _, b := range []*record.Board{before, after} {
		if b == nil {
			continue
		}
		for _, r := range b.Records {
			for _, l := range r.Links {
				if changed[l.Target] {
					out[r.ID] = true
				}
			}
		}
	}
	return out
}

// Full reports whether the job makes every file again.
func (j *Job) Full() bool { return j.full }

// Renderer returns the job's render.
func (j *Job) Renderer() *render.Renderer { return j.r }

// CoreFiles returns the number of files Core wrote.
func (j *Job) CoreFiles() int { return int(j.coreFiles.Load()) }

// Core writes the core pages into out: every one when the job is full,
// else the pages of the changed records and of the records they link,
// the lists of their sections and the home page. The files of those
// units that the site no longer has are removed from out.
func (j *Job) Core(out Output) error {
	r := j.r
	var units []unit
	add := func(name string, f func(w *render.Writer) error) {
		units = append(units, unit{name, f})
	}
	if j.full {
		add("core#assets", (*render.Writer).Assets)
		add("core#404", (*render.Writer).NotFound)
		for _, v := range r.Public() {
			add("core:"+v.ID, func(w *render.Writer) error { return w.RecordPage(v) })
		}
		for _, sec := range record.Sections {
			for _, dir := range append([]string{sec + "/"}, r.ListPages(sec)...) {
				add("core#list "+dir, func(w *render.Writer) error { return w.ListPage(dir) })
			}
		}
	} else {
		for _, id := range j.ids {
			add("core:"+id, func(w *render.Writer) error {
				if v := r.View(id); v != nil {
					return w.RecordPage(v)
				}
				return nil
			})
		}
		for _, dir := range j.lists {
			add("core#list "+dir, func(w *render.Writer) error { return w.ListPage(dir) })
		}
	}
	add("core#home", (*render.Writer).Home)
	// The record pages on one set of workers, the others beside them:
	// writing a file waits on the disk, and the processors stay busy.
	var recs, others []unit
	for _, u := range units {
		if unitRecord(u.name) != "" {
			recs = append(recs, u)
		} else {
			others = append(others, u)
		}
	}
	var g errgroup.Group
	for _, us := range [][]unit{recs, others} {
		g.Go(func() error { return j.runEach(out, len(us), func(i int) unit { return us[i] }, &j.coreFiles) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	ran := map[string]bool{}
	if !j.full {
		for _, u := range units {
			ran[u.name] = true
		}
	}
	return j.sweep(out, j.full, []string{"core:", "core#"}, ran)
}

// Stages writes the files of the later stages into out: for every record
// when the job is full (or an earlier job's stages were cut short before
// they were all made), else for the records the changes reach; and each
// stage's files of the whole board. It stops with ErrStale when a newer
// job was prepared meanwhile.
func (j *Job) Stages(ctx context.Context, out Output) error {
	r := j.r
	ids := j.stageIDs
	if j.stageAll {
		ids = make([]string, len(r.Public()))
		for i, v := range r.Public() {
			ids[i] = v.ID
		}
	}
	var perRecord []render.Stage
	var boards []unit
	for _, st := range j.stages {
		if st.Record != nil {
			perRecord = append(perRecord, st)
		}
		if st.Board != nil {
			boards = append(boards, unit{st.Name + "#", func(w *render.Writer) error { return st.Board(w) }})
		}
	}
	// The units of each stage and record, made as they run (there are
	// many). Each stage runs on workers of its own beside the others, and
	// the units of the whole board beside them: one stage's serial part
	// overlaps the rest, and writing waits on the disk.
	unitOf := func(st render.Stage, id string) unit {
		return unit{st.Name + ":" + id, func(w *render.Writer) error {
			if v := r.View(id); v != nil {
				return st.Record(w, v)
			}
			return nil
		}}
	}
	var g errgroup.Group
	for _, u := range boards {
		g.Go(func() error { return j.runEach(out, 1, func(int) unit { return u }, nil) })
	}
	for _, st := range perRecord {
		g.Go(func() error { return j.runEach(out, len(ids), func(i int) unit { return unitOf(st, ids[i]) }, nil) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var prefixes []string
	for _, st := range j.stages {
		prefixes = append(prefixes, st.Name+":", st.Name+"#")
	}
	ran := map[string]bool{}
	if !j.full && !j.stageAll {
		for _, u := range boards {
			ran[u.name] = true
		}
		for _, st := range perRecord {
			for _, id := range ids {
				ran[st.Name+":"+id] = true
			}
		}
	}
	if err := j.sweep(out, j.full || j.stageAll, prefixes, ran); err != nil {
		return err
	}
	o := &j.p.out
	o.mu.Lock()
	if o.gen == j.gen {
		o.stageAll, o.stageChanged = false, map[string]bool{}
	}
	o.mu.Unlock()
	return nil
}

// Render runs the job's core pages and its stages into out.
func (j *Job) Render(out Output) error {
	if err := j.Core(out); err != nil {
		return err
	}
	return j.Stages(context.Background(), out)
}

// unit is a part of a render that writes a set of files of its own. Its
// name is "<stage>:<record id>" for the files of one record (the stage
// "core" writes record pages), "<stage>#<part>" for the others: "core#home",
// "core#list disclosures/2026/", "search#" (record ids have no '#').
type unit struct {
	name string
	run  func(w *render.Writer) error
}

// runEach runs the units at(0) … at(n-1) in parallel, each writing
// through a unitOutput.
func (j *Job) runEach(out Output, n int, at func(int) unit, count *atomic.Int64) error {
	return par.Each(n, func(i int) error {
		u := at(i)
		if err := u.run(j.r.Writer(&unitOutput{j: j, out: out, unit: u.name, count: count})); err != nil {
			if errors.Is(err, ErrStale) {
				return err
			}
			return fmt.Errorf("build: %w", err)
		}
		return nil
	})
}

// sweep removes from out the files that units made before and did not
// make again in this job: of every unit whose name starts with one of
// the prefixes when all of them ran, else of the units that ran.
func (j *Job) sweep(out Output, all bool, prefixes []string, ran map[string]bool) error {
	o := &j.p.out
	o.gate.RLock()
	defer o.gate.RUnlock()
	if o.gen != j.gen {
		return ErrStale
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var gone []string
	for name, w := range o.files {
		if w.gen == j.gen {
			continue // made again
		}
		if all {
			for _, p := range prefixes {
				if strings.HasPrefix(w.unit, p) {
					gone = append(gone, name)
					break
				}
			}
		} else if ran[w.unit] {
			gone = append(gone, name)
		}
	}
	sort.Strings(gone)
	for _, name := range gone {
		if err := out.Remove(name); err != nil {
			return err
		}
		delete(o.files, name)
	}
	return nil
}

// unitOutput writes the files of one unit and records them as its own.
type unitOutput struct {
	j     *Job
	out   Output
	unit  string
	count *atomic.Int64
}

func (u *unitOutput) WriteFile(name string, data []byte) error {
	o := &u.j.p.out
	o.gate.RLock()
	defer o.gate.RUnlock()
	if o.gen != u.j.gen {
		return ErrStale
	}
	if err := u.out.WriteFile(name, data); err != nil {
		return err
	}
	if u.count != nil {
		u.count.Add(1)
	}
	if u.j.progress != nil {
		u.j.progress(name)
	}
	o.mu.Lock()
	o.files[name] = written{u.unit, u.j.gen}
	o.mu.Unlock()
	return nil
}
