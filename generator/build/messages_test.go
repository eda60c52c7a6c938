package build_test

import (
	"flag"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/internal/xlsxtest"

	"github.com/xuri/excelize/v2"
)

var showMessages = flag.Bool("show-messages", false, "print the messages of TestMessages as they are")

// msgSite is the site of the message table: a schedule, so that the
// calendar could add follow-on warnings.
const msgSite = `title = "青石社区居务公开栏"
issuer = "青石社区居民委员会"
base_url = "https://example.org/qingshi/"

[[schedule]]
category = "财务公开"
every = "quarter"
since = "2026-Q3"
`

// okFinance is a 财务公开 for 2026-Q3 that covers the schedule.
const okFinance = `+++
title = "2026年第三季度社区经费收支公开"
date = 2026-10-08
category = "财务公开"
period = "2026-Q3"

[finance]
opening = "100.00"
closing = "150.00"

[[finance.income]]
date = 2026-08-01
item = "拨款"
amount = "50.00"
+++

正文。
`

// rec wraps front matter lines into a page record.
func rec(lines string) string {
	return "+++\ntitle = \"关于本公开栏\"\ndate = 2026-01-01\n" + lines + "+++\n\n正文。\n"
}

// xlsx writes a workbook of one sheet 账目 with rows (a string "=…"
// becomes a formula) and a range of merged cells.
func xlsx(t *testing.T, rows [][]any, merge string) []byte {
	return xlsxtest.Book(t, []string{"账目"}, map[string][][]any{"账目": rows}, func(f *excelize.File) {
		if from, to, ok := strings.Cut(merge, ":"); ok {
			f.MergeCell("账目", from, to)
		}
	})
}

// accounts is a disclosure whose lines come from 账目.xlsx.
const accounts = `+++
title = "2026年第三季度财务公开"
date = 2026-10-08
category = "财务公开"
period = "2026-Q3"

[finance]
opening = "0.00"
closing = "100.00"
file = "账目.xlsx"
+++
`

var header = []any{"日期", "摘要", "收入", "支出"}

