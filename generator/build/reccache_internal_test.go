package build

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"gongkai/generator/config"
	"gongkai/generator/content"
	"gongkai/generator/internal/testboard"
	"gongkai/generator/record"
)

// cachedBoard is the test board decoded through a record cache, and the
// file the cache was written to.
type cachedBoard struct {
	src     fs.FS
	site    *config.Site
	listing content.Listing
	recs    []*record.Record
	file    string
}

func cacheTestBoard(t testing.TB) cachedBoard {
	t.Helper()
	b := cachedBoard{src: os.DirFS(testboard.Copy(t, nil)), file: filepath.Join(t.TempDir(), "records")}
	b.site, _ = config.Load(b.src)
	b.listing, _ = content.Walk(b.src)
	c := openRecCache(b.file, "g")
	b.recs, _ = c.decode(b.site, b.src, b.listing.Sources, b.listing.Info)
	if err := c.write(); err != nil {
		t.Fatal(err)
	}
	return b
}

// The records read from the cache hold the texts they were written with,
// each body the end of its text; and no content of a cache file, however
// made, makes the reading fail other than by refusing it.
func FuzzRecFile(f *testing.F) {
	cached := cacheTestBoard(f)
	l, recs, file := cached.listing, cached.recs, cached.file
	b, err := os.ReadFile(file)
	if err != nil {
		f.Fatal(err)
	}
	_, body, _ := bytes.Cut(b, []byte("\n"))
	got, ok := decodeRecFile(body)
	if !ok || len(got.Entries) != len(recs) {
		f.Fatalf("the cache written reads back as %v entries (%v), want %d", got, ok, len(recs))
	}
	byFile := map[string]string{}
	for i, s := range l.Sources {
		if recs[i] != nil {
			byFile[s.File] = recs[i].Text
		}
	}
	for _, e := range got.Entries {
		if e.Rec.Text != byFile[e.File] || e.Rec.Text[len(e.Rec.Text)-len(e.Rec.Body):] != e.Rec.Body || e.Rec.Body == "" {
			t := e.Rec.Text
			f.Errorf("%s: the text read back is %d bytes (want %d), its body %d", e.File, len(t), len(byFile[e.File]), len(e.Rec.Body))
		}
	}
	f.Add(body)
	f.Add(body[:len(body)/2])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := decodeRecFile(b)
		if !ok {
			return
		}
		for _, e := range got.Entries {
			if len(e.Rec.Body) > len(e.Rec.Text) || e.Rec.Text[len(e.Rec.Text)-len(e.Rec.Body):] != e.Rec.Body {
				t.Fatalf("%s: a body that is not the end of its text", e.File)
			}
		}
	})
}

// The walker of a record's times finds every time walkTimes finds, which
// looks into every field: a type it skips holds none.
func TestTimeWalker(t *testing.T) {
	src := os.DirFS(testboard.Copy(t, nil))
	site, _ := config.Load(src)
	l, _ := content.Walk(src)
	recs, _ := content.DecodeEach(site, src, l.Sources)
	w := newTimeWalker(reflect.TypeFor[record.Record]())
	times := 0
	for _, r := range recs {
		if r == nil {
			continue
		}
		var all, found []*time.Time
		walkTimes(reflect.ValueOf(r).Elem(), func(v reflect.Value) { all = append(all, v.Addr().Interface().(*time.Time)) })
		w.walk(reflect.ValueOf(r).Elem(), func(t *time.Time) { found = append(found, t) })
		if !slices.Equal(all, found) {
			t.Errorf("%s: the walker found %d times, walkTimes %d", r.File, len(found), len(all))
		}
		times += len(all)
	}
	if times < 50 {
		t.Fatalf("only %d times on the test board: it tests nothing", times)
	}
}
