// Package testboard gives tests the demo board of content/ in memory, so
// that tests of later stages build the same realistic board without
// copying its loading code.
package testboard

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"testing/fstest"
)

// Dir returns the demo board's folder (content/ at the module root).
func Dir(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("testboard: cannot find the module root")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "content")
}

// Demo returns the demo board in memory, with extra files (content-
// relative name → text) added or replaced.
func Demo(t testing.TB, extra map[string]string) fstest.MapFS {
	t.Helper()
	src := os.DirFS(Dir(t))
	fsys := fstest.MapFS{}
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(src, p)
		fsys[p] = &fstest.MapFile{Data: b, Mode: 0o644}
		return err
	})
	if err != nil {
		t.Fatalf("testboard: %v", err)
	}
	for name, text := range extra {
		fsys[name] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
	}
	return fsys
}

// Copy writes the demo board, with extra files as in Demo, into a new
// temporary folder and returns it: for tests that edit the board on disk.
func Copy(t testing.TB, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, f := range Demo(t, extra) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