// TestMessages is the message table: broken inputs a clerk makes, each
// with every message it gives pinned whole — file:line:col, the Chinese
// message and its hint. No message may carry an English word (three or
// more ASCII letters) outside key names, paths and quoted input, nor a
// formatting artifact.
func TestMessages(t *testing.T) {
	const p = "pages/about.md"
	const f = "disclosures/2026-q3-caiwu.md"
	const x = "disclosures/2026-q3/账目.xlsx"
	cases := []struct {
		name  string
		files map[string]any // path → string or []byte; replaces the base board's file
		want  string
	}{
		// TOML, as the clerk types it.
		{"full-width quotes", map[string]any{p: rec("summary = “本栏简介”\n")}, ""},
		{"chinese date", map[string]any{p: strings.Replace(rec(""), "date = 2026-01-01", "date = 2026年7月16日", 1)}, ""},
		{"chinese date with time", map[string]any{p: strings.Replace(rec(""), "date = 2026-01-01", "date = 2026年3月18日 14:30", 1)}, ""},
		{"slash date", map[string]any{p: strings.Replace(rec(""), "date = 2026-01-01", "date = 2026/7/16", 1)}, ""},
		{"one-digit month", map[string]any{p: strings.Replace(rec(""), "date = 2026-01-01", "date = 2026-7-16", 1)}, ""},
		{"impossible day", map[string]any{p: strings.Replace(rec(""), "date = 2026-01-01", "date = 2026-02-30T14:00:00", 1)}, ""},
		{"month 13", map[string]any{p: strings.Replace(rec(""), "date = 2026-01-01", "date = 2026-13-01", 1)}, ""},
		{"impossible chinese date", map[string]any{p: strings.Replace(rec(""), "date = 2026-01-01", "date = 2026年2月29日", 1)}, ""},
		{"date as text", map[string]any{p: strings.Replace(rec(""), "date = 2026-01-01", `date = "2026年7月16日"`, 1)}, ""},
		{"impossible date as text", map[string]any{p: strings.Replace(rec(""), "date = 2026-01-01", `date = "2026-04-31"`, 1)}, ""},
		{"duplicate key", map[string]any{p: rec("summary = \"一\"\ntags = [\"公开\"]\nsummary = \"二\"\n")}, ""},
		{"duplicate table", map[string]any{f: strings.Replace(okFinance, "[[finance.income]]", "[finance]\nopening = \"1.00\"\n\n[[finance.income]]", 1)}, ""},
		{"unclosed list", map[string]any{p: rec("tags = [\"低保\", \"救助\"\nsummary = \"简介\"\n")}, ""},
		{"unclosed list over lines", map[string]any{p: rec("tags = [\n  \"低保\",\n  \"救助\"\nsummary = \"简介\"\n")}, ""},
		{"unclosed quote", map[string]any{p: rec("summary = \"本栏简介\ntags = [\"公开\"]\n")}, ""},
		{"line break inside quotes", map[string]any{p: rec("summary = \"第一行\n第二行\"\n")}, ""},
		{"unclosed triple quotes", map[string]any{p: rec("summary = \"\"\"第一行\n第二行\n")}, ""},
		{"unclosed inline table", map[string]any{p: rec("notice = { from = 2026-07-08, to = 2026-07-14\nsummary = \"简介\"\n")}, ""},
		{"number out of range", map[string]any{f: strings.Replace(okFinance, `amount = "50.00"`, "amount = 99999999999999999999", 1)}, ""},
		{"number with unit", map[string]any{"minutes/2026-03-18.md": "+++\ntitle = \"会议记录\"\ndate = 2026-03-18T14:30:00\nmeeting = \"居民代表会议\"\nexpected = 26人\n+++\n"}, ""},
		{"chinese numeral", map[string]any{"minutes/2026-03-18.md": "+++\ntitle = \"会议记录\"\ndate = 2026-03-18T14:30:00\nmeeting = \"居民代表会议\"\npresent = 二十二\n+++\n"}, ""},
		{"full-width digits", map[string]any{"minutes/2026-03-18.md": "+++\ntitle = \"会议记录\"\ndate = 2026-03-18T14:30:00\nmeeting = \"居民代表会议\"\nexpected = ２６\n+++\n"}, ""},
		{"amount with commas unquoted", map[string]any{f: strings.Replace(okFinance, `amount = "50.00"`, "amount = 1,250.00", 1)}, ""},
		{"amount with yuan unquoted", map[string]any{f: strings.Replace(okFinance, `amount = "50.00"`, "amount = 50元", 1)}, ""},
		{"text without quotes", map[string]any{"site.toml": strings.Replace(msgSite, `issuer = "青石社区居民委员会"`, "issuer = 青石社区居民委员会", 1)}, ""},
		{"colon instead of equals", map[string]any{p: rec("summary：\"简介\"\n")}, ""},
		{"missing equals", map[string]any{p: rec("summary \"简介\"\n")}, ""},
		{"chinese key", map[string]any{p: rec("摘要 = \"简介\"\n")}, ""},
		{"body text in front matter", map[string]any{p: rec("本公开栏依法公开居务。\n")}, ""},
		{"empty value", map[string]any{p: rec("summary =\n")}, ""},
		{"quote inside text", map[string]any{p: rec("summary = \"关于\"三资\"管理\"\n")}, ""},
		{"windows path", map[string]any{p: rec("summary = \"见 D:\\公开\\照片\"\n")}, ""},
		{"two settings on a line", map[string]any{p: rec("personal = false draft = false\n")}, ""},
		{"yes instead of true", map[string]any{p: rec("personal = 是\n")}, ""},
		{"full-width comma in list", map[string]any{p: rec("tags = [\"低保\"，\"救助\"]\n")}, ""},
		{"unquoted list items", map[string]any{p: rec("tags = [低保, 救助]\n")}, ""},
		{"full-width space", map[string]any{p: rec("summary\u3000= \"简介\"\n")}, ""},
		{"chinese brackets header", map[string]any{f: strings.Replace(okFinance, "[finance]", "【finance】", 1)}, ""},
		{"unclosed header", map[string]any{f: strings.Replace(okFinance, "[[finance.income]]", "[[finance.income]", 1)}, ""},
		{"leading zero", map[string]any{"minutes/2026-03-18.md": "+++\ntitle = \"会议记录\"\ndate = 2026-03-18T14:30:00\nmeeting = \"居民代表会议\"\nexpected = 026\n+++\n"}, ""},

		// Values, after the TOML is read.
		{"empty amount", map[string]any{f: strings.Replace(okFinance, `amount = "50.00"`, `amount = ""`, 1)}, ""},
		{"yaml front matter", map[string]any{p: "---\ntitle: 关于\n---\n"}, ""},
		{"article one thousand", map[string]any{"conventions/gongyue.md": "+++\ntitle = \"公约\"\ndate = 2026-01-01\nkind = \"居民公约\"\n+++\n\n## 第一条\n\n一。\n\n## 第一万条\n\n二。\n"}, ""},
		{"articles past nine hundred ninety-nine", map[string]any{"conventions/gongyue.md": "+++\ntitle = \"公约\"\ndate = 2026-01-01\nkind = \"居民公约\"\n+++\n\n## 第一条\n\n一。\n\n## 第一千零一条\n\n二。\n"}, ""},

		// A record that fails to load gives its own error only: no
		// calendar warning for the period it covers, no broken link.
		{"no follow-on errors", map[string]any{f: strings.Replace(okFinance, `title = "2026年第三季度社区经费收支公开"`, `title = "2026年第三季度社区经费收支公开`, 1),
			p: strings.Replace(rec(""), "正文。", "见[财务公开](disclosures/2026-q3-caiwu)。", 1)}, ""},

		// Accounts from Excel.
		{"xlsx bad amount", map[string]any{"disclosures/2026-q3/index.md": accounts, x: xlsx(t, [][]any{header, {"2026-08-01", "拨款", "100元"}}, "")}, ""},
		{"xlsx empty required cell", map[string]any{"disclosures/2026-q3/index.md": accounts, x: xlsx(t, [][]any{header, {"2026-08-01", nil, 100}}, "")}, ""},
		{"xlsx merged cells", map[string]any{"disclosures/2026-q3/index.md": accounts, x: xlsx(t, [][]any{header, {"2026-08-01", "拨款", 60}, {nil, "拨款", 40}}, "A2:A3")}, ""},
		{"xlsx unmasked phone", map[string]any{"disclosures/2026-q3/index.md": accounts, x: xlsx(t, [][]any{header, {"2026-08-01", "拨款 经办人电话13812345678", 100}}, "")}, ""},
		{"xlsx formula without result", map[string]any{"disclosures/2026-q3/index.md": accounts, x: xlsx(t, [][]any{header, {"2026-08-01", "拨款", "=60+40"}}, "")}, ""},
	}
	if len(cases) < 40 {
		t.Errorf("only %d cases", len(cases))
	}
	english := regexp.MustCompile(`[A-Za-z]{3,}`)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"site.toml": {Data: []byte(msgSite)},
				p:           {Data: []byte(rec(""))},
				f:           {Data: []byte(okFinance)},
			}
			for name, v := range tc.files {
				switch d := v.(type) {
				case string:
					fsys[name] = &fstest.MapFile{Data: []byte(d)}
				case []byte:
					fsys[name] = &fstest.MapFile{Data: d}
				}
			}
			_, ds := build.Load(build.Options{Src: fsys, Today: today})
			var b strings.Builder
			for _, d := range ds.Sorted() {
				if neverPublished(d) {
					continue // every board here; TestNothingPublishedIsUnregistered
				}
				fmt.Fprintln(&b, d.Format(diag.Zh))
				if d.Msg.En == "" || d.Msg.En == d.Msg.Zh || d.Hint.Zh == "" || d.Hint.En == "" {
					t.Errorf("no hint or English text: %+v", d)
				}
				if d.Severity == diag.Error && d.Pos.Line == 0 && strings.HasSuffix(d.Pos.File, ".md") && !strings.Contains(tc.name, "yaml") {
					t.Errorf("no line: %s", d.Format(diag.Zh))
				}
				for _, w := range english.FindAllString(clerkWords(d.Msg.Zh+" "+d.Hint.Zh), -1) {
					t.Errorf("an English word %q in: %s", w, d.Format(diag.Zh))
				}
			}
			got := b.String()
			if *showMessages {
				fmt.Printf("\t\t%q: %q,\n", tc.name, got)
			}
			if strings.Contains(got, "%!") {
				t.Errorf("formatting artifact:\n%s", got)
			}
			if want := messageWant[tc.name]; got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

