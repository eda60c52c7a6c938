package record_test

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"gongkai/generator/diag"
	"gongkai/generator/internal/xlsxtest"
	"gongkai/generator/record"

	"github.com/xuri/excelize/v2"
)

// workbook writes sheets of rows; see xlsxtest.Book.
func workbook(t *testing.T, order []string, sheets map[string][][]any, edit func(f *excelize.File)) []byte {
	return xlsxtest.Book(t, order, sheets, edit)
}

func d(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

const accountRecord = `+++
title = "2026年第二季度社区经费收支公开"
date = 2026-07-08
category = "财务公开"
period = "2026-Q2"

[finance]
opening = "52310.00"
closing = "%CLOSING%"
file = "账目.xlsx"%SHEET%
+++

收支明细见下表。
`

func decodeAccount(t *testing.T, data []byte, closing, sheet string) (*record.Record, diag.List) {
	t.Helper()
	text := strings.NewReplacer("%CLOSING%", closing, "%SHEET%", sheet).Replace(accountRecord)
	fsys := fstest.MapFS{
		"disclosures/2026-q2/index.md": {Data: []byte(text)},
		"disclosures/2026-q2/账目.xlsx":  {Data: data},
	}
	src := record.Source{File: "disclosures/2026-q2/index.md", ID: "disclosures/2026-q2", Section: "disclosures", Slug: "2026-q2", Bundle: true, Text: text}
	return record.Decode(fuzzSite(t), fsys, src)
}

// ledger is a 收支明细账 as an office keeps it: a title merged over the
// columns, the header, a carried-over balance, payments under 收入 or
// 支出, dates as date cells or as text, and a total row.
func ledgerBook(t *testing.T, edit func(f *excelize.File)) []byte {
	return workbook(t, []string{"二季度"}, map[string][][]any{"二季度": {
		{"青石社区2026年第二季度经费收支明细账"},
		{"日期", "凭证号", "摘要", "收入（元）", "支出（元）", "余额"},
		{nil, nil, "期初余额", nil, nil, 52310},
		{d("2026-04-03"), "记-04-01", "街道拨付社区工作经费", 30000, nil, 82310},
		{"2026年4月21日", "记-04-02", "楼道照明维修材料", nil, 6842.55, 75467.45},
		{"2026/5/6", "记-05-01", "慰问困难家庭", nil, "1,500.00", 73967.45},
		{"2026-06-30", "", "本季合计", 30000, 8342.55, nil},
	}}, func(f *excelize.File) {
		f.MergeCell("二季度", "A1", "F1")
		if edit != nil {
			edit(f)
		}
	})
}

func TestAccountsFromWorkbook(t *testing.T) {
	r, ds := decodeAccount(t, ledgerBook(t, nil), "73967.45", "")
	if ds.HasErrors() || r == nil {
		t.Fatalf("diagnostics: %v", ds)
	}
	f := r.Disclosure.Finance
	if len(f.Income) != 1 || len(f.Expense) != 2 || f.TotalIncome().String() != "30000.00" || f.TotalExpense().String() != "8342.55" {
		t.Fatalf("lines: %+v", f)
	}
	e := f.Expense[0]
	if e.Date.Format("2006-01-02") != "2026-04-21" || e.Item != "楼道照明维修材料" || e.Voucher != "记-04-02" || e.Pos.String() != "disclosures/2026-q2/账目.xlsx:5:3" {
		t.Errorf("line %+v", e)
	}
	if got := f.Income[0].Date.Format("2006-01-02"); got != "2026-04-03" {
		t.Errorf("a date cell reads %s", got)
	}
	if f.File != "disclosures/2026-q2/账目.xlsx" {
		t.Errorf("File %q", f.File)
	}
	// The balance is checked as for lines written in the record.
	_, ds = decodeAccount(t, ledgerBook(t, nil), "73967.46", "")
	if len(ds) != 1 || !strings.Contains(ds[0].Msg.Zh, "账目不平") {
		t.Errorf("unbalanced: %v", ds)
	}
}

func TestAccountsFromTwoSheets(t *testing.T) {
	data := workbook(t, []string{"收入", "支出"}, map[string][][]any{
		"收入": {{"日期", "摘要", "金额", "凭证号"}, {d("2026-04-03"), "街道拨付社区工作经费", 30000, "记-04-01"}},
		"支出": {{"日期", "摘要", "金额"}, {d("2026-04-21"), "楼道照明维修材料", 6842.55}, {d("2026-05-06"), "慰问困难家庭", 1500}, {nil, "合计", 8342.55}},
	}, nil)
	r, ds := decodeAccount(t, data, "73967.45", "")
	if ds.HasErrors() || r == nil {
		t.Fatalf("diagnostics: %v", ds)
	}
	if f := r.Disclosure.Finance; len(f.Income) != 1 || len(f.Expense) != 2 || f.Income[0].Voucher != "记-04-01" {
		t.Errorf("lines %+v", f)
	}
}

// Every mistake in the workbook is reported at its cell, with the whole
// message pinned.
func TestAccountsFromWorkbookBad(t *testing.T) {
	const x = "disclosures/2026-q2/账目.xlsx"
	const rec = "disclosures/2026-q2/index.md"
	tests := []struct {
		name    string
		data    []byte
		closing string
		sheet   string
		want    []string
	}{
		{"bad amount", ledgerBook(t, func(f *excelize.File) { f.SetCellValue("二季度", "E5", "6842.55元") }), "73967.45", "",
			[]string{x + ":5:5: 错误：二季度!E5 的金额不对：金额只能写数字，去掉“元”等文字：6842.55元\n    提示：金额只写数字，最多两位小数，如 6842.55；不要写“元”"}},
		{"empty item", ledgerBook(t, func(f *excelize.File) { f.SetCellValue("二季度", "C6", "") }), "73967.45", "",
			[]string{x + ":6:3: 错误：二季度!C6 是空的：每一笔都要写摘要\n    提示：在这一格填上摘要（如 楼道照明维修材料）；不是一笔收支的行请删去"}},
		{"empty date", ledgerBook(t, func(f *excelize.File) { f.SetCellValue("二季度", "A6", "") }), "73967.45", "",
			[]string{x + ":6:1: 错误：二季度!A6 是空的：每一笔都要写日期\n    提示：在这一格填上日期（如 2026-04-03）；不是一笔收支的行请删去"}},
		{"bad date", ledgerBook(t, func(f *excelize.File) { f.SetCellValue("二季度", "A6", "五月六日") }), "73967.45", "",
			[]string{x + ":6:1: 错误：二季度!A6 的日期看不懂：“五月六日”\n    提示：写成 2026-04-03 或 2026年4月3日，或把这一格设成日期格式"}},
		{"no amount", ledgerBook(t, func(f *excelize.File) { f.SetCellValue("二季度", "E6", "") }), "73967.45", "",
			[]string{x + ":6:4: 错误：二季度!D6 和 二季度!E6 都是空的：这一笔没有金额\n    提示：收入填在“收入”栏，支出填在“支出”栏；不是一笔收支的行请删去"}},
		{"both amounts", ledgerBook(t, func(f *excelize.File) { f.SetCellValue("二季度", "D6", 10) }), "73967.45", "",
			[]string{x + ":6:5: 错误：二季度!D6 和 二季度!E6 都填了金额：一行只记一笔收入或一笔支出\n    提示：把这一行拆成两行"}},
		{"merged dates", ledgerBook(t, func(f *excelize.File) { f.SetCellValue("二季度", "A6", ""); f.MergeCell("二季度", "A5", "A6") }), "73967.45", "",
			[]string{
				x + ":5:1: 错误：二季度!A5:A6 是合并的单元格，合并后只有第一格 A5 的值能读到\n    提示：在表格里选中这几格，点“取消合并单元格”，再把每一格都填上",
				x + ":6:1: 错误：二季度!A6 是空的：每一笔都要写日期\n    提示：在这一格填上日期（如 2026-04-03）；不是一笔收支的行请删去"}},
		{"formula without result", ledgerBook(t, func(f *excelize.File) {
			f.SetCellValue("二季度", "E6", nil)
			f.SetCellFormula("二季度", "E6", "1000+500")
		}), "73967.45", "",
			[]string{x + ":6:5: 错误：二季度!E6 是公式（=1000+500），但文件里没有保存它的计算结果\n    提示：用 Excel 或 WPS 打开这个文件，再保存一次（由其他程序生成的表格常常不带计算结果）"}},
		{"missing column", workbook(t, []string{"明细"}, map[string][][]any{"明细": {{"日期", "摘要", "金额"}, {d("2026-04-03"), "拨款", 100}}}, nil), "73967.45", "",
			[]string{x + ":1:1: 错误：工作表“明细”找不到“收入”“支出”这一列；表头是：日期、摘要、金额\n    提示：账目表的表头要有这几列：日期、摘要、收入、支出（凭证号可有可无）；或者用名为“收入”和“支出”的两个工作表，各有 日期、摘要、金额"}},
		{"no such sheet", ledgerBook(t, nil), "73967.45", "\nsheet = \"三季度\"",
			[]string{rec + ":11:1: 错误：账目.xlsx 里没有名为“三季度”的工作表；有：二季度\n    提示：是不是“二季度”？工作表名要和表格底部的标签完全一样"}},
	}
	for _, tt := range tests {
		_, ds := decodeAccount(t, tt.data, tt.closing, tt.sheet)
		var got []string
		for _, d := range ds.Sorted() {
			got = append(got, d.Format(diag.Zh))
			if d.Msg.En == "" || d.Msg.En == d.Msg.Zh || d.Hint.En == "" {
				t.Errorf("%s: no English: %+v", tt.name, d)
			}
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}
