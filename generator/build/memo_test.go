package build_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/internal/testboard"
	"gongkai/generator/ledger"
)

// copyContent copies the demo board into a new folder.
func copyContent(t *testing.T) string { return testboard.Copy(t, nil) }

// change rewrites a file of a folder with fn.
func change(t *testing.T, dir, name string, fn func(string) string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(fn(string(b))), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCachedRebuild builds the demo board again and again into one folder
// with the note of the previous build, after each kind of change a clerk
// (or anyone) makes, and compares the folder with a build from scratch
// every time; a rebuild after one edit writes only a few files.
func TestCachedRebuild(t *testing.T) {
	src := copyContent(t)
	root := t.TempDir()
	cache, out := filepath.Join(root, "cache"), filepath.Join(root, "public")
	opt := build.Options{Src: os.DirFS(src), Today: today, Cache: cache}
	if res, ds, err := build.ToDir(opt, out); err != nil || res == nil {
		t.Fatalf("first build: %v %v", err, ds)
	}
	noteFile(t, cache)
	note := func(s string) func(string) string {
		return func(text string) string {
			return strings.Replace(text, "+++\n", "+++\nchange_note = \""+s+"\"\n", 1) + "\n" + s + "。\n"
		}
	}
	steps := []struct {
		name     string
		do       func()
		fewFiles bool // the rebuild must write only a few files
	}{
		{"nothing changed", func() {}, true},
		{"a body edited", func() { change(t, src, "disclosures/2026-q2-caiwu.md", note("补充说明")) }, true},
		{"minutes linked by a decision retitled", func() {
			change(t, src, "minutes/2026-03-18-daibiao.md", func(s string) string {
				return strings.Replace(strings.Replace(s, `title = "`, `title = "（更正）`, 1), "+++\n", "+++\nchange_note = \"更正标题\"\n", 1)
			})
		}, true},
		{"a table of a bundle edited", func() {
			change(t, src, "disclosures/guiyuan-gaizao/资金明细.csv", func(s string) string { return s + "\n" })
		}, true},
		{"an attachment edited", func() {
			change(t, src, "disclosures/guiyuan-gaizao/验收意见.txt", func(s string) string { return s + "补充。\n" })
		}, true},
		{"a record moved to another year and category", func() {
			change(t, src, "disclosures/2025-dangfei.md", func(s string) string {
				s = strings.Replace(s, "date = 2026-01-22", "date = 2024-12-30", 1)
				return strings.Replace(s, `category = "党务公开"`, `category = "居务公开"`, 1)
			})
		}, false},
		{"the record moved back", func() {
			change(t, src, "disclosures/2025-dangfei.md", func(s string) string {
				s = strings.Replace(s, "date = 2024-12-30", "date = 2026-01-22", 1)
				return strings.Replace(s, `category = "居务公开"`, `category = "党务公开"`, 1)
			})
		}, false},
		{"a record added", func() {
			os.WriteFile(filepath.Join(src, "disclosures", "xin.md"), []byte("+++\ntitle = \"新增公告\"\ndate = 2026-11-20\ncategory = \"居务公开\"\n+++\n\n新增。\n"), 0o644)
		}, false},
		{"a record removed", func() { os.Remove(filepath.Join(src, "disclosures", "xin.md")) }, false},
		{"a decision citing minutes added", func() {
			os.WriteFile(filepath.Join(src, "decisions", "xin.md"), []byte("+++\ntitle = \"新增决策\"\ndate = 2026-11-21\ncategory = \"重大事项决策\"\n\n[[steps]]\nstage = \"社区党组织提议\"\ndate = 2026-11-21\nminutes = \"minutes/2026-11-10-dangwei\"\n+++\n\n新增决策。\n"), 0o644)
		}, false},
		{"the decision removed: the minutes lose their backlink", func() { os.Remove(filepath.Join(src, "decisions", "xin.md")) }, false},
		{"a site page edited by hand", func() {
			change(t, out, "disclosures/2026-q1-caiwu/index.html", func(s string) string { return strings.Replace(s, "财务", "财物", 1) })
		}, true},
		{"a site page deleted by hand", func() { os.Remove(filepath.Join(out, "print", "disclosures", "2026-q1-caiwu", "index.html")) }, true},
		{"the 404 page edited by hand", func() {
			change(t, out, "404.html", func(s string) string { return s + "x" })
		}, false},
		{"a stray file put into the site", func() { os.WriteFile(filepath.Join(out, "disclosures", "stray.html"), []byte("x"), 0o644) }, true},
		{"the caches damaged", func() {
			for _, f := range must(filepath.Glob(filepath.Join(cache, "build-*"))) {
				b, _ := os.ReadFile(f)
				os.WriteFile(f, b[:len(b)*2/3], 0o644)
			}
			change(t, src, "disclosures/2026-q2-caiwu.md", func(s string) string { return s + "\n再补充。\n" })
		}, false},
		{"site.toml edited", func() {
			change(t, src, "site.toml", func(s string) string { return strings.Replace(s, "023-6851-2209", "023-6851-2208", 1) })
		}, false},
		{"published", func() {
			// The table and the attachment changed: a new version of the
			// bundle, with its reason.
			change(t, src, "disclosures/guiyuan-gaizao/index.md", func(s string) string {
				return strings.Replace(s, "+++\n", "+++\nchange_note = \"补充验收意见\"\n", 1)
			})
			if rel, ds := publish(t, build.Options{Src: os.DirFS(src), Today: today}, src, "更正", nil); rel == nil {
				t.Fatalf("publish: %v", ds)
			}
		}, false},
		{"the date changed", func() { opt.Today = today.AddDate(0, 0, 1) }, false},
	}
	for _, st := range steps {
		st.do()
		var rendered atomic.Int64
		opt.Progress = func(string) { rendered.Add(1) }
		res, ds, err := build.ToDir(opt, out)
		if err != nil || res == nil {
			t.Fatalf("%s: rebuild: %v %v", st.name, err, ds)
		}
		t.Logf("%s: rendered %d and wrote %d of %d files", st.name, rendered.Load(), res.Written, len(res.Files))
		if st.fewFiles && (res.Written > 40 || rendered.Load() > int64(len(res.Files)/2)) {
			t.Errorf("%s: the rebuild rendered %d and wrote %d of %d files", st.name, rendered.Load(), res.Written, len(res.Files))
		}
		// The cache of the last build serves the records and bodies
		// that did not change.
		if st.fewFiles && (res.Decoded > 2 || res.Bodies > 6) {
			t.Errorf("%s: the rebuild decoded %d of %d records and rendered %d bodies", st.name, res.Decoded, res.Records, res.Bodies)
		}
		fresh := filepath.Join(t.TempDir(), "fresh")
		fopt := opt
		fopt.Cache, fopt.Progress = "", nil
		if _, _, err := build.ToDir(fopt, fresh); err != nil {
			t.Fatal(err)
		}
		got, want := snapshot(t, out), snapshot(t, fresh)
		for name, b := range want {
			if !bytes.Equal(got[name], b) {
				t.Errorf("%s: %s differs from a build from scratch", st.name, name)
			}
		}
		for name := range got {
			if _, ok := want[name]; !ok {
				t.Errorf("%s: %s should not be there", st.name, name)
			}
		}
	}
}

// A broken note is no note: the build renders everything.
func TestBrokenNote(t *testing.T) {
	src := copyContent(t)
	root := t.TempDir()
	cache, out := filepath.Join(root, "cache"), filepath.Join(root, "public")
	opt := build.Options{Src: os.DirFS(src), Today: today, Cache: cache}
	if _, _, err := build.ToDir(opt, out); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(noteFile(t, cache), []byte("gongkai build note 00000000\n{\"format\":1,\"files\":"), 0o644)
	change(t, out, "index.html", func(s string) string { return s + "x" })
	change(t, out, "disclosures/2026-q1-caiwu/index.html", func(s string) string { return s + "x" })
	if res, ds, err := build.ToDir(opt, out); err != nil || res == nil {
		t.Fatalf("%v %v", err, ds)
	}
	fresh := filepath.Join(root, "fresh")
	opt.Cache = ""
	if _, _, err := build.ToDir(opt, fresh); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, snapshot(t, out), snapshot(t, fresh))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// noteFile returns the build note in the cache folder.
func noteFile(t *testing.T, cache string) string {
	t.Helper()
	notes, _ := filepath.Glob(filepath.Join(cache, "build-*.note"))
	if len(notes) != 1 {
		es, _ := os.ReadDir(cache)
		t.Fatalf("no note in the cache folder: %v", es)
	}
	return notes[0]
}

// publish is gongkai publish of the content folder dir (opt.Src reads
// it), unsigned.
func publish(t *testing.T, opt build.Options, dir, message string, withdraw map[string]string) (*ledger.Release, diag.List) {
	t.Helper()
	s := build.Check(opt)
	if ds, blocked := s.PublishBlocked(); blocked {
		return nil, ds
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	return build.Publish(s, root, ledger.PublishOptions{Message: message, Withdraw: withdraw, Now: build.ReleaseTime(opt, s), Keys: s.Board.Site.Ledger})
}

// The records decoded and the bodies rendered are kept by content folder:
// a build of the same content into another folder takes them from the
// cache, and writes the same site as a build without any cache.
func TestContentCacheAcrossFolders(t *testing.T) {
	src := copyContent(t)
	root := t.TempDir()
	opt := build.Options{Src: os.DirFS(src), SrcDir: src, Today: today, Cache: filepath.Join(root, "cache")}
	first, ds, err := build.ToDir(opt, filepath.Join(root, "a"))
	if err != nil || first == nil {
		t.Fatalf("%v %v", err, ds)
	}
	if first.Cached != 0 || first.Decoded == 0 {
		t.Fatalf("a first build took %d records from the cache and decoded %d", first.Cached, first.Decoded)
	}
	second, ds, err := build.ToDir(opt, filepath.Join(root, "b"))
	if err != nil || second == nil {
		t.Fatalf("%v %v", err, ds)
	}
	if second.Decoded > 1 || second.Cached < first.Decoded-1 || second.Bodies > 2 {
		t.Errorf("a build into another folder decoded %d records (%d from the cache) and rendered %d bodies", second.Decoded, second.Cached, second.Bodies)
	}
	opt.Cache = ""
	if _, _, err := build.ToDir(opt, filepath.Join(root, "c")); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, snapshot(t, filepath.Join(root, "b")), snapshot(t, filepath.Join(root, "c")))
}
