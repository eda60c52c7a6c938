package preview

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Quiet is how long the watcher waits after the last event of a burst
// before it hands the burst over as one batch.
const Quiet = 25 * time.Millisecond

// MaxWait bounds how long a steady stream of events delays a batch.
const MaxWait = 250 * time.Millisecond

// Watcher watches a content folder and every folder below it, including
// folders created later.
type Watcher struct {
	root string
	w    *fsnotify.Watcher
}

// Watch starts watching root.
func Watch(root string) (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{root: root, w: fw}
	if err := w.addTree(root); err != nil {
		fw.Close()
		return nil, err
	}
	return w, nil
}

// Close stops watching.
func (w *Watcher) Close() error { return w.w.Close() }

// addTree watches dir and the folders below it, skipping hidden ones.
func (w *Watcher) addTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		return w.w.Add(p)
	})
}

// Run hands batches of changes to batch until ctx ends. batch runs on
// Run's goroutine; events arriving meanwhile form the next batch.
func (w *Watcher) Run(ctx context.Context, batch func([]Change)) error {
	pending := map[string]bool{} // path → structural
	var order []string
	var quiet, limit <-chan time.Time
	flush := func() {
		if len(order) == 0 {
			return
		}
		cs := make([]Change, len(order))
		for i, p := range order {
			cs[i] = Change{Path: p, Structural: pending[p]}
		}
		pending, order, quiet, limit = map[string]bool{}, nil, nil, nil
		batch(cs)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case err, ok := <-w.w.Errors:
			if !ok {
				return nil
			}
			_ = err // an overflow: rescan everything
			if _, seen := pending["."]; !seen {
				order = append(order, ".")
			}
			pending["."] = true
		case ev, ok := <-w.w.Events:
			if !ok {
				return nil
			}
			rel, keep := w.rel(ev.Name)
			if !keep || ev.Op == fsnotify.Chmod {
				continue
			}
			structural := ev.Op&(fsnotify.Create|fsnotify.Remove|fsnotify.Rename) != 0
			if ev.Op&fsnotify.Create != 0 {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					_ = w.addTree(ev.Name)
				}
			}
			if _, seen := pending[rel]; !seen {
				order = append(order, rel)
			}
			pending[rel] = pending[rel] || structural
			quiet = time.After(Quiet)
			if limit == nil {
				limit = time.After(MaxWait)
			}
		case <-quiet:
			flush()
		case <-limit:
			flush()
		}
	}
}

// rel returns the content-relative slash path of a watched file, and
// whether its changes matter (not editor swap or backup files).
func (w *Watcher) rel(name string) (string, bool) {
	r, err := filepath.Rel(w.root, name)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	r = filepath.ToSlash(r)
	base := filepath.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".swx") || base == "4913" {
		return "", false
	}
	return r, true
}
