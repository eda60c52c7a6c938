package editor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gongkai/generator/build"
	"gongkai/generator/internal/browsertest"
)

// browser returns a tab for a test, failing the test on any uncaught
// exception or console error of its pages when it ends.
func browser(t *testing.T, flags ...chromedp.ExecAllocatorOption) context.Context {
	return browserAllowing(t, "", flags...)
}

// browserAllowing is browser, letting page errors that contain allowed
// pass.
func browserAllowing(t *testing.T, allowed string, flags ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	exe := browsertest.Chromium(t)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), append(browsertest.Flags(exe), flags...)...)
	ctx, cancel := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelA()
		browsertest.Missing(t, "Chromium at "+exe+" does not start: "+err.Error())
	}
	errs := browsertest.Exceptions(ctx)
	tctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		for _, e := range errs() {
			if !strings.Contains(e, "Failed to load resource") && (allowed == "" || !strings.Contains(e, allowed)) {
				t.Errorf("page error: %s", e)
			}
		}
		cancelT()
		cancel()
		cancelA()
	})
	return tctx
}

// waitFor polls cond (a JavaScript expression) until it is true.
func waitFor(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond)); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href+"\n"+(document.getElementById("main")||document.body).innerText.slice(0,2000)`))
	t.Fatalf("timed out waiting for %s; the page:\n%s", cond, state)
}

// set gives the control at path a value as a clerk would, and tells the
// page it changed.
func set(t *testing.T, ctx context.Context, path, value string) {
	t.Helper()
	js := fmt.Sprintf(`(function(){var el=document.querySelector('[data-path=%q]');if(!el)return false;el.focus();
		if(el.type==="checkbox"){el.checked=%q==="true"}else{el.value=%q}
		el.dispatchEvent(new Event("input",{bubbles:true}));el.dispatchEvent(new Event("change",{bubbles:true}));return true})()`, path, value, value)
	if !browsertest.Eval[bool](t, ctx, js) {
		t.Fatalf("no field %s", path)
	}
}

// typeInto types text into the control at path with the keyboard,
// replacing what it holds.
func typeInto(t *testing.T, ctx context.Context, path, text string) {
	t.Helper()
	sel := chromedp.CSS(fmt.Sprintf(`[data-path=%q]`, path))
	browsertest.Do(t, ctx, chromedp.Focus(sel), chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.KeyEvent("\b"), chromedp.SendKeys(sel, text))
}

// save presses 保存 and waits for the answer.
func save(t *testing.T, ctx context.Context) string {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("status").textContent=""`), chromedp.Click(chromedp.CSS("#save")))
	waitFor(t, ctx, `/已保存|没有改动|失败|没有保存|错误/.test(document.getElementById("status").textContent)`)
	return browsertest.Eval[string](t, ctx, `document.getElementById("status").textContent`)
}

// summary returns the check's summary on the page, once the check of the
// last change came back.
func summary(t *testing.T, ctx context.Context) string {
	t.Helper()
	return browsertest.Eval[string](t, ctx, `document.getElementById("summary").innerText`)
}

