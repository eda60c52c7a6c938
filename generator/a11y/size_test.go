package a11y

import (
	"bytes"
	"compress/gzip"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// budget is the most a record page may weigh, gzipped, with the CSS and
// JS it loads (the search script is not loaded by record pages).
const budget = 30 * 1024

var assetRe = regexp.MustCompile(`<(?:link[^>]*rel="?stylesheet"?[^>]*href|script[^>]*src)="?([^" >]+)`)

// gzipSize is the length of b compressed with gzip at its best level.
func gzipSize(t *testing.T, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// pageWeight is the gzipped size of the page at dir/p plus each stylesheet
// and script it loads, and the names of those assets.
func pageWeight(t *testing.T, dir, p string) (int, []string) {
	t.Helper()
	html, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p), "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	n := gzipSize(t, html)
	var assets []string
	for _, m := range assetRe.FindAllSubmatch(html, -1) {
		ref := string(m[1])
		if strings.Contains(ref, "://") || strings.HasPrefix(ref, "/_gongkai/") {
			continue
		}
		a := path.Clean(path.Join(p, ref))
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(a)))
		if err != nil {
			t.Errorf("%s loads %s: %v", p, ref, err)
			continue
		}
		n += gzipSize(t, b)
		assets = append(assets, a)
	}
	return n, assets
}

// TestRecordPageWeight checks every record page of the demo board against
// the 30 KB gzip budget and that none loads the search script.
func TestRecordPageWeight(t *testing.T) {
	dir := site(t)
	heaviest, heaviestPage, count := 0, "", 0
	for _, p := range pages(t, dir, true) {
		if !strings.HasPrefix(p.Kind, "record") {
			continue
		}
		count++
		n, assets := pageWeight(t, dir, p.Path)
		for _, a := range assets {
			if strings.Contains(a, "search") {
				t.Errorf("%s loads the search script %s", p.Path, a)
			}
		}
		if n > budget {
			t.Errorf("%s weighs %d bytes gzipped with %v, over the %d budget", p.Path, n, assets, budget)
		}
		if n > heaviest {
			heaviest, heaviestPage = n, p.Path
		}
	}
	if count == 0 {
		t.Fatal("no record pages in the build")
	}
	t.Logf("%d record pages; heaviest %s: %d bytes gzipped (budget %d)", count, heaviestPage, heaviest, budget)
}

func TestPageWeightCountsAssets(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755)
	os.MkdirAll(filepath.Join(dir, "assets"), 0o755)
	big := bytes.Repeat([]byte("x"), 1000)
	os.WriteFile(filepath.Join(dir, "assets", "s.css"), []byte("body{color:red}"), 0o644)
	os.WriteFile(filepath.Join(dir, "assets", "m.js"), big, 0o644)
	html := []byte(`<link rel="stylesheet" href="../../assets/s.css"><script src="../../assets/m.js"></script>`)
	os.WriteFile(filepath.Join(dir, "a", "b", "index.html"), html, 0o644)
	n, assets := pageWeight(t, dir, "a/b/")
	want := gzipSize(t, html) + gzipSize(t, []byte("body{color:red}")) + gzipSize(t, big)
	if n != want || len(assets) != 2 || assets[0] != "assets/s.css" || assets[1] != "assets/m.js" {
		t.Errorf("pageWeight = %d %v, want %d [assets/s.css assets/m.js]", n, assets, want)
	}
}
