package render_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/internal/corpus"
	"gongkai/generator/internal/searchtest"
)

// payloadQueries are measured on a 10,000-record board: the common word
// of the conformance check, section and category names, a period, words
// that every generated record holds, a synonym, a document number.
var payloadQueries = []string{"预算", "整治", "三重一大", "财务公开", "村规民约", "2020年第三季度", "居民代表会议",
	"老旧小区改造", "会议纪要"}

// Budget of one query (issue: at most 30 KB gzip; today's script read 26
// files for 预算).
const (
	payloadBudget   = 30 << 10
	payloadRequests = 26
)

// payload is what a browser downloads for one query on the search page.
type payload struct {
	q        string
	results  string // the status line
	bytes    int    // gzip, level 9, as the shared conformance script counts
	requests int
	parts    []string
}

// payloadSite is a built board with its search page, assets and index in
// a folder, ready for the node harness (package searchtest).
type payloadSite struct {
	out    *build.MemOutput
	dir    string
	script string         // the search script in dir
	fixed  map[string]int // the page and the assets it links → gzip bytes
	// numbers are the document number of a decision, whole and by its
	// number alone (青石居〔2020〕17号, 17号).
	numbers []string
}

// newPayloadSite builds a generated board of n records into memory.
func newPayloadSite(tb testing.TB, n int) *payloadSite {
	tb.Helper()
	searchtest.Node(tb)
	out, board, ds, err := build.ToMemory(build.Options{Src: corpus.FS(n, 1), Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)})
	if err != nil || out == nil {
		tb.Fatalf("build: %v %v", err, ds)
	}
	var numbers []string
	for _, r := range board.Records {
		if _, short, ok := strings.Cut(r.Number, "〕"); ok && r.Decision != nil {
			numbers = []string{r.Number, short}
			break
		}
	}
	if numbers == nil {
		tb.Fatal("the generated board has no decision with a number")
	}
	files := map[string][]byte{}
	for _, name := range out.Names() {
		if strings.HasPrefix(name, "search/") || strings.HasPrefix(name, "assets/") {
			files[name], _ = out.Get(name)
		}
	}
	site := tb.TempDir()
	searchtest.WriteSite(tb, site, files)
	// The page and what it links: the style sheet, the theme script and
	// the search script.
	page, _ := out.Get("search/index.html")
	fixed := map[string]int{"search/": gzSize(page)}
	for _, m := range regexp.MustCompile(`(?:href|src)="\.\./(assets/[^"]+\.(?:css|js))"`).FindAllSubmatch(page, -1) {
		b, ok := out.Get(string(m[1]))
		if !ok {
			tb.Fatalf("the search page links %s, which the build did not write", m[1])
		}
		fixed[string(m[1])] = gzSize(b)
	}
	script := ""
	for name := range fixed {
		if strings.HasPrefix(name, "assets/search.") {
			script = filepath.Join(site, filepath.FromSlash(name))
		}
	}
	if script == "" {
		tb.Fatal("the search page links no search script")
	}
	return &payloadSite{out: out, dir: site, script: script, fixed: fixed, numbers: numbers}
}

// measure runs each query: the search page, its style sheet and scripts,
// and the index files search.js fetches for the first page of results
// (run under node through the search package's harness).
func (s *payloadSite) measure(tb testing.TB, queries []string) []payload {
	tb.Helper()
	out, fixed := s.out, s.fixed
	res := searchtest.Run(tb, s.script, s.dir, map[string]any{"page": queries})
	if len(res.Page) != len(queries) {
		tb.Fatalf("the harness answered %d of %d queries", len(res.Page), len(queries))
	}
	var ps []payload
	for i, q := range queries {
		p := payload{q: q, results: res.Page[i].Status, requests: len(fixed)}
		for _, name := range slices.Sorted(maps.Keys(fixed)) {
			n := fixed[name]
			p.bytes += n
			p.parts = append(p.parts, fmt.Sprintf("%s %d", name, n))
		}
		for _, f := range res.Page[i].Fetched {
			b, ok := out.Get(strings.TrimPrefix(f, "/"))
			if !ok {
				tb.Fatalf("%s: search.js fetched %s, which the build did not write", q, f)
			}
			n := gzSize(b)
			p.bytes += n
			p.requests++
			p.parts = append(p.parts, fmt.Sprintf("%s %d", strings.TrimPrefix(f, "/search/idx/"), n))
		}
		ps = append(ps, p)
	}
	return ps
}

func gzSize(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

// TestSearchPayload keeps one query on a 10,000-record board within 30 KB
// gzip and 26 requests, page and assets included.
func TestSearchPayload(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: builds 10,000 records (runs without -short)")
	}
	site := newPayloadSite(t, 10000)
	for _, p := range site.measure(t, append(slices.Clone(payloadQueries), site.numbers...)) {
		t.Logf("%s: %s; %.1f KB gzip in %d requests (%s)", p.q, p.results, float64(p.bytes)/1024, p.requests, strings.Join(p.parts, ", "))
		if !strings.HasPrefix(p.results, "找到") {
			t.Errorf("%s finds nothing on 10,000 records: %s", p.q, p.results)
		}
		if p.bytes > payloadBudget {
			t.Errorf("%s downloads %.1f KB gzip, over %d KB", p.q, float64(p.bytes)/1024, payloadBudget>>10)
		}
		if p.requests > payloadRequests {
			t.Errorf("%s makes %d requests, over %d", p.q, p.requests, payloadRequests)
		}
	}
}

// BenchmarkSearchPayload reports, for each query on a 10,000-record board,
// the gzip bytes and requests of the search page with its first page of
// results (the time is that of running the query under node).
func BenchmarkSearchPayload(b *testing.B) {
	site := newPayloadSite(b, 10000)
	for _, q := range append(slices.Clone(payloadQueries), site.numbers...) {
		b.Run(q, func(b *testing.B) {
			var p payload
			for b.Loop() {
				p = site.measure(b, []string{q})[0]
			}
			b.ReportMetric(float64(p.bytes), "gzipB/query")
			b.ReportMetric(float64(p.requests), "requests/query")
		})
	}
}
