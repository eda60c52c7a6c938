// Package build is the pipeline of every command: load → validate →
// checks (calendar, ledger) → versions → render → the later stages →
// write. It reads the content folder through fs.FS and collects every
// diagnostic of every stage.
//
// A Pipeline is run once by a command with everything changed, and again
// and again by the preview server with what changed since; the entry
// points below are the runs the commands make. Writing into a folder
// (Dir) leaves the previous output untouched until the whole build
// succeeded, and then replaces only the files whose bytes changed, one
// atomic rename each.
package build

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"gongkai/generator/diag"
	"gongkai/generator/record"
	"gongkai/generator/render"
	"gongkai/generator/theme"
)

// Options are the settings of one build.
type Options struct {
	Src     fs.FS     // the content folder
	Theme   fs.FS     // nil: the board's theme (site.toml theme) over the default
	Today   time.Time // zero: now, in the site's time zone
	Strict  bool      // fail on warnings and unregistered changes
	Offline bool
	BaseURL string
	Drafts  bool
	// Reload adds the preview server's live-reload script to every page.
	Reload bool
	// Progress, when set, is called with the name of every file written
	// (from many goroutines at once).
	Progress func(name string)
	// Cache is a folder where ToDir keeps a note of what it wrote, so that
	// the next build into the same folder renders only what changed, and
	// the records it decoded and the bodies it rendered, so that the next
	// build of the same content folder (into any folder) decodes and
	// renders only what changed; "" keeps none. See UserCache.
	Cache string
	// SrcDir is the path of the content folder Src reads, which names
	// its cache of records and bodies ("": the output folder does).
	SrcDir string
	// RenderGC, when not 0, is the garbage collector's target percentage
	// (debug.SetGCPercent) that ToDir sets once the checks are done: the
	// records loaded until then stay to the end, while the render makes
	// garbage. The command sets a higher one for the loading.
	RenderGC int
}

// UserCache returns the folder of gongkai's build notes: $GONGKAI_CACHE
// when set ("off" for none), else gongkai/ in the user's cache folder,
// or "" when there is none.
func UserCache() string {
	switch v := os.Getenv("GONGKAI_CACHE"); v {
	case "off":
		return ""
	case "":
	default:
		return v
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "gongkai")
}

// Result describes a finished build.
type Result struct {
	Board   *record.Board
	Render  *render.Renderer
	Files   []string // every file of the site, sorted
	Records int
	// Decoded is the number of record files read and decoded, Cached
	// those taken from the last build's cache instead, and Bodies the
	// number of record bodies rendered from Markdown (the cache serves
	// the others).
	Decoded, Cached, Bodies int
	WriteStats
	Took time.Duration
}

// ErrIncomplete is wrapped by a ToDir error that came while the files
// were being put in place: each file of the folder is then either the old
// one or the new one, and the next build completes the site.
var ErrIncomplete = errors.New("the output folder was left partly updated")

// Load runs the checks of the pipeline on the whole content folder: load,
// validate, the calendar and the ledger. The board is nil when site.toml
// is unusable.
func Load(opt Options) (*record.Board, diag.List) {
	s := New(opt).Check()
	return s.Board, s.Diags
}

// Check runs the checks of the pipeline on the whole content folder.
func Check(opt Options) *Snapshot { return New(opt).Check() }

