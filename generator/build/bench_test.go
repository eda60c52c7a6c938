package build

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// BenchmarkLoad measures the checks of the pipeline: load, validate, the
// calendar, the ledger and the versions.
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		fsys := corpus.FS(n, 1)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if board, ds := Load(Options{Src: fsys, Today: benchDay}); board == nil || ds.HasErrors() {
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
		recs, _ := content.DecodeEach(site, fsys, srcs)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if board, ds := record.NewBoard(site, recs, record.Elsewhere{}); board == nil || ds.HasErrors() {
					b.Fatal(ds)
				}
			}
		})
	}
}

// discard is an Output that keeps nothing.
type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }
func (discard) Remove(string) error            { return nil }

// BenchmarkRender measures rendering every output, the checks included,
// into an output that keeps nothing.
func BenchmarkRender(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		opt := Options{Src: corpus.FS(n, 1), Today: benchDay}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if res, ds, err := To(opt, discard{}); err != nil || res == nil {
					b.Fatal(err, ds)
				}
			}
		})
	}
}

// BenchmarkWrite measures writing the files of a rendered site into a
// new folder: the part of a build that belongs to the disk.
func BenchmarkWrite(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		mem := NewMemOutput()
		if res, ds, err := To(Options{Src: corpus.FS(n, 1), Today: benchDay}, mem); err != nil || res == nil {
			b.Fatal(err, ds)
		}
		names := mem.Names()
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			root := b.TempDir()
			for i := 0; i < b.N; i++ {
				dir := fmt.Sprintf("%s/public-%d", root, i)
				out, err := OpenDir(dir)
				if err != nil {
					b.Fatal(err)
				}
				err = par.Each(len(names), func(j int) error {
					data, _ := mem.Get(names[j])
					return out.WriteFile(names[j], data)
				})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := out.Commit(names); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := os.RemoveAll(dir); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(len(names)), "files")
		})
	}
}

// BenchmarkBuild measures the whole pipeline, written to a new folder
// (removed again outside the timer).
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

// writeCorpus writes a generated board of n records into a new folder.
func writeCorpus(b *testing.B, n int) string {
	dir := b.TempDir()
	for name, text := range corpus.Board(n, 1) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkRebuild measures `gongkai build` into the folder that holds
// the previous build of the same board, after one record was edited: a
// new pipeline each time, as a new run of the command has.
func BenchmarkRebuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		src := writeCorpus(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir := b.TempDir() + "/public"
			opt := Options{Src: os.DirFS(src), Today: benchDay, Cache: b.TempDir()}
			if _, _, err := ToDir(opt, dir); err != nil {
				b.Fatal(err)
			}
			es, err := os.ReadDir(filepath.Join(src, "disclosures"))
			if err != nil || len(es) == 0 {
				b.Fatal(err)
			}
			file := filepath.Join(src, "disclosures", es[0].Name())
			orig, err := os.ReadFile(file)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				text := strings.Replace(string(orig), `title = "`, fmt.Sprintf(`title = "改%d`, i), 1)
				if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				res, ds, err := ToDir(opt, dir)
				if err != nil || res == nil {
					b.Fatal(err, ds)
				}
				if res.Written == 0 || res.Written > len(res.Files)/10 {
					b.Fatalf("%d of %d files written after one edit", res.Written, len(res.Files))
				}
			}
		})
	}
}
