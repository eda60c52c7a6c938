package deploy

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestCacheControlAndContentType(t *testing.T) {
	for _, c := range []struct{ name, cache, ctype string }{
		{"assets/style.8cd9c9c7.css", "public, max-age=31536000, immutable", "text/css; charset=utf-8"},
		{"assets/main.5cea72aa.js", "public, max-age=31536000, immutable", "text/javascript; charset=utf-8"},
		{"index.html", "public, max-age=300", "text/html; charset=utf-8"},
		{"decisions/2026-02/v2/index.html", "public, max-age=300", "text/html; charset=utf-8"},
		{"feed.xml", "public, max-age=300", "application/atom+xml"},
		{"disclosures/feed.xml", "public, max-age=300", "application/atom+xml"},
		{"sitemap.xml", "public, max-age=300", "application/xml"},
		{"data/records.json", "public, max-age=300", "application/json"},
		{"data/disclosures/q3/accounts.csv", "public, max-age=300", "text/csv; charset=utf-8"},
		{"search/index-3f.json", "public, max-age=300", "application/json"},
		{"ledger.json", "no-cache", "application/json"},
		{"ledger.jsonl", "no-cache", "text/plain; charset=utf-8"},
		{"ledger/verify.py", "no-cache", "text/plain; charset=utf-8"},
		{"ledger/proofs.json", "no-cache", "application/json"},
		{"ledger/verify/index.html", "no-cache", "text/html; charset=utf-8"},
		{"ledger/checkpoint.txt", "no-cache", "text/plain; charset=utf-8"},
		{"ledger/checkpoints/47.txt", "no-cache", "text/plain; charset=utf-8"},
		{"build.json", "no-cache", "application/json"},
		{"deploy.json", "no-cache", "application/json"},
		{"disclosures/x/附件.PDF", "public, max-age=300", "application/pdf"},
		{"robots.txt", "public, max-age=300", "text/plain; charset=utf-8"},
		{"a/noext", "public, max-age=300", "application/octet-stream"},
	} {
		if got := CacheControl(c.name); got != c.cache {
			t.Errorf("CacheControl(%q) = %q, want %q", c.name, got, c.cache)
		}
		if got := ContentType(c.name); got != c.ctype {
			t.Errorf("ContentType(%q) = %q, want %q", c.name, got, c.ctype)
		}
	}
}

// TestOrder pins the order files travel in: assets, pages (deepest
// first), feeds, then the ledger with build.json last of all.
func TestOrder(t *testing.T) {
	names := []string{"build.json", "index.html", "ledger/checkpoint.txt", "feed.xml", "assets/style.8cd9c9c7.css",
		"decisions/index.html", "decisions/2026-02/v1/index.html", "data/records.json", "ledger.json", "sitemap.xml",
		"robots.txt", "decisions/2026-02/index.html", "search/a.json"}
	var files []File
	for _, n := range names {
		files = append(files, File{Name: n, Phase: phaseOf(n)})
	}
	order(files)
	var got []string
	for _, f := range files {
		got = append(got, f.Name)
	}
	want := []string{
		"assets/style.8cd9c9c7.css", "data/records.json", "search/a.json",
		"decisions/2026-02/v1/index.html", "decisions/2026-02/index.html", "decisions/index.html", "index.html",
		"feed.xml", "robots.txt", "sitemap.xml",
		"ledger.json", "ledger/checkpoint.txt", "build.json",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order:\n got %q\nwant %q", got, want)
	}
	var ups []Upload
	for _, f := range files {
		ups = append(ups, Upload{File: f})
	}
	var sizes []int
	for _, b := range phases(ups) {
		sizes = append(sizes, len(b))
	}
	if !reflect.DeepEqual(sizes, []int{3, 1, 1, 1, 1, 3, 2, 1}) {
		t.Errorf("phases: %v", sizes)
	}
}

