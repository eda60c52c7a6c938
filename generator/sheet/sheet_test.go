package sheet_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/render"
	"gongkai/generator/sheet"
)

// day is the build date of the tests: the finance notice runs 7月8日–14日.
var day = time.Date(2026, 7, 10, 0, 0, 0, 0, time.UTC)

const siteTOML = `title = "青石社区居务公开栏"
community = "青石社区"
issuer = "青石社区居民委员会"
base_url = "https://example.org/qingshi/"
language = "zh-CN"
timezone = "Asia/Shanghai"
notice_min_days = 5

[contact]
phone = "023-6800-0000"
supervise_phone = "023-6800-0001"

[print]
paper = "A4"
header = "青石社区居务公开栏"
`

const financeMD = `+++
title = "2026年第二季度社区经费收支公开"
date = 2026-07-08
number = "青石居〔2026〕12号"
category = "财务公开"
period = "2026-Q2"
notice = { from = 2026-07-08, to = 2026-07-14 }

[finance]
opening = "52310.00"
closing = "61927.45"

[[finance.income]]
date = 2026-04-03
item = "街道拨付社区工作经费"
amount = "30000.00"
voucher = "记-04-01"

[[finance.income]]
date = 2026-05-16
item = "党组织服务群众专项经费"
amount = "20000.00"
voucher = "记-05-02"

[[finance.expense]]
date = 2026-04-21
item = "楼道照明维修材料"
amount = "6842.55"
voucher = "记-04-07"

[[finance.expense]]
date = 2026-06-10
item = "重阳节困难老人慰问品"
amount = "33540.00"
voucher = "记-06-03"
+++

以上收支经居务监督委员会审核。居民如有疑问，请在公示期内到社区党群服务中心查询或拨打监督电话。
`

const wideMD = `+++
title = "小区停车位分配方案公示"
date = 2026-07-09
category = "居务公开"
notice = { from = 2026-07-09, to = 2026-07-15 }
print = { paper = "A3", orientation = "landscape" }
+++

停车位分配方案见下，居民如有意见请在公示期内提出。
`

const oldMD = `+++
title = "2026年第一季度社区经费收支公开"
date = 2026-04-08
category = "财务公开"
notice = { from = 2026-04-08, to = 2026-04-14 }
+++

第一季度收支情况。
`

const aboutMD = `+++
title = "关于本公开栏"
date = 2026-01-01
+++

本公开栏由青石社区居民委员会维护。
`

// longMD is a finance account of n expense lines of 123.45 each.
func longMD(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `+++
title = "2026年上半年社区日常支出明细公开"
date = 2026-07-09
category = "财务公开"
notice = { from = 2026-07-09, to = 2026-07-15 }

[finance]
opening = "100000.00"
closing = "%d.%02d"

[[finance.income]]
date = 2026-01-05
item = "街道拨付社区工作经费"
amount = "5000.00"
`, (10000000+500000-n*12345)/100, (10000000+500000-n*12345)%100)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\n[[finance.expense]]\ndate = 2026-%02d-%02d\nitem = \"办公用品及楼道保洁耗材第%d批\"\namount = \"123.45\"\nvoucher = \"记-%03d\"\n", 1+i%6, 1+i%28, i+1, i+1)
	}
	b.WriteString("+++\n\n上半年日常支出逐笔公开如下。\n")
	return b.String()
}

