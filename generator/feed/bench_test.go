package feed_test

import (
	"fmt"
	"testing"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/feed"
	"gongkai/generator/internal/corpus"
	"gongkai/generator/opendata"
	"gongkai/generator/render"
)

// BenchmarkStages measures the discovery stages alone on a 10,000-record
// board: the search index and page, the feeds and sitemap, the data files.
func BenchmarkStages(b *testing.B) {
	opt := build.Options{Src: corpus.FS(10000, 1), Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}
	board, ds := build.Load(opt)
	if board == nil || ds.HasErrors() {
		b.Fatal(ds)
	}
	ropt := build.RenderOptions(board, opt)
	ropt.Extra = nil
	r, err := render.New(board, build.NewMemOutput(), ropt)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range []struct {
		name  string
		stage func(*render.Renderer) error
	}{{"search", render.Search}, {"feed", feed.Stage}, {"opendata", opendata.Stage}} {
		b.Run(fmt.Sprint(s.name), func(b *testing.B) {
			for b.Loop() {
				if err := s.stage(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
