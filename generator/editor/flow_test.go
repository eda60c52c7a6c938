package editor

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"gongkai/generator/internal/browsertest"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// gongkai builds the command once per test run and returns its path.
func gongkai(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gongkai-editor-test")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "gongkai")
		if runtime.GOOS == "windows" {
			binPath += ".exe"
		}
		out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", binPath, "gongkai/cmd/gongkai").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// run runs the command in dir and returns its exit code and output.
func run(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(gongkai(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GONGKAI_LANG=zh")
	out, err := cmd.CombinedOutput()
	code := 0
	if x, ok := err.(*exec.ExitError); ok {
		code = x.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, string(out)
}

// clerk drives the editor's pages as a clerk does: through the forms.
type clerk struct {
	t    *testing.T
	ctx  context.Context
	s    *testServer
	axe  string
	seen map[string]bool
}

// open goes to an editor page and waits for its first check.
func (c *clerk) open(path string) {
	c.t.Helper()
	browsertest.Do(c.t, c.ctx, chromedp.Navigate(c.s.base+path), chromedp.WaitVisible(chromedp.CSS("#main")))
	if strings.HasPrefix(path, Prefix+"r/") {
		waitFor(c.t, c.ctx, `document.getElementById("summary").textContent!==""`)
	}
}

// newRecord makes a record on the page of a new record and returns its
// file, once its form is open.
func (c *clerk) newRecord(section, slug string) string {
	c.t.Helper()
	c.open(Prefix + "new")
	browsertest.Do(c.t, c.ctx, chromedp.Click(chromedp.CSS(`input[name=section][value=`+section+`]`)))
	typeIntoSel(c.t, c.ctx, "#slug", slug)
	browsertest.Do(c.t, c.ctx, chromedp.Click(chromedp.CSS(`#new-record button[type=submit]`)))
	waitFor(c.t, c.ctx, `location.pathname.indexOf("/_edit/r/")===0 || !!(document.getElementById("new-msgs")||{}).textContent`)
	if msg := browsertest.Eval[string](c.t, c.ctx, `location.pathname.indexOf("/_edit/r/")===0 ? "" : document.getElementById("new-msgs").textContent + " slug=" + document.getElementById("slug").value`); msg != "" {
		c.t.Fatalf("new %s/%s: %s", section, slug, msg)
	}
	waitFor(c.t, c.ctx, `location.pathname.indexOf("/_edit/r/")===0 && !!document.getElementById("summary") && document.getElementById("summary").textContent!==""`)
	file := browsertest.Eval[string](c.t, c.ctx, `document.getElementById("record").dataset.file`)
	if want := section + "/" + slug + ".md"; file != want {
		c.t.Fatalf("new record: %s, want %s", file, want)
	}
	c.check("the form of a new " + section)
	return file
}

// check runs axe-core once on each kind of page.
func (c *clerk) check(what string) {
	c.t.Helper()
	if c.seen[what] {
		return
	}
	c.seen[what] = true
	for _, v := range browsertest.Axe(c.t, c.ctx, c.axe) {
		c.t.Errorf("axe, %s: %s", what, v)
	}
}

// addRow presses 添加一行 under the table of rows key and returns the
// number of rows.
func (c *clerk) addRow(key string) int {
	c.t.Helper()
	browsertest.Do(c.t, c.ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-rows=%q] button[data-add]`, key))))
	return browsertest.Eval[int](c.t, c.ctx, fmt.Sprintf(`document.querySelectorAll('[data-rows=%q] tbody tr[data-row]').length`, key))
}

// body replaces the body's text.
func (c *clerk) body(text string) {
	c.t.Helper()
	js := fmt.Sprintf(`(function(){var b=document.getElementById("f-body");b.focus();b.value=%q;b.dispatchEvent(new Event("input",{bubbles:true}))})()`, text)
	browsertest.Do(c.t, c.ctx, chromedp.Evaluate[chromedp.Void](js))
}

// saveClean saves and fails unless the record checks without errors.
func (c *clerk) saveClean() {
	c.t.Helper()
	st := save(c.t, c.ctx)
	if !strings.Contains(st, "已保存") || strings.Contains(st, "错误") {
		c.t.Fatalf("save: %q\n%s", st, summary(c.t, c.ctx))
	}
	if sum := summary(c.t, c.ctx); !strings.Contains(sum, "检查通过") && !strings.Contains(sum, "：0 个错误") {
		c.t.Fatalf("after saving:\n%s", sum)
	}
}

func typeIntoSel(t *testing.T, ctx context.Context, sel, text string) {
	t.Helper()
	q := chromedp.CSS(sel)
	browsertest.Do(t, ctx, chromedp.Focus(q), chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.KeyEvent("\b"), chromedp.SendKeys(q, text))
}

// publish publishes on the publish page: the release's message, the
// change notes asked for and the withdrawals' reasons, and returns the
// page's answer.
func (c *clerk) publish(message string, notes map[string]string) string {
	c.t.Helper()
	c.open(Prefix + "publish")
	browsertest.Do(c.t, c.ctx, chromedp.Click(chromedp.CSS("#open-publish")))
	waitFor(c.t, c.ctx, `document.getElementById("publish-dialog").open`)
	c.check(fmt.Sprintf("the publish dialog with %d notes", len(notes)))
	typeIntoSel(c.t, c.ctx, "#p-message", message)
	asked := browsertest.Eval[[]string](c.t, c.ctx, `Array.prototype.map.call(document.querySelectorAll("[data-note],[data-withdraw]"),function(i){return i.id})`)
	if len(asked) != len(notes) {
		c.t.Fatalf("the dialog asks for %v, want %v", asked, notes)
	}
	for id, text := range notes {
		typeIntoSel(c.t, c.ctx, "#"+cssID(id), text)
	}
	browsertest.Do(c.t, c.ctx, chromedp.Click(chromedp.CSS("#publish-go")))
	waitFor(c.t, c.ctx, `document.getElementById("publish-result").textContent!=="" || document.getElementById("publish-msgs").querySelector("p")!==null`)
	return browsertest.Eval[string](c.t, c.ctx, `document.getElementById("publish-result").innerText+document.getElementById("publish-msgs").innerText`)
}

// cssID escapes an id for a CSS selector.
func cssID(id string) string {
	return strings.NewReplacer("/", `\/`, ".", `\.`).Replace(id)
}

// TestBrowserEveryType: on a board just made by `gongkai init`, a clerk
// makes one record of every section through the forms alone — a
// convention with its articles, the quarter's accounts with lines pasted
// from a spreadsheet, a 三重一大 decision with its steps, the minutes of
// the meeting that voted on it, a page —, publishes them, amends one and
// withdraws another with the reasons the publish dialog asks for; then
// `gongkai check` and `gongkai verify` pass, and the files read as a
// careful person would write them.
func TestBrowserEveryType(t *testing.T) {
	axe := browsertest.AxeSource(t)
	board := t.TempDir()
	if code, out := run(t, board, "init", ".", "--name", "青石社区", "--issuer", "青石社区居民委员会", "--parent", "某某街道办事处",
		"--phone", "0000-1234567", "--supervise-phone", "0000-7654321", "--address", "某某路1号", "--base-url", "https://gongkai.example.org"); code != 0 {
		t.Fatalf("init: %d\n%s", code, out)
	}
	s := newTestServer(t, filepath.Join(board, "content"))
	c := &clerk{t: t, ctx: browser(t), s: s, axe: axe, seen: map[string]bool{}}

	// The decision, with the first two steps of its procedure.
	decision := c.newRecord("decisions", "2026-11-jianshen")
	set(t, c.ctx, "title", "关于更新社区健身器材的决定")
	set(t, c.ctx, "date", "2026-11-20")
	set(t, c.ctx, "category", "重大事项决策")
	set(t, c.ctx, "steps[0].date", "2026-11-03")
	set(t, c.ctx, "steps[0].body", "社区党委")
	c.addRow("steps")
	set(t, c.ctx, "steps[1].stage", "两委会商议")
	set(t, c.ctx, "steps[1].date", "2026-11-06")
	set(t, c.ctx, "steps[1].body", "社区两委联席会议")
	c.body("经居民代表会议表决通过，决定更新青石社区中心广场健身器材12件。")
	c.saveClean()

	// The minutes of the meeting that voted on it.
	minutes := c.newRecord("minutes", "2026-11-18-daibiao")
	set(t, c.ctx, "title", "青石社区居民代表会议记录（2026年11月18日）")
	set(t, c.ctx, "date", "2026-11-18T14:30")
	set(t, c.ctx, "place", "社区党群服务中心二楼会议室")
	set(t, c.ctx, "chair", "周某某")
	set(t, c.ctx, "recorder", "吴某")
	set(t, c.ctx, "expected", "35")
	set(t, c.ctx, "present", "33")
	c.addRow("absent")
	set(t, c.ctx, "absent[0].name", "李某某")
	set(t, c.ctx, "absent[0].reason", "外出务工")
	c.addRow("absent")
	set(t, c.ctx, "absent[1].name", "赵某")
	set(t, c.ctx, "absent[1].reason", "住院治疗")
	set(t, c.ctx, "agenda[0].item", "审议更新社区健身器材的方案")
	set(t, c.ctx, "resolutions[0].text", "同意更新社区中心广场健身器材")
	set(t, c.ctx, "resolutions[0].for", "30")
	set(t, c.ctx, "resolutions[0].against", "1")
	set(t, c.ctx, "resolutions[0].abstain", "2")
	set(t, c.ctx, "resolutions[0].decision", "decisions/2026-11-jianshen")
	c.body("会议由周某某主持，代表们对器材的安全和维护提出了意见。")
	c.saveClean()

	// Back to the decision: the vote and the announcement.
	c.open(Prefix + "r/" + decision)
	c.addRow("steps")
	set(t, c.ctx, "steps[2].stage", "居民代表会议决议")
	set(t, c.ctx, "steps[2].date", "2026-11-18")
	set(t, c.ctx, "steps[2].minutes", "minutes/2026-11-18-daibiao")
	c.addRow("steps")
	set(t, c.ctx, "steps[3].stage", "决议公开")
	set(t, c.ctx, "steps[3].date", "2026-11-20")
	c.saveClean()

	// The quarter's accounts: one income line typed, the expenses pasted
	// from a spreadsheet.
	accounts := c.newRecord("disclosures", "2026-q3-jingfei")
	set(t, c.ctx, "title", "2026年第三季度社区经费收支公开")
	set(t, c.ctx, "date", "2026-11-20")
	set(t, c.ctx, "category", "财务公开")
	set(t, c.ctx, "period", "2026-Q3")
	set(t, c.ctx, "finance.opening", "52310.00")
	set(t, c.ctx, "finance.income[0].date", "2026-07-05")
	set(t, c.ctx, "finance.income[0].item", "街道拨付社区工作经费")
	set(t, c.ctx, "finance.income[0].amount", "30000.00")
	set(t, c.ctx, "finance.income[0].voucher", "记-07-01")
	tsv := "日期\t摘要\t金额\t凭证号\n2026年7月12日\t楼道照明维修材料\t¥6,842.55\t记-07-03\n2026-08-02\t社区活动室空调维修\t1200\t\n2026/9/15\t重阳节慰问品\t3,000.00\t记-09-02\n\t合计\t11042.55\t\n"
	paste := fmt.Sprintf(`(function(){var el=document.querySelector('[data-path="finance.expense[0].date"]');el.focus();
		var dt=new DataTransfer();dt.setData("text/plain",%q);
		el.dispatchEvent(new ClipboardEvent("paste",{clipboardData:dt,bubbles:true,cancelable:true}));
		return document.querySelectorAll('[data-rows="expense"] tbody tr[data-row]').length})()`, tsv)
	if n := browsertest.Eval[int](t, c.ctx, paste); n != 3 {
		t.Fatalf("after pasting 3 lines the expenses have %d rows", n)
	}
	set(t, c.ctx, "finance.closing", "71267.45")
	c.body("现将本社区2026年第三季度经费收支情况公开如下。")
	c.saveClean()

	// A convention, its articles numbered by the button.
	convention := c.newRecord("conventions", "jumin-gongyue")
	set(t, c.ctx, "title", "青石社区居民公约")
	set(t, c.ctx, "date", "2026-11-20")
	set(t, c.ctx, "adopted_on", "2026-11-18")
	c.body("# 第一章 总则\n")
	browsertest.Do(t, c.ctx, chromedp.Evaluate[chromedp.Void](`(function(){var b=document.getElementById("f-body");b.focus();b.selectionStart=b.selectionEnd=b.value.length})()`))
	browsertest.Do(t, c.ctx, chromedp.Click(chromedp.CSS("#next-article")))
	browsertest.Do(t, c.ctx, chromedp.SendKeys(chromedp.CSS("#f-body"), "居民应当遵守法律法规，爱护公共设施。"))
	browsertest.Do(t, c.ctx, chromedp.Click(chromedp.CSS("#next-article")))
	browsertest.Do(t, c.ctx, chromedp.SendKeys(chromedp.CSS("#f-body"), "本公约自公布之日起施行。"))
	if got := browsertest.Eval[string](t, c.ctx, `document.getElementById("f-body").value`); got != "# 第一章 总则\n\n## 第一条\n\n居民应当遵守法律法规，爱护公共设施。\n\n## 第二条\n\n本公约自公布之日起施行。" {
		t.Errorf("the body after inserting two articles:\n%s", got)
	}
	c.saveClean()
	waitFor(t, c.ctx, `/第二条/.test(document.getElementById("preview").textContent)`)

	// A page.
	page := c.newRecord("pages", "lianxi")
	set(t, c.ctx, "title", "联系我们")
	c.body("办公电话：0000-1234567。")
	c.saveClean()

	if out := c.publish("首次发布", nil); !strings.Contains(out, "已登记第 1 次发布") {
		t.Fatalf("publish: %s", out)
	}

	// Amend the accounts, withdraw the page.
	c.open(Prefix + "r/" + accounts)
	set(t, c.ctx, "finance.expense[1].voucher", "记-08-01")
	c.saveClean()
	c.open(Prefix + "r/" + page)
	browsertest.Do(t, c.ctx, chromedp.Click(chromedp.CSS("#remove")))
	waitFor(t, c.ctx, `document.getElementById("confirm-remove").open`)
	c.check("the confirmation of a withdrawal")
	browsertest.Do(t, c.ctx, chromedp.Click(chromedp.CSS("#remove-yes")))
	waitFor(t, c.ctx, `location.pathname==="/_edit/"`)
	out := c.publish("补记凭证号，撤下联系页", map[string]string{
		"note-disclosures/2026-q3-jingfei": "补记空调维修的凭证号",
		"why-pages/lianxi":                 "联系方式已并入“关于本栏”",
	})
	if !strings.Contains(out, "已登记第 2 次发布") || !strings.Contains(out, "修订 disclosures/2026-q3-jingfei 为第2版：补记空调维修的凭证号") || !strings.Contains(out, "撤回 pages/lianxi") {
		t.Fatalf("second publish: %s", out)
	}

	// The files read as a careful person would write them.
	for name, wants := range map[string][]string{
		decision: {
			"title = \"关于更新社区健身器材的决定\"\ndate = 2026-11-20\n",
			"[[steps]]\nstage = \"社区党组织提议\"\ndate = 2026-11-03\nbody = \"社区党委\"\n",
			"[[steps]]\nstage = \"居民代表会议决议\"\ndate = 2026-11-18\nminutes = \"minutes/2026-11-18-daibiao\"\n",
			"[[steps]]\nstage = \"决议公开\"\ndate = 2026-11-20\n",
		},
		minutes: {
			"date = 2026-11-18T14:30:00\n",
			"expected = 35\npresent = 33\n",
			"[[absent]]\nname = \"赵某\"\nreason = \"住院治疗\"\n",
			"for = 30\n",
			"decision = \"decisions/2026-11-jianshen\"",
		},
		accounts: {
			"opening = \"52310.00\"\nclosing = \"71267.45\"\n",
			"[[finance.expense]]\ndate = 2026-07-12\nitem = \"楼道照明维修材料\"\namount = \"6842.55\"\nvoucher = \"记-07-03\"\n",
			"[[finance.expense]]\ndate = 2026-08-02\nitem = \"社区活动室空调维修\"\namount = \"1200.00\"\nvoucher = \"记-08-01\"\n",
			"change_note = \"补记空调维修的凭证号\"\n",
			"+++\n\n现将本社区2026年第三季度经费收支情况公开如下。\n",
		},
		convention: {"kind = \"居民公约\"\nadopted_on = 2026-11-18\n", "+++\n\n# 第一章 总则\n\n## 第一条\n"},
	} {
		text := string(s.read(name))
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q:\n%s", name, w, text)
			}
		}
		if fm := strings.SplitN(text, "+++", 3)[1]; strings.Contains(text, "【请填写") || strings.Contains(fm, "\n#") {
			t.Errorf("%s keeps a placeholder or a comment of the template:\n%s", name, text)
		}
	}

	for _, args := range [][]string{{"check", "--date", "2026-11-25"}, {"verify", "--date", "2026-11-25"}} {
		if code, out := run(t, board, args...); code != 0 {
			t.Errorf("gongkai %s: %d\n%s", args[0], code, out)
		}
	}
}