func TestBrowserSaveUnchangedAndConflict(t *testing.T) {
	s := newTestServer(t, "")
	ctx := browser(t)
	name := "minutes/2026-06-16-daibiao.md"
	before := s.read(name)
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+Prefix+"r/"+name), chromedp.WaitVisible(chromedp.CSS("#save")))
	waitFor(t, ctx, `document.getElementById("summary").textContent!==""`)
	if st := save(t, ctx); !strings.Contains(st, "没有改动") {
		t.Fatalf("saving an untouched form: %q", st)
	}
	if string(s.read(name)) != string(before) {
		t.Fatal("an untouched form changed the file")
	}
	// Changed on disk meanwhile: the form does not overwrite it.
	other := strings.Replace(string(before), "会议由周某某主持", "会议由周某某主持（别处改的）", 1)
	s.write(name, []byte(other))
	typeInto(t, ctx, "place", "青石社区党群服务中心三楼会议室")
	save(t, ctx)
	waitFor(t, ctx, `document.getElementById("conflict").open`)
	disk := browsertest.Eval[string](t, ctx, `document.getElementById("conflict-disk").textContent`)
	mine := browsertest.Eval[string](t, ctx, `document.getElementById("conflict-mine").textContent`)
	if !strings.Contains(disk, "别处改的") || !strings.Contains(mine, "三楼会议室") {
		t.Fatalf("the conflict does not show both versions:\n%s\n---\n%s", disk, mine)
	}
	if string(s.read(name)) != other {
		t.Fatal("the file changed on disk was overwritten")
	}
	if vs := browsertest.Axe(t, ctx, browsertest.AxeSource(t)); len(vs) > 0 {
		t.Errorf("axe, conflict dialog: %s", strings.Join(vs, "\n"))
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#conflict-overwrite")))
	waitFor(t, ctx, `/已保存/.test(document.getElementById("status").textContent)`)
	got := string(s.read(name))
	if !strings.Contains(got, "三楼会议室") || !strings.Contains(got, "别处改的") {
		t.Fatalf("overwrite:\n%s", got)
	}
}

// TestBrowserPasteRows pastes 20 lines of a spreadsheet, with its header
// and a total row, into the expenses of an account.
func TestBrowserPasteRows(t *testing.T) {
	s := newTestServer(t, "")
	ctx := browser(t)
	name := "disclosures/2026-q3-caiwu.md"
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+Prefix+"r/"+name), chromedp.WaitVisible(chromedp.CSS("#save")))
	var tsv strings.Builder
	tsv.WriteString("日期\t摘要\t金额（元）\t凭证号\r\n")
	total := 0
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&tsv, "2026/%d/%d\t支出第%d笔\t1,%03d.50\t记-%02d\r\n", 7+i%3, i, i, i, i)
		total += 100000 + i*100 + 50
	}
	tsv.WriteString("\t本季合计\t99999.00\t\r\n")
	paste := fmt.Sprintf(`(function(){var el=document.querySelector('[data-path="finance.expense[0].date"]');el.focus();
		var dt=new DataTransfer();dt.setData("text/plain",%q);
		el.dispatchEvent(new ClipboardEvent("paste",{clipboardData:dt,bubbles:true,cancelable:true}));
		return document.querySelectorAll('[data-rows="expense"] tbody tr[data-row]').length})()`, tsv.String())
	if n := browsertest.Eval[int](t, ctx, paste); n != 20 {
		t.Fatalf("after pasting 20 rows the table has %d", n)
	}
	if v := browsertest.Eval[string](t, ctx, `document.querySelector('[data-path="finance.expense[19].amount"]').value+" "+document.querySelector('[data-path="finance.expense[19].date"]').value`); v != "1020.50 2026-09-20" {
		t.Errorf("row 20: %q", v)
	}
	// The closing balance to match: opening 351175.60 + income 32000.00.
	closing := 35117560 + 3200000 - total
	set(t, ctx, "finance.closing", fmt.Sprintf("%d.%02d", closing/100, closing%100))
	st := save(t, ctx)
	if !strings.Contains(st, "已保存") || strings.Contains(st, "错误") {
		t.Fatalf("save: %q\n%s", st, summary(t, ctx))
	}
	text := string(s.read(name))
	if n := strings.Count(text, "[[finance.expense]]"); n != 20 {
		t.Fatalf("%d expense lines written", n)
	}
	if !strings.Contains(text, "[[finance.expense]]\ndate = 2026-09-20\nitem = \"支出第20笔\"\namount = \"1020.50\"\nvoucher = \"记-20\"\n") {
		t.Errorf("the last line is not written as a person would:\n%s", text)
	}
	_, ds := build.Load(build.Options{Src: os.DirFS(s.dir), Today: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	for _, d := range ds {
		if d.Pos.File == name && d.Severity == 0 {
			t.Errorf("check: %s", d.Format("zh"))
		}
	}
}

// TestBrowserRefusesOtherSites: a page of another site in the same
// browser cannot write through the editor, and the editor does not answer
// to another host name (DNS rebinding).
func TestBrowserRefusesOtherSites(t *testing.T) {
	s := newTestServer(t, "")
	name := "pages/about.md"
	before := s.read(name)
	sub := s.untouched(name)
	sub.Fields["title"] = "被改掉了"
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><title>x</title><body><form id="f" method="post" action="%s/_edit/api/save" enctype="text/plain"><input name='{"a":"' value='"}'></form><script>
		var results=[];
		fetch(%q,{method:"POST",credentials:"include",mode:"no-cors",headers:{"Content-Type":"text/plain"},body:%q}).then(function(){results.push("sent")},function(e){results.push("blocked")});
		fetch(%q,{method:"POST",credentials:"include",headers:{"Content-Type":"application/json","X-Gongkai-Token":"x"},body:"{}"}).then(function(){results.push("sent")},function(e){results.push("blocked")});
		window.results=results;
		</script></body></html>`, s.base, s.base+Prefix+"api/save", mustJSON(sub), s.base+Prefix+"api/save")
	}))
	defer evil.Close()
	port := s.base[strings.LastIndex(s.base, ":")+1:]
	ctx := browserAllowing(t, "blocked by CORS policy", chromedp.Flag("host-resolver-rules", "MAP rebound.test 127.0.0.1"))
	// Open the editor first, so that the browser has its cookie.
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+Prefix), chromedp.WaitVisible(chromedp.CSS("#main")))
	browsertest.Do(t, ctx, chromedp.Navigate(evil.URL), chromedp.WaitReady(chromedp.CSS("body")))
	waitFor(t, ctx, `window.results && window.results.length===2`)
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("f").submit()`))
	time.Sleep(500 * time.Millisecond)
	if string(s.read(name)) != string(before) {
		t.Fatal("another site wrote a record through the editor")
	}
	// A name that was made to point at 127.0.0.1 gets nothing.
	browsertest.Do(t, ctx, chromedp.Navigate("http://rebound.test:"+port+Prefix), chromedp.WaitReady(chromedp.CSS("body")))
	if body := browsertest.Eval[string](t, ctx, `document.body.innerText`); strings.Contains(body, "全部记录") || !strings.Contains(body, "forbidden") {
		t.Fatalf("the editor answered under another name: %q", body)
	}
}

