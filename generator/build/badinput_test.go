package build_test

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf16"

	"gongkai/generator/build"
	"gongkai/generator/diag"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// edit changes one file of the good board.
type edit func(t *testing.T, fsys fstest.MapFS)

// sub replaces the first old with new in file.
func sub(file, old, new string) edit {
	return func(t *testing.T, fsys fstest.MapFS) {
		t.Helper()
		f, ok := fsys[file]
		if !ok || !bytes.Contains(f.Data, []byte(old)) {
			t.Fatalf("board file %s has no %q", file, old)
		}
		fsys[file] = &fstest.MapFile{Data: bytes.Replace(f.Data, []byte(old), []byte(new), 1), Mode: 0o644}
	}
}

// put writes file.
func put(file, text string) edit {
	return func(t *testing.T, fsys fstest.MapFS) {
		fsys[file] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
	}
}

// del removes file.
func del(file string) edit {
	return func(t *testing.T, fsys fstest.MapFS) {
		if _, ok := fsys[file]; !ok {
			t.Fatalf("board has no %s", file)
		}
		delete(fsys, file)
	}
}

// recode rewrites file with enc applied to its text.
func recode(file string, enc func(t *testing.T, text string) []byte) edit {
	return func(t *testing.T, fsys fstest.MapFS) {
		fsys[file] = &fstest.MapFile{Data: enc(t, string(fsys[file].Data)), Mode: 0o644}
	}
}

