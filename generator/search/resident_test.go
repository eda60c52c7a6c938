package search_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/internal/corpus"
	"gongkai/generator/internal/searchtest"
	"gongkai/generator/internal/testboard"
	"gongkai/generator/record"
	"gongkai/generator/search"
)

// The tables below are what residents type at the board, each with the
// record they look for: it must be among the first three results of the
// site's own (minified) search.js, run under node on the built index.

// resident is one query and what the first three results must hold.
type resident struct {
	q string
	// want is a record that must be among the first three.
	want string
	// each, when set, must hold for every one of the first three.
	each func(*record.Record) bool
}

func inSection(sec string) func(*record.Record) bool {
	return func(r *record.Record) bool { return r.Section == sec }
}

func withPeriod(p string) func(*record.Record) bool {
	return func(r *record.Record) bool {
		return r.Disclosure != nil && r.Disclosure.Period != nil && strings.HasSuffix(r.Disclosure.Period.String(), p)
	}
}

var day = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

func TestResidentQueriesDemo(t *testing.T) {
	checkResidents(t, testboard.Demo(t, nil), []resident{
		// section and category names
		{q: "三重一大", want: "decisions/2026-06-xiaofang-gengxin", each: inSection("decisions")},
		{q: "重大项目安排", want: "decisions/2026-03-guiyuan-gaizao"},
		{q: "大额资金使用", want: "decisions/2026-06-xiaofang-gengxin"},
		{q: "财务公开", want: "disclosures/2026-q3-caiwu", each: func(r *record.Record) bool { return r.Disclosure.Category == "财务公开" }},
		{q: "居务公开", want: "disclosures/2026-q3-juwu"},
		{q: "党务公开", want: "disclosures/2026-h1-dangwu"},
		// kinds of conventions and their synonyms
		{q: "村规民约", want: "conventions/jumin-gongyue", each: inSection("conventions")},
		{q: "居民公约", want: "conventions/jumin-gongyue"},
		{q: "议事规则", want: "conventions/yishi-guize"},
		// document numbers, whole and by their number
		{q: "青石居〔2026〕11号", want: "decisions/2026-06-xiaofang-gengxin"},
		{q: "11号", want: "decisions/2026-06-xiaofang-gengxin"},
		{q: "青石居(2026)11号", want: "decisions/2026-06-xiaofang-gengxin"},
		{q: "18号", want: "conventions/jumin-gongyue"},
		// periods, the ways people write them
		{q: "2026年第三季度", want: "disclosures/2026-q3-caiwu", each: withPeriod("2026-Q3")},
		{q: "2026年三季度", want: "disclosures/2026-q3-caiwu", each: withPeriod("2026-Q3")},
		{q: "第三季度", want: "disclosures/2026-q3-caiwu", each: withPeriod("Q3")},
		{q: "三季度", want: "disclosures/2026-q3-juwu", each: withPeriod("Q3")},
		{q: "2026年上半年", want: "disclosures/2026-h1-dangwu"},
		{q: "2025年度", want: "disclosures/2025-dangfei"},
		// issuer, meeting kind and place, stages, tags
		{q: "中共青石社区委员会", want: "disclosures/2026-h1-dangwu"},
		{q: "党员大会", want: "minutes/2026-11-20-dangyuan", each: inSection("minutes")},
		{q: "两委联席会议", want: "minutes/2026-11-13-liangwei"},
		{q: "三楼小会议室", each: inSection("minutes")},
		{q: "二楼会议室", want: "minutes/2026-11-20-dangyuan", each: inSection("minutes")},
		{q: "会议纪要", want: "minutes/2026-11-13-liangwei", each: inSection("minutes")},
		{q: "实施结果公开", want: "decisions/2026-03-guiyuan-gaizao"},
		{q: "党员大会审议", each: inSection("decisions")},
		{q: "消防安全", want: "decisions/2026-06-xiaofang-gengxin"},
		{q: "桂园小区", want: "disclosures/guiyuan-gaizao"},
		// account items find the disclosure that paid for them
		{q: "声控灯", want: "disclosures/2025-q1-caiwu"},
		{q: "空调维修", want: "disclosures/2025-q2-caiwu"},
		{q: "自行车雨棚", want: "disclosures/2025-q2-caiwu"},
		// synonyms of 居务/村务 and words of the title
		{q: "村务公开", want: "disclosures/2026-q3-juwu"},
		{q: "老旧小区改造", want: "decisions/2026-03-guiyuan-gaizao"},
		{q: "旧改", want: "decisions/2026-03-guiyuan-gaizao"},
		// dates as the pages write them
		{q: "2026年6月16日", want: "minutes/2026-06-16-daibiao"},
		{q: "6月16日", want: "minutes/2026-06-16-daibiao"},
		// two words
		{q: "2026 消防", want: "decisions/2026-06-xiaofang-gengxin"},
	})
}

