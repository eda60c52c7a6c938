package record_test

import (
	"io/fs"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"gongkai/generator/config"
	"gongkai/generator/diag"
	"gongkai/generator/markdown"
	"gongkai/generator/record"
)

// demoSources returns the demo board's site and its record files, read
// as content does.
func demoSources(tb testing.TB) (*config.Site, fs.FS, []record.Source) {
	fsys := os.DirFS("../../content")
	text, err := fs.ReadFile(fsys, "site.toml")
	if err != nil {
		tb.Fatal(err)
	}
	site, ds := config.Parse(string(text))
	if site == nil || ds.HasErrors() {
		tb.Fatalf("site.toml: %v", ds)
	}
	md := markdown.New(false)
	var srcs []record.Source
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		src, ok := record.IDFromPath(p)
		if !ok || strings.HasPrefix(p, "themes/") {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		src.Text, src.Outline = string(b), md.Outline
		srcs = append(srcs, src)
		return nil
	})
	if err != nil || len(srcs) < 10 {
		tb.Fatalf("reading the demo board: %v (%d records)", err, len(srcs))
	}
	return site, fsys, srcs
}

// BenchmarkDecode decodes every record of the demo board.
func BenchmarkDecode(b *testing.B) {
	site, fsys, srcs := demoSources(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			if r, _ := record.Decode(site, fsys, src); r == nil {
				b.Fatal(src.File)
			}
		}
	}
}

// BenchmarkDecoder decodes every record of the demo board with one
// Decoder, as a build does.
func BenchmarkDecoder(b *testing.B) {
	site, fsys, srcs := demoSources(b)
	dec := record.NewDecoder(site)
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			if r, _ := dec.Decode(fsys, src); r == nil {
				b.Fatal(src.File)
			}
		}
	}
}

// TestDecoderIsDecode decodes the demo board and the fuzz seeds, as
// records of every section, with one Decoder shared by goroutines and
// with Decode each time: the records and diagnostics are the same.
// (That one Decoder serves a site's every record is what makes a build
// cheaper; this holds it to the function it stands for.)
func TestDecoderIsDecode(t *testing.T) {
	site, fsys, srcs := demoSources(t)
	md := markdown.New(false)
	for _, text := range fuzzSeeds {
		for _, section := range append(record.Sections, "other") {
			srcs = append(srcs, record.Source{File: section + "/x/index.md", ID: section + "/x", Section: section, Slug: "x", Bundle: true, Text: text, Outline: md.Outline})
		}
	}
	dec := record.NewDecoder(site)
	type result struct {
		r  *record.Record
		ds diag.List
	}
	got := make([]result, len(srcs))
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(srcs); i += 4 {
				got[i].r, got[i].ds = dec.Decode(fsys, srcs[i])
			}
		})
	}
	wg.Wait()
	for i, src := range srcs {
		r, ds := record.Decode(site, fsys, src)
		if !reflect.DeepEqual(r, got[i].r) {
			t.Errorf("%s (%.20q): the Decoder's record differs from Decode's", src.File, src.Text)
		}
		// Placeholders are found in no particular order: compare the
		// lists as a build shows them.
		if !reflect.DeepEqual(ds.Sorted(), got[i].ds.Sorted()) {
			t.Errorf("%s (%.20q): diagnostics\n%v\nDecode gives\n%v", src.File, src.Text, got[i].ds, ds)
		}
	}
}
