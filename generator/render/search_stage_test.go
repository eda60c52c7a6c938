package render_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/internal/browsertest"
	"gongkai/generator/render"
	"gongkai/generator/search"
	"gongkai/generator/zh"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
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

// atClock makes the pages of a tab see day (2026-11-27) at noon local
// time as now, before any script of theirs runs: the reader's date.
func atClock(day string) chromedp.Action[chromedp.Void] {
	src := `(() => { const noon = new Date('` + day + `T12:00:00').getTime(); const D = Date;
		Date = class extends D { constructor(...a) { if (a.length) super(...a); else super(noon); } static now() { return noon; } }; })();`
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
		return err
	})
}

// shownResult is what the search page shows of one result.
type shownResult struct {
	Href   string   `json:"href"`
	Title  string   `json:"title"`
	Meta   string   `json:"meta"`
	Badge  string   `json:"badge"`
	Time   string   `json:"time"`
	When   string   `json:"when"` // the time element's datetime
	Marks  []string `json:"marks"`
	Text   string   `json:"text"`   // the snippet line
	Tagged bool     `json:"tagged"` // a <mark> holds anything but text
}

// TestSearchResultsInBrowser opens /search/?q=… of the demo board in
// Chromium with the reader's clock set, and reads what each result shows:
// the query's words in <mark> in title and snippet, dates in 年月日, 公示中
// on the reader's date only.
func TestSearchResultsInBrowser(t *testing.T) {
	ctx := browsertest.Context(t)
	out, _, ds, err := build.ToMemory(demoOptions(false))
	if err != nil || out == nil {
		t.Fatalf("build: %v %v", err, ds)
	}
	srv := httptest.NewServer(http.FileServer(http.FS(out.FS())))
	defer srv.Close()
	more := false // whether the last page read shows its "more" button
	read := func(day, q string) []shownResult {
		t.Helper()
		tctx, cancel := chromedp.NewContext(ctx)
		defer cancel()
		tctx, cancelT := context.WithTimeout(tctx, 30*time.Second)
		defer cancelT()
		err := chromedp.Do(tctx, atClock(day),
			chromedp.Navigate(srv.URL+"/search/?q="+url.QueryEscape(q)),
			chromedp.WaitVisible(chromedp.CSS(`#results li a`)))
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		rs, err := chromedp.Run(tctx, chromedp.Evaluate[[]shownResult](`[...document.querySelectorAll('#results > li')].map(li => {
			const meta = li.querySelector('p.meta'), time = li.querySelector('time'), badge = li.querySelector('.badge'), ps = li.querySelectorAll('p');
			return {href: li.querySelector('a').getAttribute('href'), title: li.querySelector('a').textContent, meta: meta ? meta.textContent : '',
				badge: badge ? badge.textContent : '', time: time ? time.textContent : '', when: time ? time.getAttribute('datetime') : '',
				marks: [...li.querySelectorAll('mark')].map(m => m.textContent), text: ps.length > 1 ? ps[ps.length - 1].textContent : '',
				tagged: [...li.querySelectorAll('mark')].some(m => m.children.length > 0)};
		})`))
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		more, err = chromedp.Run(tctx, chromedp.Evaluate[bool](`document.getElementById('search-more').getClientRects().length > 0`))
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return rs
	}
	find := func(rs []shownResult, href string) *shownResult {
		for i := range rs {
			if rs[i].Href == href {
				return &rs[i]
			}
		}
		t.Fatalf("%s not among the results: %+v", href, rs)
		return nil
	}
	date := regexp.MustCompile(`^(\d{4})年([1-9]\d?)月([1-9]\d?)日$`)

	rs := read("2026-11-27", "充电棚")
	for _, r := range rs {
		when, err := time.Parse(time.DateOnly, r.When)
		if err != nil || !date.MatchString(r.Time) || r.Time != zh.FormatDate(when, zh.Arabic) {
			t.Errorf("%s: date %q (datetime %q) is not written 2026年6月18日", r.Href, r.Time, r.When)
		}
		if r.Tagged {
			t.Errorf("%s: a <mark> holds markup", r.Href)
		}
	}
	notice := find(rs, "../disclosures/2026-11-chongdianpeng-zhengqiu/")
	if notice.Badge != "公示中" || !strings.Contains(notice.Meta, "公示至2026年12月3日") || notice.Time != "2026年11月24日" {
		t.Errorf("the notice running on the reader's date: badge %q, meta %q", notice.Badge, notice.Meta)
	}
	if !slices.Contains(notice.Marks, "充电棚") || !strings.Contains(notice.Title, "充电棚") {
		t.Errorf("title %q, marks %q", notice.Title, notice.Marks)
	}
	if d := find(rs, "../decisions/2026-11-chongdianpeng/"); d.Badge != "" || !strings.Contains(d.Meta, "三重一大") {
		t.Errorf("a decision without a notice period: badge %q, meta %q", d.Badge, d.Meta)
	}
	rs = read("2026-12-10", "充电棚")
	if r := find(rs, "../disclosures/2026-11-chongdianpeng-zhengqiu/"); r.Badge != "" || strings.Contains(r.Meta, "公示至") {
		t.Errorf("after its notice period (reader on 2026-12-10): badge %q, meta %q", r.Badge, r.Meta)
	}

	// the snippet shows the account line that holds the query, marked
	rs = read("2026-11-27", "声控灯")
	r := find(rs, "../disclosures/2025-q1-caiwu/")
	if !strings.Contains(r.Text, "声控灯更换") || !slices.Contains(r.Marks, "声控灯") {
		t.Errorf("声控灯: snippet %q, marks %q, date %q", r.Text, r.Marks, r.Time)
	}
	if len(rs) > 10 || more {
		t.Errorf("声控灯: %d results and a visible \"more\" button", len(rs))
	}
	if rs = read("2026-11-27", "居民"); len(rs) != 10 || !more {
		t.Errorf("居民: %d results on the first page, \"more\" button shown: %v", len(rs), more)
	}
	// a synonym is marked where the record holds it
	rs = read("2026-11-27", "村规民约")
	if r := find(rs, "../conventions/jumin-gongyue/"); !slices.Contains(r.Marks, "居民公约") || !strings.Contains(r.Meta, "青石居〔2025〕18号") {
		t.Errorf("村规民约: marks %q, meta %q", r.Marks, r.Meta)
	}
	if r := find(rs, "../conventions/yishi-guize/"); slices.Contains(r.Marks, "居民") {
		t.Errorf("村规民约 marks 居民 in %q: only the synonym, whole, is marked", r.Title)
	}
}