var (
	quoted  = regexp.MustCompile("\"[^\"]*\"|“[^”]*”|‘[^’]*’|`[^`]*`|'[^']*'")
	pathish = regexp.MustCompile(`[\p{L}\p{N}_.\-]*[/\\][\p{L}\p{N}_./\\\-]*|[\p{L}\p{N}_\-]*\.(?:md|toml|xlsx|xls|csv|txt|jsonl)\b|--[a-z\-]+|https?://\S+`)
	// keyWords are the names a clerk types: the keys of site.toml and the
	// records, the values true and false, the program and its commands,
	// and the two spreadsheet programs.
	keyWords = regexp.MustCompile(`\b(?:title|date|summary|tags|notice|from|to|issuer|number|personal|draft|change_note|attachments|print|paper|orientation|category|period|finance|opening|closing|income|expense|item|amount|voucher|file|sheet|sum|tables|steps|stage|minutes|meeting|expected|present|for|against|abstain|resolutions|decision|kind|base_url|true|false|gongkai|new|serve|check|publish|build|verify|Excel|WPS)\b`)
)

// clerkWords removes from a message what may be written in ASCII: quoted
// input, paths and file names, flags, key names and commands.
func clerkWords(s string) string {
	s = quoted.ReplaceAllString(s, " ")
	s = pathish.ReplaceAllString(s, " ")
	return keyWords.ReplaceAllString(s, " ")
}