func gb18030(t *testing.T, text string) []byte {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utf16le(t *testing.T, text string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(text)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func crlfBOM(t *testing.T, text string) []byte {
	return []byte("\uFEFF" + strings.ReplaceAll(text, "\n", "\r\n"))
}

// want is one expected diagnostic: its position as printed (file:line:col)
// and a piece of its Chinese message or hint.
type want struct {
	pos, text string
}

const (
	decision = "decisions/2026-02.md"
	daibiao  = "minutes/2026-03-18-daibiao.md"
	dangyuan = "minutes/2026-03-11-dangyuan.md"
	caiwu    = "disclosures/2026-q2-caiwu.md"
	jiuzhu   = "disclosures/2026-07-jiuzhu.md"
	meian    = "disclosures/meian/index.md"
	meianCSV = "disclosures/meian/资金明细.csv"
	gongyue  = "conventions/jumin-gongyue.md"
	about    = "pages/about.md"
	site     = "site.toml"
)

// badCases are the malformed inputs of SPEC §2 and §9, one defect each
// (or a defect and its necessary consequence). Every error of the build
// must be listed in errs; warns lists warnings that must be there.
// badCase is one malformed board: the edits that make it from the good
// board, every error the build must report and warnings it must report.
type badCase struct {
	name  string
	edits []edit
	errs  []want
	warns []want
}

var badCases = []badCase{
	// Broken TOML and front matter.
	{"toml-bad-value", []edit{sub(dangyuan, "present = 41", "present = 四十一")},
		[]want{{dangyuan + ":9:11", "数字要用阿拉伯数字写：“四十一”应写成 41；改成 present = 41"}}, nil},
	{"toml-unclosed-string", []edit{sub(decision, `category = "重大项目安排"`, `category = "重大项目安排`)},
		[]want{{decision + ":5:12", "这里的 \" 没有结束"}}, nil},
	{"toml-duplicate-key", []edit{sub(about, "date = 2026-01-01\n", "date = 2026-01-01\ndate = 2026-01-02\n")},
		[]want{{about + ":4:1", "date 写了两次（第 3 行和第 4 行）；同一项只能写一次"}}, nil},
	{"front-matter-only-open", []edit{put("pages/contact.md", "+++\ntitle = \"联系我们\"\ndate = 2026-01-01\n")},
		[]want{{"pages/contact.md:1:1", "找不到第二个 +++"}}, nil},
	{"front-matter-none", []edit{put("pages/contact.md", "联系我们\n\n电话：023-6800-0000\n")},
		[]want{{"pages/contact.md:1:1", "第一行应为 +++"}}, nil},
	{"front-matter-yaml", []edit{put("pages/contact.md", "---\ntitle: 联系我们\ndate: 2026-01-01\n---\n\n正文\n")},
		[]want{{"pages/contact.md:1:1", "不用 ---：把这两行 --- 改成 +++"}}, nil},

	// Wrong types.
	{"wrong-type-int", []edit{sub(daibiao, "expected = 26", `expected = "26人"`)},
		[]want{{daibiao + ":8:1", "expected 应为整数，实际写的是文字"}}, nil},
	{"wrong-type-date", []edit{sub(about, "date = 2026-01-01", `date = "去年元旦"`)},
		[]want{{about + ":3:1", "date 应为日期"}}, nil},
	{"wrong-type-bool", []edit{sub(jiuzhu, "personal = true", `personal = "是"`)},
		[]want{{jiuzhu + ":5:1", "personal 应为true 或 false"}}, nil},
	{"wrong-type-table", []edit{sub(jiuzhu, "notice = { from = 2026-07-20, to = 2026-07-26 }", `notice = "2026-07-20"`)},
		[]want{{jiuzhu + ":6:1", "notice 应为表"}}, nil},
	{"wrong-type-list", []edit{sub(about, "date = 2026-01-01\n", "date = 2026-01-01\ntags = 3\n")},
		[]want{{about + ":4:1", "tags 应为文字列表"}}, nil},

	// Unknown keys with did-you-mean.
	{"unknown-key-titel", []edit{sub(about, "title =", "titel =")},
		[]want{{about + ":1", "缺少必填项 title"}, {about + ":2:1", "不认识的键 titel；是不是想写 title"}}, nil},
	{"unknown-key-orign", []edit{sub(decision, "origin =", "orign =")},
		[]want{{decision + ":6:1", "不认识的键 orign；是不是想写 origin"}}, nil},
	{"unknown-key-nested", []edit{sub(caiwu, `voucher = "记-04-01"`, `vocher = "记-04-01"`)},
		[]want{{caiwu + ":16:1", "不认识的键 finance.income[0].vocher；是不是想写 voucher"}}, nil},

	// Unknown enum values with a suggestion.
	{"stage-unknown", []edit{sub(decision, `stage = "两委会商议"`, `stage = "两委商议"`)},
		[]want{{decision + ":15:1", `"两委商议" 不在本站的程序里；是不是想写 "两委会商议"`}}, nil},
	{"kind-invalid", []edit{sub(gongyue, `kind = "居民公约"`, `kind = "公约"`)},
		[]want{{gongyue + ":4:1", "是不是想写 \"居民公约\""}}, nil},
	{"category-invalid", []edit{sub(caiwu, `category = "财务公开"`, `category = "财务"`)},
		[]want{{caiwu + ":4:1", "是不是想写 \"财务公开\""}}, nil},
	{"origin-invalid", []edit{sub(decision, `origin = "党员群众建议"`, `origin = "群众建议"`)},
		[]want{{decision + ":6:1", "是不是想写 \"党员群众建议\""}}, nil},

	// Bad and impossible dates.
	{"impossible-date", []edit{sub(caiwu, "date = 2026-07-08", "date = 2026-06-31")},
		[]want{{caiwu + ":3:8", "日期“2026-06-31”不存在：2026年6月只有 30 天，没有 31 日"}}, nil},
	{"bad-month", []edit{sub(decision, "date = 2026-03-02", "date = 2026-13-02")},
		[]want{{decision + ":11:8", "日期“2026-13-02”不存在：一年只有 12 个月，没有 13 月"}}, nil},
	{"bad-date-string", []edit{sub(about, "date = 2026-01-01", `date = "2026-02-30"`)},
		[]want{{about + ":3:1", "日期“2026-02-30”不存在：2026年2月只有 28 天"}}, nil},

	// Amounts.
	{"amount-three-decimals", []edit{sub(caiwu, `amount = "6842.55"`, `amount = "6842.555"`)},
		[]want{{caiwu + ":27:1", "amount 不是有效金额"}}, nil},
	{"amount-with-letters", []edit{sub(caiwu, `amount = "6842.55"`, `amount = "6842.55元"`)},
		[]want{{caiwu + ":27:1", "amount 不是有效金额"}}, nil},
	{"amount-float-three-decimals", []edit{sub(decision, `amount = "6400000.00"`, `amount = 6400000.125`)},
		[]want{{decision + ":7:1", "amount 是金额，要加英文双引号；写成 amount = \"6400000.125\""}}, nil},
	{"finance-unbalanced", []edit{sub(caiwu, `opening = "52310.00"`, `opening = "52300.00"`)},
		[]want{{caiwu + ":10:1", "= 61917.45，但期末余额写的是 61927.45（相差 -10.00）；请核对每一笔收支"}}, nil},
	{"finance-missing-closing", []edit{sub(caiwu, "closing = \"61927.45\"\n", "")},
		[]want{{caiwu + ":8:1", "缺少必填项 finance.closing；请在 finance 下面加上一行：closing = \"1234.50\""}}, nil},
	{"major-amount-missing", []edit{sub(decision, `category = "重大项目安排"`, `category = "大额资金使用"`), sub(decision, "amount = \"6400000.00\"\n", "")},
		[]want{{decision + ":5:1", "必须写明金额"}}, nil},

	// Votes, attendance and quorum.
	{"votes-exceed-attendance", []edit{sub(daibiao, "abstain = 1", "abstain = 4")},
		[]want{{daibiao + ":16:1", "= 25 票，超过实到人数 22"}}, nil},
	{"present-exceeds-expected", []edit{sub(dangyuan, "present = 41", "present = 49")},
		[]want{{dangyuan + ":9:1", "实到人数 49 超过应到人数 48；核对应到、实到人数"}}, nil},
	{"votes-missing", []edit{sub(dangyuan, "for = 39\n", "")},
		[]want{{dangyuan + ":14:1", "缺少必填项 resolutions[0].for"}}, nil},
	{"negative-votes", []edit{sub(dangyuan, "against = 0", "against = -1")},
		[]want{{dangyuan + ":17:1", "票数不能为负数"}}, nil},
	{"quorum-not-met", []edit{sub(daibiao, "present = 22", "present = 17"), sub(daibiao, "for = 20", "for = 10")},
		[]want{{daibiao + ":9:1", "未达到法定人数"}, {decision + ":29:1", "决议未通过，不能进入“决议公开”"}}, nil},
	{"result-contradicts", []edit{sub(dangyuan, "abstain = 2\n", "abstain = 2\nresult = \"未通过\"\n")},
		[]want{{dangyuan + ":19:1", "表决结果写的是“未通过”，但按票数应为“通过”"}}, nil},
	{"result-invalid", []edit{sub(dangyuan, "abstain = 2\n", "abstain = 2\nresult = \"同意\"\n")},
		[]want{{dangyuan + ":19:1", "result 只能是"}}, nil},

	// The procedure of a decision.
	{"steps-out-of-order", []edit{sub(decision, `stage = "两委会商议"`, `stage = "党员大会审议"`), sub(decision, "stage = \"党员大会审议\"\ndate = 2026-03-11", "stage = \"两委会商议\"\ndate = 2026-03-11")},
		[]want{{decision + ":19:1", "步骤顺序不对：\"两委会商议\" 应在 \"党员大会审议\" 之前；按程序顺序排列"}}, nil},
	{"step-repeated", []edit{sub(decision, `stage = "两委会商议"`, `stage = "社区党组织提议"`)},
		[]want{{decision + ":15:1", "重复了"}}, nil},
	{"step-dates-backwards", []edit{sub(decision, "date = 2026-03-06", "date = 2026-03-01")},
		[]want{{decision + ":16:1", "第 2 步的日期 2026-03-01 早于上一步的 2026-03-02"}}, nil},
	{"public-after-failed-vote", []edit{sub(daibiao, "for = 20\nagainst = 1", "for = 10\nagainst = 11")},
		[]want{{decision + ":29:1", "决议未通过"}}, nil},

	// Links between records.
	{"minutes-link-missing", []edit{sub(decision, `minutes = "minutes/2026-03-11-dangyuan"`, `minutes = "minutes/2026-03-10-dangyuan"`)},
		[]want{{decision + ":21:1", "链接的记录 minutes/2026-03-10-dangyuan 不存在；是不是想写 minutes/2026-03-11-dangyuan"}}, nil},
	{"minutes-link-not-minutes", []edit{sub(decision, `minutes = "minutes/2026-03-11-dangyuan"`, `minutes = "pages/about"`)},
		[]want{{decision + ":21:1", "pages/about 不是会议记录"}}, nil},
	{"decision-link-not-decision", []edit{sub(daibiao, `decision = "decisions/2026-02"`, `decision = "pages/about"`)},
		[]want{{daibiao + ":19:1", "应链接到三重一大决策"}}, nil},
	{"body-link-missing", []edit{sub(about, "欢迎居民监督。\n", "欢迎居民监督。\n\n见[决议](decisions/2026-99)。\n")},
		[]want{{about + ":8:7", "链接的记录 decisions/2026-99 不存在"}}, nil},

	// Duplicates.
	{"duplicate-number", []edit{sub(about, "date = 2026-01-01\n", "date = 2026-01-01\nnumber = \"青石居〔2026〕2号\"\n")},
		[]want{{about + ":4:1", "文号 \"青石居〔2026〕2号\" 与 decisions/2026-02.md 重复"}}, nil},
	{"duplicate-slug", []edit{put("minutes/2026-03-18-daibiao/index.md", "+++\ntitle = \"重复\"\ndate = 2026-03-18\nmeeting = \"居民代表会议\"\n+++\n")},
		[]want{{"minutes/2026-03-18-daibiao/index.md", "记录 minutes/2026-03-18-daibiao 重复"}}, nil},

	// Attachments and tables.
	{"attachment-missing", []edit{sub(meian, `attachments = ["资金明细.csv"]`, `attachments = ["资金明细.csv", "现场照片.jpg"]`)},
		[]want{{meian + ":6:1", "附件 \"现场照片.jpg\" 不存在（第 2 项）"}}, nil},
	{"attachment-dotdot", []edit{sub(meian, `attachments = ["资金明细.csv"]`, `attachments = ["../2026-q2-caiwu.md"]`)},
		[]want{{meian + ":6:1", "不能含 .."}}, nil},
	{"attachment-not-bundle", []edit{sub(about, "date = 2026-01-01\n", "date = 2026-01-01\nattachments = [\"x.pdf\"]\n"), put("pages/x.pdf", "%PDF")},
		[]want{{about + ":4:1", "只有“文件夹式记录”"}}, nil},
	{"csv-bad-amount", []edit{sub(meianCSV, "2180000.00", "2,180,000.00元")},
		[]want{{meianCSV + ":3:", "金额"}}, nil},
	{"csv-sum-column-missing", []edit{sub(meian, `sum = ["金额"]`, `sum = ["金额（元）"]`)},
		[]want{{meian + ":11:1", "金额（元）"}}, nil},
	{"csv-file-missing", []edit{sub(meian, `file = "资金明细.csv"`, `file = "明细.csv"`)},
		[]want{{meian + ":10:1", "表格文件 \"明细.csv\" 不存在"}}, nil},

	// Articles of a convention.
	{"article-gap", []edit{sub(gongyue, "## 第五条", "## 第六条")},
		[]want{{gongyue + ":33:1", "第六条之前缺少第五条"}}, nil},
	{"article-repeated", []edit{sub(gongyue, "## 第四条", "## 第三条")},
		[]want{{gongyue + ":27:1", "第三条出现了两次（此处应为第四条）"}}, nil},
	{"article-inserted-twice", []edit{sub(gongyue, "## 第四条", "## 第三条\n\n重复的一条。\n\n## 第四条")},
		[]want{{gongyue + ":27:1", "第三条出现了两次"}}, nil},
	{"article-paragraph-gap", []edit{sub(gongyue, "## 第二条\n\n本公约", "第四条　本公约")},
		[]want{{gongyue + ":17:1", "第四条之前缺少第二条"}}, nil},

	// Notice periods.
	{"notice-too-short", []edit{sub(jiuzhu, "to = 2026-07-26", "to = 2026-07-22")},
		[]want{{jiuzhu + ":6:31", "公示期只有 3 天，至少要 5 天（含首尾两天）；把 to 改为 2026-07-24 或更晚"}}, nil},
	{"notice-to-before-from", []edit{sub(jiuzhu, "to = 2026-07-26", "to = 2026-07-19")},
		[]want{{jiuzhu + ":6:31", "公示期结束日期早于开始日期"}}, nil},

	// Titles.
	{"title-too-long", []edit{sub(about, `title = "关于本公开栏"`, `title = "`+strings.Repeat("长", 101)+`"`)},
		[]want{{about + ":2:1", "标题太长（101 字），最多 100 字"}}, nil},
	{"title-empty", []edit{sub(about, `title = "关于本公开栏"`, `title = "  "`)},
		[]want{{about + ":2:1", "标题不能为空"}}, nil},
	{"title-missing", []edit{sub(about, "title = \"关于本公开栏\"\n", "")},
		[]want{{about + ":1", "缺少必填项 title"}}, nil},

	// Files: empty, huge, encodings, names.
	{"empty-file", []edit{put("pages/contact.md", "")},
		[]want{{"pages/contact.md", "文件是空的"}}, nil},
	{"blank-file", []edit{put("pages/contact.md", "\n  \n")},
		[]want{{"pages/contact.md", "文件是空的"}}, nil},
	{"huge-file", []edit{put("pages/big.md", "+++\ntitle = \"大\"\ndate = 2026-01-01\n+++\n"+strings.Repeat("很长的正文。\n", 4<<20/19+1))},
		[]want{{"pages/big.md", "文件太大"}}, nil},
	{"bad-encoding", []edit{put("pages/contact.md", "+++\ntitle = \"\xff\xfe\xff\"\ndate = 2026-01-01\n+++\n")},
		[]want{{"pages/contact.md:2:10", "文件编码无法识别"}}, nil},
	{"nul-bytes", []edit{put("pages/contact.md", "+++\ntitle = \"联系\x00\"\ndate = 2026-01-01\n+++\n")},
		[]want{{"pages/contact.md:2:12", "空字符"}}, nil},
	{"utf16", []edit{recode(about, utf16le)},
		[]want{{about, "UTF-16"}}, nil},
	{"gb18030-builds-with-warning", []edit{recode(about, gb18030)},
		nil, []want{{about, "已按 GB18030"}}},
	{"crlf-bom-builds-clean", []edit{recode(about, crlfBOM), recode(decision, crlfBOM)},
		nil, nil},
	{"slug-with-space", []edit{put("pages/about us.md", "+++\ntitle = \"关于\"\ndate = 2026-01-01\n+++\n")},
		[]want{{"pages/about us.md", "不能用作网址"}}, nil},
	{"slug-with-hash", []edit{put("pages/a#b.md", "+++\ntitle = \"关于\"\ndate = 2026-01-01\n+++\n")},
		[]want{{"pages/a#b.md", "不能用作网址"}}, nil},

	// site.toml.
	{"site-missing-title", []edit{sub(site, "title = \"青石社区居务公开栏\"\n", "")},
		[]want{{site + ":1", "缺少必填项 title"}}, nil},
	{"site-bad-base-url", []edit{sub(site, `base_url = "https://example.org/qingshi/"`, `base_url = "example.org/qingshi"`)},
		[]want{{site + ":5:1", "base_url 应为完整网址"}}, nil},
	{"site-unknown-key", []edit{sub(site, "notice_min_days = 5", "notice_days = 5")},
		[]want{{site + ":9:1", "不认识的键 notice_days；是不是想写 notice_min_days"}}, nil},
	{"site-broken-toml", []edit{sub(site, `theme = "default"`, `theme = default`)},
		[]want{{site + ":8:9", "文字要用英文双引号括起来：“default”；改成 theme = \"default\""}}, nil},
	{"site-missing", []edit{del(site)},
		[]want{{site, "找不到 site.toml"}}, nil},
	{"site-bad-notice-days", []edit{sub(site, "notice_min_days = 5", "notice_min_days = 0")},
		[]want{{site + ":9:1", "notice_min_days 应在 1 到 365 之间"}}, nil},
}

// match reports whether d is at w.pos (a prefix "file:line:" matches any
// column) and says w.text in its message or hint.
func (w want) match(d diag.Diagnostic) bool {
	p := d.Pos.String()
	if p != w.pos && !(strings.HasSuffix(w.pos, ":") && strings.HasPrefix(p, w.pos)) {
		return false
	}
	text := d.Msg.Zh
	if d.Hint.Zh != "" {
		text += "；" + d.Hint.Zh
	}
	return strings.Contains(text, w.text)
}

func TestBadInput(t *testing.T) {
	if len(badCases) < 40 {
		t.Errorf("only %d bad-input cases", len(badCases))
	}
	runBadCases(t, badCases)
}

// runBadCases builds the good board with each case's edits and checks
// that every error is listed, with a file, a hint and an English text,
// and that the listed warnings are there.
func runBadCases(t *testing.T, cases []badCase) {
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.name] {
			t.Errorf("case %s is listed twice", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			fsys := loadBoard(t, boardTxtar)
			for _, e := range tc.edits {
				e(t, fsys)
			}
			_, ds := build.Load(build.Options{Src: fsys, Today: today})
			var printed strings.Builder
			ds.Print(&printed, diag.Zh)
			for _, w := range tc.errs {
				if !has(ds, diag.Error, w) {
					t.Errorf("no error at %s saying %q; got:\n%s", w.pos, w.text, printed.String())
				}
			}
			for _, w := range tc.warns {
				if !has(ds, diag.Warning, w) {
					t.Errorf("no warning at %s saying %q; got:\n%s", w.pos, w.text, printed.String())
				}
			}
			for _, d := range ds {
				if d.Severity != diag.Error {
					continue
				}
				wanted := false
				for _, w := range tc.errs {
					wanted = wanted || w.match(d)
				}
				if !wanted {
					t.Errorf("unexpected error: %s", d.Format(diag.Zh))
				}
				if d.Pos.File == "" {
					t.Errorf("error without a file: %s", d.Format(diag.Zh))
				}
				if d.Hint.Zh == "" || d.Hint.En == "" {
					t.Errorf("error without a hint on how to fix it: %s", d.Format(diag.Zh))
				}
				if d.Msg.En == "" || d.Msg.Zh == d.Msg.En {
					t.Errorf("error without an English message: %s", d.Format(diag.Zh))
				}
			}
			ds.Print(&printed, diag.En)
			if strings.Contains(printed.String(), "%!") {
				t.Errorf("a message is badly formatted:\n%s", printed.String())
			}
		})
	}
}

