// Package build is the pipeline: load → validate → render → write. It
// reads the content folder through fs.FS, collects every diagnostic of
// every stage, and writes the site into a temporary sibling of the output
// folder that replaces the old output only when the whole build succeeded.
package build

import (
	"fmt"
	"io/fs"
	"os"
	"time"

	"gongkai/generator/calendar"
	"gongkai/generator/content"
	"gongkai/generator/diag"
	"gongkai/generator/feed"
	"gongkai/generator/history"
	"gongkai/generator/opendata"
	"gongkai/generator/record"
	"gongkai/generator/render"
	"gongkai/generator/sheet"
	"gongkai/themes"
)

// Options are the settings of one build.
type Options struct {
	Src     fs.FS     // the content folder
	Theme   fs.FS     // nil: the embedded default theme
	Today   time.Time // zero: now, in the site's time zone
	Strict  bool      // fail on warnings and unregistered changes
	Offline bool
	BaseURL string
	Drafts  bool
	// Overlay and Reload are for the preview server.
	Overlay []string
	Reload  bool
	// Stages add outputs beyond the foundation (sheets, search, feeds,
	// versions); each is called once the record views exist.
	Stages []Stage
	// Progress, when set, is called with the name of every file written
	// (from many goroutines at once).
	Progress func(name string)
}

// progressOutput tells Progress of every file written.
type progressOutput struct {
	render.Output
	progress func(name string)
}

func (p progressOutput) WriteFile(name string, data []byte) error {
	p.progress(name)
	return p.Output.WriteFile(name, data)
}

// Stage is a later part of the pipeline, given the renderer.
type Stage func(*render.Renderer) error

// Result describes a finished build.
type Result struct {
	Board   *record.Board
	Files   []string
	Records int
	// Unchanged is the number of files that were already in the previous
	// output with the same bytes (hard-linked, not written again).
	Unchanged int
	Took      time.Duration
}

// Load runs the first two stages, load and validate, and the checks that
// need the date.
func Load(opt Options) (*record.Board, diag.List) {
	board, ds := content.Load(opt.Src, content.Options{Drafts: opt.Drafts})
	if board == nil {
		return nil, ds
	}
	today := Today(opt, board)
	if len(board.Site.Schedule) > 0 {
		ds.Add(calendar.Diagnostics(calendar.Evaluate(board.Site.Schedule, board.Publications(), today))...)
	}
	// The ledger: errors of the ledger and archive, a warning per record
	// changed since its last entry.
	ds.Add(history.Check(opt.Src, board)...)
	return board, ds
}

// Today returns the build date: --date, else today in the site's zone.
func Today(opt Options, board *record.Board) time.Time {
	loc := time.Local
	if board != nil && board.Site.Location != nil {
		loc = board.Site.Location
	}
	if !opt.Today.IsZero() {
		t := opt.Today
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	}
	n := time.Now().In(loc)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
}

// Failed reports whether diagnostics stop the build.
func Failed(ds diag.List, strict bool) bool {
	if ds.HasErrors() {
		return true
	}
	_, w := ds.Count()
	return strict && w > 0
}

// Render renders a loaded board into out.
func Render(board *record.Board, out render.Output, opt Options) (*render.Renderer, error) {
	r, err := render.New(board, out, RenderOptions(board, opt))
	if err != nil {
		return nil, err
	}
	if err := r.Render(); err != nil {
		return nil, err
	}
	return r, nil
}

// RenderOptions returns the render options of a build of board, with every
// stage of the pipeline (the preview server renders parts of the site with
// them).
func RenderOptions(board *record.Board, opt Options) render.Options {
	theme := opt.Theme
	if theme == nil {
		theme = themes.Default()
	}
	ropt := render.Options{
		Today: Today(opt, board), Offline: opt.Offline, BaseURL: opt.BaseURL,
		Content: opt.Src, Theme: theme, Overlay: opt.Overlay, Reload: opt.Reload,
	}
	hist, _ := history.New(opt.Src, board)
	ropt.Versions, ropt.LedgerSize = hist.Versions, hist.Ledger.Size()
	for _, s := range opt.Stages {
		ropt.Extra = append(ropt.Extra, s)
	}
	// The outputs beyond the foundation, one stage each.
	ropt.Extra = append([]func(*render.Renderer) error{
		render.Search,
		feed.Stage,
		hist.Stage,
		opendata.Stage,
		sheet.Stage,
	}, ropt.Extra...)
	return ropt
}

// ToDir runs the whole pipeline and writes the site into dir, replacing
// what was there only on success.
func ToDir(opt Options, dir string) (*Result, diag.List, error) {
	start := time.Now()
	board, ds := Load(opt)
	if board == nil || Failed(ds, opt.Strict) {
		return nil, ds, nil
	}
	tmp, err := tempSibling(dir)
	if err != nil {
		return nil, ds, err
	}
	dout := &DirOutput{Root: tmp}
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		dout.Prev = dir
	}
	var out render.Output = dout
	if opt.Progress != nil {
		out = progressOutput{out, opt.Progress}
	}
	r, err := Render(board, out, opt)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, ds, fmt.Errorf("build: %w", err)
	}
	if err := swap(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		return nil, ds, err
	}
	return &Result{Board: board, Files: r.Written(), Records: len(board.Records), Unchanged: dout.Reused(), Took: time.Since(start)}, ds, nil
}

// ToMemory runs the whole pipeline into memory.
func ToMemory(opt Options) (*MemOutput, *record.Board, diag.List, error) {
	board, ds := Load(opt)
	if board == nil || Failed(ds, opt.Strict) {
		return nil, board, ds, nil
	}
	out := NewMemOutput()
	if _, err := Render(board, out, opt); err != nil {
		return nil, board, ds, fmt.Errorf("build: %w", err)
	}
	return out, board, ds, nil
}
