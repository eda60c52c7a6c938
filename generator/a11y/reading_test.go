package a11y

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"gongkai/generator/build"
	"gongkai/generator/internal/browsertest"
	"gongkai/generator/ledger"
)

// readingSite is a board written for these tests, not the demo: an
// account with long items and large amounts, a wide table of numbers, a
// correction, and a withdrawn record
// whose notice period runs on the build date.
var readingSite = map[string]string{
	"site.toml": `title = "石桥村村务公开栏"
community = "石桥村"
issuer = "石桥村村民委员会"
base_url = "https://example.org/a/b/"
language = "zh-CN"
timezone = "Asia/Shanghai"
notice_min_days = 5

[contact]
phone = "023-6000-1000"
supervise_phone = "023-6000-1009"
`,
	"disclosures/2026-q3-caiwu.md": `+++
title = "石桥村2026年第三季度财务收支公开"
date = 2026-11-20
number = "石桥村委〔2026〕12号"
category = "财务公开"
notice = { from = 2026-11-20, to = 2026-11-30 }

[finance]
opening = "3742318.60"
closing = "3512878.60"

[[finance.income]]
date = 2026-07-10
item = "镇人民政府拨付2026年第三季度村级组织运转经费及村干部基本报酬"
amount = "1128640.00"
voucher = "记-2026-07-0001"

[[finance.expense]]
date = 2026-08-12
item = "村道硬化及排水沟渠改造工程第二期进度款（扣留百分之五质量保证金）"
amount = "1358080.00"
voucher = "记-2026-08-0012"
+++

本期期初余额3,742,318.60元，（2026年3月18日）经村民代表会议决议，依据石桥村委〔2026〕12号文件支付工程款1358080.00元。
`,
	"disclosures/2026-butie/index.md": `+++
title = "石桥村2026年耕地地力保护补贴发放明细"
date = 2026-11-21
category = "惠民资金"
notice = { from = 2026-11-21, to = 2026-11-28 }

[[tables]]
title = "耕地地力保护补贴发放明细"
file = "明细.csv"
sum = ["面积（亩）", "补贴金额（元）"]
+++

补贴标准每亩105.80元。
`,
	"disclosures/2026-butie/明细.csv": "序号,户主,身份证号,面积（亩）,补贴金额（元）,备注\n" +
		"1,张某某,500***********2318,12.50,1322.50,\n" +
		"2,李某某,500***********0417,128640.00,13610112.00,面积含集体机动地承包部分\n" +
		"3,王某某,500***********1126,3.20,338.56,\n",
	"disclosures/2026-11-zhengqiu.md": `+++
title = "石桥村村道改造方案征求意见"
date = 2026-11-22
category = "村务公开"
notice = { from = 2026-11-22, to = 2026-11-30 }
+++

请村民提出意见。
`,
}

