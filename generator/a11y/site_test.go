package a11y

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/diag"
)

// demoDate is the build date of the demo board: several records are on
// notice that day.
var demoDate = time.Date(2026, 11, 27, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

type builtSite struct {
	dir string
	err string
}

// siteOnce builds the demo board (content/ at the module root) once for
// all tests of the package.
var siteOnce = sync.OnceValue(func() builtSite {
	dir, err := os.MkdirTemp("", "gongkai-a11y-")
	if err != nil {
		return builtSite{err: err.Error()}
	}
	out := filepath.Join(dir, "public")
	_, ds, err := build.ToDir(build.Options{Src: os.DirFS("../../content"), Today: demoDate}, out)
	if err != nil {
		return builtSite{err: err.Error()}
	}
	if ds.HasErrors() {
		var b strings.Builder
		ds.Print(&b, diag.En)
		return builtSite{err: b.String()}
	}
	return builtSite{dir: out}
})

// site returns the folder of the built demo board.
func site(t *testing.T) string {
	t.Helper()
	s := siteOnce()
	if s.err != "" {
		t.Fatalf("demo board does not build: %s", s.err)
	}
	return s.dir
}

// A page is one built HTML page to check.
type page struct {
	Path  string // site-relative: "" (home), "disclosures/", "404.html"
	Kind  string // what kind of page it is
	Print bool   // a print sheet: laid out for paper, not for 360 px
}

var (
	yearRe    = regexp.MustCompile(`^[^/]+/\d{4}/$`)
	versionRe = regexp.MustCompile(`/v\d+/$`)
)

// kindOf tells the kind of page at p from its path and, for records, from
// its markup.
func kindOf(p string, html []byte) string {
	s := string(html)
	seg := strings.Split(strings.TrimSuffix(p, "/"), "/")
	switch {
	case p == "":
		return "home"
	case p == "404.html":
		return "404"
	case seg[0] == "print":
		return "print " + strings.Join(seg[1:min(len(seg), 2)], "/")
	case seg[0] == "ledger": // the ledger, its checkpoints and the method: three templates
		return strings.Join(seg, "/")
	case seg[0] == "search", seg[0] == "changes", seg[0] == "data":
		return seg[0]
	case strings.Contains(p, "/diff"):
		return "diff"
	case versionRe.MatchString(p):
		return "version"
	case strings.Contains(p, "/history"):
		return "history"
	case len(seg) == 1:
		return "section"
	case yearRe.MatchString(p):
		return "year"
	case len(seg) >= 2 && seg[1] == "category":
		return "category"
	case seg[0] == "pages":
		return "page"
	}
	if !strings.Contains(s, `class="record"`) {
		return "other " + seg[0]
	}
	switch {
	case strings.Contains(s, `class="timeline"`):
		return "record decision"
	case strings.Contains(s, `class="votes"`):
		return "record minutes"
	case strings.Contains(s, `class="toc"`):
		return "record convention"
	case strings.Contains(s, `class="account"`):
		return "record finance"
	case strings.Contains(s, `<div class="body">`) && strings.Contains(s[strings.Index(s, `<div class="body">`):], "<table"):
		return "record with table"
	case strings.Contains(s, `class="withdrawn"`):
		return "record withdrawn"
	}
	return "record " + seg[0]
}

// pages lists the pages of the built site at root: one of each kind, or
// all of them when all is true. Kinds that a build lacks (search, diff …)
// are simply not there.
func pages(t *testing.T, root string, all bool) []page {
	t.Helper()
	seen := map[string]bool{}
	var ps []page
	err := filepath.WalkDir(root, func(f string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(f, root+string(filepath.Separator)))
		if d.IsDir() || (d.Name() != "index.html" && rel != "404.html") {
			return nil
		}
		p := rel
		if d.Name() == "index.html" {
			p = strings.TrimSuffix(rel, "index.html")
			if f == filepath.Join(root, "index.html") {
				p = ""
			}
		}
		html, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		k := kindOf(p, html)
		if !all && seen[k] {
			return nil
		}
		seen[k] = true
		ps = append(ps, page{Path: p, Kind: k, Print: strings.HasPrefix(p, "print/")})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Path < ps[j].Path })
	return ps
}

// axeScript finds axe-core's axe.min.js, or returns "".
func axeScript() string {
	cands := []string{os.Getenv("GONGKAI_AXE")}
	if home, err := os.UserHomeDir(); err == nil {
		cands = append(cands, filepath.Join(home, ".cache", "gongkai-conformance", "node_modules", "axe-core", "axe.min.js"))
	}
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			cands = append(cands, filepath.Join(d, "node_modules", "axe-core", "axe.min.js"))
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if st, err := os.Stat(c); err == nil && !st.IsDir() {
			return c
		}
	}
	return ""
}

// join is path.Join that keeps a trailing slash.
func join(base, p string) string {
	j := path.Join(base, p)
	if (strings.HasSuffix(p, "/") || p == "") && !strings.HasSuffix(j, "/") {
		j += "/"
	}
	return j
}

func TestKindOf(t *testing.T) {
	tests := []struct {
		path, html, want string
	}{
		{"", "", "home"},
		{"404.html", "", "404"},
		{"disclosures/", "", "section"},
		{"disclosures/2026/", "", "year"},
		{"disclosures/category/财务公开/", "", "category"},
		{"print/disclosures/x/", "", "print disclosures"},
		{"print/board/", "", "print board"},
		{"search/", "", "search"},
		{"ledger/", "", "ledger"},
		{"ledger/checkpoints/", "", "ledger/checkpoints"},
		{"ledger/verify/", "", "ledger/verify"},
		{"disclosures/x/v1/", "", "version"},
		{"disclosures/x/diff/2/", "", "diff"},
		{"pages/about/", "", "page"},
		{"decisions/x/", `<article class="record"><ol class="timeline">`, "record decision"},
		{"minutes/x/", `<article class="record"><table class="votes">`, "record minutes"},
		{"conventions/x/", `<article class="record"><nav class="toc">`, "record convention"},
		{"disclosures/x/", `<article class="record"><table class="account">`, "record finance"},
		{"disclosures/y/", `<article class="record"><div class="body"><table>`, "record with table"},
		{"disclosures/z/", `<article class="record"><div class="body"><p>`, "record disclosures"},
	}
	for _, tt := range tests {
		if got := kindOf(tt.path, []byte(tt.html)); got != tt.want {
			t.Errorf("kindOf(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func Example_join() {
	fmt.Println(join("/", "disclosures/"), join("/", ""), join("/", "404.html"))
	// Output: /disclosures/ / /404.html
}