// generated are records added to a generated board: one of each kind of
// field the generator does not write, among thousands of records that
// share its words.
var generated = map[string]string{
	"disclosures/z-ludeng.md": `+++
title = "松林苑小区2026年第三季度公共设施维护费用公开"
date = 2026-10-09
category = "工程项目"
period = "2026-Q3"
notice = { from = 2026-10-09, to = 2026-10-18 }
tags = ["公共设施"]

[finance]
opening = "5000.00"
closing = "2200.00"

[[finance.expense]]
date = 2026-08-03
item = "路灯维修"
amount = "1800.00"
voucher = "记-08-01"

[[finance.expense]]
date = 2026-09-10
item = "单元门禁更换"
amount = "1000.00"
voucher = "记-09-01"
+++

本季度公共设施维护支出如上。
`,
	"disclosures/z-dibao.md": `+++
title = "关于调整城市最低生活保障标准的公告"
date = 2026-07-01
category = "救助帮扶"
issuer = "青石街道办事处"
tags = ["低保"]
+++

自2026年7月1日起，城市最低生活保障标准由每人每月900元调整为每人每月950元。
`,
	"minutes/z-yishiting.md": `+++
title = "桂园小区楼栋长座谈会记录"
date = 2026-05-12T19:00:00
meeting = "楼栋长座谈会"
place = "桂园小区居民议事厅"
expected = 12
present = 10

[[agenda]]
item = "听取楼栋长对加装电梯的意见"
+++

座谈会由社区主任主持。
`,
	"conventions/z-cungui.md": `+++
title = "石桥村村规民约"
date = 2026-02-01
kind = "村规民约"
+++

# 第一章 总则

## 第一条

本村规民约经村民会议讨论通过。
`,
}

func TestResidentQueriesGenerated(t *testing.T) {
	fsys := corpus.FS(3000, 7)
	for name, text := range generated {
		fsys[name] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
	}
	_, board, _, _ := build.ToMemory(build.Options{Src: fsys, Today: day})
	if board == nil {
		t.Fatal("the generated board does not load")
	}
	var number string
	for _, r := range board.Records {
		if r.Decision != nil && strings.Contains(r.Number, "〔2026〕") {
			number = r.Number
			break
		}
	}
	if number == "" {
		t.Fatal("the generated board has no decision of 2026")
	}
	var dec string
	for _, r := range board.Records {
		if r.Number == number {
			dec = r.ID
		}
	}
	short := number[strings.Index(number, "〕")+len("〕"):]
	checkResidents(t, fsys, []resident{
		{q: "三重一大", each: inSection("decisions")},
		{q: "重大事项决策", each: inSection("decisions")},
		{q: "村规民约", want: "conventions/z-cungui", each: inSection("conventions")},
		{q: "居民公约", each: inSection("conventions")}, // a 居民公约 by name before the 村规民约
		{q: "财务公开", each: inSection("disclosures")},
		{q: "低保", want: "disclosures/z-dibao"},
		{q: "最低生活保障", want: "disclosures/z-dibao"},
		{q: "青石街道办事处", want: "disclosures/z-dibao"},
		{q: number, want: dec},
		{q: short, want: dec},
		{q: "2026年第三季度", want: "disclosures/z-ludeng", each: withPeriod("2026-Q3")},
		{q: "2026年三季度", each: withPeriod("2026-Q3")},
		{q: "第三季度", each: withPeriod("Q3")},
		{q: "三季度", each: withPeriod("Q3")},
		{q: "路灯维修", want: "disclosures/z-ludeng"},
		{q: "工程项目", want: "disclosures/z-ludeng"},
		{q: "居民议事厅", want: "minutes/z-yishiting"},
		{q: "楼栋长座谈会", want: "minutes/z-yishiting"},
		{q: "加装电梯", want: "minutes/z-yishiting"},
		{q: "会议纪要", each: inSection("minutes")},
		{q: "居民代表会议决议", each: inSection("decisions")},
		{q: "公共设施", want: "disclosures/z-ludeng"},
	})
}

// checkResidents builds the board of fsys, runs every query through the
// built search.js and checks the first three results.
func checkResidents(t *testing.T, fsys fstest.MapFS, cases []resident) {
	t.Helper()
	out, board, ds, err := build.ToMemory(build.Options{Src: fsys, Today: day})
	if err != nil || out == nil {
		t.Fatalf("build: %v %v", err, ds)
	}
	var qs []string
	for _, c := range cases {
		qs = append(qs, c.q)
	}
	got := runSite(t, out, qs)
	for i, c := range cases {
		top := got[i][:min(3, len(got[i]))]
		var ids []string
		for _, u := range top {
			ids = append(ids, strings.TrimSuffix(u, "/"))
		}
		if c.want != "" && !slices.Contains(ids, c.want) {
			t.Errorf("%s: %s is not among the first three: %q (%d results)", c.q, c.want, ids, len(got[i]))
		}
		if len(ids) == 0 {
			t.Errorf("%s: no results", c.q)
		}
		for _, id := range ids {
			r := board.Get(id)
			if r == nil {
				t.Errorf("%s: %s is not a record", c.q, id)
				continue
			}
			if r.Personal {
				t.Errorf("%s: found the personal record %s", c.q, id)
			}
			if c.each != nil && !c.each(r) {
				t.Errorf("%s: %s (%s) among the first three: %q", c.q, id, r.Title, ids)
			}
		}
	}
}

// runSite writes the built index and search script of out into a folder
// and runs the queries through the script under node.
func runSite(t *testing.T, out *build.MemOutput, queries []string) [][]string {
	t.Helper()
	searchtest.Node(t)
	files := map[string][]byte{}
	script := ""
	for _, name := range out.Names() {
		isScript := strings.HasPrefix(name, "assets/search.") && strings.HasSuffix(name, ".js")
		if strings.HasPrefix(name, search.Dir) || isScript {
			files[name], _ = out.Get(name)
		}
		if isScript {
			script = name
		}
	}
	if script == "" {
		t.Fatal("the build wrote no search script")
	}
	site := t.TempDir()
	searchtest.WriteSite(t, site, files)
	res := searchtest.Run(t, filepath.Join(site, filepath.FromSlash(script)), site, map[string]any{"queries": queries})
	if len(res.Queries) != len(queries) {
		t.Fatalf("the harness answered %d of %d queries", len(res.Queries), len(queries))
	}
	urls := make([][]string, len(queries))
	for i, q := range res.Queries {
		urls[i] = q.URLs
	}
	return urls
}