// readingBoard writes readingSite into a folder and registers it: the
// first release on 2026-11-21, then the withdrawal of the 征求意见 notice
// and a correction of the account on 2026-11-26.
func readingBoard(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range readingSite {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	loc := time.FixedZone("CST", 8*3600)
	publish := func(at time.Time, msg string, withdraw map[string]string) {
		t.Helper()
		snap := build.Check(build.Options{Src: os.DirFS(dir), Today: at})
		if snap.Board == nil || snap.Content.HasErrors() {
			t.Fatalf("load: %v", snap.Content)
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer root.Close()
		if _, ds := build.Publish(snap, root, ledger.PublishOptions{Message: msg, Now: at, Withdraw: withdraw, Keys: snap.Board.Site.Ledger}); ds.HasErrors() {
			t.Fatalf("publish: %v", ds)
		}
	}
	publish(time.Date(2026, 11, 21, 9, 0, 0, 0, loc), "首次发布", nil)
	if err := os.Remove(filepath.Join(dir, "disclosures", "2026-11-zhengqiu.md")); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "disclosures", "2026-q3-caiwu.md")
	b, _ := os.ReadFile(p)
	s := strings.Replace(string(b), `voucher = "记-2026-08-0012"`, `voucher = "记-2026-08-0011"`, 1)
	s = strings.Replace(s, `category = "财务公开"`, "category = \"财务公开\"  # 财务公开、村务公开…\nchange_note = \"更正工程款的凭证号\"", 1)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	publish(time.Date(2026, 11, 26, 9, 0, 0, 0, loc), "更正和撤回", map[string]string{"disclosures/2026-11-zhengqiu": "方案需重新论证"})
	return dir
}

// readingBuilt builds readingBoard on 2026-11-27 into a folder.
func readingBuilt(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	_, ds, err := build.ToDir(build.Options{Src: os.DirFS(readingBoard(t)), Today: demoDate}, out)
	if err != nil || ds.HasErrors() {
		t.Fatalf("build: %v %v", err, ds)
	}
	return out
}

// serveUnder serves the built site root under the path prefix (as a
// host serves a board under a sub-path), answering every missing path
// with 404.html and status 404, as static hosts do.
func serveUnder(t *testing.T, root, prefix string) string {
	t.Helper()
	files := http.FileServer(http.Dir(root))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := strings.CutPrefix(r.URL.Path, prefix)
		if ok {
			name := filepath.Join(root, filepath.FromSlash(p))
			if fi, err := os.Stat(name); err == nil && (!fi.IsDir() || fileExists(filepath.Join(name, "index.html"))) {
				r.URL.Path = "/" + p
				files.ServeHTTP(w, r)
				return
			}
		}
		b, err := os.ReadFile(filepath.Join(root, "404.html"))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + prefix
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// atClock makes the pages of a tab see day at noon local time as now,
// before any script of theirs runs: the reader's date.
func atClock(day string) chromedp.Action[chromedp.Void] {
	src := `(() => { const noon = new Date('` + day + `T12:00:00').getTime(); const D = Date;
		Date = class extends D { constructor(...a) { if (a.length) super(...a); else super(noon); } static now() { return noon; } }; })();`
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: src})
		return err
	})
}

// amountProbe lists every amount, date and 文号 element of the page
// (td.num, .amount, .nw, time) that is cut by the viewport or split over
// lines: its text's boxes must lie inside the window and on one line.
const amountProbe = `(() => {
	const bad = [], w = document.documentElement.clientWidth;
	let n = 0;
	for (const el of document.querySelectorAll('main td.num, main th.num, main .amount, main .nw, main time')) {
		if (!el.textContent.trim() || !el.getClientRects().length) continue;
		n++;
		const r = document.createRange();
		r.selectNodeContents(el);
		const rects = [...r.getClientRects()].filter(x => x.width > 0);
		const tops = new Set(rects.map(x => Math.round(x.top)));
		const left = Math.min(...rects.map(x => x.left)), right = Math.max(...rects.map(x => x.right));
		if (tops.size > 1 || left < -1 || right > w + 1) bad.push(el.textContent.trim() + ' (' + tops.size + ' lines, ' + Math.round(left) + '–' + Math.round(right) + ' of ' + w + ')');
	}
	return {n, bad};
})()`

type amountReport struct {
	N   int      `json:"n"`
	Bad []string `json:"bad"`
}

