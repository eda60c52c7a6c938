package build_test

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"gongkai/generator/build"
	"gongkai/generator/diag"
)

// page is a free page with the given front matter lines and body.
func pageWith(fm, body string) string {
	return "+++\ntitle = \"联系我们\"\ndate = 2026-01-01\n" + fm + "+++\n\n" + body + "\n"
}

// trustCases are the holes of issue "Nothing published vanishes, nothing
// outside content/ gets out" that a board in memory shows: each one a
// positioned error (or a warning) now. The cases that need a ledger or a
// real folder with links are in cmd/gongkai and generator/content.
var trustCases = []badCase{
	// 2. What a template asks to replace.
	{"placeholder-title", []edit{sub(about, `title = "关于本公开栏"`, `title = "【请填写：标题】"`)},
		[]want{{about + ":2:10", "模板里的“【请填写：标题】”还没有换成实际内容；把 【请填写：标题】 整个换成实际内容"}}, nil},
	{"placeholder-body", []edit{sub(about, "欢迎居民监督。", "欢迎居民监督。【请填写：正文】")},
		[]want{{about + ":6:27", "模板里的“【请填写：正文】”还没有换成实际内容"}}, nil},
	{"placeholder-count", []edit{sub(daibiao, "present = 22", `present = "【请填写：实到人数】"`)},
		[]want{{daibiao + ":9:12", "【请填写：实到人数】"}}, nil},
	{"placeholder-unclosed", []edit{sub(about, "欢迎居民监督。", "【请填写：正文")},
		[]want{{about + ":6:20", "模板里的“【请填写：正文”还没有换成实际内容"}}, nil},
	{"placeholder-in-comment-is-fine", []edit{sub(about, "date = 2026-01-01\n", "date = 2026-01-01\n# number = \"【请填写：文号】\"\n")}, nil, nil},

	// 4. Numbers.
	{"amount-out-of-range", []edit{sub(caiwu, `amount = "6842.55"`, `amount = "61489146912417192.05"`)},
		[]want{{caiwu + ":27:1", "amount 不是有效金额：金额超出范围：61489146912417192.05；金额最多 9999999999999.99 元"}}, nil},
	{"amount-no-integer-part", []edit{sub(caiwu, `amount = "33540.00"`, `amount = ".05"`)},
		[]want{{caiwu + ":33:1", "小数点前后都要有数字"}}, nil},
	{"expense-total-out-of-range", []edit{
		sub(caiwu, `amount = "6842.55"`, `amount = "9999999999999.99"`),
		sub(caiwu, `amount = "33540.00"`, `amount = "9999999999999.99"`)},
		[]want{{caiwu + ":33:1", "支出合计超出可以计算的范围（最多 9999999999999.99 元）"}}, nil},
	{"balance-out-of-range", []edit{sub(caiwu, `opening = "52310.00"`, `opening = "9999999999999.99"`)},
		[]want{{caiwu + ":10:1", "超出可以计算的范围"}}, nil},
	{"votes-huge", []edit{sub(daibiao, "for = 20\nagainst = 1", "for = 9223372036854775807\nagainst = 9223372036854775807")},
		[]want{{daibiao + ":16:1", "赞成票数 9223372036854775807 太大：最多 100000"}, {daibiao + ":17:1", "反对票数 9223372036854775807 太大：最多 100000"}}, nil},
	{"expected-huge", []edit{sub(dangyuan, "expected = 48", "expected = 100001")},
		[]want{{dangyuan + ":8:1", "应到人数 100001 太大：最多 100000"}}, nil},
	{"template-zero-expected", []edit{sub(dangyuan, "expected = 48", "expected = 0")},
		[]want{{dangyuan + ":8:1", "应到人数是 0；写上这次会议应到的人数"}}, nil},
	{"template-zero-present", []edit{sub(dangyuan, "present = 41", "present = 0")},
		[]want{{dangyuan + ":9:1", "实到人数是 0，会议却有表决事项"}}, nil},
	{"template-zero-votes", []edit{sub(dangyuan, "for = 39\nagainst = 0\nabstain = 2", "for = 0\nagainst = 0\nabstain = 0")},
		[]want{{dangyuan + ":16:1", "这项表决没有票数：赞成、反对、弃权都是 0"}}, nil},
	{"present-negative", []edit{sub(dangyuan, "present = 41", "present = -1")},
		[]want{{dangyuan + ":9:1", "实到人数不能为负数"}}, nil},

	// 5. Bounded cost.
	{"body-link-openers", []edit{sub(about, "欢迎居民监督。", "欢迎"+strings.Repeat("[a](", 2001))},
		[]want{{about + ":6:" + itoa(len([]rune("本公开栏依法公开居务、财务和党务信息，欢迎"))+2000*4+1), "正文里的方括号 [ 太多（超过 2000 个）"}}, nil},
	{"body-nesting", []edit{sub(about, "欢迎居民监督。", "欢迎居民监督。\n\n"+strings.Repeat(">", 40)+" 深")},
		[]want{{about + ":8:1", "列表或引用嵌套太深（40 层），最多 16 层"}}, nil},
	{"body-long-paragraph-of-links", []edit{sub(about, "欢迎居民监督。", strings.Repeat("[xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx](", 1500))},
		[]want{{about + ":6:1", "这一段又长、方括号 [ 又多"}}, nil},

	// 6. Names that work everywhere.
	{"windows-device-name", []edit{put("pages/CON.md", pageWith("", "正文。"))},
		[]want{{"pages/CON.md", "名称 \"CON.md\" 是 Windows 的保留名"}}, nil},
	{"windows-device-name-lower", []edit{put("pages/lpt1.md", pageWith("", "正文。"))},
		[]want{{"pages/lpt1.md", "Windows 的保留名"}}, nil},
	{"windows-character", []edit{put("pages/a:b.md", pageWith("", "正文。"))},
		[]want{{"pages/a:b.md", "Windows 不允许的字符 :"}}, nil},
	{"windows-trailing-dot-folder", []edit{put("pages/x./index.md", pageWith("", "正文。"))},
		[]want{{"pages/x.", "以点或空格结尾"}}, nil},
	{"windows-attachment-name", []edit{put("disclosures/meian/aux.txt", "x")},
		[]want{{"disclosures/meian/aux.txt", "Windows 的保留名"}}, nil},
	{"case-twins", []edit{put("pages/About.md", pageWith("", "正文。"))},
		[]want{{about, "pages/About.md 和 pages/about.md 只差大小写"}}, nil},
	{"case-twins-across-bundle", []edit{put("pages/ABOUT/index.md", pageWith("", "正文。"))},
		[]want{{about, "pages/ABOUT/index.md 和 pages/about.md 只差大小写"}}, nil},
	{"unicode-twins", []edit{put("pages/caf\u00e9.md", pageWith("", "正文。")), put("pages/cafe\u0301.md", pageWith("", "正文。"))},
		[]want{{"pages/caf\u00e9.md", "看起来一样，但字符的写法（Unicode 形式）不同"}},
		[]want{{"pages/caf\u00e9.md", "含有汉字或其他非英文字符"}}},
	{"non-ascii-slug", []edit{put("pages/联系我们.md", pageWith("", "正文。"))},
		nil, []want{{"pages/联系我们.md", "如 pages/2026-01-01.md"}}},

	// 7. Nothing silently ignored.
	{"unused-nested-md", []edit{put("pages/sub/x.md", pageWith("", "正文。"))},
		[]want{{"pages/sub/x.md", "不会发布：记录只能是 <栏目>/<名称>.md 或 <栏目>/<名称>/index.md；移到 pages/x.md"}}, nil},
	{"unused-year-folder", []edit{put("disclosures/2026/q4.md", pageWith("", "正文。"))},
		[]want{{"disclosures/2026/q4.md", "移到 disclosures/q4.md"}}, nil},
	{"unused-top-md", []edit{put("x.md", pageWith("", "正文。"))},
		[]want{{"x.md", "不在任何栏目里，不会发布"}}, nil},
	{"unused-upper-extension", []edit{put("pages/upper.MD", pageWith("", "正文。"))},
		[]want{{"pages/upper.MD", "扩展名必须是小写的 .md；改名为 pages/upper.md"}}, nil},
	{"unused-markdown-extension", []edit{put("pages/x.markdown", pageWith("", "正文。"))},
		[]want{{"pages/x.markdown", "改名为 pages/x.md"}}, nil},
	{"unused-index-case", []edit{put("disclosures/meian/Index.md", "x")},
		[]want{{"disclosures/meian/Index.md", "必须叫 index.md"}, {"disclosures/meian/index.md", "只差大小写"}}, nil},
	{"unused-md-in-bundle", []edit{put("disclosures/meian/notes.md", "x")},
		[]want{{"disclosures/meian/notes.md", "既不是记录，也没有写进 attachments，不会发布；作为附件：在 disclosures/meian/index.md 里写 attachments = [\"notes.md\"]；作为一条记录：移到 disclosures/notes.md"}}, nil},
	{"unused-bundle-file", []edit{put("disclosures/meian/photo.jpg", "x")},
		nil, []want{{"disclosures/meian/photo.jpg", "没有写进 attachments 或 [[tables]]，不会发布；要发布它，在 disclosures/meian/index.md 里写 attachments = [\"photo.jpg\"]"}}},
	{"unused-section-file", []edit{put("pages/note.txt", "x")},
		nil, []want{{"pages/note.txt", "附件要放在记录自己的文件夹里"}}},
	{"unused-top-file", []edit{put("readme.txt", "x")},
		nil, []want{{"readme.txt", "不属于任何记录，不会发布"}}},
	{"unused-folder-without-index", []edit{put("pages/old/a.pdf", "x")},
		nil, []want{{"pages/old/a.pdf", "不属于任何记录"}}},
	{"not-a-section", []edit{put("drafts/a.md", pageWith("", "正文。"))},
		nil, []want{{"drafts", "文件夹 drafts 不是栏目"}}},
	{"housekeeping-files-are-fine", []edit{put(".DS_Store", "x"), put("pages/Thumbs.db", "x"), put("disclosures/meian/desktop.ini", "x"), put("pages/~$about.docx", "x")}, nil, nil},

	// 8. Links of every form.
	{"link-reference-style", []edit{sub(about, "欢迎居民监督。", "见[目录][m]。\n\n[m]: pages/nope")},
		[]want{{about + ":6:21", "链接的记录 pages/nope 不存在"}}, nil},
	{"link-relative", []edit{sub(decision, "(disclosures/meian)", "(../pages/nope.md)")},
		[]want{{decision + ":33:" + itoa(len([]rune("为解决煤安小区公共设施老化、环境脏乱问题，经“四议两公开”程序，决定实施环境整治项目，资金使用情况见[资金公开]("))+1), "链接的记录 pages/nope 不存在"}}, nil},
	{"link-relative-ok", []edit{sub(decision, "(disclosures/meian)", "(../disclosures/meian/index.md)")}, nil, nil},
	{"link-anchor-missing", []edit{sub(about, "欢迎居民监督。", "见[公约第九十九条](conventions/jumin-gongyue#tiao-999)。")},
		[]want{{about + ":6:" + itoa(len([]rune("本公开栏依法公开居务、财务和党务信息，见[公约第九十九条]("))+1), "链接的锚点 #tiao-999 在 conventions/jumin-gongyue 的页面上不存在；可以链接的有：#tiao-1、#tiao-2"}}, nil},
	{"link-anchor-ok", []edit{sub(about, "欢迎居民监督。", "见[第三条](conventions/jumin-gongyue#tiao-3)和[总则](conventions/jumin-gongyue#第一章-总则)。")}, nil, nil},
	{"link-own-anchor-missing", []edit{sub(about, "欢迎居民监督。", "见[下文](#nope)。")},
		[]want{{about + ":6:" + itoa(len([]rune("本公开栏依法公开居务、财务和党务信息，见[下文]("))+1), "锚点 #nope 在 pages/about 的页面上不存在"}}, nil},
	{"link-outside", []edit{sub(about, "欢迎居民监督。", "见[别处](../../etc/passwd)。")},
		[]want{{about + ":6:", "指向内容文件夹以外"}}, nil},
	{"link-undeclared-file", []edit{sub(meian, "资金使用情况如下表。", "资金使用情况见[照片](照片.jpg)。"), put("disclosures/meian/照片.jpg", "x")},
		[]want{{meian + ":14:", "链接的文件 disclosures/meian/照片.jpg 不在网站上"}},
		[]want{{"disclosures/meian/照片.jpg", "没有写进 attachments"}}},
	{"link-declared-file", []edit{sub(meian, "资金使用情况如下表。", "资金使用情况见[明细](资金明细.csv)。")}, nil, nil},
	{"draft-page-is-fine", []edit{sub(about, "date = 2026-01-01\n", "date = 2026-01-01\ndraft = true\n")},
		nil, nil},
	{"link-to-a-draft", []edit{sub(decision, "date = 2026-03-18\n", "date = 2026-03-18\ndraft = true\n")},
		[]want{{daibiao + ":19:1", "链接的记录 decisions/2026-02 是草稿（draft = true），不会发布"}}, nil},

	// 11. Strict types.
	{"date-quoted", []edit{sub(about, "date = 2026-01-01", `date = "2026-01-01"`)},
		[]want{{about + ":3:1", "date 是日期，不要加引号；去掉引号，写成 date = 2026-01-01"}}, nil},
	{"date-year-zero", []edit{sub(about, "date = 2026-01-01", "date = 0000-01-01")},
		[]want{{about + ":3:1", "date 的日期 0000-01-01 超出范围：只能在 1949 年到 2100 年之间"}}, nil},
	{"date-far-future", []edit{sub(about, "date = 2026-01-01", "date = 9999-12-31")},
		[]want{{about + ":3:1", "9999-12-31 超出范围"}}, nil},
	{"tags-string", []edit{sub(about, "date = 2026-01-01\n", "date = 2026-01-01\ntags = \"x\"\n")},
		[]want{{about + ":4:1", "tags 应为文字列表（方括号），实际写的是文字；改成如：tags = [\"x\"]"}}, nil},
	{"attachments-string", []edit{sub(meian, `attachments = ["资金明细.csv"]`, `attachments = "资金明细.csv"`)},
		[]want{{meian + ":6:1", "attachments 应为文字列表（方括号）"}}, nil},
	{"attachment-twice", []edit{sub(meian, `attachments = ["资金明细.csv"]`, `attachments = ["资金明细.csv", "./资金明细.csv"]`)},
		[]want{{meian + ":6:1", "附件 \"./资金明细.csv\" 写了两次（第 1 项和第 2 项）"}}, nil},
	{"amount-float", []edit{sub(decision, `amount = "6400000.00"`, `amount = 1e5`)},
		[]want{{decision + ":7:1", "amount 是金额，要加英文双引号；写成 amount = \"100000\""}}, nil},
	{"amount-integer", []edit{sub(caiwu, `amount = "30000.00"`, `amount = 30000`)},
		[]want{{caiwu + ":15:1", "写成 amount = \"30000\""}}, nil},
	{"unpublish-before-date", []edit{sub(about, "date = 2026-01-01\n", "date = 2026-01-01\nunpublish_after = 2025-12-31\n")},
		[]want{{about + ":4:1", "unpublish_after（2025-12-31）不晚于 date（2026-01-01）：记录一发布就会从网站上消失"}}, nil},
	{"unpublish-during-notice", []edit{sub(jiuzhu, "personal = true\n", "personal = true\nunpublish_after = 2026-07-22\n")},
		[]want{{jiuzhu + ":6:1", "早于公示期结束（2026-07-26）：公示期还没结束，记录就会从网站上消失；把 unpublish_after 改为 2026-07-26 或更晚"}}, nil},
}

