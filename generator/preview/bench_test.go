package preview

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/internal/corpus"
)

// writeBoard writes a generated board of n records into a new folder.
func writeBoard(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	for name, text := range corpus.Board(n, 1) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// firstOf returns the first record file of a section.
func firstOf(tb testing.TB, dir, section string) string {
	tb.Helper()
	es, err := os.ReadDir(filepath.Join(dir, section))
	if err != nil || len(es) == 0 {
		tb.Fatalf("no %s: %v", section, err)
	}
	names := make([]string, 0, len(es))
	for _, e := range es {
		if strings.HasSuffix(e.Name(), ".md") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return section + "/" + names[0]
}

// BenchmarkEdit measures edit-to-served on 10,000 records: one
// disclosure's title is changed and the builder re-renders what it
// affects (the later stages, which follow in the background after
// ExtrasDelay, are left out).
func BenchmarkEdit(b *testing.B) {
	dir := writeBoard(b, 10000)
	opt := build.Options{Src: os.DirFS(dir), Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}
	bl := NewBuilder(opt, nil, diag.Zh)
	bl.ExtrasDelay = -1
	if res, err := bl.Full(); err != nil || res.Problems != nil {
		b.Fatalf("full build: %v %v", err, res.Problems)
	}
	bl.ExtrasDelay = time.Hour
	defer bl.Stop()
	file := firstOf(b, dir, "disclosures")
	p := filepath.Join(dir, filepath.FromSlash(file))
	orig, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		text := strings.Replace(string(orig), `title = "`, `title = "改`+strconv.Itoa(i), 1)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		res, err := bl.Update([]Change{{Path: file}})
		if err != nil || res.Problems != nil || res.Full {
			b.Fatalf("update: %v %v full=%v", err, res.Problems, res.Full)
		}
	}
}