// TestAmountsWholeOnPhone opens every page of the demo board and of the
// reading board that shows amounts at 360 px, in normal type and with
// 大字: every amount, date and 文号 lies inside the window on one line.
func TestAmountsWholeOnPhone(t *testing.T) {
	ctx := browsertest.Context(t)
	for _, b := range []struct{ name, root string }{{"demo", site(t)}, {"reading", readingBuilt(t)}} {
		srv := httptest.NewServer(http.FileServer(http.Dir(b.root)))
		t.Cleanup(srv.Close)
		var paths []string
		_ = filepath.WalkDir(b.root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Name() != "index.html" {
				return err
			}
			rel, _ := filepath.Rel(b.root, filepath.Dir(p))
			rel = filepath.ToSlash(rel)
			if strings.HasPrefix(rel, "print") {
				return nil
			}
			html, _ := os.ReadFile(p)
			if strings.Contains(string(html), `class="num"`) || strings.Contains(string(html), `class="amount"`) {
				paths = append(paths, strings.TrimPrefix(rel+"/", "./"))
			}
			return nil
		})
		if len(paths) == 0 {
			t.Fatalf("%s: no page shows amounts", b.name)
		}
		tctx, cancel := chromedp.NewContext(ctx)
		tctx, cancelT := context.WithTimeout(tctx, 5*time.Minute)
		do(t, tctx, chromedp.EmulateViewport(360, 740))
		checked := 0
		for _, p := range paths {
			for _, dazi := range []bool{false, true} {
				do(t, tctx, chromedp.Navigate(srv.URL+"/"+p))
				if dazi {
					eval[bool](t, tctx, `document.documentElement.classList.add('dazi'), true`)
				}
				r := eval[amountReport](t, tctx, amountProbe)
				checked += r.N
				if len(r.Bad) > 0 {
					t.Errorf("%s /%s (大字 %v): cut or split: %s", b.name, p, dazi, strings.Join(r.Bad, "; "))
				}
			}
		}
		t.Logf("%s: %d pages, %d amount, date and 文号 elements checked", b.name, len(paths), checked)
		cancelT()
		cancel()
	}
}

// sourceSyntax is what a comparison must never show: TOML tables and
// keys, Markdown links and headings, the clerk's comments.
var sourceSyntax = regexp.MustCompile(`\[\[|\w = "|\]\(|## |# [财党村居]|change_note|voucher|opening =`)

// TestComparisonsShowNoSource reads every comparison page of the demo
// board and of the reading board: what changed in the page's own words,
// never the file's syntax.
func TestComparisonsShowNoSource(t *testing.T) {
	for _, root := range []string{site(t), readingBuilt(t)} {
		n := 0
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Base(filepath.Dir(p)) != "diff" {
				return err
			}
			n++
			b, _ := os.ReadFile(p)
			main := string(b)
			if i := strings.Index(main, "<main"); i >= 0 {
				main = main[i:]
			}
			text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(main, "")
			if m := sourceSyntax.FindString(text); m != "" {
				t.Errorf("%s shows source %q", p, m)
			}
			if strings.Contains(text, "财务公开、村务公开") {
				t.Errorf("%s shows the clerk's comment", p)
			}
			return nil
		})
		if n == 0 {
			t.Errorf("%s: no comparison pages", root)
		}
	}
	b, err := os.ReadFile(filepath.Join(readingBuilt(t), "disclosures", "2026-q3-caiwu", "v2", "diff", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<th scope=\"col\">凭证号</th>", "<del>记-2026-08-0012</del> → <ins>记-2026-08-0011</ins>", "1,358,080.00", "更正原因"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the account's comparison lacks %q", want)
		}
	}
}

// badges is what a page shows of its notice status.
type badges struct {
	Texts  []string `json:"texts"`
	On     int      `json:"on"`
	AsOf   string   `json:"asof"`
	Shown  int      `json:"shown"`  // running notices listed on the home page
	NoneUp bool     `json:"noneUp"` // "没有正在公示的事项" shown
}

const badgeProbe = `(() => ({
	texts: [...document.querySelectorAll('main .badge')].map(b => b.textContent),
	on: document.querySelectorAll('main .badge.on').length,
	asof: (document.querySelector('[data-today]') || {textContent: ''}).textContent,
	shown: [...document.querySelectorAll('main li.notice')].filter(li => li.getClientRects().length).length,
	noneUp: !!document.querySelector('[data-none]') && document.querySelector('[data-none]').getClientRects().length > 0,
}))()`

