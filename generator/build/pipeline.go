package build

import (
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"gongkai/generator/calendar"
	"gongkai/generator/config"
	"gongkai/generator/content"
	"gongkai/generator/diag"
	"gongkai/generator/history"
	"gongkai/generator/ledger"
	"gongkai/generator/record"
	"gongkai/generator/render"
)

// Change is one changed path of the content folder, slash-separated and
// relative to it. Structural changes (files or folders created, removed
// or renamed) make the pipeline list the folder again. The path "."
// means anything may have changed.
type Change struct {
	Path       string
	Structural bool
}

// Pipeline is the one pipeline of every command: load → validate →
// checks (calendar and ledger) → versions → render → the later stages →
// write. A command makes one and runs it once, with everything changed;
// the preview server keeps one and runs it again for every batch of
// changes, and it then re-reads, re-checks and re-renders only what the
// changes reach. Either way the same input gives the same diagnostics and
// the same files.
//
// Update and Render must not be called concurrently.
type Pipeline struct {
	opt Options

	// The inputs, by content-relative file.
	site   *config.Site
	siteDs diag.List
	srcs   map[string]record.Source
	srcDs  diag.List
	others []string                  // the other files of the folder, sorted
	recs   map[string]*record.Record // nil: the file did not decode
	fileDs map[string]diag.List

	// The ledger, read again only when ledger.jsonl, the archive or the
	// stored checkpoints change; where each record it published stands;
	// and the versions of each record worked out from it.
	ledger    *history.History
	standings map[string]ledger.Standing
	versions  map[*record.Record]render.Versions

	// rc, bodies and index, when set, keep decoded records, rendered
	// bodies and the search index between builds (ToDir).
	rc     *recCache
	bodies *kvCache
	index  *kvCache

	// What Update found, for Render.
	snap *Snapshot
	// What changed since the last render, by record id; all: everything
	// (the first run, site.toml, the ledger, the date).
	changed map[string]bool
	all     bool
	// resumed: the last build's note says what the folder holds (resume);
	// there are no views to reuse, but only the changes are rendered.
	resumed bool

	// The last good render.
	out          outputs
	kit          *render.Kit
	kitTheme     string // the theme the kit was made of
	themeChanged bool   // a file of the board's theme changed since
	lastRenderer *render.Renderer
	sheetStage   *render.Stage
}

// Snapshot is what the checks of one Update found: the board, every
// diagnostic, and the data the render is given (versions, the
// calendar's state, the date).
type Snapshot struct {
	Board    *record.Board // nil when site.toml is unusable
	Diags    diag.List     // sorted
	Versions map[string]render.Versions
	Calendar []calendar.Status
	Today    time.Time
	History  *history.History
	// Content are the diagnostics of the content alone, without the
	// calendar's and the ledger's: what stops a publish (see
	// PublishBlocked).
	Content diag.List
}

// Failed reports whether the snapshot stops a build: errors, or any
// warning when strict.
func (s *Snapshot) Failed(strict bool) bool {
	return s.Board == nil || Failed(s.Diags, strict)
}

// FailedCheck reports whether the snapshot fails `check` and `verify`:
// as a build, or with a published record changed without a new
// change_note, which `publish` would refuse.
func (s *Snapshot) FailedCheck(strict bool) bool {
	return s.Failed(strict) || s.Diags.Has(history.CodeUnregistered)
}

// New returns the pipeline of opt.
func New(opt Options) *Pipeline {
	return &Pipeline{opt: opt, all: true, changed: map[string]bool{}}
}

// PublishBlocked reports whether the content stops a publish, and the
// diagnostics to show then: the content's errors and warnings, and the
// ledger's deleted file (the cause of links that look broken). The
// ledger's other checks are publish's own: it registers the withdrawals
// that the published set asks for.
func (s *Snapshot) PublishBlocked() (diag.List, bool) {
	if s.Board != nil && !s.Content.HasErrors() {
		return nil, false
	}
	ds := append(diag.List(nil), s.Content...)
	if s.Board == nil {
		ds = s.Diags
	}
	for _, d := range s.Diags {
		if d.Code == history.CodeLost {
			ds.Add(d)
		}
	}
	return ds.Sorted(), true
}

// Options returns the pipeline's options.
func (p *Pipeline) Options() Options { return p.opt }

// Check loads and checks the whole content folder: Update with
// everything changed.
func (p *Pipeline) Check() *Snapshot { return p.Update([]Change{{Path: ".", Structural: true}}) }