func mustJSON(v any) string {
	b, _ := jsonMarshal(v)
	return string(b)
}

// TestBrowserAxe runs axe-core on every page of the editor: the list, a
// new record, publishing with its dialog open, a record of every section,
// one with errors shown at its fields, and one whose front matter is
// edited as text.
func TestBrowserAxe(t *testing.T) {
	axe := browsertest.AxeSource(t)
	s := newTestServer(t, "")
	// A record with mistakes, to show messages at fields; one that does
	// not parse; and a change, so that publishing has something to ask.
	bad := "minutes/2026-06-09-dangyuan.md"
	s.write(bad, []byte(strings.Replace(string(s.read(bad)), "present = ", "present = 1000 #", 1)))
	broken := "pages/contact.md"
	s.write(broken, []byte(strings.Replace(string(s.read(broken)), "title = \"", "title = ", 1)))
	amended := "disclosures/2026-q3-juwu.md"
	s.write(amended, []byte(strings.Replace(string(s.read(amended)), "+++\n\n", "+++\n\n补充一句。\n\n", 1)))
	os.Remove(filepath.Join(s.dir, "pages", "gongkai-mulu.md"))
	ctx := browser(t)
	pages := []string{Prefix, Prefix + "new", Prefix + "publish",
		Prefix + "r/conventions/jumin-gongyue.md", Prefix + "r/disclosures/2026-q3-caiwu.md", Prefix + "r/disclosures/guiyuan-gaizao/index.md",
		Prefix + "r/decisions/2026-06-xiaofang-gengxin.md", Prefix + "r/minutes/2026-06-16-daibiao.md", Prefix + "r/pages/about.md",
		Prefix + "r/" + bad, Prefix + "r/" + broken, Prefix + "r/nope/x.md"}
	for _, p := range pages {
		for _, width := range []int64{1280, 360} {
			browsertest.Do(t, ctx, chromedp.EmulateViewport(width, 800), chromedp.Navigate(s.base+p), chromedp.WaitVisible(chromedp.CSS("#main")))
			if strings.Contains(p, "/r/") && !strings.Contains(p, "nope") {
				waitFor(t, ctx, `document.getElementById("summary").textContent!==""`)
			}
			if p == Prefix+"publish" && browsertest.Eval[bool](t, ctx, `!!document.getElementById("open-publish")`) {
				browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#open-publish")))
				waitFor(t, ctx, `document.getElementById("publish-dialog").open`)
			}
			start := time.Now()
			for _, v := range browsertest.Axe(t, ctx, axe) {
				t.Errorf("%s at %d px: %s", p, width, v)
			}
			t.Logf("%s at %d px: axe took %s", p, width, time.Since(start))
		}
	}
	// The mistakes are shown at their fields, in check's words.
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+Prefix+"r/"+bad), chromedp.WaitVisible(chromedp.CSS("#main")))
	waitFor(t, ctx, `document.getElementById("summary").textContent!==""`)
	if msg := browsertest.Eval[string](t, ctx, `document.getElementById("f-present-msgs").textContent`); !strings.Contains(msg, "实到人数 1000 超过应到人数") {
		t.Errorf("present: %q", msg)
	}
	if inv := browsertest.Eval[string](t, ctx, `document.getElementById("f-present").getAttribute("aria-invalid")||""`); inv != "true" {
		t.Errorf("present is not marked invalid")
	}
}

