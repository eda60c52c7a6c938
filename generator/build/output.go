package build

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing/fstest"
	"time"
)

// DirOutput writes files below a folder.
type DirOutput struct {
	Root string
	// Prev is the folder of the previous build, or "". A file whose bytes
	// are already there under the same name is hard-linked from it instead
	// of written again: a rebuild then makes new files only for what
	// changed, unchanged files keep their modification time (so rsync and
	// web caches see them as unchanged), and removing the previous build
	// frees little. Prev is only read; a file system without hard links
	// (FAT on a USB stick) turns this off at the first refusal.
	Prev string

	mu     sync.Mutex
	dirs   map[string]bool
	noLink atomic.Bool
	reused atomic.Int64
}

// Reused returns the number of files linked from Prev.
func (o *DirOutput) Reused() int { return int(o.reused.Load()) }

// WriteFile writes name (slash-separated, relative) below Root.
func (o *DirOutput) WriteFile(name string, data []byte) error {
	if !fs.ValidPath(name) {
		return fmt.Errorf("write: invalid output path %q", name)
	}
	p := filepath.Join(o.Root, filepath.FromSlash(name))
	dir := filepath.Dir(p)
	o.mu.Lock()
	if o.dirs == nil {
		o.dirs = map[string]bool{}
	}
	made := o.dirs[dir]
	o.mu.Unlock()
	if !made {
		if err := o.mkdir(dir); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	if o.Prev != "" && !o.noLink.Load() && o.reuse(filepath.Join(o.Prev, filepath.FromSlash(name)), p, data) {
		return nil
	}
	if err := writeFile(p, data); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// reuse hard-links old to p when old is a regular file holding exactly
// data, and reports whether it did.
func (o *DirOutput) reuse(old, p string, data []byte) bool {
	fi, err := os.Lstat(old)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) || !sameBytes(old, data) {
		return false
	}
	if err := os.Link(old, p); err != nil {
		if !errors.Is(err, fs.ErrExist) { // written before in this build: write it again
			o.noLink.Store(true) // no hard links here (FAT), or old is on another file system
		}
		return false
	}
	o.reused.Add(1)
	return true
}

// sameBytes reports whether the file name holds exactly data.
func sameBytes(name string, data []byte) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	var buf [16 << 10]byte
	for {
		n, err := f.Read(buf[:])
		if n > len(data) || !bytes.Equal(buf[:n], data[:n]) {
			return false
		}
		data = data[n:]
		if err == io.EOF {
			return len(data) == 0
		}
		if err != nil {
			return false
		}
	}
}

// mkdir makes dir and its missing parents, asking the file system once
// per folder: most folders of a site are new, so Mkdir comes first and
// parents only when it fails. A folder is marked made only once it exists,
// so a concurrent writer to the same folder never skips it too early.
func (o *DirOutput) mkdir(dir string) error {
	err := os.Mkdir(dir, 0o755)
	switch {
	case err == nil || os.IsExist(err):
	case os.IsNotExist(err):
		if err := o.mkdir(filepath.Dir(dir)); err != nil {
			return err
		}
		if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
			return err
		}
	default:
		return err
	}
	o.mu.Lock()
	o.dirs[dir] = true
	o.mu.Unlock()
	return nil
}

// MemOutput keeps files in memory (the preview server, tests).
type MemOutput struct {
	mu    sync.RWMutex
	Files map[string][]byte
}

// NewMemOutput returns an empty MemOutput.
func NewMemOutput() *MemOutput { return &MemOutput{Files: map[string][]byte{}} }

// WriteFile stores a copy of data.
func (o *MemOutput) WriteFile(name string, data []byte) error {
	o.mu.Lock()
	o.Files[name] = append([]byte(nil), data...)
	o.mu.Unlock()
	return nil
}

// Get returns a file.
func (o *MemOutput) Get(name string) ([]byte, bool) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	b, ok := o.Files[name]
	return b, ok
}

// Names returns every file name, sorted.
func (o *MemOutput) Names() []string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	out := make([]string, 0, len(o.Files))
	for k := range o.Files {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// FS returns the files as an fs.FS.
func (o *MemOutput) FS() fs.FS {
	o.mu.RLock()
	defer o.mu.RUnlock()
	m := fstest.MapFS{}
	for k, v := range o.Files {
		m[k] = &fstest.MapFile{Data: v, Mode: 0o644}
	}
	return m
}

// swap replaces dst with the freshly written tmp folder. The previous
// output's README.md, which the site itself does not make, is kept.
func swap(tmp, dst string) error {
	if _, err := os.Stat(filepath.Join(tmp, "README.md")); os.IsNotExist(err) {
		if b, err := os.ReadFile(filepath.Join(dst, "README.md")); err == nil {
			_ = os.WriteFile(filepath.Join(tmp, "README.md"), b, 0o644)
		}
	}
	old := ""
	if _, err := os.Stat(dst); err == nil {
		old = dst + ".old-" + fmt.Sprint(time.Now().UnixNano())
		if err := os.Rename(dst, old); err != nil {
			return fmt.Errorf("write: cannot replace %s: %w", dst, err)
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		if old != "" {
			_ = os.Rename(old, dst)
		}
		return fmt.Errorf("write: %w", err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// tempSibling makes an empty folder beside dst.
func tempSibling(dst string) (string, error) {
	parent := filepath.Dir(strings.TrimRight(dst, `/\`))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("write: %w", err)
	}
	return os.MkdirTemp(parent, "."+filepath.Base(dst)+".tmp-")
}
