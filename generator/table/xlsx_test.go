package table_test

import (
	"bytes"
	"strings"
	"testing"

	"gongkai/generator/diag"
	"gongkai/generator/internal/xlsxtest"
	"gongkai/generator/table"

	"github.com/xuri/excelize/v2"
)

// book builds a workbook of sheets in order.
func book(t testing.TB, sheets map[string][][]any, order []string, edit func(f *excelize.File)) []byte {
	return xlsxtest.Book(t, order, sheets, edit)
}

const file = "disclosures/x/补贴名单.xlsx"

var at = diag.Position{File: "disclosures/x/index.md", Line: 9, Col: 1}

// A title merged above the header, numbers and a text amount with
// thousands separators: the header is found under the title and the
// total is exact.
func TestReadWorkbook(t *testing.T) {
	data := book(t, map[string][][]any{"名单": {
		{"青石社区2026年高龄津贴发放名单", nil, nil},
		{"序号", "姓名", "金额（元）"},
		{1, "张某", 300.1},
		{2, "李某", "1,200.00"},
		{},
		{3, "王某", 0.2},
	}}, []string{"名单"}, func(f *excelize.File) {
		f.MergeCell("名单", "A1", "C1")
	})
	tab, ds := table.ReadWorkbook(file, data, "", at, []string{"金额（元）"}, at)
	if len(ds) != 0 || tab == nil {
		t.Fatalf("diagnostics: %v", ds)
	}
	if strings.Join(tab.Header, "|") != "序号|姓名|金额（元）" || tab.HeaderLine != 2 {
		t.Errorf("header %q at %d", tab.Header, tab.HeaderLine)
	}
	if len(tab.Rows) != 3 || tab.Rows[2].Line != 6 || strings.Join(tab.Rows[1].Cells, "|") != "2|李某|1,200.00" {
		t.Errorf("rows %+v", tab.Rows)
	}
	if got := tab.Sums[0].Total.String(); got != "1500.30" {
		t.Errorf("total %s, want 1500.30", got)
	}
}

// A formula whose result Excel saved is read through its result.
func TestReadWorkbookCachedFormula(t *testing.T) {
	data := book(t, map[string][][]any{"Sheet1": {{"用途", "金额"}, {"材料", 100}, {"人工", 50}}}, []string{"Sheet1"}, func(f *excelize.File) {
		f.SetCellValue("Sheet1", "A4", "运费")
		f.SetCellFormula("Sheet1", "B4", "B2/2")
	})
	data = xlsxtest.Cache(t, data, "B2/2", "50")
	tab, ds := table.ReadWorkbook(file, data, "", at, []string{"金额"}, at)
	if len(ds) != 0 || tab == nil || tab.Sums[0].Total.String() != "200.00" {
		t.Fatalf("total %v, diagnostics %v", tab, ds)
	}
}

