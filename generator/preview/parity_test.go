package preview

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gongkai/generator/build"
	"gongkai/generator/content"
	"gongkai/generator/diag"
	"gongkai/generator/history"
	"gongkai/generator/internal/testboard"
	"gongkai/generator/ledger"
	"gongkai/generator/record"
)

// board is a copy of the demo board on disk that a test edits as a
// clerk would, telling the builder what changed as the watcher does.
type board struct {
	t    *testing.T
	dir  string
	rng  *rand.Rand
	n    int // counts the steps, to make every edit unique
	undo []func() []Change
}

func copyDemo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := testboard.Dir(t)
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	// The board's key goes: the tests publish, and the demo's private
	// key is nowhere in the module.
	toml := filepath.Join(dir, "site.toml")
	text, err := os.ReadFile(toml)
	if err != nil {
		t.Fatal(err)
	}
	noKeys := regexp.MustCompile(`(?s)\n\[ledger\]\n.*?\n\[`).ReplaceAll(text, []byte("\n["))
	if bytes.Equal(noKeys, text) {
		t.Fatal("the demo's site.toml has no [ledger] table to take out")
	}
	if err := os.WriteFile(toml, noKeys, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func (b *board) path(file string) string { return filepath.Join(b.dir, filepath.FromSlash(file)) }

func (b *board) read(file string) string {
	data, err := os.ReadFile(b.path(file))
	if err != nil {
		b.t.Fatal(err)
	}
	return string(data)
}

func (b *board) write(file, text string) {
	if err := os.MkdirAll(filepath.Dir(b.path(file)), 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(b.path(file), []byte(text), 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// records returns the record files of the board, sorted.
func (b *board) records() []string {
	var out []string
	for _, sec := range []string{"conventions", "disclosures", "decisions", "minutes", "pages"} {
		es, _ := os.ReadDir(b.path(sec))
		for _, e := range es {
			switch {
			case e.IsDir():
				if _, err := os.Stat(b.path(sec + "/" + e.Name() + "/index.md")); err == nil {
					out = append(out, sec+"/"+e.Name()+"/index.md")
				}
			case strings.HasSuffix(e.Name(), ".md"):
				out = append(out, sec+"/"+e.Name())
			}
		}
	}
	sort.Strings(out)
	return out
}

func (b *board) pick(files []string) string { return files[b.rng.Intn(len(files))] }

// idOf returns the record id of a record file.
func idOf(file string) string {
	return strings.TrimSuffix(strings.TrimSuffix(file, "/index.md"), ".md")
}

var frontEnd = regexp.MustCompile(`(?m)^\+\+\+\n`)

// keep moves a record file aside (file.keep, which is no record file) and
// returns the change.
func (b *board) keep(f string) []Change {
	b.write(f+".keep", b.read(f))
	os.Remove(b.path(f))
	return []Change{{Path: f, Structural: true}, {Path: f + ".keep", Structural: true}}
}

// restore undoes keep.
func (b *board) restore(f string) func() []Change {
	return func() []Change {
		if _, err := os.Stat(b.path(f + ".keep")); err != nil {
			return nil
		}
		b.write(f, b.read(f+".keep"))
		os.Remove(b.path(f + ".keep"))
		return []Change{{Path: f, Structural: true}, {Path: f + ".keep", Structural: true}}
	}
}

// step makes one random change and returns what changed and its name.
func (b *board) step() ([]Change, string) {
	b.n++
	files := b.records()
	switch k := b.rng.Intn(24); {
	case k >= 20 && k < 22: // a template's placeholder left in a body
		f := b.pick(files)
		good := b.read(f)
		b.write(f, good+"\n金额：【请填写：金额】元。\n")
		b.undo = append(b.undo, func() []Change { b.write(f, good); return []Change{{Path: f}} })
		return []Change{{Path: f}}, "placeholder in " + f
	case k >= 22: // a file no record uses, at the top or beside a record
		f := fmt.Sprintf("说明%d.txt", b.n)
		if k == 23 {
			f = fmt.Sprintf("disclosures/附件%d.pdf", b.n)
		}
		b.write(f, "x")
		b.undo = append(b.undo, func() []Change {
			os.Remove(b.path(f))
			return []Change{{Path: f, Structural: true}}
		})
		return []Change{{Path: f, Structural: true}}, "unused file " + f
	case k < 6: // edit the body with a new change_note; one edit in six is silent
		f := b.pick(files)
		old := b.read(f)
		text := old + fmt.Sprintf("\n第%d次补充说明。\n", b.n)
		if k > 0 {
			text = regexp.MustCompile(`(?m)^change_note = .*\n`).ReplaceAllString(text, "")
			text = strings.Replace(text, "+++\n", fmt.Sprintf("+++\nchange_note = \"第%d次修改\"\n", b.n), 1)
		} else {
			b.undo = append(b.undo, func() []Change { b.write(f, old); return []Change{{Path: f}} })
		}
		b.write(f, text)
		return []Change{{Path: f}}, "edit " + f
	case k < 8: // break the TOML, of a minutes record when there is one
		var mins []string
		for _, f := range files {
			if strings.HasPrefix(f, "minutes/") {
				mins = append(mins, f)
			}
		}
		f := b.pick(files)
		if len(mins) > 0 && k == 7 {
			f = b.pick(mins)
		}
		good := b.read(f)
		b.write(f, strings.Replace(good, "title = \"", "title = \"未闭合\n", 1))
		b.undo = append(b.undo, func() []Change { b.write(f, good); return []Change{{Path: f}} })
		return []Change{{Path: f}}, "break " + f
	case k < 10: // fix: undo every silent edit, delete, rename and break so far
		return b.fix(), "fix"
	case k < 11: // delete
		f := b.pick(files)
		b.undo = append(b.undo, b.restore(f))
		return b.keep(f), "delete " + f
	case k < 13: // add a new record
		f := fmt.Sprintf("disclosures/xin-%d.md", b.n)
		b.write(f, fmt.Sprintf("+++\ntitle = \"新增的公开第%d号\"\ndate = 2026-11-%02d\ncategory = \"居务公开\"\nnotice = { from = 2026-11-20, to = 2026-11-30 }\n+++\n\n新增的公开内容。\n", b.n, 1+b.rng.Intn(26)))
		return []Change{{Path: f, Structural: true}}, "add " + f
	case k < 14: // rename
		f := b.pick(files)
		if strings.HasSuffix(f, "/index.md") {
			return nil, "skip"
		}
		to := strings.TrimSuffix(f, ".md") + fmt.Sprintf("-r%d.md", b.n)
		if err := os.Rename(b.path(f), b.path(to)); err != nil {
			b.t.Fatal(err)
		}
		b.undo = append(b.undo, func() []Change {
			if err := os.Rename(b.path(to), b.path(f)); err != nil {
				return nil
			}
			return []Change{{Path: f, Structural: true}, {Path: to, Structural: true}}
		})
		return []Change{{Path: f, Structural: true}, {Path: to, Structural: true}}, "rename " + f + " → " + to
	case k < 16: // edit site.toml
		text := b.read("site.toml")
		text = regexp.MustCompile(`(?m)^title\s*=\s*"[^"]*"`).ReplaceAllString(text, fmt.Sprintf(`title = "青石社区居务公开栏%d"`, b.n))
		b.write("site.toml", text)
		return []Change{{Path: "site.toml"}}, "edit site.toml"
	case k < 18: // fix, then publish
		cs := b.fix()
		rel, _ := publish(b.t, build.Options{Src: os.DirFS(b.dir), Today: testToday}, b.dir, fmt.Sprintf("第%d次发布", b.n), nil)
		return append(cs, Change{Path: ledger.FileName}, Change{Path: ledger.ArchiveDir, Structural: true}, Change{Path: ledger.CheckpointDir, Structural: true}), fmt.Sprintf("publish (%v)", rel != nil)
	default: // withdraw: fix, take a record away and publish its withdrawal
		cs := b.fix()
		f := b.pick(b.records())
		id := idOf(f)
		cs = append(cs, b.keep(f)...)
		rel, _ := publish(b.t, build.Options{Src: os.DirFS(b.dir), Today: testToday}, b.dir, fmt.Sprintf("第%d次发布", b.n), map[string]string{id: "内容有误"})
		if rel == nil {
			b.undo = append(b.undo, b.restore(f))
		}
		return append(cs, Change{Path: ledger.FileName}, Change{Path: ledger.ArchiveDir, Structural: true}, Change{Path: ledger.CheckpointDir, Structural: true}),
			fmt.Sprintf("withdraw %s (%v)", id, rel != nil)
	}
}

// fix undoes every silent edit, delete, rename and break so far.
func (b *board) fix() []Change {
	var cs []Change
	for i := len(b.undo) - 1; i >= 0; i-- {
		cs = append(cs, b.undo[i]()...)
	}
	b.undo = nil
	return cs
}

// diagText renders diagnostics for comparison: position, severity, code,
// message and hint of each.
func diagText(ds diag.List) string {
	var b strings.Builder
	for _, d := range ds.Sorted() {
		fmt.Fprintf(&b, "%s [%s]\n", d.Format(diag.Zh), d.Code)
	}
	return b.String()
}

// TestServeParity applies random sequences of a clerk's edits to the
// preview server's incremental state and, after each step, compares it
// with a fresh full build of the same content: the same diagnostics, and
// while the content has no errors the same files, byte for byte; while
// it has errors, the last good build, with the errors over it.
func TestServeParity(t *testing.T) {
	seeds, steps := []int64{1, 2, 3, 4}, 30
	if testing.Short() {
		seeds, steps = seeds[:1], 12
	}
	// The diagnostics of the content folder, the published set and the
	// templates must come up in these runs, or the test compares little.
	seen := map[string]bool{}
	defer func() {
		if t.Failed() {
			return
		}
		for _, code := range []string{content.CodeUnused, record.CodePlaceholder, history.CodeRemoved, history.CodeUnregistered} {
			if !seen[code] {
				t.Errorf("no step gave a diagnostic %s: the steps do not cover it", code)
			}
		}
	}()
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			bd := &board{t: t, dir: copyDemo(t), rng: rand.New(rand.NewSource(seed))}
			opt := build.Options{Src: os.DirFS(bd.dir), Today: testToday}
			b := NewBuilder(opt, io.Discard, diag.Zh)
			b.ExtrasDelay = -1
			if _, err := b.Full(); err != nil {
				t.Fatal(err)
			}
			var good *build.MemOutput
			var log []string
			for i := 0; i <= steps; i++ {
				if i > 0 {
					cs, what := bd.step()
					log = append(log, what)
					if _, err := b.Update(cs); err != nil {
						t.Fatalf("after %s: %v", strings.Join(log, "; "), err)
					}
				}
				fresh := build.NewMemOutput()
				fopt := opt
				fopt.Reload = true
				res, ds, err := build.To(fopt, fresh)
				if err != nil {
					t.Fatalf("fresh build after %s: %v", strings.Join(log, "; "), err)
				}
				for _, d := range ds {
					seen[d.Code] = true
				}
				if got, want := diagText(b.Diagnostics()), diagText(ds); got != want {
					t.Fatalf("after %s\nserve reports:\n%s\na full build reports:\n%s", strings.Join(log, "; "), got, want)
				}
				t.Logf("step %d: %s: ok=%v diags=%d files=%d", i, strings.Join(log[max(0, len(log)-1):], ""), res != nil, len(ds), len(b.Names()))
				if res == nil {
					if len(b.Problems()) == 0 {
						t.Fatalf("after %s: the content has errors but serve shows none", strings.Join(log, "; "))
					}
				} else {
					good = fresh
					if len(b.Problems()) != 0 {
						t.Fatalf("after %s: serve shows errors %v", strings.Join(log, "; "), b.Problems())
					}
				}
				if good != nil {
					sameSite(t, strings.Join(log, "; "), b, good)
				}
			}
		})
	}
}

// sameSite fails unless the builder serves exactly the files of want.
func sameSite(t *testing.T, after string, b *Builder, want *build.MemOutput) {
	t.Helper()
	got := b.Names()
	names := want.Names()
	var diffs []string
	have := map[string]bool{}
	for _, n := range got {
		have[n] = true
	}
	for _, n := range names {
		w, _ := want.Get(n)
		g, ok := b.Get(n)
		switch {
		case !ok:
			diffs = append(diffs, "missing "+n)
		case !bytes.Equal(g, w):
			diffs = append(diffs, "differs "+n)
		}
		delete(have, n)
	}
	for n := range have {
		diffs = append(diffs, "extra "+n)
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		if len(diffs) > 20 {
			diffs = append(diffs[:20], fmt.Sprintf("… %d more", len(diffs)-20))
		}
		t.Fatalf("after %s, serve differs from a full build:\n%s", after, strings.Join(diffs, "\n"))
	}
}