func has(ds diag.List, sev diag.Severity, w want) bool {
	for _, d := range ds {
		if d.Severity == sev && w.match(d) {
			return true
		}
	}
	return false
}

// TestBadInputTogether puts several defects into one board: every one is
// reported, in order of file and line, and nothing is built.
func TestBadInputTogether(t *testing.T) {
	fsys := loadBoard(t, boardTxtar)
	for _, e := range []edit{
		sub(about, "title =", "titel ="),
		sub(decision, "origin =", "orign ="),
		sub(decision, "date = 2026-03-06", "date = 2026-03-01"),
		sub(dangyuan, "present = 41", "present = 49"),
		sub(caiwu, `amount = "6842.55"`, `amount = "6842.555"`),
		put("pages/contact.md", "+++\ntitle = \"联系我们\"\n"),
	} {
		e(t, fsys)
	}
	out, _, ds, err := build.ToMemory(build.Options{Src: fsys, Today: today})
	if out != nil || err != nil {
		t.Fatalf("a board with errors was built (err %v)", err)
	}
	var b strings.Builder
	ds.Print(&b, diag.Zh)
	got := b.String()
	order := []string{
		decision + ":6:1:", decision + ":16:1:",
		caiwu + ":27:1:",
		dangyuan + ":9:1:",
		about + ":1:", about + ":2:1:",
		"pages/contact.md:1:1:",
	}
	last := -1
	for _, p := range order {
		i := strings.Index(got, p)
		if i < 0 {
			t.Errorf("%s is not reported:\n%s", p, got)
			continue
		}
		if i < last {
			t.Errorf("%s is reported out of order:\n%s", p, got)
		}
		last = i
	}
	if e, _ := ds.Count(); e != len(order) {
		t.Errorf("%d errors, want %d:\n%s", e, len(order), got)
	}
	if !strings.Contains(got, "共 7 个错误") {
		t.Errorf("no summary line:\n%s", got)
	}
}