func TestParseManifest(t *testing.T) {
	h := strings.Repeat("a", 64)
	good := `{"generator":"gongkai","files":{"index.html":{"size":3,"sha256":"` + h + `"}}}`
	m, err := ParseManifest([]byte(good))
	if err != nil || m.Files["index.html"].Size != 3 {
		t.Fatalf("%v %+v", err, m)
	}
	if string(m.encode()) != string(func() []byte { m2, _ := ParseManifest(m.encode()); return m2.encode() }()) {
		t.Error("a manifest does not read back as itself")
	}
	for _, bad := range []string{
		`{"files":{"../etc/passwd":{"size":1,"sha256":"` + h + `"}}}`,
		`{"files":{"/abs":{"size":1,"sha256":"` + h + `"}}}`,
		`{"files":{"a//b":{"size":1,"sha256":"` + h + `"}}}`,
		`{"files":{"deploy.json":{"size":1,"sha256":"` + h + `"}}}`,
		`{"files":{"a":{"size":-1,"sha256":"` + h + `"}}}`,
		`{"files":{"a":{"size":1,"sha256":"abc"}}}`,
		`{"files":`,
		`[]`,
	} {
		if _, err := ParseManifest([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(`{"generator":"gongkai","files":{"a/b.html":{"size":3,"sha256":"` + strings.Repeat("0", 64) + `"}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseManifest(b)
		if err != nil {
			return
		}
		for name := range m.Files {
			if strings.HasPrefix(name, "/") || strings.Contains("/"+name+"/", "/../") {
				t.Fatalf("accepted %q", name)
			}
		}
	})
}

func TestListed(t *testing.T) {
	h := strings.Repeat("b", 64)
	site := fstest.MapFS{
		"deploy.json": {Data: []byte(`{"generator":"gongkai","files":{"index.html":{"size":1,"sha256":"` + h + `"},"old/index.html":{"size":1,"sha256":"` + h + `"}}}`)},
		"sitemap.xml": {Data: []byte(`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://example.org/qingshi/</loc></url>
<url><loc>https://example.org/qingshi/decisions/%E5%86%B3%E5%AE%9A/</loc></url>
<url><loc>https://example.org/qingshi/data/records.json</loc></url>
<url><loc>https://elsewhere.org/x/</loc></url>
<url><loc>https://example.org/qingshi/../../etc/</loc></url>
</urlset>`)},
	}
	names, from, err := Listed(site, "https://example.org/qingshi/")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"data/records.json", "decisions/决定/index.html", "index.html", "old/index.html"}
	if !reflect.DeepEqual(names, want) || !reflect.DeepEqual(from, []string{"deploy.json", "sitemap.xml"}) {
		t.Errorf("Listed = %q from %q", names, from)
	}
	if names, from, err := Listed(fstest.MapFS{}, "https://e.org/"); err != nil || len(names) != 0 || len(from) != 0 {
		t.Errorf("empty site: %q %q %v", names, from, err)
	}
}

func TestFormat(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1500: "1.5 KB", 2_500_000: "2.5 MB", 3_210_000_000: "3.21 GB"} {
		if got := Format(n); got != want {
			t.Errorf("Format(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestHashCache: a second scan takes unchanged files' hashes from the
// cache, and a file written anew — what a build does to a changed file —
// is read again, even at the same size.
func TestHashCache(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	files := baseSite()
	site := writeSite(t, dir, files)
	old := time.Now().Add(-time.Hour)
	for name := range files {
		os.Chtimes(filepath.Join(dir, filepath.FromSlash(name)), old, old)
	}
	cache := filepath.Join(t.TempDir(), "cache", "hashes.txt")
	first, err := scan(site, true, cache, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c := readHashCache(cache); len(c) != len(files) {
		t.Fatalf("the cache holds %d files, want %d", len(c), len(files))
	}
	// Poison the cache for one file: a second scan must use it, which
	// proves it reads the cache instead of the files.
	b, _ := os.ReadFile(cache)
	poisoned := strings.Replace(string(b), hashOf256(files["index.html"]), strings.Repeat("0", 64), 1)
	os.WriteFile(cache, []byte(poisoned), 0o644)
	second, _ := scan(site, true, cache, nil)
	for i := range second {
		if second[i].Name == "index.html" {
			if second[i].SHA256 != strings.Repeat("0", 64) {
				t.Error("the second scan did not take index.html's hash from the cache")
			}
		} else if second[i] != first[i] {
			t.Errorf("%s: %+v, want %+v", second[i].Name, second[i], first[i])
		}
	}
	// A changed file, written anew at the same size (its inode number may
	// well be the old one's again).
	p := filepath.Join(dir, "index.html")
	os.Remove(p)
	changed := strings.Replace(files["index.html"], "首页", "主页", 1)
	os.WriteFile(p, []byte(changed), 0o644)
	os.Chtimes(p, old.Add(time.Second), old.Add(time.Second))
	third, _ := scan(site, true, cache, nil)
	for _, f := range third {
		if f.Name == "index.html" && f.SHA256 != hashOf256(changed) {
			t.Error("a file written anew kept its cached hash")
		}
	}
	// A file just written is not cached: its time cannot tell a later change.
	os.WriteFile(filepath.Join(dir, "fresh.html"), []byte("x"), 0o644)
	scan(site, false, cache, nil)
	if _, ok := readHashCache(cache)["fresh.html"]; ok {
		t.Error("a file written a moment ago was cached")
	}
}

func hashOf256(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
