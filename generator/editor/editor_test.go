package editor

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/folder"
	"gongkai/generator/history"
	"gongkai/generator/internal/testboard"
	"gongkai/generator/ledger"
	"gongkai/generator/record"
)

// copyDir copies the folder src into dst.
func copyDir(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testServer serves a copy of the demo board (or dir, when given) through
// the editor the way serve does, and returns the content folder and the
// server.
type testServer struct {
	t    testing.TB
	dir  string
	srv  *httptest.Server
	ed   *Editor
	c    *http.Client
	base string
}

func newTestServer(t testing.TB, dir string) *testServer {
	t.Helper()
	if dir == "" {
		dir = filepath.Join(t.TempDir(), "content")
		copyDir(t, testboard.Dir(t), dir)
	}
	f, err := folder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	srv := httptest.NewUnstartedServer(nil)
	ed, err := New(Options{Folder: f, Addr: srv.Listener.Addr().String(), Build: build.Options{Today: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = ed.Wrap(http.NotFoundHandler())
	srv.Start()
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &testServer{t: t, dir: dir, srv: srv, ed: ed, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, base: srv.URL}
}

var tokenRE = regexp.MustCompile(`<meta name="gongkai-token" content="([0-9a-f]+)">`)

// get fetches a page and returns its status and text; it takes the
// page's token, as the page's script does.
func (s *testServer) get(path string) (int, string) {
	s.t.Helper()
	resp, err := s.c.Get(s.base + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (s *testServer) token() string {
	s.t.Helper()
	_, page := s.get(Prefix)
	m := tokenRE.FindStringSubmatch(page)
	if m == nil {
		s.t.Fatal("no token on the page")
	}
	return m[1]
}

// post sends a request as the editor's pages do; change alters it first.
func (s *testServer) post(path string, body any, change func(*http.Request)) (int, map[string]any) {
	s.t.Helper()
	tok := s.token()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, s.base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", s.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set(tokenHeader, tok)
	if change != nil {
		change(req)
	}
	c := s.c
	if req.Header.Get("X-Test-No-Cookie") != "" {
		req.Header.Del("X-Test-No-Cookie")
		c = &http.Client{}
	}
	resp, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		out = map[string]any{"raw": string(raw)}
	}
	return resp.StatusCode, out
}

// untouched is the submission of a form opened on file and sent back as
// it is.
func (s *testServer) untouched(name string) submission {
	s.t.Helper()
	f, err := readFile(os.DirFS(s.dir), name)
	if err != nil {
		s.t.Fatal(err)
	}
	src, _ := record.IDFromPath(name)
	raw, err := decodeFM(f.FM)
	if err != nil {
		s.t.Fatal(err)
	}
	body := normal(f.Body)
	sub := submission{File: name, Base: f.Sum, Body: &body}
	b, _ := json.Marshal(derive(record.Schema(s.ed.site(), src.Section), raw))
	json.Unmarshal(b, &sub.Fields)
	return sub
}

func (s *testServer) read(name string) []byte {
	s.t.Helper()
	b, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(name)))
	if err != nil {
		s.t.Fatal(err)
	}
	return b
}

func (s *testServer) write(name string, b []byte) {
	s.t.Helper()
	if err := os.WriteFile(filepath.Join(s.dir, filepath.FromSlash(name)), b, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

func TestPagesOfEveryRecord(t *testing.T) {
	s := newTestServer(t, "")
	for _, p := range []string{Prefix, Prefix + "new", Prefix + "publish", Prefix + "assets/editor.js", Prefix + "assets/editor.css"} {
		if code, _ := s.get(p); code != http.StatusOK {
			t.Errorf("%s: %d", p, code)
		}
	}
	_, index := s.get(Prefix)
	links := regexp.MustCompile(`href="(/_edit/r/[^"]+)"`).FindAllStringSubmatch(index, -1)
	if len(links) < 30 {
		t.Fatalf("the index links %d records", len(links))
	}
	for _, l := range links {
		code, page := s.get(l[1])
		if code != http.StatusOK || !strings.Contains(page, `id="record"`) {
			t.Errorf("%s: %d", l[1], code)
		}
		if strings.Contains(page, `id="f-raw"`) {
			t.Errorf("%s: the form could not read the front matter", l[1])
		}
	}
	if code, _ := s.get(Prefix + "r/disclosures/nope.md"); code != http.StatusNotFound {
		t.Errorf("a missing record: %d", code)
	}
	if code, _ := s.get(Prefix + "r/../site.toml"); code == http.StatusOK {
		t.Errorf("a path out of the sections was served")
	}
}

// TestRefusals: only the editor's own pages on the local address may
// write.
func TestRefusals(t *testing.T) {
	s := newTestServer(t, "")
	name := "disclosures/2026-q3-caiwu.md"
	before := s.read(name)
	sub := s.untouched(name)
	sub.Fields["title"] = "被别的网页改掉的标题"
	cases := []struct {
		name   string
		change func(*http.Request)
	}{
		{"no origin", func(r *http.Request) { r.Header.Del("Origin") }},
		{"another origin", func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }},
		{"another port", func(r *http.Request) { r.Header.Set("Origin", "http://127.0.0.1:1") }},
		{"https origin", func(r *http.Request) { r.Header.Set("Origin", strings.Replace(s.base, "http:", "https:", 1)) }},
		{"cross-site fetch", func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }},
		{"no token", func(r *http.Request) { r.Header.Del(tokenHeader) }},
		{"wrong token", func(r *http.Request) { r.Header.Set(tokenHeader, strings.Repeat("0", 48)) }},
		{"no cookie", func(r *http.Request) { r.Header.Set("X-Test-No-Cookie", "1") }},
		{"foreign host (DNS rebinding)", func(r *http.Request) { r.Host = "evil.example" + s.base[strings.LastIndex(s.base, ":"):] }},
	}
	for _, c := range cases {
		code, out := s.post(Prefix+"api/save", sub, c.change)
		if code != http.StatusForbidden {
			t.Errorf("%s: %d %v", c.name, code, out)
		}
	}
	if !bytes.Equal(s.read(name), before) {
		t.Fatal("a refused request wrote the file")
	}
	// A page of the site under a foreign Host is refused too.
	req, _ := http.NewRequest(http.MethodGet, s.base+"/", nil)
	req.Host = "evil.example"
	resp, err := s.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a foreign Host got %d", resp.StatusCode)
	}
	// The page itself is allowed to.
	code, out := s.post(Prefix+"api/save", sub, nil)
	if code != http.StatusOK || out["saved"] != true {
		t.Fatalf("save: %d %v", code, out)
	}
	if !strings.Contains(string(s.read(name)), `title = "被别的网页改掉的标题"`) {
		t.Fatal("the title was not saved")
	}
}

// TestHeaders: every response of the editor carries a strict policy.
func TestHeaders(t *testing.T) {
	s := newTestServer(t, "")
	resp, err := s.c.Get(s.base + Prefix)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q allows unsafe code", csp)
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == tokenCookie {
			cookie = c
		}
	}
	if cookie == nil || cookie.SameSite != http.SameSiteStrictMode || !cookie.HttpOnly {
		t.Errorf("token cookie %+v", cookie)
	}
}

// TestUntouchedSaveKeepsBytes: every record of the demo, saved from an
// untouched form, keeps its bytes; so does one with a BOM and CRLF lines.
func TestUntouchedSaveKeepsBytes(t *testing.T) {
	s := newTestServer(t, "")
	crlf := "disclosures/2026-q2-caiwu.md"
	s.write(crlf, append([]byte("\xEF\xBB\xBF"), bytes.ReplaceAll(s.read(crlf), []byte("\n"), []byte("\r\n"))...))
	files, _ := filepath.Glob(filepath.Join(s.dir, "*", "*.md"))
	more, _ := filepath.Glob(filepath.Join(s.dir, "*", "*", "index.md"))
	for _, p := range append(files, more...) {
		rel, _ := filepath.Rel(s.dir, p)
		name := filepath.ToSlash(rel)
		if strings.HasPrefix(name, "_") {
			continue
		}
		before := s.read(name)
		code, out := s.post(Prefix+"api/save", s.untouched(name), nil)
		if code != http.StatusOK || out["saved"] != false {
			t.Errorf("%s: %d saved=%v %v", name, code, out["saved"], out["error"])
		}
		if !bytes.Equal(s.read(name), before) {
			t.Errorf("%s changed", name)
		}
	}
}

// TestCommentSurvivesEdit: an edit replaces values where they are written,
// keeps comments and adds keys in the documented order.
func TestCommentSurvivesEdit(t *testing.T) {
	s := newTestServer(t, "")
	name := "disclosures/2026-q3-caiwu.md"
	text := strings.Replace(string(s.read(name)), "period = \"2026-Q3\"\n", "period = \"2026-Q3\"   # 第三季度\n# 账目由出纳整理\n", 1)
	text = strings.Replace(text, "[finance]\n", "[finance]  # 社区经费账户\n", 1)
	s.write(name, []byte(text))
	sub := s.untouched(name)
	sub.Fields["period"] = "2026-Q4"
	sub.Fields["number"] = "青石居〔2026〕30号"
	fin := sub.Fields["finance"].(map[string]any)
	fin["closing"] = "222388.81"
	code, out := s.post(Prefix+"api/save", sub, nil)
	if code != http.StatusOK {
		t.Fatalf("save: %d %v", code, out)
	}
	want := strings.NewReplacer(
		"period = \"2026-Q3\"   # 第三季度\n", "period = \"2026-Q4\"   # 第三季度\n",
		"date = 2026-10-13\n", "date = 2026-10-13\nnumber = \"青石居〔2026〕30号\"\n",
		"closing = \"222388.80\"", "closing = \"222388.81\"").Replace(text)
	if got := string(s.read(name)); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	// The closing balance is now off by 0.01: the check says so, at the
	// field, in check's words.
	found := false
	for _, d := range out["diags"].([]any) {
		m := d.(map[string]any)
		if m["key"] == "finance.closing" && strings.Contains(m["msg"].(string), "账目不平") {
			found = true
		}
	}
	if !found {
		t.Errorf("no diagnostic at finance.closing: %v", out["diags"])
	}
}

// TestConflict: a file changed on disk since the form opened it is not
// overwritten; the answer shows both versions, and sending the disk's
// hash writes over it.
func TestConflict(t *testing.T) {
	s := newTestServer(t, "")
	name := "pages/about.md"
	sub := s.untouched(name)
	sub.Fields["title"] = "关于本栏（表单）"
	other := strings.Replace(string(s.read(name)), "+++\n\n", "+++\n\n另一个程序加的一段。\n\n", 1)
	s.write(name, []byte(other))
	code, out := s.post(Prefix+"api/save", sub, nil)
	if code != http.StatusConflict {
		t.Fatalf("save over a changed file: %d %v", code, out)
	}
	if string(s.read(name)) != other {
		t.Fatal("the changed file was overwritten")
	}
	if !strings.Contains(out["disk"].(string), "另一个程序加的一段") || !strings.Contains(out["mine"].(string), "关于本栏（表单）") {
		t.Fatalf("the conflict does not show both versions: %v", out)
	}
	sub.Base = out["diskBase"].(string)
	code, out = s.post(Prefix+"api/save", sub, nil)
	if code != http.StatusOK || out["saved"] != true {
		t.Fatalf("overwrite: %d %v", code, out)
	}
	if got := string(s.read(name)); !strings.Contains(got, "关于本栏（表单）") {
		t.Fatalf("not overwritten:\n%s", got)
	}
}

// TestUploadMakesBundle: the first attachment makes a record a folder;
// its id, address and bytes stay the same.
func TestUploadMakesBundle(t *testing.T) {
	s := newTestServer(t, "")
	name := "disclosures/2026-q2-juwu.md"
	before := s.read(name)
	tok := s.token()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("upload", "名单.csv")
	w.Write([]byte("姓名,金额\n张某,100.00\n"))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, s.base+Prefix+"api/upload?file="+name, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", s.base)
	req.Header.Set(tokenHeader, tok)
	resp, err := s.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || out["file"] != "disclosures/2026-q2-juwu/index.md" {
		t.Fatalf("upload: %d %v", resp.StatusCode, out)
	}
	if _, err := os.Stat(filepath.Join(s.dir, "disclosures", "2026-q2-juwu.md")); !os.IsNotExist(err) {
		t.Error("the plain file is still there")
	}
	if !bytes.Equal(s.read("disclosures/2026-q2-juwu/index.md"), before) {
		t.Error("the record's bytes changed")
	}
	if string(s.read("disclosures/2026-q2-juwu/名单.csv")) != "姓名,金额\n张某,100.00\n" {
		t.Error("the attachment was not written")
	}
	// The ledger still knows it: same id, same text, nothing to publish.
	board, ds := build.Load(build.Options{Src: os.DirFS(s.dir), Today: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	if ds.HasErrors() {
		t.Fatalf("after the upload: %v", ds)
	}
	if vs := ledger.Verify(os.DirFS(s.dir), history.Current(board)); vs.HasErrors() {
		t.Fatalf("the ledger after the upload: %v", vs)
	}
	if st := state(mustLedger(t, s.dir), board.Get("disclosures/2026-q2-juwu")); !strings.HasPrefix(st, "已发布") {
		t.Errorf("after becoming a folder the record is %q", st)
	}
	// Listing it as an attachment: the board checks clean, the record
	// keeps its id.
	sub := s.untouched("disclosures/2026-q2-juwu/index.md")
	sub.Fields["attachments"] = []any{"名单.csv"}
	code, res := s.post(Prefix+"api/save", sub, nil)
	if code != http.StatusOK || res["errors"].(float64) != 0 {
		t.Fatalf("save: %d %v", code, res)
	}
	board, ds = build.Load(build.Options{Src: os.DirFS(s.dir), Today: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	if ds.HasErrors() || board.Get("disclosures/2026-q2-juwu") == nil {
		t.Fatalf("after the upload: %v", ds)
	}
}

func mustLedger(t *testing.T, dir string) *ledger.Ledger {
	t.Helper()
	l, err := ledger.Read(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	return l
}