// TestBrowserKeyboard: the form can be used with the keyboard alone: Tab
// reaches every control in order, rows are added with Enter, and Ctrl+S
// saves.
func TestBrowserKeyboard(t *testing.T) {
	s := newTestServer(t, "")
	ctx := browser(t)
	name := "minutes/2026-06-16-daibiao.md"
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+Prefix+"r/"+name), chromedp.WaitVisible(chromedp.CSS("#save")))
	waitFor(t, ctx, `document.getElementById("summary").textContent!==""`)
	// Tab from the top reaches the title field, then the date.
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.activeElement.blur(); window.scrollTo(0,0)`))
	reached := map[string]bool{}
	for i := 0; i < 400; i++ {
		browsertest.Do(t, ctx, chromedp.KeyEvent("\t"))
		id := browsertest.Eval[string](t, ctx, `document.activeElement.id||document.activeElement.getAttribute("data-add")||document.activeElement.tagName`)
		reached[id] = true
		if id == "save" {
			break
		}
	}
	for _, id := range []string{"f-title", "f-date", "f-meeting", "f-absent-0-name", "f-resolutions-1-decision", "f-body", "save"} {
		if !reached[id] {
			t.Errorf("Tab never reached %s", id)
		}
	}
	// Add an agenda item with the keyboard.
	browsertest.Do(t, ctx, chromedp.Focus(chromedp.CSS(`[data-rows="agenda"] button[data-add]`)), chromedp.KeyEvent("\r"))
	if id := browsertest.Eval[string](t, ctx, `document.activeElement.id`); id != "f-agenda-3-item" {
		t.Fatalf("after adding a row the focus is on %q", id)
	}
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-agenda-3-item"), "审议社区停车管理办法"))
	browsertest.Do(t, ctx, chromedp.KeyEvent("s", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	waitFor(t, ctx, `/已保存/.test(document.getElementById("status").textContent)`)
	if !strings.Contains(string(s.read(name)), "[[agenda]]\nitem = \"审议社区停车管理办法\"\n") {
		t.Fatalf("the new agenda item was not saved:\n%s", s.read(name))
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
