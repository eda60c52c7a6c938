package preview

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/diag"
)

var testToday = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// fixture is a small generated board behind a Builder and a test server.
type fixture struct {
	t   *testing.T
	dir string
	b   *Builder
	srv *httptest.Server
}

func newFixture(t *testing.T, n int) *fixture {
	t.Helper()
	dir := writeBoard(t, n)
	b := NewBuilder(build.Options{Src: os.DirFS(dir), Today: testToday}, io.Discard, diag.Zh)
	b.ExtrasDelay = -1
	res, err := b.Full()
	if err != nil || res.Problems != nil {
		t.Fatalf("full build: %v %v", err, res.Problems)
	}
	srv := httptest.NewServer(NewServer(b))
	t.Cleanup(srv.Close)
	return &fixture{t: t, dir: dir, b: b, srv: srv}
}

// get returns the status and body of a site path.
func (f *fixture) get(p string) (int, string) {
	f.t.Helper()
	resp, err := http.Get(f.srv.URL + "/" + p)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (f *fixture) read(file string) string {
	b, err := os.ReadFile(filepath.Join(f.dir, filepath.FromSlash(file)))
	if err != nil {
		f.t.Fatal(err)
	}
	return string(b)
}

func (f *fixture) write(file, text string) {
	p := filepath.Join(f.dir, filepath.FromSlash(file))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

// update runs one rebuild and fails on build errors unless broken.
func (f *fixture) update(broken bool, cs ...Change) Result {
	f.t.Helper()
	res, err := f.b.Update(cs)
	if err != nil {
		f.t.Fatal(err)
	}
	if (res.Problems != nil) != broken {
		f.t.Fatalf("problems = %v, want broken=%v", res.Problems, broken)
	}
	return res
}

var titleRE = regexp.MustCompile(`(?m)^title = "([^"]*)"`)

func retitle(text, title string) string {
	return titleRE.ReplaceAllString(text, `title = "`+title+`"`)
}

func page(file string) string {
	return strings.TrimSuffix(file, ".md") + "/"
}

func yearOf(text string) string {
	m := regexp.MustCompile(`(?m)^date = (\d{4})`).FindStringSubmatch(text)
	return m[1]
}

func TestEditShowsUp(t *testing.T) {
	f := newFixture(t, 40)
	file := firstOf(t, f.dir, "disclosures")
	f.write(file, retitle(f.read(file), "改过的标题甲"))
	res := f.update(false, Change{Path: file})
	if res.Full {
		t.Error("an edit rebuilt everything")
	}
	for _, p := range []string{page(file), "", "disclosures/" + yearOf(f.read(file)) + "/"} {
		if code, body := f.get(p); code != 200 || !strings.Contains(body, "改过的标题甲") {
			t.Errorf("/%s: %d, new title missing", p, code)
		}
	}
}

func TestLinkedRecordsFollow(t *testing.T) {
	f := newFixture(t, 60)
	var dec, min string
	es, _ := os.ReadDir(filepath.Join(f.dir, "decisions"))
	for _, e := range es {
		text := f.read("decisions/" + e.Name())
		if m := regexp.MustCompile(`minutes = "([^"]+)"`).FindStringSubmatch(text); m != nil {
			dec, min = "decisions/"+e.Name(), m[1]+".md"
			break
		}
	}
	if dec == "" {
		t.Fatal("no decision with minutes in the generated board")
	}
	f.write(min, retitle(f.read(min), "改名的会议乙"))
	f.update(false, Change{Path: min})
	if _, body := f.get(page(dec)); !strings.Contains(body, "改名的会议乙") {
		t.Errorf("the decision %s still shows the old title of %s", dec, min)
	}
}

func TestDeleteAndAdd(t *testing.T) {
	f := newFixture(t, 40)
	file := firstOf(t, f.dir, "disclosures")
	text := f.read(file)
	year := "disclosures/" + yearOf(text) + "/"
	_, body := f.get(year)
	title := titleRE.FindStringSubmatch(text)[1]
	if !strings.Contains(body, title) {
		t.Fatalf("%s does not list %q before the test", year, title)
	}
	if err := os.Remove(filepath.Join(f.dir, filepath.FromSlash(file))); err != nil {
		t.Fatal(err)
	}
	f.update(false, Change{Path: file, Structural: true})
	if code, _ := f.get(page(file)); code != 404 {
		t.Errorf("deleted record's page: %d, want 404", code)
	}
	for _, p := range []string{year, "disclosures/", ""} {
		if _, body := f.get(p); strings.Contains(body, `href="`+strings.TrimPrefix(page(file), "disclosures/")) || strings.Contains(body, title+"<") {
			t.Errorf("/%s still lists the deleted record", p)
		}
	}
	// A new record in a new folder (a bundle) appears.
	added := "disclosures/xin-jilu/index.md"
	f.write(added, retitle(text, "新增的公开丙"))
	f.update(false, Change{Path: "disclosures/xin-jilu", Structural: true})
	if code, body := f.get("disclosures/xin-jilu/"); code != 200 || !strings.Contains(body, "新增的公开丙") {
		t.Errorf("new record's page: %d", code)
	}
	if _, body := f.get(year); !strings.Contains(body, "新增的公开丙") {
		t.Errorf("%s does not list the new record", year)
	}
}

func TestBrokenKeepsLastGood(t *testing.T) {
	f := newFixture(t, 40)
	file := firstOf(t, f.dir, "disclosures")
	good := f.read(file)
	f.write(file, retitle(good, "最后一次好的丁"))
	f.update(false, Change{Path: file})
	f.write(file, strings.Replace(retitle(good, "坏的不该出现"), "category = ", "category = \"", 1))
	res := f.update(true, Change{Path: file})
	if len(res.Problems) == 0 || res.Problems[0].Pos.File != file {
		t.Fatalf("problems: %v", res.Problems)
	}
	for _, p := range []string{"", page(file), "no/such/page/"} {
		_, body := f.get(p)
		if !strings.Contains(body, `id="gongkai-overlay"`) || !strings.Contains(body, file+":") {
			t.Errorf("/%s: no overlay naming %s", p, file)
		}
	}
	if _, body := f.get(page(file)); !strings.Contains(body, "最后一次好的丁") || strings.Contains(body, "坏的不该出现") {
		t.Error("the last good page is not served while the file is broken")
	}
	if _, css := f.get(f.cssPath()); strings.Contains(css, "gongkai-overlay") {
		t.Error("the overlay was put into a stylesheet")
	}
	f.write(file, retitle(good, "修好了戊"))
	f.update(false, Change{Path: file})
	if _, body := f.get(page(file)); !strings.Contains(body, "修好了戊") || strings.Contains(body, "gongkai-overlay") {
		t.Error("the fix did not recover")
	}
}

func (f *fixture) cssPath() string {
	for _, n := range f.b.Names() {
		if strings.HasSuffix(n, ".css") {
			return n
		}
	}
	f.t.Fatal("no stylesheet")
	return ""
}

func TestServing(t *testing.T) {
	f := newFixture(t, 20)
	tests := []struct {
		path, ctype string
		code        int
	}{
		{"", "text/html", 200},
		{"disclosures/", "text/html", 200},
		{"_gongkai/reload.js", "application/javascript", 200},
		{"nope/", "text/html", 404},
		{"robots.txt", "text/plain", 200},
	}
	for _, tc := range tests {
		resp, err := http.Get(f.srv.URL + "/" + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.ctype) {
			t.Errorf("/%s: %d %s, want %d %s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), tc.code, tc.ctype)
		}
	}
	// A folder without its slash is redirected to it.
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(f.srv.URL + "/disclosures")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/disclosures/" {
		t.Errorf("/disclosures: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, home := f.get("")
	if !strings.Contains(home, `src="/_gongkai/reload.js"`) {
		t.Error("pages do not load the reload script")
	}
}

// rawGet sends a request line as written, without client-side cleaning.
func rawGet(t *testing.T, addr, target string) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "GET "+target+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	b, _ := io.ReadAll(bufio.NewReader(conn))
	return string(b)
}

func TestTraversalRefused(t *testing.T) {
	f := newFixture(t, 10)
	addr := strings.TrimPrefix(f.srv.URL, "http://")
	for _, target := range []string{
		"/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc/passwd",
		"/%2E%2E/%2E%2E/etc/passwd", "/disclosures/../../../../etc/passwd", "/..\\..\\etc\\passwd",
	} {
		resp := rawGet(t, addr, target)
		if strings.Contains(resp, "root:") || strings.HasPrefix(resp, "HTTP/1.1 200") {
			t.Errorf("%s: %.60q", target, resp)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		in, name string
		dir      bool
	}{
		{"/", "index.html", true},
		{"", "index.html", true},
		{"/a/b/", "a/b/index.html", true},
		{"/a/b", "a/b", false},
		{"/../../etc/passwd", "etc/passwd", false},
		{"/a/../../../b/", "b/index.html", true},
		{"/./a//b.css", "a/b.css", false},
	}
	for _, tc := range tests {
		name, dir := Clean(tc.in)
		if name != tc.name || dir != tc.dir {
			t.Errorf("Clean(%q) = %q %v, want %q %v", tc.in, name, dir, tc.name, tc.dir)
		}
	}
}

func TestInject(t *testing.T) {
	ov := []byte("<div>X</div>")
	tests := []struct{ in, want string }{
		{"<html><body><p>a</p></body></html>", "<html><body><div>X</div><p>a</p></body></html>"},
		{`<html><body class="a>b" id=x><p>`, `<html><body class="a>b" id=x><div>X</div><p>`},
		{"<HTML><BODY>", "<HTML><BODY><div>X</div>"},
		{"<bodyguard><body>", "<bodyguard><body><div>X</div>"},
		{"<p>no body</p>", "<div>X</div><p>no body</p>"},
	}
	for _, tc := range tests {
		if got := string(Inject([]byte(tc.in), ov)); got != tc.want {
			t.Errorf("Inject(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func ExampleClean() {
	name, dir := Clean("/decisions/../../../etc/passwd")
	fmt.Println(name, dir)
	// Output: etc/passwd false
}

func FuzzInject(f *testing.F) {
	for _, s := range []string{"<body>", "<body a='>'>", "<bo", "", "<body", "<body\n>x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, page string) {
		out := Inject([]byte(page), []byte("OV"))
		if len(out) != len(page)+2 || !strings.Contains(string(out), "OV") {
			t.Fatalf("Inject(%q) = %q", page, out)
		}
	})
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"/", "/../x", "/a/b/", "..", "/%2e%2e/", "/a/./../../b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		name, _ := Clean(p)
		if strings.HasPrefix(name, "/") || name == ".." || strings.HasPrefix(name, "../") || strings.Contains(name, "/../") {
			t.Fatalf("Clean(%q) = %q escapes", p, name)
		}
	})
}

// TestThemeEditShowsUp: serve re-reads the board's theme when one of its
// files changes, and every page shows the edit; a broken template keeps
// the last good site with the problem at the theme file.
func TestThemeEditShowsUp(t *testing.T) {
	f := newFixture(t, 30)
	site := f.read("site.toml")
	if regexp.MustCompile(`(?m)^theme\s*=`).MatchString(site) {
		site = regexp.MustCompile(`(?m)^theme\s*=.*$`).ReplaceAllString(site, `theme = "jd"`)
	} else {
		site = `theme = "jd"` + "\n" + site
	}
	footer := "themes/jd/templates/partials/footer.html"
	f.write(footer, `<footer class="site">第一版页脚</footer>`)
	f.write("site.toml", site)
	f.update(false, Change{Path: "site.toml"}, Change{Path: "themes", Structural: true})
	file := firstOf(t, f.dir, "decisions")
	for _, p := range []string{"", page(file)} {
		if _, body := f.get(p); !strings.Contains(body, "第一版页脚") {
			t.Fatalf("/%s does not use the theme's footer", p)
		}
	}
	f.write(footer, `<footer class="site">第二版页脚</footer>`)
	f.update(false, Change{Path: footer})
	for _, p := range []string{"", page(file), "decisions/"} {
		if _, body := f.get(p); !strings.Contains(body, "第二版页脚") || strings.Contains(body, "第一版页脚") {
			t.Errorf("/%s does not show the edited footer", p)
		}
	}
	f.write(footer, `<footer class="site">{{.Nope}}</footer>`)
	res, err := f.b.Update([]Change{{Path: footer}})
	if err == nil && res.Problems == nil {
		t.Fatal("a broken theme template was taken")
	}
	said := fmt.Sprint(err, res.Problems)
	if !strings.Contains(said, footer+":1:") || !strings.Contains(said, "没有字段 .Nope") {
		t.Errorf("the problem is not at the theme file: %s", said)
	}
	if _, body := f.get(""); !strings.Contains(body, "第二版页脚") {
		t.Error("the last good site is gone")
	}
}

// TestNotFoundLinksResolve: the 404 page links from the base URL's path
// (it is served at any depth), and the preview, which serves the site at
// its root, serves those links too.
func TestNotFoundLinksResolve(t *testing.T) {
	f := newFixture(t, 5)
	code, body := f.get("disclosures/nope/deeper/")
	if code != 404 {
		t.Fatalf("missing page: %d", code)
	}
	links := regexp.MustCompile(`(?:href|src)="(/[^"/][^"]*)"`).FindAllStringSubmatch(body, -1)
	if len(links) < 3 {
		t.Fatalf("404 page has %d root-relative links", len(links))
	}
	for _, m := range links {
		if strings.HasPrefix(m[1], "/_gongkai/") {
			continue
		}
		if code, _ := f.get(strings.TrimPrefix(m[1], "/")); code != 200 {
			t.Errorf("the 404 page's link %s: %d", m[1], code)
		}
	}
}