// board is a content folder with the given site.toml additions and records.
func board(siteExtra string, records map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{"site.toml": {Data: []byte(siteTOML + siteExtra)}}
	for name, text := range records {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

func defaultRecords() map[string]string {
	return map[string]string{
		"disclosures/2026-q2-caiwu.md": financeMD,
		"disclosures/tingche.md":       wideMD,
		"disclosures/2026-q1-caiwu.md": oldMD,
		"pages/about.md":               aboutMD,
	}
}

// renderBoard builds fsys into memory and returns the renderer too.
func renderBoard(t *testing.T, fsys fstest.MapFS) (*render.Renderer, *build.MemOutput) {
	t.Helper()
	out := build.NewMemOutput()
	res, ds, err := build.To(build.Options{Src: fsys, Today: day}, out)
	if err != nil || res == nil {
		t.Fatalf("board does not build: %v %v", err, ds)
	}
	return res.Render, out
}

func TestSheetModel(t *testing.T) {
	tests := []struct {
		name      string
		siteExtra string
		id        string
		check     func(t *testing.T, s *sheet.Sheet)
	}{
		{"finance foot", "", "disclosures/2026-q2-caiwu", func(t *testing.T, s *sheet.Sheet) {
			eq(t, "Notice", s.Notice, "2026年7月8日至2026年7月14日")
			eq(t, "SignDate", s.SignDate, "2026年7月8日")
			eq(t, "SignIssuer", s.SignIssuer, "青石社区居民委员会")
			eq(t, "Phone", s.Phone, "023-6800-0001")
			eq(t, "Header", s.Header, "青石社区居务公开栏")
			eq(t, "VersionURL", s.VersionURL, "https://example.org/qingshi/disclosures/2026-q2-caiwu/v1/")
			eq(t, "PageName", s.PageName, "a4")
			if !regexp.MustCompile(`^第1版 · [0-9a-f]{8}（尚未登记）$`).MatchString(s.VersionLine()) {
				t.Errorf("VersionLine = %q", s.VersionLine())
			}
		}},
		{"finance 大写", "", "disclosures/2026-q2-caiwu", func(t *testing.T, s *sheet.Sheet) {
			want := []sheet.MoneyRow{
				{"期初余额", "52,310.00", "伍万贰仟叁佰壹拾元整", false},
				{"本期收入", "50,000.00", "伍万元整", false},
				{"本期支出", "40,382.55", "肆万零叁佰捌拾贰元伍角伍分", false},
				{"期末余额", "61,927.45", "陆万壹仟玖佰贰拾柒元肆角伍分", true},
			}
			if fmt.Sprint(s.Money) != fmt.Sprint(want) {
				t.Errorf("Money =\n%v\nwant\n%v", s.Money, want)
			}
		}},
		{"chinese date style", "date_style = \"chinese\"\n", "disclosures/2026-q2-caiwu", func(t *testing.T, s *sheet.Sheet) {
			eq(t, "SignDate", s.SignDate, "二〇二六年七月八日")
			eq(t, "Notice", s.Notice, "二〇二六年七月八日至二〇二六年七月十四日")
		}},
		{"A3 landscape", "", "disclosures/tingche", func(t *testing.T, s *sheet.Sheet) {
			eq(t, "PageName", s.PageName, "a3l")
			if s.Money != nil {
				t.Errorf("Money = %v, want none", s.Money)
			}
		}},
		{"QR is inline SVG with a title", "", "disclosures/tingche", func(t *testing.T, s *sheet.Sheet) {
			q := string(s.QR)
			if !strings.HasPrefix(q, "<svg") || !strings.Contains(q, "<title>") || !strings.Contains(q, s.VersionURL) {
				t.Errorf("QR = %.200s", q)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := renderBoard(t, board(tt.siteExtra, defaultRecords()))
			docs, err := sheet.Docs(r)
			if err != nil {
				t.Fatal(err)
			}
			d := docs["print/"+tt.id+"/"]
			if d == nil || len(d.Sheets) != 1 {
				t.Fatalf("no sheet for %s", tt.id)
			}
			tt.check(t, d.Sheets[0])
		})
	}
}

func TestDocs(t *testing.T) {
	r, _ := renderBoard(t, board("", defaultRecords()))
	docs, err := sheet.Docs(r)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for p := range docs {
		got = append(got, p)
	}
	want := []string{"print/board/", "print/disclosures/2026-q1-caiwu/", "print/disclosures/2026-q2-caiwu/", "print/disclosures/tingche/"}
	if fmt.Sprint(sorted(got)) != fmt.Sprint(want) {
		t.Errorf("docs = %v, want %v (no sheet for pages/)", sorted(got), want)
	}
	var onBoard []string
	for _, s := range docs[sheet.BoardPath].Sheets {
		onBoard = append(onBoard, s.Record.ID)
	}
	// Newest first; the first quarter's notice has ended.
	if fmt.Sprint(onBoard) != "[disclosures/tingche disclosures/2026-q2-caiwu]" {
		t.Errorf("board = %v", onBoard)
	}
	all, on := sheet.IDs(r)
	if len(all) != 3 || len(on) != 2 {
		t.Errorf("IDs = %v, %v", all, on)
	}
}

func TestSheetHTML(t *testing.T) {
	_, out := renderBoard(t, board("", defaultRecords()))
	b, ok := out.Get("print/disclosures/2026-q2-caiwu/index.html")
	if !ok {
		t.Fatal("no print/disclosures/2026-q2-caiwu/index.html")
	}
	page := string(b)
	for _, want := range []string{
		`<html lang="zh-CN">`,
		`content="` + render.CSP + `"`,
		`<meta name="robots" content="noindex">`,
		`青石社区居务公开栏`,
		`青石居〔2026〕12号`,
		`陆万壹仟玖佰贰拾柒元肆角伍分`,
		`2026年7月14日`,
		`监督电话：023-6800-0001`,
		`<title>二维码`,
		`<caption>支出明细</caption>`,
		`scope="col"`,
		`href="../../../disclosures/2026-q2-caiwu/"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("sheet lacks %q", want)
		}
	}
	if n := strings.Count(page, `rel="stylesheet"`); n != 2 || !regexp.MustCompile(`href="../../../assets/print\.[0-9a-f]+\.css"`).MatchString(page) || !strings.Contains(page, `href="running.css"`) {
		t.Errorf("want print.css and the sheet's running.css as stylesheets, got %d stylesheets", n)
	}
	css, _ := out.Get("print/disclosures/2026-q2-caiwu/running.css")
	if want := "@page{@top-center{content:\"2026年第二季度社区经费收支公开\"}}\n@page :first{@top-center{content:none}}\n"; string(css) != want {
		t.Errorf("running.css = %q, want %q", css, want)
	}
	if strings.Contains(page, "<script") {
		t.Error("sheet has a script")
	}
	bd, _ := out.Get("print/board/index.html")
	if n := strings.Count(string(bd), `<article class="sheet`); n != 2 {
		t.Errorf("board has %d sheets, want 2", n)
	}
	if !strings.Contains(string(bd), `<article class="sheet a3l" id="s1">`) {
		t.Error("board lacks the A3 landscape sheet")
	}
	if css, _ := out.Get("print/board/running.css"); !strings.Contains(string(css), "#s1{page:s1}\n@page s1{size: A3 landscape;") || !strings.Contains(string(css), "#s2{page:s2}") {
		t.Errorf("the board's running.css does not name a page for each sheet: %s", css)
	}
}

func TestEmptyBoard(t *testing.T) {
	_, out := renderBoard(t, board("", map[string]string{"disclosures/2026-q1-caiwu.md": oldMD}))
	bd, ok := out.Get("print/board/index.html")
	if !ok || !strings.Contains(string(bd), "今天没有公示中的事项") {
		t.Errorf("empty board page: %.300s", bd)
	}
}

func TestPageName(t *testing.T) {
	tests := []struct{ paper, orientation, want string }{
		{"A4", "portrait", "a4"},
		{"A4", "landscape", "a4l"},
		{"A3", "portrait", "a3"},
		{"a3", "landscape", "a3l"},
		{"", "", "a4"},
	}
	for _, tt := range tests {
		if got := sheet.PageName(tt.paper, tt.orientation); got != tt.want {
			t.Errorf("PageName(%q, %q) = %q, want %q", tt.paper, tt.orientation, got, tt.want)
		}
	}
}

func ExampleVersionURL() {
	fmt.Println(sheet.VersionURL("https://example.org/qingshi/", "decisions/2026-02", 3))
	// Output: https://example.org/qingshi/decisions/2026-02/v3/
}

func eq(t *testing.T, field, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", field, got, want)
	}
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func TestRunningCSS(t *testing.T) {
	if got, want := sheet.CSSString(`标题"引号"\<x>`+"\n"), `"标题\22 引号\22 \5c \3c x>\a "`; got != want {
		t.Errorf("CSSString = %s, want %s", got, want)
	}
}
