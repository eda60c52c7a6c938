package editor

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"gongkai/generator/build"
	"gongkai/generator/internal/corpus"
)

// corpusBoard writes a generated board of n records into a new folder
// and returns it and its first disclosure.
func corpusBoard(b *testing.B, n int) (dir, first string) {
	b.Helper()
	dir = b.TempDir()
	var names []string
	for name, text := range corpus.Board(n, 1) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		if strings.HasPrefix(name, "disclosures/") && strings.HasSuffix(name, ".md") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return dir, names[0]
}

// BenchmarkCheck measures what the form asks while the clerk types: the
// checks of `gongkai check` over the whole board with one record's new
// text, and the record's diagnostics mapped to its fields. The heap after
// the run is reported as heap-MB: the editor keeps nothing per request, so
// it does not grow with the number of checks.
func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir, name := corpusBoard(b, n)
			s := newTestServer(b, dir)
			sub := s.untouched(name)
			sub.Fields["title"] = "改过的标题"
			f, err := readFile(s.ed.fsys, name)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				data, nf, err := s.ed.candidate(f, &sub)
				if err != nil {
					b.Fatal(err)
				}
				if res := s.ed.checked(nf, data); res.Errors != 0 {
					b.Fatalf("%d errors: %v", res.Errors, res.Diags)
				}
			}
			b.StopTimer()
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "heap-MB")
		})
	}
}

// BenchmarkLoad is the baseline of BenchmarkCheck: the checks of
// `gongkai check` over the same board as it is on disk.
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir, _ := corpusBoard(b, n)
			s := newTestServer(b, dir)
			opt := s.ed.opt.Build
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, ds := build.Load(opt); ds.HasErrors() {
					b.Fatal(ds)
				}
			}
		})
	}
}
