package render_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/internal/browsertest"
	"gongkai/generator/render"
	"gongkai/generator/search"

	"github.com/chromedp/chromedp"
)

func TestPlainText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"<p>第一段</p>\n<p>第二段 &amp; 更多</p>", "第一段\n第二段 & 更多"},
		{`<h2 id="tiao-1">第一条</h2><p>居民<strong>应当</strong>爱护<a href="../x/">环境</a>。</p>`, "第一条\n居民应当爱护环境。"},
		{"<table><tr><th>项目</th><td>金额</td></tr><tr><td>绿化</td><td>1,200.00</td></tr></table>", "项目\n金额\n绿化\n1,200.00"},
		{"<ul><li>一</li><li>二<br>三</li></ul>", "一\n二\n三"},
		{"未闭合 <b", "未闭合"},
		{"  多个   空格\u3000全角 ", "多个 空格 全角"},
	} {
		if got := render.PlainText(c.in); got != c.want {
			t.Errorf("PlainText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"<p>a</p>", "<", "a<b>c", "&amp;&#x4e00;", "<p\n>x</p >"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := render.PlainText(s)
		if len(got) > 0 && (got[0] == '\n' || got[len(got)-1] == '\n') {
			t.Errorf("PlainText(%q) = %q: not trimmed", s, got)
		}
	})
}

// demoOptions build the demo board of content/ on a fixed date.
func demoOptions(offline bool) build.Options {
	return build.Options{Src: os.DirFS("../../content"), Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), Offline: offline}
}

func indexFiles(out *build.MemOutput) map[string][]byte {
	files := map[string][]byte{}
	for _, name := range out.Names() {
		if strings.HasPrefix(name, search.Dir) {
			files[name], _ = out.Get(name)
		}
	}
	return files
}

func TestSearchStage(t *testing.T) {
	out, board, ds, err := build.ToMemory(demoOptions(false))
	if err != nil || out == nil {
		t.Fatalf("build: %v %v", err, ds)
	}
	files := indexFiles(out)
	for _, c := range []struct {
		q, want string
	}{
		{"改造", "disclosures/guiyuan-gaizao/"},
		{"青石居〔2026〕", ""},
		{"停车和出行安排", "minutes/2026-03-18-daibiao/"}, // an agenda item
	} {
		got := search.Query(files, c.q)
		if len(got) == 0 {
			t.Errorf("search %q finds nothing", c.q)
		}
		if c.want != "" && !contains(got, c.want) {
			t.Errorf("search %q: %q lacks %s", c.q, got, c.want)
		}
		for _, u := range got {
			if r := board.Get(strings.TrimSuffix(u, "/")); r == nil || r.Personal {
				t.Errorf("search %q finds %s, which is not a listed record", c.q, u)
			}
		}
	}
	page, _ := out.Get("search/index.html")
	for _, want := range []string{`<form id="search" class="search" role="search" action="./" method="get" data-index="idx/" data-root="../">`,
		`<input id="q" name="q" type="search"`, `<p id="search-status" aria-live="polite">`, `<ol id="results"`,
		"<noscript>", `<script src="../assets/search.`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("search page lacks %s", want)
		}
	}
	if len(page) > 6000 {
		t.Errorf("search page is %d bytes; keep it small", len(page))
	}
	off, _, _, err := build.ToMemory(demoOptions(true))
	if err != nil || off == nil {
		t.Fatal(err)
	}
	if page, _ := off.Get("search/index.html"); !strings.Contains(string(page), `data-suffix="index.html"`) {
		t.Error("offline search page lacks data-suffix")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestSearchInBrowser opens /search/?q=… of the built demo board in
// Chromium and compares the listed links with what the index holds.
func TestSearchInBrowser(t *testing.T) {
	ctx := browsertest.Context(t)
	out, _, ds, err := build.ToMemory(demoOptions(false))
	if err != nil || out == nil {
		t.Fatalf("build: %v %v", err, ds)
	}
	srv := httptest.NewServer(http.FileServer(http.FS(out.FS())))
	defer srv.Close()
	files := indexFiles(out)
	for _, q := range []string{"改造", "居民代表会议"} {
		want := search.Query(files, q)
		if len(want) == 0 {
			t.Fatalf("the index finds nothing for %q", q)
		}
		want = want[:min(len(want), 10)]
		tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err := chromedp.Do(tctx,
			chromedp.Navigate(srv.URL+"/search/?q="+url.QueryEscape(q)),
			chromedp.WaitVisible(chromedp.CSS(`#results li a`)),
		)
		var hrefs []string
		if err == nil {
			hrefs, err = chromedp.Run(tctx, chromedp.Evaluate[[]string](
				`[...document.querySelectorAll('main #results li > a')].map(a => a.getAttribute('href'))`))
		}
		var status string
		if err == nil {
			status, err = chromedp.Run(tctx, chromedp.Text(chromedp.CSS(`#search-status`)))
		}
		cancel()
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		if len(hrefs) != len(want) {
			t.Errorf("search %q shows %d links, the index has %d: %q", q, len(hrefs), len(want), hrefs)
			continue
		}
		for i := range want {
			if hrefs[i] != "../"+want[i] {
				t.Errorf("search %q result %d: %s, want ../%s", q, i+1, hrefs[i], want[i])
			}
		}
		if !strings.Contains(status, "找到") {
			t.Errorf("search %q: status %q", q, status)
		}
	}
}