// Every bad workbook gets one positioned message naming the cell.
func TestReadWorkbookBad(t *testing.T) {
	good := map[string][][]any{"支出": {{"日期", "用途", "金额"}, {"2026-04-03", "材料", 100}, {"2026-04-05", "人工", 50}}}
	sheets := []string{"支出"}
	tests := []struct {
		name  string
		data  []byte
		sheet string
		want  string // the whole diagnostic, Chinese
	}{
		{"bad amount", book(t, good, sheets, func(f *excelize.File) { f.SetCellValue("支出", "C3", "50元") }), "",
			file + ":3:3: 错误：支出!C3 的金额不对：金额只能写数字，去掉“元”等文字：50元\n    提示：金额只写数字，最多两位小数，如 2180000.00；不要写“元”"},
		{"three decimals", book(t, good, sheets, func(f *excelize.File) { f.SetCellValue("支出", "C3", 50.125) }), "",
			file + ":3:3: 错误：支出!C3 的金额不对：金额最多两位小数：50.125\n    提示：金额只写数字，最多两位小数，如 2180000.00；不要写“元”"},
		{"merged cells hide a value", xlsxtest.MergeOver(t, book(t, good, sheets, nil), "B2:B3"), "",
			file + ":2:2: 错误：支出!B2:B3 是合并的单元格，合并把 B3（“人工”）的内容藏起来了\n    提示：在表格里选中这几格，点“取消合并单元格”，再把每一格都填上"},
		{"merged cells", book(t, good, sheets, func(f *excelize.File) { f.SetCellValue("支出", "A3", nil); f.MergeCell("支出", "A2", "A3") }), "",
			file + ":2:1: 错误：支出!A2:A3 是合并的单元格，合并后只有第一格 A2 的值能读到\n    提示：在表格里选中这几格，点“取消合并单元格”，再把每一格都填上"},
		{"formula without result", book(t, good, sheets, func(f *excelize.File) {
			f.SetCellValue("支出", "B4", "运费")
			f.SetCellFormula("支出", "C4", "SUM(C2:C2)")
		}), "",
			file + ":4:3: 错误：支出!C4 是公式（=SUM(C2:C2)），但文件里没有保存它的计算结果\n    提示：用 Excel 或 WPS 打开这个文件，再保存一次（由其他程序生成的表格常常不带计算结果）"},
		{"formula error", book(t, good, sheets, func(f *excelize.File) { f.SetCellValue("支出", "C3", "#REF!") }), "",
			file + ":3:3: 错误：支出!C3 的值是错误 #REF!：公式算不出结果\n    提示：在 Excel 或 WPS 里改正这一格的公式，保存后再生成"},
		{"no such sheet", book(t, good, sheets, nil), "支付",
			"disclosures/x/index.md:9:1: 错误：补贴名单.xlsx 里没有名为“支付”的工作表；有：支出\n    提示：是不是“支出”？工作表名要和表格底部的标签完全一样"},
		{"old xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...), "",
			file + ": 错误：补贴名单.xlsx 不是 .xlsx 格式：它是旧的 .xls 格式，或者设了打开密码\n    提示：用 Excel 或 WPS 打开它，取消密码，再“另存为”“Excel 工作簿（*.xlsx）”，并把 file 改成新文件名"},
		{"not a workbook", []byte("序号,姓名\n1,张某\n"), "",
			file + ": 错误：无法读取 补贴名单.xlsx：它不是完好的 .xlsx 文件\n    提示：用 Excel 或 WPS 打开它，确认能正常打开后“另存为”“Excel 工作簿（*.xlsx）”"},
		{"empty sheet", book(t, map[string][][]any{"支出": {}}, sheets, nil), "",
			file + ": 错误：工作表“支出”是空的\n    提示：第一行写列名（如 序号、用途、金额），下面每行一条记录"},
		{"sum column missing", book(t, map[string][][]any{"支出": {{"日期", "用途", "金额（元）"}, {"2026-04-03", "材料", 100}}}, sheets, nil), "",
			"disclosures/x/index.md:9:1: 错误：表格 " + file + " 没有“金额”这一列；表头的列是：日期、用途、金额（元）\n    提示：是不是“金额（元）”？sum 里的列名要和表头完全一样"},
	}
	for _, tt := range tests {
		_, ds := table.ReadWorkbook(file, tt.data, tt.sheet, at, []string{"金额"}, at)
		var got []string
		for _, d := range ds {
			got = append(got, d.Format(diag.Zh))
			if d.Msg.En == "" || d.Msg.En == d.Msg.Zh || d.Hint.En == "" {
				t.Errorf("%s: no English: %+v", tt.name, d)
			}
		}
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// FuzzReadWorkbook reads arbitrary bytes, and workbooks with arbitrary
// cells, as a table: never a panic, every diagnostic in the file.
func FuzzReadWorkbook(f *testing.F) {
	f.Add([]byte("PK\x03\x04"), "A1", "x", "金额")
	f.Add(book(f, map[string][][]any{"S": {{"a", "金额"}, {"x", 1}}}, []string{"S"}, nil), "B2", "1,2", "金额")
	f.Add(book(f, map[string][][]any{"S": {{"a", "金额"}, {"x", 1}}}, []string{"S"}, nil), "C9", "=1/0", "a")
	f.Fuzz(func(t *testing.T, data []byte, cell, value, sum string) {
		check := func(ds diag.List) {
			for _, d := range ds {
				if d.Pos.File != file && d.Pos.File != at.File || d.Msg.Zh == "" || strings.Contains(d.Format(diag.Zh), "%!") {
					t.Fatalf("bad diagnostic %+v", d)
				}
			}
		}
		_, ds := table.ReadWorkbook(file, data, "", at, []string{sum}, at)
		check(ds)
		fx := excelize.NewFile()
		fx.SetCellValue("Sheet1", "A1", "用途")
		fx.SetCellValue("Sheet1", "B1", "金额")
		if strings.HasPrefix(value, "=") {
			fx.SetCellFormula("Sheet1", cell, value[1:])
		} else {
			fx.SetCellValue("Sheet1", cell, value)
		}
		var b bytes.Buffer
		if fx.Write(&b) != nil {
			return
		}
		_, ds = table.ReadWorkbook(file, b.Bytes(), "", at, []string{sum}, at)
		check(ds)
	})
}

// BenchmarkReadWorkbook reads a sheet of 1,000 payments with a sum
// column, as a quarter's accounts of a busy office would be.
func BenchmarkReadWorkbook(b *testing.B) {
	rows := [][]any{{"日期", "摘要", "凭证号", "金额"}}
	for i := 0; i < 1000; i++ {
		rows = append(rows, []any{"2026-07-01", "支出事项", "记-07-01", 1234.56})
	}
	data := xlsxtest.Book(b, []string{"支出"}, map[string][][]any{"支出": rows}, nil)
	b.ResetTimer()
	for b.Loop() {
		if _, ds := table.ReadWorkbook(file, data, "", at, []string{"金额"}, at); len(ds) > 0 {
			b.Fatal(ds)
		}
	}
}

// BenchmarkReadCSV reads the same table as CSV, for comparison.
func BenchmarkReadCSV(b *testing.B) {
	var s strings.Builder
	s.WriteString("日期,摘要,凭证号,金额\n")
	for i := 0; i < 1000; i++ {
		s.WriteString("2026-07-01,支出事项,记-07-01,1234.56\n")
	}
	data := []byte(s.String())
	b.ResetTimer()
	for b.Loop() {
		if _, ds := table.Read("x.csv", data, []string{"金额"}, at); len(ds) > 0 {
			b.Fatal(ds)
		}
	}
}
