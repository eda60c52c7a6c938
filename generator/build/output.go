package build

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing/fstest"
	"time"
)

// DirOutput writes files below a folder.
type DirOutput struct {
	Root string
	mu   sync.Mutex
	dirs map[string]bool
}

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
	if err := writeFile(p, data); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
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
