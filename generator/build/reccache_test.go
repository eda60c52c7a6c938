package build

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gongkai/generator/config"
	"gongkai/generator/content"
	"gongkai/generator/internal/testboard"
)

// Every record of the demo board comes back from the cache as it was
// decoded: the same values (times in the same zone), the same
// diagnostics, and what each decoding read.
func TestRecordCacheRoundTrip(t *testing.T) {
	src := os.DirFS(testboard.Copy(t, map[string]string{
		// Times with an offset, a warning with a key, a decision with
		// steps and amounts.
		"minutes/extra.md": "+++\ntitle = \"会议\"\ndate = 2026-03-01T09:30:00+08:00\nmeeting = \"村民代表会议\"\nexpected = 30\npresent = 25\n+++\n\n会议。\n",
	}))
	site, ds := config.Load(src)
	if site == nil {
		t.Fatal(ds)
	}
	l, _ := content.Walk(src)
	want, wantDs := content.DecodeEach(site, src, l.Sources)

	file := filepath.Join(t.TempDir(), "records")
	c := openRecCache(file, "g")
	got, gotDs := c.decode(site, src, l.Sources, l.Info)
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotDs, wantDs) {
		t.Fatal("decoding through the cache changed what was decoded")
	}
	if c.decoded != len(l.Sources) || len(c.use) == 0 {
		t.Fatalf("decoded %d of %d, kept %d", c.decoded, len(l.Sources), len(c.use))
	}
	if err := c.write(); err != nil {
		t.Fatal(err)
	}

	c = openRecCache(file, "g")
	got, gotDs = c.decode(site, src, l.Sources, l.Info)
	if c.decoded != len(l.Sources)-len(c.use) {
		t.Errorf("decoded %d of %d records again, with %d in the cache", c.decoded, len(l.Sources), len(c.use))
	}
	if c.hits < len(l.Sources)*3/4 {
		t.Errorf("only %d of %d records came from the cache", c.hits, len(l.Sources))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("%s: the record read from the cache differs from the one decoded:\n%#v\n%#v", l.Sources[i].File, got[i], want[i])
		}
		if !reflect.DeepEqual(gotDs[i], wantDs[i]) {
			t.Errorf("%s: diagnostics differ: %v, %v", l.Sources[i].File, gotDs[i], wantDs[i])
		}
	}
	for _, r := range got {
		if r == nil {
			continue
		}
		walkTimes(reflect.ValueOf(r).Elem(), func(v reflect.Value) {
			if tm := v.Interface().(time.Time); !tm.IsZero() && tm.Location() != site.Zone() && tm.Location() != time.UTC {
				t.Errorf("%s: a time in %v after the cache", r.File, tm.Location())
			}
		})
	}

	// Another executable or site.toml: nothing is taken.
	c = openRecCache(file, "other")
	c.decode(site, src, l.Sources, l.Info)
	if c.hits != 0 {
		t.Errorf("%d records taken from a cache of another build", c.hits)
	}
}

// A record is decoded again when any file its decoding read changed, even
// when the change kept the file's size and modification time (a file
// saved twice within the file system's clock's resolution); and when a
// file it looked for and did not find appears.
func TestRecordCacheSeesChanges(t *testing.T) {
	dir := testboard.Copy(t, nil)
	src := os.DirFS(dir)
	site, _ := config.Load(src)
	l, _ := content.Walk(src)
	file := filepath.Join(t.TempDir(), "records")
	c := openRecCache(file, "g")
	c.decode(site, src, l.Sources, l.Info)
	if err := c.write(); err != nil {
		t.Fatal(err)
	}
	reads := map[string][]string{}
	for f, e := range c.use {
		for _, p := range e.Reads {
			reads[f] = append(reads[f], p.Name)
		}
	}
	bundle := "disclosures/guiyuan-gaizao/index.md"
	if len(reads[bundle]) < 2 {
		t.Fatalf("the decoding of %s read only %v", bundle, reads[bundle])
	}

	same := func(name string, edit func(string) string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(p)
		nb := edit(string(b))
		if len(nb) != len(b) || nb == string(b) {
			t.Fatalf("%s: the edit must keep the size and change the text", name)
		}
		os.WriteFile(p, []byte(nb), 0o644)
		os.Chtimes(p, fi.ModTime(), fi.ModTime())
	}
	decodedAgain := func(what string, want ...string) {
		t.Helper()
		c := openRecCache(file, "g")
		l, _ := content.Walk(src) // as a build does: what it sees now
		c.decode(site, src, l.Sources, l.Info)
		var got []string
		for _, s := range l.Sources {
			if e := c.use[s.File]; e == nil || !c.inBase[e] && c.old[s.File] != e {
				got = append(got, s.File)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: decoded again %v, want %v", what, got, want)
		}
		if err := c.write(); err != nil {
			t.Fatal(err)
		}
	}
	decodedAgain("nothing changed")
	same("disclosures/guiyuan-gaizao/资金明细.csv", func(s string) string { return strings.Replace(s, "1", "2", 1) })
	decodedAgain("a table changed, same size and time", bundle)
	same("disclosures/2026-q2-caiwu.md", func(s string) string { return strings.Replace(s, "。", "！", 1) })
	decodedAgain("a record changed, same size and time", "disclosures/2026-q2-caiwu.md")
}

// A damaged cache file is no cache.
func TestRecordCacheDamaged(t *testing.T) {
	cached := cacheTestBoard(t)
	src, site, l, file := cached.src, cached.site, cached.listing, cached.file
	b, _ := os.ReadFile(file)
	for _, damage := range []func([]byte) []byte{
		func(b []byte) []byte { return b[:len(b)/2] },
		func(b []byte) []byte { c := append([]byte(nil), b...); c[len(c)-10] ^= 1; return c },
		func(b []byte) []byte { return nil },
	} {
		os.WriteFile(file, damage(b), 0o644)
		c := openRecCache(file, "g")
		got, _ := c.decode(site, src, l.Sources, l.Info)
		if c.hits != 0 || len(got) != len(l.Sources) {
			t.Errorf("%d records taken from a damaged cache", c.hits)
		}
	}
}
