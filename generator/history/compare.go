package history

import (
	"strconv"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"gongkai/generator/record"
	"gongkai/generator/render"
	"gongkai/generator/zh"
)

// FieldChange is one labelled fact of a record that differs between two
// versions, with the label and the wording of the record page
// (凭证号：记-07-03 → 记-07-02).
type FieldChange struct {
	Label    string
	Old, New string // as the page shows them; "" when absent
	Action   string // 新增, 删除 or 修改
}

// TableDiff compares one table of a record (收入明细, 支出明细, a CSV
// table, the votes of a meeting) row by row: only the rows that were
// added, removed or changed are listed.
type TableDiff struct {
	Title     string
	Header    []string
	Num       []bool // the columns holding amounts or counts, right-aligned
	Rows      []RowChange
	Unchanged int // rows that stayed as they were
}

// RowChange is one row of a table that differs.
type RowChange struct {
	Action string // 新增, 删除 or 修改
	Class  string // ins, del or chg
	Cells  []CellChange
}

// CellChange is one cell of a row that differs. Kind is "ins" or "del"
// for every cell of a row added or removed (New is its text), "chg" for a
// cell of a changed row that changed from Old to New, "" for one that
// stayed New.
type CellChange struct {
	Old, New string
	Kind     string
}

// CompareViews compares two versions of a record as a resident reads
// them: the labelled facts of the page, its tables row by row, and its
// body as rendered text (for conventions article by article); never the
// TOML or the Markdown they are written in.
func CompareViews(old, cur *render.RecordView) Diff {
	var d Diff
	d.Changes = compareFacts(facts(old), facts(cur))
	d.Tables = compareTables(tables(old), tables(cur))
	ot, ct := textBlocks(string(old.Body)), textBlocks(string(cur.Body))
	if cur.Conv != nil && old.Conv != nil {
		d.Articles = articleChanges(ot, ct)
	}
	if len(d.Articles) == 0 {
		if o, c := joinBlocks(ot), joinBlocks(ct); o != c {
			d.Body = CharDiff(o, c)
		}
	}
	d.Same = len(d.Changes) == 0 && len(d.Tables) == 0 && len(d.Articles) == 0 && d.Body == ""
	return d
}

// fact is one labelled value of a record page.
type fact struct{ label, value string }

// facts lists what a record page states besides its body and tables, in
// the page's order and with its labels.
func facts(v *render.RecordView) []fact {
	var fs []fact
	add := func(label, value string) { fs = append(fs, fact{label, value}) }
	add("标题", v.Title)
	add("文号", v.Number)
	add("日期", v.DateText)
	add("发布单位", v.Issuer)
	add("公示期", v.NoticeText)
	if r := v.Record; r != nil {
		add("摘要", r.Summary)
		add("标签", strings.Join(r.Tags, "、"))
		if !r.UnpublishAfter.IsZero() {
			add("下架日期", r.UnpublishAfter.Format("2006年1月2日"))
		}
		if d := r.Disclosure; d != nil {
			add("类别", d.Category)
			if d.Period != nil {
				if w := d.Period.Written(); len(w) > 0 {
					add("所属期", w[0])
				}
			}
		}
	}
	if f := v.Finance; f != nil {
		add("期初余额", f.Opening+" 元")
		add("本期收入", f.TotalIncome+" 元")
		add("本期支出", f.TotalExpense+" 元")
		add("期末余额", f.Closing+" 元")
	}
	if dv := v.Dec; dv != nil {
		add("类别", dv.Category)
		add("动议事由", dv.Origin)
		if dv.Amount != "" {
			add("金额", dv.Amount+" 元")
		}
		for _, s := range dv.Steps {
			if !s.Done {
				add(s.Stage, "尚未进行")
				continue
			}
			parts := []string{s.Date}
			for _, p := range []string{s.Body, s.Note} {
				if p != "" {
					parts = append(parts, p)
				}
			}
			if s.Minutes != nil {
				parts = append(parts, "会议记录："+s.Minutes.Title)
			}
			add(s.Stage, strings.Join(parts, "；"))
		}
	}
	if m := v.Min; m != nil {
		add("会议", m.Meeting)
		add("时间", m.When)
		add("地点", m.Place)
		add("主持人", m.Chair)
		add("记录人", m.Recorder)
		if m.HasCounts {
			add("应到", strconv.Itoa(m.Expected)+" 人")
			add("实到", strconv.Itoa(m.Present)+" 人")
		}
		var absent []string
		for _, a := range m.Absent {
			s := a.Name
			if a.Reason != "" {
				s += "（" + a.Reason + "）"
			}
			absent = append(absent, s)
		}
		add("缺席人员", strings.Join(absent, "、"))
		for i, a := range m.Agenda {
			add("议程第"+zh.Numeral(i+1)+"项", a)
		}
	}
	if c := v.Conv; c != nil {
		add("类型", c.Kind)
		add("通过", strings.Trim(c.AdoptedOn+"，"+c.AdoptedBy, "，"))
		add("备案", strings.Trim(c.FiledWith+"，"+c.FiledOn, "，"))
	}
	var atts []string
	for _, a := range v.Attachments {
		atts = append(atts, a.Name)
	}
	add("附件", strings.Join(atts, "、"))
	return fs
}

