package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gongkai/generator/internal/searchtest"
)

func board() []Doc {
	return []Doc{
		{URL: "decisions/2026-02/", Title: "关于老旧小区改造的决定", Section: "decisions", SectionName: "三重一大", Category: "重大项目安排",
			Date: "2026-03-18", Number: "青石居〔2026〕3号", Lead: "经居民代表会议表决，同意实施老旧小区改造项目。",
			Text: "经居民代表会议表决，同意实施老旧小区改造项目，预算资金一百二十万元。"},
		{URL: "decisions/2025-07/", Title: "关于养老服务站的决定", Section: "decisions", SectionName: "三重一大", Category: "大额资金使用",
			Date: "2025-07-02", Number: "青石居〔2025〕12号", Text: "同意设立养老服务站。"},
		{URL: "disclosures/2026-q1/", Title: "2026年第一季度财务公开", Section: "disclosures", SectionName: "公开事项", Category: "财务公开",
			Facets: []string{"2026年第一季度", "2026年一季度"}, Date: "2026-04-10", NoticeFrom: "2026-04-10", NoticeTo: "2026-04-19",
			Lead: "本季度收支如下。", Lines: []string{"街道拨付社区工作经费", "路灯维修"},
			Text: "本季度收支如下。道路照明维修费用 1200.50 元。"},
		{URL: "minutes/2026-03-10/", Title: "居民代表会议记录", Section: "minutes", SectionName: "会议记录", Category: "居民代表会议",
			Date: "2026-03-10", Lines: []string{"老旧小区改造方案"}, Text: "议题：老旧小区改造。会议由主持人宣布开始。"},
		{URL: "disclosures/budget/", Title: "年度预算公开", Section: "disclosures", Category: "居务公开",
			Date: "2024-01-05", Text: "Budget 2024 of the WiFi project."},
		{URL: "conventions/gongyue/", Title: "青石社区居民公约", Section: "conventions", SectionName: "村规民约与居民公约", Category: "居民公约",
			Date: "2025-09-28", Number: "青石居〔2025〕18号", Facets: []string{"自治"}, Text: "爱护路灯等公共设施。"},
		{URL: "pages/markup/", Title: "标签<b>粗体</b>测试", Date: "2020-01-01", Lead: "<img src=x onerror=alert(1)>", Text: "<img src=x onerror=alert(1)> 三重一大事项"},
	}
}