// Update reads the changed inputs again and checks the board as a whole.
// The first Update reads everything, whatever the changes.
func (p *Pipeline) Update(changes []Change) *Snapshot {
	if p.site == nil || needsAll(changes) {
		p.loadAll()
	} else {
		p.loadSome(changes)
	}
	p.snap = p.check()
	return p.snap
}

// needsAll reports whether the changes touch what everything depends on.
func needsAll(changes []Change) bool {
	for _, c := range changes {
		if c.Path == "." || c.Path == "" || c.Path == config.File {
			return true
		}
	}
	return false
}

// loadAll reads site.toml, every record file and the ledger.
func (p *Pipeline) loadAll() {
	p.all = true
	p.ledger = nil
	p.site, p.siteDs = config.Load(p.opt.Src)
	p.srcs, p.recs, p.fileDs = map[string]record.Source{}, map[string]*record.Record{}, map[string]diag.List{}
	p.srcDs = nil
	if p.site == nil {
		return
	}
	l, ds := content.Walk(p.opt.Src)
	p.srcDs, p.others = ds, l.Files
	srcs := l.Sources
	p.srcs, p.recs, p.fileDs = make(map[string]record.Source, len(srcs)), make(map[string]*record.Record, len(srcs)), make(map[string]diag.List, len(srcs))
	var recs []*record.Record
	var dss []diag.List
	if p.rc != nil {
		recs, dss = p.rc.decode(p.site, p.opt.Src, srcs, l.Info)
	} else {
		recs, dss = content.DecodeEach(p.site, p.opt.Src, srcs)
	}
	for i, s := range srcs {
		p.srcs[s.File] = s
		p.recs[s.File] = recs[i]
		p.fileDs[s.File] = dss[i]
	}
}

// loadSome re-reads what the changes reach: changed record files, the
// records that use a changed attachment or table, the folder listing when
// files came or went, the ledger when it or the archive changed.
func (p *Pipeline) loadSome(changes []Change) {
	relist := false
	redo := map[string]bool{}
	for _, c := range changes {
		switch {
		case c.Path == ledger.FileName || inside(c.Path, ledger.ArchiveDir) || inside(c.Path, ledger.CheckpointDir):
			p.ledger = nil
			continue
		case inside(c.Path, config.ThemeDir):
			// The board's themes: the theme is read again, and every page
			// made again, at the next render.
			p.themeChanged = true
			continue
		}
		if c.Structural {
			// A file came or went: the list of files no record uses
			// changes with it.
			relist = true
		}
		if src, ok := p.srcs[c.Path]; ok {
			// A known record file: saved in place, replaced by a rename,
			// or deleted.
			if _, err := fs.Stat(p.opt.Src, c.Path); err != nil {
				relist = true
			} else {
				redo[c.Path] = true
			}
			p.changed[src.ID] = true
			continue
		}
		if _, ok := record.IDFromPath(c.Path); ok {
			relist = true // a record file not known yet
			continue
		}
		// An attachment or a table: decode the records that use it again.
		for f, r := range p.recs {
			if uses(r, p.srcs[f], c.Path) {
				redo[f] = true
			}
		}
	}
	if relist {
		l, ds := content.Walk(p.opt.Src)
		p.srcDs, p.others = ds, l.Files
		srcs := l.Sources
		now := make(map[string]record.Source, len(srcs))
		for _, s := range srcs {
			now[s.File] = s
			if old, ok := p.srcs[s.File]; !ok || old.ID != s.ID {
				redo[s.File] = true
			}
		}
		for f, s := range p.srcs {
			if _, ok := now[f]; !ok {
				p.changed[s.ID] = true
				delete(p.recs, f)
				delete(p.fileDs, f)
				delete(redo, f)
			}
		}
		p.srcs = now
	}
	files := make([]string, 0, len(redo))
	for f := range redo {
		files = append(files, f)
	}
	sort.Strings(files)
	srcs := make([]record.Source, len(files))
	for i, f := range files {
		srcs[i] = p.srcs[f]
		p.changed[srcs[i].ID] = true
	}
	recs, dss := content.DecodeEach(p.site, p.opt.Src, srcs)
	for i, f := range files {
		p.recs[f] = recs[i]
		p.fileDs[f] = dss[i]
	}
}

// inside reports whether name is dir or inside it.
func inside(name, dir string) bool { return name == dir || strings.HasPrefix(name, dir+"/") }