// ToDir runs the whole pipeline and writes the site into dir, changing
// nothing there unless everything succeeded. The result is nil when the
// diagnostics stop the build.
func ToDir(opt Options, dir string) (*Result, diag.List, error) {
	start := time.Now()
	// Listing the folder waits on the disk, checking the content on the
	// processor: they run side by side.
	type opened struct {
		d    *Dir
		prev *memo // the last build's note
		err  error
	}
	var note string
	if opt.Cache != "" {
		note, _ = memoPath(opt.Cache, dir)
	}
	ch := make(chan opened, 1)
	go func() {
		var prev *memo
		if note != "" {
			prev = readMemo(note)
		}
		d, err := openDir(dir, prev)
		if d != nil && d.fresh != "" {
			prev = nil
		}
		ch <- opened{d, prev, err}
	}()
	p := New(opt)
	if note != "" {
		stem := strings.TrimSuffix(note, filepath.Ext(note))
		if opt.SrcDir != "" {
			if abs, err := filepath.Abs(opt.SrcDir); err == nil {
				sum := sha256.Sum256([]byte(abs))
				stem = filepath.Join(opt.Cache, "content-"+hex.EncodeToString(sum[:12]))
			}
		}
		// Before site.toml is read: a site.toml changed meanwhile then
		// leaves a cache that the next build ignores.
		p.rc = openRecCache(stem+".records", recGlobal(opt.Src))
		p.bodies = openBodies(stem + ".bodies")
		p.index = openKV(stem+".search", searchCacheMagic+" "+generatorID())
		// Last of all, once nothing uses the values any more.
		defer p.bodies.close()
		defer p.index.close()
	}
	s := p.Check()
	if opt.RenderGC != 0 {
		debug.SetGCPercent(opt.RenderGC)
	}
	if p.rc != nil {
		// Written beside the render; a cache that cannot be written
		// costs the next build its speed, nothing else.
		wrote := make(chan struct{})
		go func() { _ = p.rc.write(); close(wrote) }()
		defer func() { <-wrote }()
	}
	o := <-ch
	if s.Failed(opt.Strict) {
		if o.d != nil {
			o.d.Abort()
		}
		return nil, s.Diags, nil
	}
	out, err := o.d, o.err
	if err != nil {
		return nil, s.Diags, err
	}
	var global string
	var fps map[string]string
	var deps map[string]depStamp
	if note != "" {
		prev := o.prev
		out.stampFresh = true
		global, fps, deps = p.fingerprints(prev)
		p.resume(prev, global, fps, out)
		if prev != nil {
			// Whatever is rendered again, a file still as noted holds
			// the bytes the note hashed.
			out.Trust(prev)
		}
	}
	j, err := p.Prepare()
	if err == nil {
		err = j.Render(out)
	}
	if err != nil {
		out.Abort()
		return nil, s.Diags, fmt.Errorf("build: %w", err)
	}
	files := p.Files()
	st, err := out.Commit(files)
	if err != nil {
		return nil, s.Diags, fmt.Errorf("%w: %w", ErrIncomplete, err)
	}
	if note != "" {
		// A note or cache that cannot be written costs the next build
		// its speed, nothing else.
		var g sync.WaitGroup
		for _, kv := range []*kvCache{p.bodies, p.index} {
			if kv != nil {
				g.Go(func() { _ = kv.write() })
			}
		}
		_ = p.newMemo(o.prev, global, fps, deps, out, files).write(note)
		g.Wait()
	}
	st.Unchanged = len(files) - st.Written
	res := &Result{Board: s.Board, Render: j.Renderer(), Files: files, Records: len(s.Board.Records), WriteStats: st, Took: time.Since(start)}
	res.Decoded, res.Bodies = len(p.srcs), j.Renderer().BodiesRendered()
	if p.rc != nil {
		res.Decoded, res.Cached = p.rc.decoded, p.rc.hits
	}
	return res, s.Diags, nil
}

// ToMemory runs the whole pipeline into memory.
func ToMemory(opt Options) (*MemOutput, *record.Board, diag.List, error) {
	out := NewMemOutput()
	res, ds, err := To(opt, out)
	if res == nil {
		return nil, nil, ds, err
	}
	return out, res.Board, ds, err
}

// To runs the whole pipeline into out, which must be empty. The result
// is nil when the diagnostics stop the build.
func To(opt Options, out Output) (*Result, diag.List, error) {
	start := time.Now()
	p := New(opt)
	s := p.Check()
	if s.Failed(opt.Strict) {
		return nil, s.Diags, nil
	}
	j, err := p.Prepare()
	if err == nil {
		err = j.Render(out)
	}
	if err != nil {
		return nil, s.Diags, fmt.Errorf("build: %w", err)
	}
	files := p.Files()
	return &Result{Board: s.Board, Render: j.Renderer(), Files: files, Records: len(s.Board.Records),
		WriteStats: WriteStats{Written: len(files)}, Took: time.Since(start)}, s.Diags, nil
}

// Theme returns the theme board is rendered with: the folder site.toml
// names in the content folder src, over the default theme.
func Theme(src fs.FS, board *record.Board) fs.FS {
	t, err := theme.Open(src, board.Site)
	if err != nil {
		// config.Load checked the folder, and a name ThemeName accepts
		// is one fs.Sub accepts.
		return theme.Default()
	}
	return t
}

// theme returns the theme of the board: Options.Theme, else the board's.
func (p *Pipeline) theme(board *record.Board) fs.FS {
	if p.opt.Theme != nil {
		return p.opt.Theme
	}
	return Theme(p.opt.Src, board)
}
