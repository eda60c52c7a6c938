package build

import (
	"bytes"
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

// The records read from the cache hold the texts they were written with,
// each body the end of its text; and no content of a cache file, however
// made, makes the reading fail other than by refusing it.
func FuzzRecFile(f *testing.F) {
	src := os.DirFS(testboard.Copy(f, nil))
	site, _ := config.Load(src)
	l, _ := content.Walk(src)
	file := filepath.Join(f.TempDir(), "records")
	c := openRecCache(file, "g")
	recs, _ := c.decode(site, src, l.Sources, l.Info)
	if err := c.write(); err != nil {
		f.Fatal(err)
	}
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