func mustBuild(t testing.TB, docs []Doc) map[string][]byte {
	t.Helper()
	files, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestQuery(t *testing.T) {
	files := mustBuild(t, board())
	tests := []struct {
		q    string
		want []string
	}{
		// a two-character word inside a sentence; the title match first
		{"改造", []string{"decisions/2026-02/", "minutes/2026-03-10/"}},
		{"主持人", []string{"minutes/2026-03-10/"}},
		// title matches first, then newest first
		{"预算", []string{"disclosures/budget/", "decisions/2026-02/"}},
		{"决定", []string{"decisions/2026-02/", "decisions/2025-07/"}},
		// document numbers, whole, in other spellings and by their number
		{"青石居〔2026〕3号", []string{"decisions/2026-02/"}},
		{"青石居（2026）3号", []string{"decisions/2026-02/"}},
		{"青石居〔2025〕12号", []string{"decisions/2025-07/"}},
		{"〔2026〕3号", []string{"decisions/2026-02/"}},
		{"12号", []string{"decisions/2025-07/"}},
		{"18号", []string{"conventions/gongyue/"}},
		{"青石居〔2026〕12号", nil},
		// ASCII words and numbers, case-folded; full-width folds too
		{"wifi", []string{"disclosures/budget/"}},
		{"ＢＵＤＧＥＴ", []string{"disclosures/budget/"}},
		{"1200.50", []string{"disclosures/2026-q1/"}},
		{"2026-03", []string{"decisions/2026-02/", "minutes/2026-03-10/"}},
		// dates as people write them
		{"2026年3月18日", []string{"decisions/2026-02/"}},
		{"2025年7月", []string{"decisions/2025-07/"}},
		// AND of the words of the query
		{"养老 服务", []string{"decisions/2025-07/"}},
		{"养老 改造", nil},
		// one character
		{"站", []string{"decisions/2025-07/"}},
		// no bigram across a field, a sentence or a record
		{"决定经", nil},
		{"万元同意", nil},
		{"改造。会议", []string{"decisions/2026-02/", "minutes/2026-03-10/"}}, // two words: AND
		{"", nil},
		{"，。！", nil},
		{"没有的词", nil},
		// section, category, period and lines
		{"三重一大", []string{"decisions/2026-02/", "decisions/2025-07/", "pages/markup/"}},
		{"大额资金使用", []string{"decisions/2025-07/"}},
		{"财务公开", []string{"disclosures/2026-q1/"}},
		{"一季度", []string{"disclosures/2026-q1/"}},
		{"2026年第一季度", []string{"disclosures/2026-q1/"}},
		{"路灯维修", []string{"disclosures/2026-q1/"}},
		{"会议纪要", []string{"minutes/2026-03-10/"}},
		{"村规民约", []string{"conventions/gongyue/"}},
		{"村务公开", []string{"disclosures/budget/"}},
		{"自治", []string{"conventions/gongyue/"}},
	}
	for _, tt := range tests {
		if got := Query(files, tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("Query(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

// TestRanks pins the rank of each kind of field: title and number 0;
// section, category and facets 1; the rest 2; a query takes the worst
// rank of its words in a record.
func TestRanks(t *testing.T) {
	files := mustBuild(t, board())
	for _, c := range []struct {
		q    string
		want map[string]uint32
	}{
		{"老旧小区改造", map[string]uint32{"decisions/2026-02/": 0, "minutes/2026-03-10/": 2}},
		{"3号", map[string]uint32{"decisions/2026-02/": 0}},
		{"三重一大", map[string]uint32{"decisions/2026-02/": 1, "decisions/2025-07/": 1, "pages/markup/": 2}},
		{"居民公约", map[string]uint32{"conventions/gongyue/": 0}},
		{"村规民约", map[string]uint32{"conventions/gongyue/": 1}},
		{"公约 路灯", map[string]uint32{"conventions/gongyue/": 2}},
		{"2026年一季度", map[string]uint32{"disclosures/2026-q1/": 1}},
		{"路灯维修", map[string]uint32{"disclosures/2026-q1/": 2}},
		{"居民代表会议", map[string]uint32{"minutes/2026-03-10/": 0, "decisions/2026-02/": 2}},
		{"会议纪要", map[string]uint32{"minutes/2026-03-10/": 1}}, // 会议记录 in its title
	} {
		hits, _ := query(files, c.q)
		got := map[string]uint32{}
		for _, h := range hits {
			got[h.url] = h.rank
		}
		if !maps.Equal(got, c.want) {
			t.Errorf("%s: ranks %v, want %v", c.q, got, c.want)
		}
	}
}

func TestSynonymTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range rewrites() {
		for _, w := range []string{r.from, r.to} {
			for _, c := range w {
				if c < 0x4e00 || c > 0x9fff {
					t.Errorf("%q: only Chinese characters may be in the table (%q)", w, c)
				}
			}
		}
		if k := r.from + ">" + r.to; seen[k] {
			t.Errorf("%s twice", k)
		} else {
			seen[k] = true
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range synonyms {
		if !bytes.Contains(readme, []byte(strings.Join(g, " ↔ "))) {
			t.Errorf("README.md lacks the synonym row %s", strings.Join(g, " ↔ "))
		}
	}
	for _, p := range broader {
		if !bytes.Contains(readme, []byte(p[0])) {
			t.Errorf("README.md lacks %s → %s", p[0], p[1])
		}
	}
}

// TestSynonyms checks what the table adds to a record: the synonym in its
// place, so that a query spanning the word and its neighbours matches,
// and nothing the other way round for the broader words.
func TestSynonyms(t *testing.T) {
	files := mustBuild(t, []Doc{
		{URL: "a/", Title: "村务监督委员会工作报告", Date: "2026-01-02"},
		{URL: "b/", Title: "关于加装电梯的决定", Category: "重大事项决策", SectionName: "三重一大", Date: "2026-01-01"},
		{URL: "c/", Title: "三重一大事项清单", Date: "2025-01-01", Text: "最低生活保障金按月发放"},
		{URL: "d/", Title: "2026年旧改进度", Date: "2024-01-01"},
	})
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"居务监督委员会", []string{"a/"}},
		{"村务监委会", []string{"a/"}},
		{"居务监委会工作", []string{"a/"}},
		{"三重一大", []string{"c/", "b/"}},
		{"重大事项决策", []string{"b/"}},      // not c/: the table is one-way here
		{"低保金", []string{"c/"}},         // 最低生活保障金
		{"低保 按月", []string{"c/"}},       // two words
		{"2026年老旧小区改造", []string{"d/"}}, // 2026年旧改
		{"居务报告", nil},                   // no words the record lacks
	} {
		if got := Query(files, c.q); !slices.Equal(got, c.want) {
			t.Errorf("%s = %q, want %q", c.q, got, c.want)
		}
	}
}

func TestPostings(t *testing.T) {
	entries := []uint32{0<<2 | 2, 1<<2 | 0, 2<<2 | 1, 40<<2 | 2, 1000<<2 | 0, 1<<28 | 1}
	enc := string(appendPostings(nil, entries))
	if got, ok := decodePostings(enc); !ok || !slices.Equal(got, entries) {
		t.Errorf("round trip: %v, want %v (%s)", got, entries, enc)
	}
	if enc[:3] != "201" {
		t.Errorf("dense ids take one character each: %s", enc)
	}
	for _, bad := range []string{"2\"x", "Z", "ZZZZZZZZZZZZZZZZ1"} {
		if got, ok := decodePostings(bad); ok {
			t.Errorf("%q read as %v", bad, got)
		}
	}
}

func TestNoMatchAcrossRecords(t *testing.T) {
	// 末 ends one record and 初 starts the next in id order (same date,
	// URLs in order); 末初 appears in neither.
	docs := []Doc{
		{URL: "a/", Title: "甲", Date: "2026-01-01", Text: "开始到末"},
		{URL: "b/", Title: "乙", Date: "2026-01-01", Text: "初始结束"},
	}
	files := mustBuild(t, docs)
	if got := Query(files, "末初"); got != nil {
		t.Errorf("末初 matched %q across a record boundary", got)
	}
	if got := Query(files, "甲开"); got != nil {
		t.Errorf("甲开 matched %q across title and text", got)
	}
	if got := Query(files, "到末"); !slices.Equal(got, []string{"a/"}) {
		t.Errorf("到末 = %q", got)
	}
}

func TestQueryReadsOnlyItsShards(t *testing.T) {
	files := mustBuild(t, corpus(2000, 7))
	var m manifest
	if err := json.Unmarshal(files[ManifestPath], &m); err != nil {
		t.Fatal(err)
	}
	if m.Shards < 16 {
		t.Fatalf("only %d shards for 2000 records", m.Shards)
	}
	for _, q := range []string{"预算", "老旧小区改造", "青石居〔2020〕5号", "站"} {
		want := map[string]bool{}
		for _, g := range queryGrams(q) {
			want[m.gramPath(g)] = true
		}
		_, read := query(files, q)
		slices.Sort(read)
		if w := slices.Sorted(maps.Keys(want)); !slices.Equal(read, w) {
			t.Errorf("%s read %q, want %q", q, read, w)
		}
		if len(read) >= m.Shards/2 {
			t.Errorf("%s read %d of %d shards", q, len(read), m.Shards)
		}
	}
}

func TestDeterministic(t *testing.T) {
	docs := corpus(500, 3)
	a := mustBuild(t, docs)
	rev := slices.Clone(docs)
	slices.Reverse(rev)
	b := mustBuild(t, rev)
	if !maps.EqualFunc(a, b, bytes.Equal) {
		t.Error("the same records in another order gave other files")
	}
	c := mustBuild(t, docs[1:])
	if bytes.Equal(a[ManifestPath], c[ManifestPath]) {
		t.Error("the version did not change with the records")
	}
}

func TestBuildErrors(t *testing.T) {
	_, err := Build([]Doc{{URL: "a/"}, {URL: "a/"}, {Title: "无"}})
	if err == nil || !strings.Contains(err.Error(), `"a/" is used by two`) || !strings.Contains(err.Error(), "has no URL") {
		t.Errorf("err = %v", err)
	}
	files := mustBuild(t, nil)
	if got := Query(files, "预算"); got != nil {
		t.Errorf("empty index found %q", got)
	}
	if got := Query(nil, "预算"); got != nil {
		t.Errorf("no index found %q", got)
	}
}

func TestQueryGrams(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"预算", []string{"预算"}},
		{"老旧小区", []string{"老旧", "旧小", "小区"}},
		{"预 算", []string{"预", "算"}},
		{"青石居〔2026〕3号", []string{"青石", "石居", "居2026", "2026 3", "3号"}},
		{"WiFi", []string{"wifi"}},
		{"２０２６年", []string{"2026年"}},
		{"a-b", []string{"a b"}},
		{"，；", nil},
	}
	for _, tt := range tests {
		if got := queryGrams(tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("queryGrams(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
	long := strings.Repeat("社区居民议事协商公开监督服务群众", 3)
	if got := queryGrams(long); len(got) != maxQueryGrams {
		t.Errorf("long query: %d grams", len(got))
	}
}

// jsCases are strings whose grams search.js must compute exactly as Go.
var jsCases = []string{
	"预算", "老旧小区改造", "青石居〔2026〕3号", "青石居（2026）3号", "WiFi 2024", "ＡＢＣ１２３",
	"2026-03-18", "1200.50元", "①号楼", "﹝2026﹞", "Ⅻ卷", "ｶﾀｶﾅ", "𠀀𠀁", "é café", "a\u0301",
	"  ，。 ", "x·y", "全角　空格", "Straße", "İstanbul", "\uFFFD\u0000", "社区居民议事协商公开监督服务群众社区居民议事协商公开监督服务群众",
}

// runHarness writes files under a temporary site and runs the search
// script (with its synonym table) on it under node.
func runHarness(t *testing.T, files map[string][]byte, req map[string]any) searchtest.Out {
	t.Helper()
	site := t.TempDir()
	searchtest.WriteSite(t, site, files)
	js := filepath.Join(t.TempDir(), "search.js")
	if err := os.WriteFile(js, Script(), 0o644); err != nil {
		t.Fatal(err)
	}
	return searchtest.Run(t, js, site, req)
}

func TestScriptMatchesGo(t *testing.T) {
	docs := append(board(), corpus(1500, 11)...)
	files := mustBuild(t, docs)
	var m manifest
	_ = json.Unmarshal(files[ManifestPath], &m)
	queries := []string{"预算", "改造", "青石居〔2026〕3号", "青石居〔2020〕5号", "决定", "wifi", "1200.50",
		"养老 服务", "站", "末初", "没有的词", "老旧小区改造项目", "财务公开", "三重一大", "村规民约", "会议纪要",
		"2020年第三季度", "12号", "路灯维修", "2016年3月"}
	h := runHarness(t, files, map[string]any{"grams": jsCases, "queries": queries})
	for i, s := range jsCases {
		if want := queryGrams(s); !slices.Equal(h.Grams[i], want) && !(len(want) == 0 && len(h.Grams[i]) == 0) {
			t.Errorf("grams(%q): js %q, go %q", s, h.Grams[i], want)
		}
	}
	for i, q := range queries {
		hits, _ := query(files, q)
		var want []string
		var ranks []int
		for _, x := range hits {
			want = append(want, x.url)
			ranks = append(ranks, int(x.rank))
		}
		got := h.Queries[i]
		if !slices.Equal(got.URLs, want) && !(len(want) == 0 && len(got.URLs) == 0) {
			t.Errorf("%s: js %d results %q…, go %d %q…", q, len(got.URLs), head(got.URLs), len(want), head(want))
		}
		if !slices.Equal(got.Ranks, ranks) && !(len(ranks) == 0 && len(got.Ranks) == 0) {
			t.Errorf("%s: js ranks %v…, go %v…", q, got.Ranks[:min(5, len(got.Ranks))], ranks[:min(5, len(ranks))])
		}
		shards := map[string]bool{}
		for _, g := range queryGrams(q) {
			shards[strings.TrimPrefix(m.gramPath(g), Dir)] = true
		}
		for _, f := range got.Fetched {
			if (strings.HasPrefix(f, "s/") || strings.HasPrefix(f, "c/")) && !shards[f] {
				t.Errorf("%s: js fetched shard %s, not one of its grams'", q, f)
			}
		}
	}
}

func head(s []string) []string { return s[:min(3, len(s))] }

func TestScriptPage(t *testing.T) {
	files := mustBuild(t, board())
	h := runHarness(t, files, map[string]any{"today": "2026-04-12",
		"page": []string{"改造", "青石居〔2026〕3号", "没有的词", "粗体", "路灯维修", "村规民约", "三重一大", "2026年3月"}})
	p := h.Page[0]
	if p.Status != "找到 2 条记录" || p.Input != "改造" {
		t.Errorf("status %q, input %q", p.Status, p.Input)
	}
	for _, want := range []string{
		`<li><a href="../decisions/2026-02/">关于老旧小区<mark>改造</mark>的决定</a><p class="meta">三重一大 · 重大项目安排 · 青石居〔2026〕3号 · <time datetime="2026-03-18">2026年3月18日</time></p><p>`,
		`同意实施老旧小区<mark>改造</mark>项目`,
		// the line of the snippet that holds the query, not the lead
		`<a href="../minutes/2026-03-10/">居民代表会议记录</a><p class="meta">会议记录 · 居民代表会议 · <time datetime="2026-03-10">2026年3月10日</time></p><p>老旧小区<mark>改造</mark>方案</p></li>`,
	} {
		if !strings.Contains(p.HTML, want) {
			t.Errorf("page 改造 lacks %s\n%s", want, p.HTML)
		}
	}
	if !strings.Contains(h.Page[1].HTML, `<mark>青石居〔2026〕3号</mark>`) {
		t.Errorf("document number not marked whole:\n%s", h.Page[1].HTML)
	}
	for _, f := range p.Fetched {
		if !strings.HasPrefix(f, "/search/idx/") {
			t.Errorf("fetched %s outside the index", f)
		}
	}
	if s := h.Page[2].Status; !strings.Contains(s, "没有找到") || h.Page[2].HTML != "<ol></ol>" {
		t.Errorf("no results: status %q, list %s", s, h.Page[2].HTML)
	}
	if s := h.Page[3].Status; s != "找到 1 条记录" || !strings.Contains(h.Page[3].HTML, "标签&lt;b><mark>粗体</mark>&lt;/b>测试") ||
		!strings.Contains(h.Page[3].HTML, "<p>&lt;img src=x") {
		t.Errorf("markup in query: status %q, list %s", s, h.Page[3].HTML)
	}
	// on notice on the reader's day (2026-04-12 within 04-10 … 04-19),
	// and the account line that holds the query
	if want := `<p class="meta"><span class="badge on">公示中</span> 公开事项 · 财务公开 · <time datetime="2026-04-10">2026年4月10日</time> · 公示至2026年4月19日</p><p><mark>路灯维修</mark></p>`; !strings.Contains(h.Page[4].HTML, want) {
		t.Errorf("路灯维修 lacks %s\n%s", want, h.Page[4].HTML)
	}
	// the synonym the record holds is marked
	if want := `<p class="meta"><mark>村规民约</mark>与<mark>居民公约</mark> · <mark>居民公约</mark> · 青石居〔2025〕18号`; !strings.Contains(h.Page[5].HTML, want) {
		t.Errorf("村规民约 lacks %s\n%s", want, h.Page[5].HTML)
	}
	if want := `<mark>三重一大</mark> · <mark>重大项目安排</mark>`; !strings.Contains(h.Page[6].HTML, want) {
		t.Errorf("三重一大 lacks %s\n%s", want, h.Page[6].HTML)
	}
	if want := `<time datetime="2026-03-18"><mark>2026年3月</mark>18日</time>`; !strings.Contains(h.Page[7].HTML, want) {
		t.Errorf("2026年3月 lacks %s\n%s", want, h.Page[7].HTML)
	}
	h = runHarness(t, files, map[string]any{"today": "2026-04-20", "page": []string{"路灯维修"}})
	if strings.Contains(h.Page[0].HTML, "公示中") {
		t.Errorf("on notice after its end:\n%s", h.Page[0].HTML)
	}
}

func TestScriptPaging(t *testing.T) {
	files := mustBuild(t, corpus(300, 5))
	h := runHarness(t, files, map[string]any{"page": []string{"预算"}})
	p := h.Page[0]
	if n := strings.Count(p.HTML, "<li>"); n != 10 || !p.More {
		t.Errorf("first page shows %d results, more button %v; status %s", n, p.More, p.Status)
	}
}

func BenchmarkBuild(b *testing.B) {
	docs := corpus(10000, 1)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Build(docs); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzQuery(f *testing.F) {
	for _, s := range jsCases {
		f.Add(s, "社区")
	}
	f.Add("青石社区居民公约", "村规民约")
	f.Add("居务监督委员会", "村务监委会")
	f.Fuzz(func(t *testing.T, text, other string) {
		files, err := Build([]Doc{
			{URL: "a/", Date: "2026-01-01", Text: text},
			{URL: "b/", Title: other, Facets: []string{text}, Lines: []string{other, text}},
		})
		if err != nil {
			t.Fatal(err)
		}
		got := Query(files, text)
		if len(queryGrams(text)) > 0 && !slices.Contains(got, "a/") {
			t.Errorf("a record is not found by its own text %q: %q", text, got)
		}
		hits, _ := query(files, other)
		for _, h := range hits {
			if h.url == "b/" && h.rank != rankTitle {
				t.Errorf("%q: its title ranks %d", other, h.rank)
			}
		}
	})
}

func ExampleQuery() {
	files, _ := Build([]Doc{
		{URL: "decisions/j1/", Title: "关于老旧小区改造的决定", Date: "2026-03-18", Number: "青石居〔2026〕3号"},
		{URL: "minutes/m1/", Title: "居民代表会议记录", Date: "2026-03-10", Text: "议题：老旧小区改造。"},
	})
	fmt.Println(Query(files, "改造"))
	fmt.Println(Query(files, "青石居〔2026〕3号"))
	// Output:
	// [decisions/j1/ minutes/m1/]
	// [decisions/j1/]
}

// A large board is indexed in parts side by side; the files are those of
// one indexer, byte for byte, whatever the number of parts.
func TestBuildInParts(t *testing.T) {
	docs := corpus(3*partDocs+17, 5)
	// ASCII words, which each indexer numbers on its own, and a gram
	// first met in a later part.
	docs[0].Text += " WiFi budget 2024"
	docs[len(docs)-1].Text += " Zebra 鼹鼠 WiFi"
	one, err := build(docs, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{2, 3, 4} {
		got, err := build(docs, w)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.EqualFunc(one, got, bytes.Equal) {
			t.Errorf("%d parts gave other files than one indexer", w)
		}
	}
}
