package build_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"gongkai/generator/build"
)

// TestRebuildLinksUnchangedFiles rebuilds a board after one record
// changed: every file whose bytes are the same is the previous build's
// file (same file, same modification time), the changed record's files
// are new, and the site equals a build from scratch.
func TestRebuildLinksUnchangedFiles(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	fsys := loadBoard(t, boardTxtar)
	first, _, err := build.ToDir(build.Options{Src: fsys, Today: today}, dir)
	if err != nil || first == nil {
		t.Fatalf("first build: %v", err)
	}
	if first.Unchanged != 0 {
		t.Errorf("a build into an empty folder reports %d unchanged files", first.Unchanged)
	}
	const same, changed = "conventions/jumin-gongyue/index.html", "minutes/2026-03-18-daibiao/index.html"
	stat := func(name string) os.FileInfo {
		t.Helper()
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	sameBefore, changedBefore := stat(same), stat(changed)

	edited := loadBoard(t, boardTxtar)
	f := edited["minutes/2026-03-18-daibiao.md"]
	f.Data = append(bytes.Clone(f.Data), []byte("\n会后补记：会议纪要已张贴。\n")...)
	second, ds, err := build.ToDir(build.Options{Src: edited, Today: today}, dir)
	if err != nil || second == nil {
		t.Fatalf("rebuild: %v %v", err, ds)
	}
	if second.Unchanged == 0 || second.Unchanged >= len(second.Files) {
		t.Errorf("rebuild reports %d of %d files unchanged; want some but not all", second.Unchanged, len(second.Files))
	}
	if fi := stat(same); !os.SameFile(sameBefore, fi) || !fi.ModTime().Equal(sameBefore.ModTime()) {
		t.Errorf("%s was written again although its bytes did not change", same)
	}
	if os.SameFile(changedBefore, stat(changed)) {
		t.Errorf("%s is still the old file although the record changed", changed)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(changed))); !bytes.Contains(b, []byte("会议纪要已张贴")) {
		t.Errorf("%s does not show the edit", changed)
	}

	fresh := filepath.Join(parent, "fresh")
	if _, _, err := build.ToDir(build.Options{Src: edited, Today: today}, fresh); err != nil {
		t.Fatal(err)
	}
	got, want := snapshot(t, dir), snapshot(t, fresh)
	if len(got) != len(want) {
		t.Errorf("rebuild has %d files, a fresh build %d", len(got), len(want))
	}
	for name, b := range want {
		if !bytes.Equal(got[name], b) {
			t.Errorf("%s differs from a fresh build", name)
		}
	}
}

// A file written again in the same build, after it was linked from the
// previous output, gets a file of its own: the previous output is never
// changed through the link.
func TestDirOutputNeverWritesThroughLink(t *testing.T) {
	prev, root := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(prev, "a.html"), []byte("旧"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"b.html": "old", "c.html": "同", "d.html": "同"} {
		if err := os.WriteFile(filepath.Join(prev, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := &build.DirOutput{Root: root, Prev: prev}
	for _, w := range []struct{ name, data string }{
		{"a.html", "旧"},   // same bytes: linked
		{"b.html", "new"}, // same size, other bytes: written
		{"a.html", "新"},   // written again: must not reach prev
		{"c.html", "c"},   // written, then again with prev's bytes:
		{"c.html", "同"},   // the link cannot be made over it, so written
		{"d.html", "同"},   // and linking goes on for the next file
	} {
		if err := out.WriteFile(w.name, []byte(w.data)); err != nil {
			t.Fatal(err)
		}
	}
	if out.Reused() != 2 {
		t.Errorf("Reused = %d, want 2 (a.html and d.html)", out.Reused())
	}
	for name, want := range map[string]string{"a.html": "新", "b.html": "new", "c.html": "同", "d.html": "同"} {
		if b, _ := os.ReadFile(filepath.Join(root, name)); string(b) != want {
			t.Errorf("%s = %q, want %q", name, b, want)
		}
	}
	for name, want := range map[string]string{"a.html": "旧", "b.html": "old", "c.html": "同"} {
		if b, _ := os.ReadFile(filepath.Join(prev, name)); string(b) != want {
			t.Errorf("previous %s changed to %q, want %q", name, b, want)
		}
	}
}

// Where hard links cannot be made (another file system here; FAT on a USB
// stick in an office), files are written as usual.
func TestDirOutputWithoutLinks(t *testing.T) {
	root := t.TempDir()
	prev, err := os.MkdirTemp("/dev/shm", "gongkai-test-")
	if err != nil {
		t.Skip("SKIP: needs /dev/shm, a file system other than the test's temporary folder, to see a hard link refused")
	}
	defer os.RemoveAll(prev)
	probe := filepath.Join(prev, "probe")
	if err := os.WriteFile(probe, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if os.Link(probe, filepath.Join(root, "probe")) == nil {
		t.Skip("SKIP: /dev/shm and the temporary folder are one file system here, so a hard link is not refused")
	}
	for _, name := range []string{"a.html", "b.html"} {
		if err := os.WriteFile(filepath.Join(prev, name), []byte("同"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := &build.DirOutput{Root: root, Prev: prev}
	for _, name := range []string{"a.html", "b.html"} {
		if err := out.WriteFile(name, []byte("同")); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(filepath.Join(root, name)); string(b) != "同" {
			t.Errorf("%s = %q", name, b)
		}
	}
	if out.Reused() != 0 {
		t.Errorf("Reused = %d across file systems", out.Reused())
	}
}
