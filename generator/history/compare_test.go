package history

import (
	"html/template"
	"strings"
	"testing"

	"gongkai/generator/record"
	"gongkai/generator/render"
)

// account returns the view of a finance record with one expense line.
func account(voucher, amount, body string) *render.RecordView {
	return &render.RecordView{
		Record: &record.Record{Tags: []string{"财务"}},
		Title:  "2026年第三季度财务收支公开", DateText: "2026年10月13日", Issuer: "青石社区居民委员会",
		Finance: &render.FinanceView{Opening: "351,175.60", Closing: "222,388.80", TotalIncome: "32,000.00", TotalExpense: amount,
			Expense: []render.LineView{
				{Date: "2026年7月16日", Item: "防汛物资补充", Amount: amount, Voucher: voucher},
				{Date: "2026年9月30日", Item: "办公用品", Amount: "1,526.80", Voucher: "记-09-09"},
			}},
		Body: template.HTML(body),
	}
}

func TestCompareViewsAccount(t *testing.T) {
	old := account("记-07-03", "2,860.00", `<p>按<a href="../../decisions/x/">居民代表会议决议</a>支付。</p>`)
	cur := account("记-07-02", "2,860.00", `<p>按<a href="../../decisions/x/">居民代表会议决议</a>支付，质保金于2027年7月支付。</p>`)
	d := CompareViews(old, cur)
	if len(d.Changes) != 0 {
		t.Errorf("facts changed: %+v", d.Changes)
	}
	if len(d.Tables) != 1 || d.Tables[0].Title != "支出明细" || len(d.Tables[0].Rows) != 1 || d.Tables[0].Unchanged != 1 {
		t.Fatalf("tables = %+v, want one changed row of 支出明细 and one unchanged", d.Tables)
	}
	row := d.Tables[0].Rows[0]
	if row.Action != "修改" || row.Cells[3] != (CellChange{Old: "记-07-03", New: "记-07-02", Kind: "chg"}) || row.Cells[2].Kind != "" {
		t.Errorf("row = %+v, want 凭证号 记-07-03 → 记-07-02 and the amount unchanged", row)
	}
	if !d.Tables[0].Num[2] || d.Tables[0].Header[3] != "凭证号" {
		t.Errorf("header %v num %v", d.Tables[0].Header, d.Tables[0].Num)
	}
	body := string(d.Body)
	if !strings.Contains(body, "<ins>，质保金于2027年7月支付</ins>") || strings.ContainsAny(body, "[]()") || strings.Contains(body, "href") {
		t.Errorf("body = %q, want the rendered text with the addition marked and no link syntax", body)
	}
}

func TestCompareViewsFacts(t *testing.T) {
	old := account("记-07-03", "2,860.00", "<p>正文</p>")
	cur := account("记-07-03", "2,860.00", "<p>正文</p>")
	cur.Number = "青石居〔2026〕4号"
	cur.NoticeText = "2026年10月13日至2026年10月22日（共10天）"
	cur.Finance.Closing = "222,398.80"
	cur.Finance.Expense = cur.Finance.Expense[:1]
	cur.Finance.Expense = append(cur.Finance.Expense, render.LineView{Date: "2026年9月29日", Item: "国庆活动", Amount: "3,200.00", Voucher: "记-09-07"})
	d := CompareViews(old, cur)
	var got []string
	for _, c := range d.Changes {
		got = append(got, c.Label+"("+c.Action+"):"+c.Old+"→"+c.New)
	}
	joined := strings.Join(got, "|")
	for _, w := range []string{"文号(新增):→青石居〔2026〕4号", "公示期(新增):→2026年10月13日至2026年10月22日（共10天）", "期末余额(修改):222,388.80 元→222,398.80 元"} {
		if !strings.Contains(joined, w) {
			t.Errorf("changes %q lack %q", joined, w)
		}
	}
	if len(d.Tables) != 1 || len(d.Tables[0].Rows) != 1 || d.Tables[0].Rows[0].Action != "修改" {
		t.Fatalf("tables = %+v", d.Tables)
	}
	cells := d.Tables[0].Rows[0].Cells
	if cells[1] != (CellChange{Old: "办公用品", New: "国庆活动", Kind: "chg"}) {
		t.Errorf("cells = %+v", cells)
	}
}

func TestCompareRowsAddedRemoved(t *testing.T) {
	old := table{title: "t", header: []string{"a", "b"}, rows: [][]string{{"1", "x"}, {"2", "y"}, {"3", "z"}}}
	cur := table{title: "t", header: []string{"a", "b"}, rows: [][]string{{"1", "x"}, {"3", "z"}, {"4", "w"}}}
	d := compareRows(old, cur)
	var got []string
	for _, r := range d.Rows {
		got = append(got, r.Action+":"+r.Cells[0].New+r.Cells[0].Kind)
	}
	if s := strings.Join(got, ","); s != "删除:2del,新增:4ins" || d.Unchanged != 2 {
		t.Errorf("rows = %s, unchanged %d", s, d.Unchanged)
	}
}

func TestCompareViewsConvention(t *testing.T) {
	conv := func(body string) *render.RecordView {
		return &render.RecordView{Record: &record.Record{}, Title: "居民公约", Conv: &render.ConventionView{Kind: "居民公约"}, Body: template.HTML(body)}
	}
	old := conv(`<h2 id="c1">第一章 总则</h2><h3 id="tiao-1">第一条</h3><p>爱护环境。</p><h3 id="tiao-2">第二条</h3><p>邻里和睦。</p><!-- 注释 --><p id="tiao-3"><strong>第三条</strong> 文明养犬。</p>`)
	cur := conv(`<h2 id="c1">第一章 总则</h2><h3 id="tiao-1">第一条</h3><p>爱护环境。</p><h3 id="tiao-2">第二条</h3><p>邻里和睦，互相帮助。</p><p id="tiao-4"><strong>第四条</strong> 垃圾分类。</p>`)
	d := CompareViews(old, cur)
	var got []string
	for _, a := range d.Articles {
		got = append(got, a.Action+" "+a.Title)
		if h := string(a.HTML); strings.Contains(h, "##") || strings.Contains(h, "**") || strings.Contains(h, "注释") {
			t.Errorf("article %s shows source: %q", a.Title, h)
		}
	}
	if s := strings.Join(got, ", "); s != "修改 第二条, 删除 第三条, 新增 第四条" {
		t.Errorf("articles = %q", s)
	}
	if d.Body != "" {
		t.Errorf("a convention's body is compared article by article, got %q", d.Body)
	}
	if !CompareViews(old, old).Same {
		t.Error("a view compared with itself is not the same")
	}
}

func TestTextBlocks(t *testing.T) {
	got := joinBlocks(textBlocks(`<h2 id="x">标题</h2><p>一段<a href="a.md">链接</a>和 <em>强调</em>。<!-- 注释 --></p><ul><li>甲</li><li>乙</li></ul><div class="scroll"><table><thead><tr><th>名称</th><th>金额</th></tr></thead><tbody><tr><td>油漆</td><td>1,000.00</td></tr></tbody></table></div>`))
	want := "标题\n一段链接和 强调。\n甲\n乙\n名称 | 金额\n油漆 | 1,000.00"
	if got != want {
		t.Errorf("textBlocks = %q, want %q", got, want)
	}
}
