package build

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gongkai/generator/internal/testboard"
)

// A note altered after it was written is no note either, even when it
// still reads as one: here it says that a page edited by hand is the page
// the build left, which would keep the edit if the build believed it.
func TestAlteredNote(t *testing.T) {
	src := testboard.Copy(t, nil)
	root := t.TempDir()
	cache, out := filepath.Join(root, "cache"), filepath.Join(root, "public")
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	opt := Options{Src: os.DirFS(src), Today: today, Cache: cache}
	if _, _, err := ToDir(opt, out); err != nil {
		t.Fatal(err)
	}
	file, err := memoPath(cache, out)
	if err != nil {
		t.Fatal(err)
	}
	m := readMemo(file)
	if m == nil || m.Files["index.html"].Sum == (Sum{}) {
		t.Fatal("no note, or no hash of index.html in it")
	}
	// The same number of bytes, another text.
	page := filepath.Join(out, "index.html")
	b, _ := os.ReadFile(page)
	if !bytes.Contains(b, []byte("</html>")) {
		t.Fatal("index.html has no </html>")
	}
	os.WriteFile(page, bytes.Replace(b, []byte("</html>"), []byte("</HTML>"), 1), 0o644)
	fi, _ := os.Stat(page)
	f := m.Files["index.html"]
	f.MTime = fi.ModTime().UnixNano()
	m.Files["index.html"] = f
	old, _ := os.ReadFile(file)
	head, _, _ := bytes.Cut(old, []byte("\n"))
	if err := os.WriteFile(file, append(append(head, '\n'), m.encode(nil)...), 0o644); err != nil {
		t.Fatal(err)
	}
	if readMemo(file) != nil {
		t.Fatal("the altered note was read as a note")
	}
	if res, ds, err := ToDir(opt, out); err != nil || res == nil {
		t.Fatalf("%v %v", err, ds)
	}
	if b, _ := os.ReadFile(page); !bytes.Contains(b, []byte("</html>")) || strings.Contains(string(b), "</HTML>") {
		t.Error("the page edited by hand was kept")
	}
}

// The note reads back as it was written, and no damaged note makes the
// reader fail other than by refusing it.
func FuzzMemo(f *testing.F) {
	m := &memo{Format: memoFormat, Global: "g", Folder: 7,
		Records: map[string]string{"disclosures/a": "fp"},
		Files:   map[string]memoFile{"index.html": {Unit: "core#home", Size: 3, MTime: -4, Sum: Sum{1, 2}}},
		Deps:    map[string]depStamp{"a.csv": {Size: 1, MTime: 2, Sum: "s"}},
		Dirs:    map[string]int64{"disclosures": 9},
	}
	b := m.encode(nil)
	if got, err := decodeMemo(b); err != nil || !reflect.DeepEqual(got, m) {
		f.Fatalf("the note read back as %+v, %v", got, err)
	}
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeMemo(b)
		if err != nil {
			return
		}
		if again, err := decodeMemo(m.encode(nil)); err != nil || !reflect.DeepEqual(again, m) {
			t.Fatalf("a note read does not read back: %v", err)
		}
	})
}

// A note written as a delta reads back, with its base, as the note it
// was; a delta beside another base is not read with it; and once the
// changes are many, a new base is written.
func TestMemoDelta(t *testing.T) {
	file := filepath.Join(t.TempDir(), "build.note")
	m := &memo{Format: memoFormat, Global: "g", Folder: 1,
		Records: map[string]string{}, Files: map[string]memoFile{}, Deps: map[string]depStamp{}, Dirs: map[string]int64{}}
	for i := range 200 {
		m.Records[fmt.Sprint("disclosures/r", i)] = fmt.Sprint("fp", i)
		m.Files[fmt.Sprint("disclosures/r", i, "/index.html")] = memoFile{Unit: "core:x", Size: int64(i), MTime: 5, Sum: Sum{byte(i)}}
		m.Dirs[fmt.Sprint("disclosures/r", i)] = int64(i)
	}
	m.Deps["disclosures/a.csv"] = depStamp{Size: 1, MTime: 2, Sum: "s"}
	if err := m.write(file); err != nil {
		t.Fatal(err)
	}
	exported := func(m *memo) memo {
		c := *m
		c.base, c.changed, c.Base, c.Gone = "", memoSet{}, "", memoNames{}
		return c
	}
	for step := range 3 {
		got := readMemo(file)
		if got == nil || got.base == "" {
			t.Fatalf("step %d: the note did not read back", step)
		}
		if !reflect.DeepEqual(exported(got), exported(m)) {
			t.Fatalf("step %d: the note read back differs from the one written", step)
		}
		// A few changes: an entry changed, one removed, one added.
		got.Global, got.Folder = fmt.Sprint("g", step), int64(10+step)
		got.Records = maps.Clone(got.Records)
		got.Records[fmt.Sprint("disclosures/r", step)] = "changed"
		delete(got.Records, fmt.Sprint("disclosures/r", 100+step))
		got.Records[fmt.Sprint("decisions/new", step)] = "new"
		changes(m.Records, got.Records, &got.changed.Records)
		delete(got.Files, fmt.Sprint("disclosures/r", 100+step, "/index.html"))
		note(&got.changed.Files, fmt.Sprint("disclosures/r", 100+step, "/index.html"))
		got.Dirs[fmt.Sprint("disclosures/r", step)] = 99
		note(&got.changed.Dirs, fmt.Sprint("disclosures/r", step))
		delete(got.Deps, "disclosures/a.csv")
		note(&got.changed.Deps, "disclosures/a.csv")
		if err := got.write(file); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(file + ".delta"); err != nil {
			t.Fatalf("step %d: no delta written: %v", step, err)
		}
		m = got
	}
	// A delta of another base is ignored: the base alone is read.
	base, _ := readMemoFile(file)
	d := readMemo(file).delta()
	d.Base = "00000000-1"
	if err := writeChecked(file+".delta", memoMagic, d.encode(nil)); err != nil {
		t.Fatal(err)
	}
	if got := readMemo(file); got == nil || !reflect.DeepEqual(exported(got), exported(base)) {
		t.Error("a delta of another base was read with the base")
	}
	// Many changes: a new base, and no delta.
	m = readMemo(file)
	for name, f := range m.Files {
		f.MTime++
		m.Files[name] = f
		note(&m.changed.Files, name)
	}
	if err := m.write(file); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file + ".delta"); !os.IsNotExist(err) {
		t.Errorf("a delta is left beside a new base: %v", err)
	}
	if got := readMemo(file); got == nil || !reflect.DeepEqual(exported(got), exported(m)) {
		t.Error("the new base does not read back as the note")
	}
}
