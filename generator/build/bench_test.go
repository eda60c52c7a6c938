package build

import (
	"fmt"
	"testing"
	"time"

	"gongkai/generator/content"
	"gongkai/generator/internal/corpus"
)

var benchDay = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

func TestCorpusIsValid(t *testing.T) {
	_, ds := Load(Options{Src: corpus.FS(300, 1), Today: benchDay})
	if ds.HasErrors() {
		t.Fatalf("generated board has errors:\n%v", ds.Sorted()[0])
	}
}

// BenchmarkLoad measures load + validate (reading, decoding, checking).
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		fsys := corpus.FS(n, 1)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if board, ds := content.Load(fsys, content.Options{}); board == nil || ds.HasErrors() {
					b.Fatal(ds)
				}
			}
			b.ReportMetric(float64(n), "records")
		})
	}
}

// BenchmarkRender measures rendering every output into memory.
func BenchmarkRender(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		fsys := corpus.FS(n, 1)
		opt := Options{Src: fsys, Today: benchDay}
		board, _ := Load(opt)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := Render(board, NewMemOutput(), opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBuild measures the whole pipeline, written to a folder.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		fsys := corpus.FS(n, 1)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir := b.TempDir() + "/public"
			for i := 0; i < b.N; i++ {
				if res, ds, err := ToDir(Options{Src: fsys, Today: benchDay}, dir); err != nil || res == nil {
					b.Fatal(err, ds)
				}
			}
		})
	}
}