func itoa(n int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		if n /= 10; n == 0 {
			return string(b)
		}
	}
}

func TestTrustInput(t *testing.T) {
	runBadCases(t, trustCases)
}

// TestCSVNeutralisedOnTheSite builds the board with formulas in a
// clerk's CSV table: the downloadable file makes them text, the page
// shows them as written.
func TestCSVNeutralisedOnTheSite(t *testing.T) {
	fsys := loadBoard(t, boardTxtar)
	sub(meianCSV, "2,步道与绿化,2180000.00", "2,\"=HYPERLINK(\"\"https://evil.example\"\",\"\"点此\"\")\",2180000.00\n4,@SUM(A1:A9),-12.50\n5,+1+1,0")(t, fsys)
	out := buildMem(t, fsys, false)
	csv := page(t, out, "data/disclosures/meian-1.csv")
	for _, want := range []string{"\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"点此\"\")\"", "'@SUM(A1:A9),-12.50", "'+1+1,0", "合计,,6399987.50"} {
		if !strings.Contains(csv, want) {
			t.Errorf("CSV has no %q:\n%s", want, csv)
		}
	}
	html := page(t, out, "disclosures/meian/index.html")
	if !strings.Contains(html, "@SUM(A1:A9)") || strings.Contains(html, "'@SUM") || strings.Contains(html, "'+1+1") {
		t.Errorf("the page does not show the cells as written")
	}
}