// messageWant pins every case of TestMessages: run with -show-messages to
// see the messages as they are.
var messageWant = map[string]string{
	"full-width quotes":                      "pages/about.md:4:11: 错误：文字要用英文双引号 \" 括起来，不能用中文引号 “\n    提示：改成 summary = \"本栏简介\"（在英文输入法下输入引号）\n",
	"chinese date":                           "pages/about.md:3:8: 错误：日期要写成 2026-07-16 这样（年-月-日，月和日各两位），不能写“2026年7月16日”\n    提示：改成 date = 2026-07-16（不加引号）\n",
	"chinese date with time":                 "pages/about.md:3:8: 错误：日期要写成 2026-03-18T14:30:00 这样（年-月-日，月和日各两位），不能写“2026年3月18日 14:30”\n    提示：改成 date = 2026-03-18T14:30:00（不加引号）\n",
	"slash date":                             "pages/about.md:3:8: 错误：日期要写成 2026-07-16 这样（年-月-日，月和日各两位），不能写“2026/7/16”\n    提示：改成 date = 2026-07-16（不加引号）\n",
	"one-digit month":                        "pages/about.md:3:8: 错误：日期要写成 2026-07-16 这样（年-月-日，月和日各两位），不能写“2026-7-16”\n    提示：改成 date = 2026-07-16（不加引号）\n",
	"impossible day":                         "pages/about.md:3:8: 错误：日期“2026-02-30T14:00:00”不存在：2026年2月只有 28 天，没有 30 日\n    提示：请核对年、月、日，日期写成 2026-07-08 这样的格式（年-月-日）\n",
	"month 13":                               "pages/about.md:3:8: 错误：日期“2026-13-01”不存在：一年只有 12 个月，没有 13 月\n    提示：请核对年、月、日，日期写成 2026-07-08 这样的格式（年-月-日）\n",
	"impossible chinese date":                "pages/about.md:3:8: 错误：日期“2026年2月29日”不存在：2026年2月只有 28 天，没有 29 日\n    提示：请核对年、月、日，日期写成 2026-07-08 这样的格式（年-月-日）\n",
	"date as text":                           "pages/about.md:3:1: 错误：日期要写成 2026-07-16 这样（年-月-日，月和日各两位），不能写“2026年7月16日”\n    提示：改成 date = 2026-07-16（不加引号）\n",
	"impossible date as text":                "pages/about.md:3:1: 错误：日期“2026-04-31”不存在：2026年4月只有 30 天，没有 31 日\n    提示：请核对年、月、日，日期写成 2026-07-08 这样的格式（年-月-日）\n",
	"duplicate key":                          "pages/about.md:6:1: 错误：summary 写了两次（第 4 行和第 6 行）\n    提示：同一项只能写一次：删去不对的那一行\n",
	"duplicate table":                        "disclosures/2026-q3-caiwu.md:11:1: 错误：[finance] 写了两次（第 7 行和第 11 行）\n    提示：把两处的内容合并到一个 [finance] 下面，删去这一行\n",
	"unclosed list":                          "pages/about.md:4:8: 错误：这里的 [ 没有对应的 ]\n    提示：在列表最后一项后面补上 ]，如 tags = [\"…\", \"…\"]\n",
	"unclosed list over lines":               "pages/about.md:4:8: 错误：这里的 [ 没有对应的 ]\n    提示：在列表最后一项后面补上 ]，如 tags = [\"…\", \"…\"]\n",
	"unclosed quote":                         "pages/about.md:4:11: 错误：这里的 \" 没有结束：文字要在同一行里用 \" 收尾\n    提示：在文字末尾补上 \"，如 summary = \"…\"\n",
	"line break inside quotes":               "pages/about.md:4:11: 错误：文字不能在引号里换行：第 4 行开始的 \" 到第 5 行才结束\n    提示：分几行写的文字要用三个引号括起来：summary = \"\"\"（另起一行写文字，最后一行写 \"\"\"）\n",
	"unclosed triple quotes":                 "pages/about.md:4:11: 错误：这里开始的多行文字 \"\"\" 没有结束\n    提示：在多行文字的末尾另起一行写 \"\"\"\n",
	"unclosed inline table":                  "pages/about.md:4:10: 错误：这里的 { 没有对应的 }\n    提示：在最后一项后面补上 }，如 notice = { from = 2026-07-08, to = 2026-07-14 }\n",
	"number out of range":                    "disclosures/2026-q3-caiwu.md:14:10: 错误：数字 99999999999999999999 太大，超出了能处理的范围\n    提示：金额请写成带英文双引号的文字，如 amount = \"1234.50\"，并核对位数\n",
	"number with unit":                       "minutes/2026-03-18.md:5:12: 错误：这里只写数字，不能带“人”\n    提示：改成 expected = 26\n",
	"chinese numeral":                        "minutes/2026-03-18.md:5:11: 错误：数字要用阿拉伯数字写：“二十二”应写成 22\n    提示：改成 present = 22\n",
	"full-width digits":                      "minutes/2026-03-18.md:5:12: 错误：数字要用半角（英文输入法下的）数字，这里写的是“２６”\n    提示：改成 expected = 26\n",
	"amount with commas unquoted":            "disclosures/2026-q3-caiwu.md:14:10: 错误：带千位逗号的数字要加英文双引号：“1,250.00”\n    提示：改成 amount = \"1,250.00\"（或不用逗号：amount = \"1250.00\"）\n",
	"amount with yuan unquoted":              "disclosures/2026-q3-caiwu.md:14:10: 错误：这里只写数字，不能带“元”\n    提示：改成 amount = \"50\"\n",
	"text without quotes":                    "site.toml:2:10: 错误：文字要用英文双引号括起来：“青石社区居民委员会”\n    提示：改成 issuer = \"青石社区居民委员会\"\n",
	"colon instead of equals":                "pages/about.md:4:8: 错误：名称和值之间要用英文等号 =，这里写的是“：”\n    提示：改成 summary = \"简介\"\n",
	"missing equals":                         "pages/about.md:4:9: 错误：summary 后面少了等号 =\n    提示：改成 summary = \"简介\"\n",
	"chinese key":                            "pages/about.md:4:1: 错误：设置项的名称要用英文，不能写“摘要”\n    提示：改成 summary = \"简介\"\n",
	"body text in front matter":              "pages/about.md:4:1: 错误：这一行不是“名称 = 值”的写法\n    提示：设置区（两个 +++ 之间）每行写一项：名称 = 值，如 title = \"…\"；正文要写在第二个 +++ 下面\n",
	"empty value":                            "pages/about.md:4:1: 错误：summary = 后面没有写值\n    提示：补上值，如 summary = \"…\"；不需要这一项时删去这一行\n",
	"quote inside text":                      "pages/about.md:4:14: 错误：文字中间又出现了英文双引号 \"，文字在这里就结束了\n    提示：文字里的引号请改用中文引号“”：summary = \"关于“三资”管理\"\n",
	"windows path":                           "pages/about.md:4:16: 错误：双引号里的反斜杠 \\ 有特殊含义，“\\公”不能这样写\n    提示：把 \\ 改成 /，或把文字改用英文单引号括起来（如 summary = '…'）\n",
	"two settings on a line":                 "pages/about.md:4:18: 错误：一行只能写一项设置：“draft = false”要另起一行\n    提示：在它前面换行\n",
	"yes instead of true":                    "pages/about.md:4:12: 错误：这里只能写 true（是）或 false（否），不能写“是”\n    提示：改成 personal = true\n",
	"full-width comma in list":               "pages/about.md:4:13: 错误：列表的各项之间要用英文逗号 , 隔开，这里用了“，”\n    提示：把“，”换成 ,（在英文输入法下输入）\n",
	"unquoted list items":                    "pages/about.md:4:9: 错误：文字要用英文双引号括起来：“低保”\n    提示：改成 \"低保\"（列表的每一项都要加引号）\n",
	"full-width space":                       "pages/about.md:4:8: 错误：这里有一个全角空格\n    提示：删去它，或换成半角空格（英文输入法下的空格）\n",
	"chinese brackets header":                "disclosures/2026-q3-caiwu.md:7:1: 错误：表头要用英文方括号 [ ]，这里用了中文括号\n    提示：改成 [finance]\n",
	"unclosed header":                        "disclosures/2026-q3-caiwu.md:11:1: 错误：表头 [[finance.income 缺少结尾的 ]]\n    提示：改成 [[finance.income]]\n",
	"leading zero":                           "minutes/2026-03-18.md:5:12: 错误：数字 026 不能以 0 开头\n    提示：改成 expected = 26\n",
	"empty amount":                           "disclosures/2026-q3-caiwu.md:14:1: 错误：amount 不是有效金额：金额不能为空，请填写数字（如 1234.50）\n    提示：金额写成 \"1234.50\"：只写数字，最多两位小数，不带“元”\n",
	"yaml front matter":                      "pages/about.md:1:1: 错误：第一行应为 +++（记录开头的设置区）\n    提示：设置区以一行 +++ 开始、以一行 +++ 结束，不用 ---：把这两行 --- 改成 +++，键和值之间用 =（title = \"…\"）\n",
	"article one thousand":                   "conventions/gongyue.md:11:1: 错误：条款编号“第一万条”太大：条款最多编到第九千九百九十九条\n    提示：请核对编号；条款应依次编号：第一条、第二条……\n",
	"articles past nine hundred ninety-nine": "conventions/gongyue.md:11:1: 错误：条款编号跳号：第一千零一条之前缺少第二条\n    提示：条款应依次编号：第一条、第二条……\n",
	"no follow-on errors":                    "disclosures/2026-q3-caiwu.md:2:9: 错误：这里的 \" 没有结束：文字要在同一行里用 \" 收尾\n    提示：在文字末尾补上 \"，如 title = \"…\"\n",
	"xlsx bad amount":                        "disclosures/2026-q3/账目.xlsx:2:3: 错误：账目!C2 的金额不对：金额只能写数字，去掉“元”等文字：100元\n    提示：金额只写数字，最多两位小数，如 6842.55；不要写“元”\n",
	"xlsx empty required cell":               "disclosures/2026-q3/账目.xlsx:2:2: 错误：账目!B2 是空的：每一笔都要写摘要\n    提示：在这一格填上摘要（如 楼道照明维修材料）；不是一笔收支的行请删去\n",
	"xlsx merged cells":                      "disclosures/2026-q3/账目.xlsx:2:1: 错误：账目!A2:A3 是合并的单元格，合并后只有第一格 A2 的值能读到\n    提示：在表格里选中这几格，点“取消合并单元格”，再把每一格都填上\ndisclosures/2026-q3/账目.xlsx:3:1: 错误：账目!A3 是空的：每一笔都要写日期\n    提示：在这一格填上日期（如 2026-04-03）；不是一笔收支的行请删去\n",
	"xlsx unmasked phone":                    "disclosures/2026-q3/账目.xlsx:2:2: 错误：B2 格里有未遮挡的手机号码 138****5678\n    提示：请在表格里改为 138****5678：个人信息不得完整公开，须遮挡中间数字\n",
	"xlsx formula without result":            "disclosures/2026-q3/账目.xlsx:2:3: 错误：账目!C2 是公式（=60+40），但文件里没有保存它的计算结果\n    提示：用 Excel 或 WPS 打开这个文件，再保存一次（由其他程序生成的表格常常不带计算结果）\n",
}
