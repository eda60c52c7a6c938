package build

import (
	"io/fs"
	"sort"
	"sync"
	"testing/fstest"
)

// MemOutput keeps files in memory (the preview server, tests).
type MemOutput struct {
	mu    sync.RWMutex
	Files map[string][]byte
}

// NewMemOutput returns an empty MemOutput.
func NewMemOutput() *MemOutput { return &MemOutput{Files: map[string][]byte{}} }

// WriteFile stores a copy of data.
func (o *MemOutput) WriteFile(name string, data []byte) error {
	b := append([]byte(nil), data...)
	o.mu.Lock()
	o.Files[name] = b
	o.mu.Unlock()
	return nil
}

// Remove deletes a file.
func (o *MemOutput) Remove(name string) error {
	o.mu.Lock()
	delete(o.Files, name)
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