// compareFacts lists the facts that differ. A label that occurs twice
// (类别 of a decision after 类别 of a disclosure cannot) is compared in
// order.
func compareFacts(old, cur []fact) []FieldChange {
	type key struct {
		label string
		n     int
	}
	index := func(fs []fact) (map[key]string, []key) {
		m := map[key]string{}
		var order []key
		seen := map[string]int{}
		for _, f := range fs {
			k := key{f.label, seen[f.label]}
			seen[f.label]++
			m[k] = f.value
			order = append(order, k)
		}
		return m, order
	}
	om, oorder := index(old)
	cm, corder := index(cur)
	order := corder
	for _, k := range oorder {
		if _, ok := cm[k]; !ok {
			order = append(order, k)
		}
	}
	var out []FieldChange
	for _, k := range order {
		o, n := om[k], cm[k]
		if o == n {
			continue
		}
		c := FieldChange{Label: k.label, Old: o, New: n, Action: "修改"}
		switch {
		case o == "":
			c.Action = "新增"
		case n == "":
			c.Action = "删除"
		}
		out = append(out, c)
	}
	return out
}

// table is one table of a record page as shown.
type table struct {
	title  string
	header []string
	num    []bool
	rows   [][]string
}

// tables lists the tables of a record page: the accounts, the CSV
// tables and the votes of a meeting.
func tables(v *render.RecordView) []table {
	var ts []table
	if f := v.Finance; f != nil {
		for _, side := range []struct {
			kind  string
			lines []render.LineView
		}{{"收入", f.Income}, {"支出", f.Expense}} {
			t := table{title: side.kind + "明细", header: []string{"日期", "事项", "金额（元）", "凭证号"}, num: []bool{false, false, true, false}}
			for _, l := range side.lines {
				t.rows = append(t.rows, []string{l.Date, l.Item, l.Amount, l.Voucher})
			}
			ts = append(ts, t)
		}
	}
	for _, tv := range v.Tables {
		t := table{title: tv.Title, header: tv.Header, num: tv.Num}
		for _, row := range tv.Cells {
			cells := make([]string, len(row))
			for i, c := range row {
				cells[i] = c.Value
			}
			t.rows = append(t.rows, cells)
		}
		ts = append(ts, t)
	}
	if m := v.Min; m != nil && len(m.Resolutions) > 0 {
		t := table{title: "表决结果", header: []string{"决议事项", "赞成", "反对", "弃权", "结果"}, num: []bool{false, true, true, true, false}}
		for _, r := range m.Resolutions {
			text := r.Text
			if r.Decision != nil {
				text += "（" + r.Decision.Title + "）"
			}
			t.rows = append(t.rows, []string{text, strconv.Itoa(r.Votes.For), strconv.Itoa(r.Votes.Against), strconv.Itoa(r.Votes.Abstain), r.Votes.Result})
		}
		ts = append(ts, t)
	}
	return ts
}