// TestCSPAdmitsNoInlineScript checks the policy of every page of the
// board: no directive that governs scripts admits 'unsafe-inline'.
func TestCSPAdmitsNoInlineScript(t *testing.T) {
	out := buildMem(t, loadBoard(t, boardTxtar), false)
	n := 0
	for _, name := range out.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		b, _ := out.Get(name)
		i := bytes.Index(b, []byte(`http-equiv="Content-Security-Policy"`))
		if i < 0 {
			i = bytes.Index(b, []byte(`http-equiv=Content-Security-Policy`))
		}
		if i < 0 {
			t.Errorf("%s has no Content-Security-Policy", name)
			continue
		}
		n++
		tag := b[i:]
		tag = tag[:bytes.IndexByte(tag, '>')]
		for _, d := range strings.Split(string(tag), ";") {
			f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(d), `content="`))
			if len(f) > 0 && (f[0] == "script-src" || f[0] == "script-src-elem" || f[0] == "default-src") && strings.Contains(d, "'unsafe-inline'") {
				t.Errorf("%s: %s admits inline scripts", name, d)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d pages checked", n)
	}
}

// TestNothingPublishedIsUnregistered checks the warning of a board that
// was never published, and that --strict fails on it.
func TestNothingPublishedIsUnregistered(t *testing.T) {
	fsys := loadBoard(t, boardTxtar)
	_, ds := build.Load(build.Options{Src: fsys, Today: today})
	if !unpublished(ds) || !strings.Contains(ds[0].Msg.Zh, "8 条记录都没有登记") {
		t.Fatalf("want the one warning that nothing is registered, got %v", ds)
	}
	if !build.Failed(ds, true) || build.Failed(ds, false) {
		t.Error("--strict must fail on it, a plain build not")
	}
	fsys["_archive/pages/about/v1.md"] = &fstest.MapFile{Data: fsys[about].Data}
	_, ds = build.Load(build.Options{Src: fsys, Today: today})
	if len(ds) != 1 || ds[0].Severity != diag.Error || ds[0].Pos.String() != "ledger.jsonl" || !strings.Contains(ds[0].Msg.Zh, "找不到账本 ledger.jsonl，但归档文件夹 _archive 还在") {
		t.Errorf("a deleted ledger beside its archive: %v", ds)
	}
}
