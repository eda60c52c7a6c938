package build_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"gongkai/generator/build"
)

// stat returns the file info of a site file.
func stat(t *testing.T, dir, name string) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return fi
}

// TestRebuildWritesOnlyChanges rebuilds a board into its output after one
// record changed and another was removed: every file whose bytes are the
// same is the very file that was there (same file, same modification
// time), the changed record's files are new, the removed record's files
// are gone, README.md and hidden entries stay, and the folder equals a
// build from scratch.
func TestRebuildWritesOnlyChanges(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	fsys := loadBoard(t, boardTxtar)
	first, _, err := build.ToDir(build.Options{Src: fsys, Today: today}, dir)
	if err != nil || first == nil {
		t.Fatalf("first build: %v", err)
	}
	if first.Unchanged != 0 || first.Written != len(first.Files) {
		t.Errorf("a build into a new folder reports %d unchanged and %d written of %d", first.Unchanged, first.Written, len(first.Files))
	}
	for name, text := range map[string]string{"README.md": "说明", ".git/HEAD": "ref", ".nojekyll": ""} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const same, changed, gone = "conventions/jumin-gongyue/index.html", "minutes/2026-03-18-daibiao/index.html", "pages/about/index.html"
	sameBefore, changedBefore := stat(t, dir, same), stat(t, dir, changed)

	edited := loadBoard(t, boardTxtar)
	f := edited["minutes/2026-03-18-daibiao.md"]
	f.Data = append(bytes.Clone(f.Data), []byte("\n会后补记：会议纪要已张贴。\n")...)
	delete(edited, "pages/about.md")
	second, ds, err := build.ToDir(build.Options{Src: edited, Today: today}, dir)
	if err != nil || second == nil {
		t.Fatalf("rebuild: %v %v", err, ds)
	}
	if second.Unchanged == 0 || second.Written == 0 || second.Removed == 0 || second.Unchanged+second.Written != len(second.Files) {
		t.Errorf("rebuild reports %d unchanged, %d written, %d removed of %d files", second.Unchanged, second.Written, second.Removed, len(second.Files))
	}
	if fi := stat(t, dir, same); !os.SameFile(sameBefore, fi) || !fi.ModTime().Equal(sameBefore.ModTime()) {
		t.Errorf("%s was written again although its bytes did not change", same)
	}
	if os.SameFile(changedBefore, stat(t, dir, changed)) {
		t.Errorf("%s is still the old file although the record changed", changed)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(changed))); !bytes.Contains(b, []byte("会议纪要已张贴")) {
		t.Errorf("%s does not show the edit", changed)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(gone))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s of the removed record is still there (%v)", gone, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pages", "about")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the emptied folder pages/about is still there")
	}
	got := snapshot(t, dir)
	for _, kept := range []string{"README.md", ".git/HEAD", ".nojekyll"} {
		if _, ok := got[kept]; !ok {
			t.Errorf("%s, which the site does not make, was removed", kept)
		}
		delete(got, kept)
	}
	fresh := filepath.Join(parent, "fresh")
	if _, _, err := build.ToDir(build.Options{Src: edited, Today: today}, fresh); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, got, snapshot(t, fresh))
	if entries, _ := os.ReadDir(parent); len(entries) != 2 {
		t.Errorf("%d entries beside the outputs, want only public and fresh", len(entries))
	}
	for name := range got {
		if strings.HasPrefix(name, build.StagePrefix) {
			t.Errorf("the staging folder is left: %s", name)
		}
	}
}

// sameFiles fails when two sites differ.
func sameFiles(t *testing.T, got, want map[string][]byte) {
	t.Helper()
	for name, b := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s is missing", name)
		} else if !bytes.Equal(g, b) {
			t.Errorf("%s differs", name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s should not be there", name)
		}
	}
}

// A file and a folder of the old site that stand where the new one has a
// folder and a file are replaced.
func TestRebuildOverFileAndFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	fsys := loadBoard(t, boardTxtar)
	if _, _, err := build.ToDir(build.Options{Src: fsys, Today: today}, dir); err != nil {
		t.Fatal(err)
	}
	// robots.txt as a folder, decisions/2026-02 as a file.
	os.Remove(filepath.Join(dir, "robots.txt"))
	os.MkdirAll(filepath.Join(dir, "robots.txt", "x"), 0o755)
	os.WriteFile(filepath.Join(dir, "robots.txt", "x", "y.html"), []byte("旧"), 0o644)
	os.RemoveAll(filepath.Join(dir, "decisions", "2026-02"))
	os.WriteFile(filepath.Join(dir, "decisions", "2026-02"), []byte("旧"), 0o644)
	if res, ds, err := build.ToDir(build.Options{Src: fsys, Today: today}, dir); err != nil || res == nil {
		t.Fatalf("rebuild: %v %v", err, ds)
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	if _, _, err := build.ToDir(build.Options{Src: fsys, Today: today}, fresh); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, snapshot(t, dir), snapshot(t, fresh))
}

// A symbolic link in the output folder never leads a write outside it.
func TestRebuildThroughSymlinkStaysInside(t *testing.T) {
	parent := t.TempDir()
	dir, outside := filepath.Join(parent, "public"), filepath.Join(parent, "outside")
	fsys := loadBoard(t, boardTxtar)
	if _, _, err := build.ToDir(build.Options{Src: fsys, Today: today}, dir); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(outside, 0o755)
	os.RemoveAll(filepath.Join(dir, "minutes"))
	if err := os.Symlink(outside, filepath.Join(dir, "minutes")); err != nil {
		t.Skip("SKIP: no symbolic links here:", err)
	}
	if _, _, err := build.ToDir(build.Options{Src: fsys, Today: today}, dir); err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) > 0 {
		t.Errorf("the build wrote through the link outside the output folder: %v", entries)
	}
	fresh := filepath.Join(parent, "fresh")
	if _, _, err := build.ToDir(build.Options{Src: fsys, Today: today}, fresh); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, snapshot(t, dir), snapshot(t, fresh))
}

// A build that fails while rendering leaves the folder exactly as it was.
func TestFailedRenderChangesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	fsys := loadBoard(t, boardTxtar)
	if _, _, err := build.ToDir(build.Options{Src: fsys, Today: today}, dir); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	edited := loadBoard(t, boardTxtar)
	edited["disclosures/zz-attach.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"附件\"\ndate = 2026-01-01\ncategory = \"其他\"\n+++\n\n正文。\n")}
	// The theme lacks a template: the render fails half way.
	theme := fstest.MapFS{}
	for name, f := range themeFiles(t) {
		if name != "templates/list.html" {
			theme[name] = f
		}
	}
	res, _, err := build.ToDir(build.Options{Src: edited, Today: today, Theme: theme}, dir)
	if err == nil || res != nil {
		t.Fatalf("the build did not fail: %v", err)
	}
	sameFiles(t, snapshot(t, dir), before)
}
