package main

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// siteFiles returns the files below dir by slash-separated name.
func siteFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestKilledBuild kills `gongkai build` at random moments while it
// replaces a site whose every page changes (the site's title changed, a
// record was removed, one added). Whenever it is killed, every file of
// the site is either the old one or the new one, byte for byte, and
// nothing half written is anywhere but in the hidden staging folder; the
// next build completes the site.
func TestKilledBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo board many times")
	}
	root := t.TempDir()
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	copyDir(t, filepath.Join("..", "..", "content"), a)
	copyDir(t, filepath.Join("..", "..", "content"), b)
	edit(t, filepath.Join(b, "site.toml"), `title     = "青石社区居务公开栏"`, `title     = "青石社区居务公开栏（新版）"`)
	// A page never published goes (a published record cannot go without
	// a withdrawal).
	if err := os.WriteFile(filepath.Join(a, "pages", "jiu.md"), []byte("+++\ntitle = \"旧页面\"\ndate = 2026-10-01\n+++\n\n旧的。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b, "pages", "xinde.md"), []byte("+++\ntitle = \"新增页面\"\ndate = 2026-11-01\n+++\n\n新增。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	build := func(src, out string) {
		t.Helper()
		if code, msg := gkAll(t, "build", "--src", src, "--out", out, "--date", "2026-11-27"); code != 0 {
			t.Fatalf("build %s: exit %d\n%s", src, code, msg)
		}
	}
	oldDir, newDir := filepath.Join(root, "old"), filepath.Join(root, "new")
	build(a, oldDir)
	build(b, newDir)
	oldSite, newSite := siteFiles(t, oldDir), siteFiles(t, newDir)
	changed := 0
	for name, data := range newSite {
		if !bytes.Equal(oldSite[name], data) {
			changed++
		}
	}
	if changed < len(newSite)/2 {
		t.Fatalf("only %d of %d files change: the test would not reach the renames", changed, len(newSite))
	}

	// How long a build of b into a copy of a takes, as a process.
	out := filepath.Join(root, "public")
	copyDir(t, oldDir, out)
	began := time.Now()
	p := start(t, "build", "--src", b, "--out", out, "--date", "2026-11-27")
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("build: %v\n%s", err, p.output())
	}
	took := time.Since(began)

	staging := regexp.MustCompile(`^\.gongkai-staging-[^/]+/`)
	rng := rand.New(rand.NewSource(1))
	kills := 0
	midway := 0
	for i := 0; i < 10; i++ {
		if err := os.RemoveAll(out); err != nil {
			t.Fatal(err)
		}
		copyDir(t, oldDir, out)
		p := start(t, "build", "--src", b, "--out", out, "--date", "2026-11-27")
		// Half the kills anywhere, half late, where the files are renamed.
		wait := rng.Int63n(int64(took))
		if i%2 == 1 {
			wait = int64(took)*6/10 + rng.Int63n(int64(took)*5/10)
		}
		time.Sleep(time.Duration(wait))
		if p.cmd.Process.Kill() == nil {
			kills++
		}
		p.cmd.Wait()
		renamed := 0
		for name, data := range siteFiles(t, out) {
			if staging.MatchString(name) {
				continue // the staging folder of the killed build: hidden, and removed by the next
			}
			o, inOld := oldSite[name]
			n, inNew := newSite[name]
			if !(inOld && bytes.Equal(data, o)) && !(inNew && bytes.Equal(data, n)) {
				t.Fatalf("kill %d after %s: %s is neither the old nor the new file", i, took, name)
			}
			if inNew && bytes.Equal(data, n) && !bytes.Equal(data, o) {
				renamed++
			}
		}
		if renamed > 0 && renamed < changed {
			midway++
		}
		for name := range oldSite {
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(name))); err != nil && newSite[name] != nil {
				t.Fatalf("kill %d: %s, a file of both sites, is missing", i, name)
			}
		}
	}
	if kills == 0 {
		t.Fatal("no build was killed")
	}
	t.Logf("a build took %s; %d kills, %d of them while the files were being renamed", took, kills, midway)
	// The next build completes the site and leaves nothing behind.
	build(b, out)
	got := siteFiles(t, out)
	for name, data := range newSite {
		if !bytes.Equal(got[name], data) {
			t.Errorf("after the kills and a build, %s is not the new file", name)
		}
	}
	for name := range got {
		if _, ok := newSite[name]; !ok {
			t.Errorf("after the kills and a build, %s is left", name)
		}
	}
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("%s is left beside the site", e.Name())
		}
	}
}