// TestStatusOnReadersDay reads the reading board on the build date, after
// the notice periods with the clock set later, and without scripts: the
// badges and the home page follow the reader's day, say as of when
// without scripts, and the withdrawn record never shows a running notice.
func TestStatusOnReadersDay(t *testing.T) {
	ctx := browsertest.Context(t)
	root := readingBuilt(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(root)))
	t.Cleanup(srv.Close)
	read := func(day string, noScript bool, path string) badges {
		t.Helper()
		tctx, cancel := chromedp.NewContext(ctx)
		defer cancel()
		tctx, cancelT := context.WithTimeout(tctx, 30*time.Second)
		defer cancelT()
		var steps []chromedp.Action[chromedp.Void]
		if noScript {
			steps = append(steps, command(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}))
		} else {
			steps = append(steps, atClock(day))
		}
		steps = append(steps, chromedp.EmulateViewport(360, 740), chromedp.Navigate(srv.URL+"/"+path))
		do(t, tctx, steps...)
		return eval[badges](t, tctx, badgeProbe)
	}
	rec := "disclosures/2026-q3-caiwu/"
	if b := read("2026-11-27", false, rec); b.On != 1 || len(b.Texts) != 1 || b.Texts[0] != "公示中" {
		t.Errorf("on the build date the account is on notice: %+v", b)
	}
	if b := read("2026-12-15", false, rec); b.On != 0 || len(b.Texts) != 1 || b.Texts[0] != "公示期已结束" {
		t.Errorf("on 2026-12-15 the account's period has ended: %+v", b)
	}
	if b := read("2026-11-10", false, rec); b.On != 0 || len(b.Texts) != 1 || b.Texts[0] != "未开始" {
		t.Errorf("on 2026-11-10 the account's period has not begun: %+v", b)
	}
	for _, day := range []string{"2026-11-27", "2026-12-15"} {
		b := read(day, false, "disclosures/2026-11-zhengqiu/")
		if b.On != 0 || len(b.Texts) != 1 || b.Texts[0] != "已撤回" {
			t.Errorf("the withdrawn notice on %s: %+v, want only 已撤回 and no running badge", day, b)
		}
	}
	if b := read("2026-12-15", false, "disclosures/"); b.On != 0 || strings.Contains(strings.Join(b.Texts, " "), "公示中") {
		t.Errorf("the list on 2026-12-15 still shows a running notice: %+v", b)
	}
	home := read("2026-11-27", false, "")
	if home.AsOf != "今天是2026年11月27日" || home.Shown != 2 || home.NoneUp {
		t.Errorf("home on the build date: %+v, want 今天是2026年11月27日 and 2 running notices", home)
	}
	later := read("2026-12-15", false, "")
	if later.AsOf != "今天是2026年12月15日" || later.Shown != 0 || !later.NoneUp {
		t.Errorf("home on 2026-12-15: %+v, want no running notice and the none message", later)
	}
	plain := read("", true, "")
	if plain.AsOf != "截至2026年11月27日（本页生成之日）" || plain.Shown != 2 {
		t.Errorf("home without scripts: %+v, want 截至 the build date", plain)
	}
}

// TestNotFoundAtDepth opens a missing address three folders deep of a
// board served under a sub-path: the 404 page loads its stylesheet and
// its links lead into the site.
func TestNotFoundAtDepth(t *testing.T) {
	ctx := browsertest.Context(t)
	root := readingBuilt(t)
	base := serveUnder(t, root, "/a/b/")
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	do(t, tctx, chromedp.EmulateViewport(360, 740), chromedp.Navigate(base+"disclosures/nope/deeper/"))
	type state struct {
		Sheets int    `json:"sheets"`
		Border string `json:"border"`
		Home   string `json:"home"`
		Title  string `json:"title"`
	}
	s := eval[state](t, tctx, `({sheets: [...document.styleSheets].filter(s => { try { return s.cssRules.length > 0 } catch (e) { return false } }).length,
		border: getComputedStyle(document.querySelector('header.site')).borderTopStyle,
		home: document.querySelector('main a').href, title: document.querySelector('h1').textContent})`)
	if s.Sheets == 0 || s.Border != "solid" {
		t.Errorf("404 at depth 3: %+v, want the theme's stylesheet applied", s)
	}
	if s.Home != base {
		t.Errorf("404's home link %q, want %q", s.Home, base)
	}
	do(t, tctx, chromedp.Navigate(s.Home))
	if title := eval[string](t, tctx, `document.title`); !strings.Contains(title, "石桥村村务公开栏") || strings.Contains(title, "页面不存在") {
		t.Errorf("following the 404's home link gives %q", title)
	}
}

