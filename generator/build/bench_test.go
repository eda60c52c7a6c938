package build

import (
	"fmt"
	"os"
	"testing"
	"time"

	"gongkai/generator/config"
	"gongkai/generator/content"
	"gongkai/generator/internal/corpus"
	"gongkai/generator/internal/par"
	"gongkai/generator/record"
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

// BenchmarkValidate measures the cross-record checks alone (links,
// numbers, decisions against their minutes) on records already decoded.
func BenchmarkValidate(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		fsys := corpus.FS(n, 1)
		site, _ := config.Load(fsys)
		srcs, _ := content.Sources(fsys)
		recs, _ := content.Decode(site, fsys, srcs)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if board, ds := record.NewBoard(site, recs, record.Elsewhere{}); board == nil || ds.HasErrors() {
					b.Fatal(ds)
				}
			}
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

// BenchmarkWrite measures writing the files of a rendered site into a
// new folder: the part of a build that belongs to the disk. Each
// iteration writes beside the previous one, which is then removed, as a
// rebuild replaces its output.
func BenchmarkWrite(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		opt := Options{Src: corpus.FS(n, 1), Today: benchDay}
		board, _ := Load(opt)
		mem := NewMemOutput()
		if _, err := Render(board, mem, opt); err != nil {
			b.Fatal(err)
		}
		names := mem.Names()
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			root := b.TempDir()
			for i := 0; i < b.N; i++ {
				dir := fmt.Sprintf("%s/public-%d", root, i)
				out := &DirOutput{Root: dir}
				err := par.Each(len(names), func(j int) error {
					data, _ := mem.Get(names[j])
					return out.WriteFile(names[j], data)
				})
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := os.RemoveAll(fmt.Sprintf("%s/public-%d", root, i-1)); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(len(names)), "files")
		})
	}
}

// BenchmarkBuild measures the whole pipeline, written to a new folder
// (the previous iteration's is removed outside the timer).
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		fsys := corpus.FS(n, 1)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			root := b.TempDir()
			for i := 0; i < b.N; i++ {
				if res, ds, err := ToDir(Options{Src: fsys, Today: benchDay}, fmt.Sprintf("%s/public-%d", root, i)); err != nil || res == nil {
					b.Fatal(err, ds)
				}
				b.StopTimer()
				if err := os.RemoveAll(fmt.Sprintf("%s/public-%d", root, i)); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}

// BenchmarkRebuild measures a build into a folder that already holds the
// previous build of the same board: every file is found unchanged and
// linked instead of written, and the previous build is removed.
func BenchmarkRebuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		fsys := corpus.FS(n, 1)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir := b.TempDir() + "/public"
			if _, _, err := ToDir(Options{Src: fsys, Today: benchDay}, dir); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				res, ds, err := ToDir(Options{Src: fsys, Today: benchDay}, dir)
				if err != nil || res == nil {
					b.Fatal(err, ds)
				}
				if res.Unchanged != len(res.Files) {
					b.Fatalf("%d of %d files unchanged", res.Unchanged, len(res.Files))
				}
			}
		})
	}
}