// uses reports whether rec (from src) reads the content file name: a file
// of its bundle or one of its tables.
func uses(rec *record.Record, src record.Source, name string) bool {
	if src.Bundle && strings.HasPrefix(name, path.Dir(src.File)+"/") {
		return true
	}
	if rec != nil && rec.Disclosure != nil {
		for _, t := range rec.Disclosure.Tables {
			if t.Path == name {
				return true
			}
		}
		if f := rec.Disclosure.Finance; f != nil && f.File == name {
			return true
		}
	}
	return false
}

// check builds the board from the decoded records and runs the checks
// that need all of them: links, numbers and decisions (record.NewBoard),
// the calendar and the ledger; then it works out the versions.
func (p *Pipeline) check() *Snapshot {
	s := &Snapshot{}
	var ds diag.List
	ds.Add(p.siteDs...)
	if p.site == nil {
		s.Diags = ds.Sorted()
		return s
	}
	ds.Add(p.srcDs...)
	files := make([]string, 0, len(p.srcs))
	for f := range p.srcs {
		files = append(files, f)
	}
	sort.Strings(files)
	// The records on the board, and every source with its record (nil
	// when the file did not decode) for what is not on it.
	recs := make([]*record.Record, 0, len(files))
	srcs, all := make([]record.Source, len(files)), make([]*record.Record, len(files))
	for i, f := range files {
		ds.Add(p.fileDs[f]...)
		srcs[i], all[i] = p.srcs[f], p.recs[f]
		if r := p.recs[f]; r != nil && (p.opt.Drafts || !r.Draft) {
			recs = append(recs, r)
		}
	}
	ds.Add(content.Unused(content.Listing{Sources: srcs, Files: p.others}, all)...)
	if p.ledger == nil {
		p.standings = ledger.Standings(p.opt.Src)
	}
	board, more := record.NewBoard(p.site, recs, content.Other(p.opt.Src, p.standings, srcs, all, p.opt.Drafts))
	board.Unread = content.Unread(p.opt.Src, srcs, content.Broken(srcs, all))
	ds.Add(more...)
	s.Board = board
	s.Content = ds.Sorted()
	s.Today = Today(p.opt, board)
	if prev := p.snap; prev != nil && !prev.Today.Equal(s.Today) {
		p.all = true // the day turned while serving: what is on notice changed
	}
	// The disclosure calendar.
	if len(p.site.Schedule) > 0 {
		s.Calendar = calendar.Evaluate(p.site.Schedule, board.Publications(), s.Today)
		ds.Add(calendar.Diagnostics(s.Calendar)...)
	}
	// The ledger: the errors of its own files (the ledger, the archive,
	// the stored checkpoints) once per change of them; the published set
	// and a warning per record not registered as it is; and the versions
	// of every record.
	if p.ledger == nil {
		p.all = true
		p.versions = map[*record.Record]render.Versions{}
		p.ledger, _ = history.New(p.opt.Src, board)
	}
	h := *p.ledger
	h.Board, h.BaseURL, h.Offline = board, p.opt.BaseURL, p.opt.Offline
	s.History = &h
	ds.Add(h.Files()...)
	ds.Add(h.Check()...)
	ds.Add(h.Reposting(s.Today)...)
	// A record's versions change with its bytes or with the ledger: those
	// of a record decoded before are kept.
	s.Versions = make(map[string]render.Versions, len(board.Records))
	var now map[*record.Record]render.Versions
	if p.opt.Reload { // the preview server: there will be a next time
		now = make(map[*record.Record]render.Versions, len(board.Records))
	}
	for _, r := range board.Records {
		v, ok := p.versions[r]
		if !ok {
			v = h.Versions(r)
		}
		s.Versions[r.ID] = v
		if now != nil {
			now[r] = v
		}
	}
	p.versions = now
	s.Diags = ds.Sorted()
	return s
}

// Today returns the build date: --date, else today in the site's zone.
func Today(opt Options, board *record.Board) time.Time {
	var site *config.Site
	if board != nil {
		site = board.Site
	}
	loc := site.Zone()
	if t := opt.Today; !t.IsZero() {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	}
	n := time.Now().In(loc)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
}

// Failed reports whether diagnostics stop a build: errors, or any warning
// when strict.
func Failed(ds diag.List, strict bool) bool {
	if ds.HasErrors() {
		return true
	}
	_, w := ds.Count()
	return strict && w > 0
}