// compareTables compares the tables of two versions by title.
func compareTables(old, cur []table) []TableDiff {
	byTitle := func(ts []table) map[string]table {
		m := map[string]table{}
		for _, t := range ts {
			m[t.title] = t
		}
		return m
	}
	om := byTitle(old)
	var out []TableDiff
	seen := map[string]bool{}
	add := func(o, c table) {
		if d := compareRows(o, c); len(d.Rows) > 0 {
			out = append(out, d)
		}
	}
	for _, c := range cur {
		seen[c.title] = true
		add(om[c.title], c)
	}
	for _, o := range old {
		if !seen[o.title] {
			add(o, table{title: o.title, header: o.header, num: o.num})
		}
	}
	return out
}

// compareRows compares two tables row by row: rows are matched by their
// whole text (a longest common subsequence), and a removed row directly
// followed by an added one is shown as one changed row.
func compareRows(old, cur table) TableDiff {
	d := TableDiff{Title: cur.title, Header: cur.header, Num: cur.num}
	if len(d.Header) == 0 {
		d.Header, d.Num = old.header, old.num
	}
	keys := map[string]rune{}
	encode := func(rows [][]string) string {
		var b strings.Builder
		for _, r := range rows {
			k := strings.Join(r, "\x00")
			c, ok := keys[k]
			if !ok {
				c = rune(0xE000 + len(keys)) // private use: never in the key map twice
				if c > 0xF8FF {
					c = rune(0xF0000 + len(keys))
				}
				keys[k] = c
			}
			b.WriteRune(c)
		}
		return b.String()
	}
	a, b := encode(old.rows), encode(cur.rows)
	dmp := diffmatchpatch.New()
	ds := dmp.DiffMain(a, b, false)
	oi, ci := 0, 0
	var dels, inss [][]string
	flush := func() {
		n := min(len(dels), len(inss))
		for i := 0; i < n; i++ {
			d.Rows = append(d.Rows, changedRow(dels[i], inss[i]))
		}
		for _, r := range dels[n:] {
			d.Rows = append(d.Rows, wholeRow("删除", "del", r))
		}
		for _, r := range inss[n:] {
			d.Rows = append(d.Rows, wholeRow("新增", "ins", r))
		}
		dels, inss = nil, nil
	}
	for _, x := range ds {
		n := len([]rune(x.Text))
		switch x.Type {
		case diffmatchpatch.DiffDelete:
			dels = append(dels, old.rows[oi:oi+n]...)
			oi += n
		case diffmatchpatch.DiffInsert:
			inss = append(inss, cur.rows[ci:ci+n]...)
			ci += n
		default:
			flush()
			d.Unchanged += n
			oi += n
			ci += n
		}
	}
	flush()
	return d
}

func wholeRow(action, class string, cells []string) RowChange {
	r := RowChange{Action: action, Class: class}
	for _, c := range cells {
		r.Cells = append(r.Cells, CellChange{New: c, Kind: class})
	}
	return r
}

func changedRow(old, cur []string) RowChange {
	r := RowChange{Action: "修改", Class: "chg"}
	for i := 0; i < max(len(old), len(cur)); i++ {
		var o, c string
		if i < len(old) {
			o = old[i]
		}
		if i < len(cur) {
			c = cur[i]
		}
		cc := CellChange{New: c}
		if o != c {
			cc.Old, cc.Kind = o, "chg"
		}
		r.Cells = append(r.Cells, cc)
	}
	return r
}

// articleChanges compares the rendered text of two conventions article
// by article.
func articleChanges(old, cur []block) []ArticleDiff {
	return compareArticles(articles(old), articles(cur))
}

// articles splits the text blocks of a convention into its articles: a
// block that begins 第…条 starts one; a chapter heading belongs to none.
func articles(bs []block) map[int]string {
	m := map[int]string{}
	cur := -1
	for _, b := range bs {
		if n, ok := record.ArticleStart(b.text); ok {
			cur = n
			m[n] = b.text
			continue
		}
		if b.heading && strings.Contains(b.text, "章") && !strings.Contains(b.text, "条") {
			cur = -1
			continue
		}
		if cur >= 0 {
			m[cur] += "\n" + b.text
		}
	}
	return m
}

// Raw reports whether the comparison is of the files' text, because a
// version no longer reads as a record.
func (d Diff) Raw() bool { return len(d.Lines) > 0 }
