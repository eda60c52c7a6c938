package feed_test

import (
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
	res, ds, err := build.To(build.Options{Src: corpus.FS(10000, 1), Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}, build.NewMemOutput())
	if err != nil || res == nil {
		b.Fatal(err, ds)
	}
	w := res.Render.Writer(build.NewMemOutput())
	for _, s := range []render.Stage{render.SearchStage(nil), feed.Stage(), opendata.Stage()} {
		b.Run(s.Name, func(b *testing.B) {
			for b.Loop() {
				if s.Record != nil {
					for _, v := range w.Public() {
						if err := s.Record(w, v); err != nil {
							b.Fatal(err)
						}
					}
				}
				if err := s.Board(w); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
