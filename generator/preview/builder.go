// Package preview is the live preview behind `gongkai serve`: a Builder
// that runs the one pipeline of package build incrementally (each batch of
// changed files goes through the same load, checks, versions, render and
// stages as a full build, re-reading and re-rendering only what the
// changes reach) and keeps the site in memory; a Watcher that turns
// file-system events into batches of changed paths; and a Server that
// serves the last good build on 127.0.0.1, shows content errors as an
// overlay on every page and reloads open browsers through Server-Sent
// Events.
package preview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/record"
)

// Change is one changed path, relative to the content folder and
// slash-separated.
type Change = build.Change

// Result describes one rebuild.
type Result struct {
	Full     bool          // everything was rebuilt
	Pages    int           // pages written before the result was served
	Took     time.Duration // until the edited pages were served
	Problems diag.List     // the errors now shown over the pages; nil when none
	Warnings int
	Changed  bool // the served site changed
}

// Builder keeps a pipeline and the site it rendered in memory between
// edits. Its methods must not be called concurrently, except Get, Names,
// Problems and Diagnostics, which may be called at any time.
type Builder struct {
	// ExtrasDelay is how long the later stages (search, feeds, sheets,
	// versions, data files) wait after an edit is served before they run
	// in the background, so that a burst of edits starts them once and
	// does not compete with the edits for the processor; negative: they
	// run at once, before Update returns (tests).
	ExtrasDelay time.Duration

	p    *build.Pipeline
	log  io.Writer
	lang diag.Lang

	files *build.MemOutput
	board *record.Board

	mu       sync.RWMutex
	problems diag.List
	diags    diag.List
	printed  diag.List

	stop   context.CancelFunc // stops the wait of the running stages
	extras chan struct{}      // closed when they end
}

// ExtrasDelay is the default of Builder.ExtrasDelay.
const ExtrasDelay = time.Second

// NewBuilder returns a Builder for opt (opt.Src is the content folder).
// Diagnostics are written to log, which may be nil, in lang.
func NewBuilder(opt build.Options, log io.Writer, lang diag.Lang) *Builder {
	if log == nil {
		log = io.Discard
	}
	opt.Reload = true
	return &Builder{ExtrasDelay: ExtrasDelay, p: build.New(opt), log: log, lang: lang, files: build.NewMemOutput()}
}

// Get returns a served file of the last good build.
func (b *Builder) Get(name string) ([]byte, bool) { return b.files.Get(name) }

// Names returns the names of every served file, sorted.
func (b *Builder) Names() []string { return b.files.Names() }

// Problems returns the errors that keep the current content from being
// built; nil when the served site is up to date.
func (b *Builder) Problems() diag.List {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.problems
}

// Diagnostics returns every diagnostic of the current content, errors and
// warnings, sorted: the same list `gongkai check` and `gongkai build`
// report.
func (b *Builder) Diagnostics() diag.List {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.diags
}

// Board returns the board of the last good build, or nil.
func (b *Builder) Board() *record.Board { return b.board }

// Full reads the whole content folder and renders the whole site.
func (b *Builder) Full() (Result, error) {
	return b.Update([]Change{{Path: ".", Structural: true}})
}

// Update runs the pipeline for the changed paths: it re-reads them,
// checks the board again and, when it has no errors, re-renders the pages
// the changes reach and serves them; the later stages follow in the
// background.
func (b *Builder) Update(changes []Change) (Result, error) {
	start := time.Now()
	s := b.p.Update(changes)
	res := Result{}
	_, res.Warnings = s.Diags.Count()
	b.report(s.Diags)
	if s.Board == nil || s.Diags.HasErrors() {
		var errs diag.List
		for _, d := range s.Diags {
			if d.Severity == diag.Error {
				errs = append(errs, d)
			}
		}
		res.Problems = errs
		b.mu.Lock()
		b.problems, b.diags = errs, s.Diags
		b.mu.Unlock()
		res.Took = time.Since(start)
		return res, nil
	}
	if b.stop != nil {
		b.stop() // a burst of edits: the stages wait for the last one
	}
	j, err := b.p.Prepare()
	if err != nil {
		return res, err
	}
	res.Full = j.Full()
	if err := j.Core(b.files); err != nil {
		return res, fmt.Errorf("preview: %w", err)
	}
	res.Pages = j.CoreFiles()
	b.board = s.Board
	b.mu.Lock()
	b.problems, b.diags = nil, s.Diags
	b.mu.Unlock()
	res.Changed = true
	res.Took = time.Since(start)
	b.stages(j)
	return res, nil
}

// report prints the diagnostics when they differ from those printed last.
func (b *Builder) report(ds diag.List) {
	if slices.EqualFunc(ds, b.printed, func(x, y diag.Diagnostic) bool {
		return x.Pos == y.Pos && x.Severity == y.Severity && x.Msg == y.Msg && x.Hint == y.Hint
	}) {
		return
	}
	b.printed = ds
	ds.Print(b.log, b.lang)
}

// stages runs the later stages of job j after ExtrasDelay, unless a newer
// edit comes first.
func (b *Builder) stages(j *build.Job) {
	if b.ExtrasDelay < 0 {
		if err := j.Stages(context.Background(), b.files); err != nil && !errors.Is(err, build.ErrStale) {
			fmt.Fprintf(b.log, "preview: %v\n", err)
		}
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	b.stop = stop
	b.mu.Lock()
	b.extras = done
	b.mu.Unlock()
	go func() {
		defer close(done)
		t := time.NewTimer(b.ExtrasDelay)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := j.Stages(context.Background(), b.files); err != nil && !errors.Is(err, build.ErrStale) {
			fmt.Fprintf(b.log, "preview: %v\n", err)
		}
	}()
}

// Stop cancels the later stages that still wait for their delay.
func (b *Builder) Stop() {
	if b.stop != nil {
		b.stop()
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
