package build

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"gongkai/generator/internal/testboard"
)

// files returns the files below dir by slash-separated name.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// buildInto builds fsys into dir, cutting the commit short before step
// cut when cut > 0; it reports whether the build completed.
func buildInto(t *testing.T, fsys fstest.MapFS, dir string, cut int) bool {
	t.Helper()
	p := New(Options{Src: fsys, Today: benchDay})
	if s := p.Check(); s.Failed(false) {
		t.Fatalf("board: %v", s.Diags)
	}
	out, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out.cut = cut
	j, err := p.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Render(out); err != nil {
		t.Fatal(err)
	}
	_, err = out.Commit(p.Files())
	if err != nil && err != errCut {
		t.Fatal(err)
	}
	return err == nil
}

// TestCommitCutAnywhere stops a rebuild's commit before each of its steps
// in turn, as a kill there would: every file of the folder is then the old
// or the new one, byte for byte, and the next build completes the site.
func TestCommitCutAnywhere(t *testing.T) {
	// A page that was never published goes; a published record cannot
	// go without a withdrawal.
	old := testboard.Demo(t, map[string]string{
		"pages/jiu.md": "+++\ntitle = \"旧页面\"\ndate = 2026-10-01\n+++\n\n旧的。\n",
	})
	cur := testboard.Demo(t, map[string]string{
		"pages/xinde.md": "+++\ntitle = \"新增页面\"\ndate = 2026-11-01\n+++\n\n新增。\n",
	})
	cur["site.toml"].Data = bytes.Replace(cur["site.toml"].Data, []byte(`"青石社区居务公开栏"`), []byte(`"青石社区居务公开栏（新版）"`), 1)

	root := t.TempDir()
	oldDir, newDir := filepath.Join(root, "old"), filepath.Join(root, "new")
	buildInto(t, old, oldDir, 0)
	buildInto(t, cur, newDir, 0)
	oldSite, newSite := files(t, oldDir), files(t, newDir)
	// The number of steps of a whole commit.
	probe := filepath.Join(root, "probe")
	copyTree(t, oldDir, probe)
	p := New(Options{Src: cur, Today: benchDay})
	p.Check()
	out, _ := OpenDir(probe)
	j, _ := p.Prepare()
	if err := j.Render(out); err != nil {
		t.Fatal(err)
	}
	if _, err := out.Commit(p.Files()); err != nil {
		t.Fatal(err)
	}
	steps := out.steps
	if steps < 100 {
		t.Fatalf("a commit of %d steps is too small a test", steps)
	}
	for _, cut := range []int{1, 2, steps / 4, steps / 2, steps - 3, steps} {
		dir := filepath.Join(root, "cut")
		os.RemoveAll(dir)
		copyTree(t, oldDir, dir)
		if buildInto(t, cur, dir, cut) {
			t.Fatalf("cut %d of %d: the commit was not cut", cut, steps)
		}
		for name, data := range files(t, dir) {
			if strings.HasPrefix(name, StagePrefix) {
				continue
			}
			o, inOld := oldSite[name]
			n, inNew := newSite[name]
			if !(inOld && bytes.Equal(data, o)) && !(inNew && bytes.Equal(data, n)) {
				t.Fatalf("cut %d of %d: %s is neither the old nor the new file", cut, steps, name)
			}
		}
		if !buildInto(t, cur, dir, 0) {
			t.Fatal("the build after the cut did not complete")
		}
		got := files(t, dir)
		if len(got) != len(newSite) {
			t.Errorf("cut %d: %d files after the next build, want %d", cut, len(got), len(newSite))
		}
		for name, data := range newSite {
			if !bytes.Equal(got[name], data) {
				t.Errorf("cut %d: %s is not the new file after the next build", cut, name)
			}
		}
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	for name, data := range files(t, from) {
		p := filepath.Join(to, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