// TestCalendarShowsDuePeriods reads the demo's home page on 2026-11-27:
// the calendar lists only periods whose deadline has passed or that a
// record names (not 2026-Q4, which only a notice dated in it touches), and
// every disclosed period links to its record.
func TestCalendarShowsDuePeriods(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(site(t), "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	home := string(b)
	i := strings.Index(home, `<dl class="calendar">`)
	if i < 0 {
		t.Fatal("no calendar on the home page")
	}
	cal := home[i : i+strings.Index(home[i:], "</dl>")]
	if strings.Contains(cal, "2026年四季度") {
		t.Errorf("the calendar shows 2026 Q4, which is not due and has no record: %s", cal)
	}
	items := regexp.MustCompile(`<li class="(\w+)">(.*?)</li>`).FindAllStringSubmatch(cal, -1)
	if len(items) != 8 {
		t.Errorf("calendar has %d periods, want 4 for each of 2 categories", len(items))
	}
	for _, it := range items {
		linked := strings.HasPrefix(it[2], `<a href="disclosures/`)
		if (it[1] == "ok" || it[1] == "late") != linked {
			t.Errorf("calendar period %q (%s): linked %v", it[2], it[1], linked)
		}
	}
}

// TestCorrectionUpFront reads the corrected account of the reading board:
// its page and its sheet say at the top that it was corrected, when and
// why, and the page links the comparison.
func TestCorrectionUpFront(t *testing.T) {
	root := readingBuilt(t)
	for _, p := range []string{"disclosures/2026-q3-caiwu/index.html", "print/disclosures/2026-q3-caiwu/index.html"} {
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		page := string(b)
		i, body := strings.Index(page, `class="correction"`), strings.Index(page, `class="body"`)
		if i < 0 || body < 0 || i > body {
			t.Errorf("%s: no correction above the body", p)
			continue
		}
		box := page[i : i+strings.Index(page[i:], "</div>")]
		text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(box, "")
		if !strings.Contains(text, "更正：本") || !strings.Contains(text, "第2版，2026年11月26日更正") || !strings.Contains(text, "更正原因：更正工程款的凭证号") {
			t.Errorf("%s: correction says %q", p, text)
		}
		if !strings.HasPrefix(p, "print/") && !strings.Contains(box, `href="../../disclosures/2026-q3-caiwu/v2/diff/"`) {
			t.Errorf("%s: the correction does not link the comparison: %s", p, box)
		}
	}
	b, _ := os.ReadFile(filepath.Join(root, "disclosures/2026-q3-caiwu/index.html"))
	if page := string(b); strings.Contains(page, "<code>") || strings.Contains(page, "叶子") || strings.Contains(page, "gongkai ") {
		t.Errorf("the record page shows technicians' words")
	}
	b, _ = os.ReadFile(filepath.Join(root, "changes/index.html"))
	if page := string(b); strings.Contains(page, "gongkai ") || strings.Contains(page, "哈希") || strings.Contains(page, "<code>") || !strings.Contains(page, "第2版更正") {
		t.Errorf("/changes/ shows technicians' words or lacks 第2版更正")
	}
}

// TestTimelineShowsEveryVote reads the demo decision on the 桂园 project:
// its timeline shows the 党员大会's vote (50/0/3), not only the
// resolution's, each with 应到 and 实到, on the page and on the sheet.
func TestTimelineShowsEveryVote(t *testing.T) {
	for _, p := range []string{"decisions/2026-03-guiyuan-gaizao/index.html", "print/decisions/2026-03-guiyuan-gaizao/index.html"} {
		b, err := os.ReadFile(filepath.Join(site(t), p))
		if err != nil {
			t.Fatal(err)
		}
		text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(string(b), "")
		for _, want := range []string{"应到 62 人，实到 53 人", "赞成 50，反对 0，弃权 3", "应到 35 人，实到 31 人", "赞成 28，反对 1，弃权 2"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q", p, want)
			}
		}
	}
}
