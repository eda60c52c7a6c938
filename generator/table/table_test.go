package table

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"gongkai/generator/diag"
	"gongkai/generator/money"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const renovation = "序号,用途,金额\n1,雨污管网改造,2460000.00\n2,步道与绿化,2180000.00\n3,楼栋外立面修缮,1760000.00\n"

func gb18030(t testing.TB, s string) []byte {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var sumPos = diag.Position{File: "disclosures/meian/index.md", Line: 11, Col: 1}

func TestRead(t *testing.T) {
	const file = "资金明细.csv"
	type want struct {
		header []string
		lines  []int    // line of each row
		cells  []string // cells of the last row
		totals []string // total of each sum column
		diags  []string // formatted diagnostics (Chinese), in order; a prefix match
	}
	cases := []struct {
		name string
		data []byte
		sum  []string
		want want
	}{
		{
			name: "utf8",
			data: []byte(renovation),
			sum:  []string{"金额"},
			want: want{header: []string{"序号", "用途", "金额"}, lines: []int{2, 3, 4},
				cells: []string{"3", "楼栋外立面修缮", "1760000.00"}, totals: []string{"6400000.00"}},
		},
		{
			name: "bom-crlf",
			data: []byte("\xEF\xBB\xBF" + strings.ReplaceAll(renovation, "\n", "\r\n")),
			sum:  []string{"金额"},
			want: want{header: []string{"序号", "用途", "金额"}, lines: []int{2, 3, 4},
				cells: []string{"3", "楼栋外立面修缮", "1760000.00"}, totals: []string{"6400000.00"}},
		},
		{
			name: "gb18030",
			data: gb18030(t, strings.ReplaceAll(renovation, "\n", "\r\n")),
			sum:  []string{"金额"},
			want: want{header: []string{"序号", "用途", "金额"}, lines: []int{2, 3, 4},
				cells: []string{"3", "楼栋外立面修缮", "1760000.00"}, totals: []string{"6400000.00"},
				diags: []string{"资金明细.csv: 警告：文件不是 UTF-8 编码，已按 GB18030"}},
		},
		{
			name: "quoted-comma-and-trailing-blank-lines",
			data: []byte("序号, 用途 ,金额,备注\n1,\"雨污管网改造，一期\",\"2,460,000.00\",\"含设计, 监理\"\n\n2,绿化,,\n3,\"外立面\n修缮\",-0.50,\n,,,\n\n\n"),
			sum:  []string{"金额", "金额"},
			want: want{header: []string{"序号", "用途", "金额", "备注"}, lines: []int{2, 4, 5},
				cells: []string{"3", "外立面\n修缮", "-0.50", ""}, totals: []string{"2459999.50"}},
		},
		{
			name: "two-sum-columns",
			data: []byte("项目,收入,支出\n经费,50000,\n办公, ,\"40,382.55\"\n"),
			sum:  []string{"收入", "支出"},
			want: want{header: []string{"项目", "收入", "支出"}, lines: []int{2, 3},
				cells: []string{"办公", " ", "40,382.55"}, totals: []string{"50000.00", "40382.55"}},
		},
		{
			name: "no-sum",
			data: []byte("姓名,事由\n刘某,突发意外"),
			want: want{header: []string{"姓名", "事由"}, lines: []int{2}, cells: []string{"刘某", "突发意外"}},
		},
		{
			name: "bad-amount-quoted",
			data: []byte(strings.Replace(renovation, "2180000.00", "\"2,180,000.00元\"", 1)),
			sum:  []string{"金额"},
			want: want{header: []string{"序号", "用途", "金额"}, lines: []int{2, 3, 4},
				cells: []string{"3", "楼栋外立面修缮", "1760000.00"}, totals: []string{"4220000.00"},
				diags: []string{"资金明细.csv:3:9: 错误：“金额”列的金额不对：金额只能写数字，去掉“元”等文字：2,180,000.00元"}},
		},
		{
			name: "bad-amount-unquoted",
			data: []byte(strings.Replace(renovation, "2180000.00", "2,180,000.00元", 1)),
			sum:  []string{"金额"},
			want: want{header: []string{"序号", "用途", "金额"}, lines: []int{2, 4},
				cells: []string{"3", "楼栋外立面修缮", "1760000.00"}, totals: []string{"4220000.00"},
				diags: []string{"资金明细.csv:3:11: 错误：这一行有 5 列，表头有 3 列（序号、用途、金额）\n    提示：单元格里有英文逗号"}},
		},
		{
			name: "three-decimals",
			data: []byte("用途,金额\n甲,1.005\n乙,2\n丙,3元\n"),
			sum:  []string{"金额"},
			want: want{header: []string{"用途", "金额"}, lines: []int{2, 3, 4}, cells: []string{"丙", "3元"}, totals: []string{"2.00"},
				diags: []string{"资金明细.csv:2:3: 错误：“金额”列的金额不对：金额最多两位小数：1.005",
					"资金明细.csv:4:3: 错误：“金额”列的金额不对：金额只能写数字"}},
		},
		{
			name: "total-out-of-range",
			data: []byte("用途,金额\n甲,9999999999999.99\n乙,0.01\n丙,1\n"),
			sum:  []string{"金额"},
			want: want{header: []string{"用途", "金额"}, lines: []int{2, 3, 4}, cells: []string{"丙", "1"}, totals: []string{"9999999999999.99"},
				diags: []string{"资金明细.csv:3:3: 错误：“金额”列的合计超出可以计算的范围（最多 9999999999999.99 元）\n    提示：请核对这一格和上面各格的金额"}},
		},
		{
			name: "amount-out-of-range",
			data: []byte("用途,金额\n甲,61489146912417192.05\n乙,.05\n"),
			sum:  []string{"金额"},
			want: want{header: []string{"用途", "金额"}, lines: []int{2, 3}, cells: []string{"乙", ".05"}, totals: []string{"0.00"},
				diags: []string{"资金明细.csv:2:3: 错误：“金额”列的金额不对：金额超出范围：61489146912417192.05", "资金明细.csv:3:3: 错误：“金额”列的金额不对：小数点前后都要有数字"}},
		},
		{
			name: "missing-sum-column",
			data: []byte(renovation),
			sum:  []string{"金额（元）"},
			want: want{header: []string{"序号", "用途", "金额"}, lines: []int{2, 3, 4},
				cells: []string{"3", "楼栋外立面修缮", "1760000.00"},
				diags: []string{"disclosures/meian/index.md:11:1: 错误：表格 资金明细.csv 没有“金额（元）”这一列；表头的列是：序号、用途、金额\n    提示：是不是“金额”？"}},
		},
		{
			name: "missing-sum-column-no-suggestion",
			data: []byte(renovation),
			sum:  []string{"单价"},
			want: want{header: []string{"序号", "用途", "金额"}, lines: []int{2, 3, 4},
				cells: []string{"3", "楼栋外立面修缮", "1760000.00"},
				diags: []string{"disclosures/meian/index.md:11:1: 错误：表格 资金明细.csv 没有“单价”这一列；表头的列是：序号、用途、金额\n    提示：sum 里的列名要和表头完全一样"}},
		},
		{
			name: "ragged-short",
			data: []byte("序号,用途,金额\n1,雨污管网改造\n2,步道与绿化,100\n"),
			sum:  []string{"金额"},
			want: want{header: []string{"序号", "用途", "金额"}, lines: []int{3}, cells: []string{"2", "步道与绿化", "100"}, totals: []string{"100.00"},
				diags: []string{"资金明细.csv:2: 错误：这一行有 2 列，表头有 3 列（序号、用途、金额）\n    提示：请补齐"}},
		},
		{
			name: "bare-quote",
			data: []byte("序号,用途\n1,他说\"好\"\n2,绿化\n"),
			want: want{header: []string{"序号", "用途"}, lines: []int{3}, cells: []string{"2", "绿化"},
				diags: []string{"资金明细.csv:2:5: 错误：单元格中间有英文双引号"}},
		},
		{
			name: "unclosed-quote",
			data: []byte("序号,用途\n1,\"绿化\n2,x\n"),
			want: want{header: []string{"序号", "用途"},
				diags: []string{"资金明细.csv:2: 错误：英文双引号没有配对"}},
		},
		{
			name: "text-after-closing-quote",
			data: []byte("序号,用途\n1,\"绿化\"工程\n"),
			want: want{header: []string{"序号", "用途"},
				diags: []string{"资金明细.csv:2:6: 错误：英文双引号没有配对"}},
		},
		{
			name: "header-only",
			data: []byte("序号,用途,金额\n"),
			sum:  []string{"金额"},
			want: want{header: []string{"序号", "用途", "金额"}, totals: []string{"0.00"}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tab, ds := Read(file, c.data, c.sum, sumPos)
			var got []string
			for _, d := range ds {
				got = append(got, d.Format(diag.Zh))
				if d.Msg.En == "" || strings.Contains(d.Format(diag.En)+d.Format(diag.Zh), "%!") {
					t.Errorf("incomplete diagnostic: %#v", d)
				}
			}
			if len(got) != len(c.want.diags) {
				t.Fatalf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want.diags, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], c.want.diags[i]) {
					t.Errorf("diagnostic %d:\n%s\nwant prefix:\n%s", i, got[i], c.want.diags[i])
				}
			}
			if tab == nil {
				t.Fatal("no table")
			}
			if tab.File != file || !slices.Equal(tab.Header, c.want.header) {
				t.Errorf("file %q header %q; want %q", tab.File, tab.Header, c.want.header)
			}
			var lines []int
			for _, r := range tab.Rows {
				lines = append(lines, r.Line)
			}
			if !slices.Equal(lines, c.want.lines) {
				t.Errorf("row lines %v; want %v", lines, c.want.lines)
			}
			if len(tab.Rows) > 0 && !slices.Equal(tab.Rows[len(tab.Rows)-1].Cells, c.want.cells) {
				t.Errorf("last row %q; want %q", tab.Rows[len(tab.Rows)-1].Cells, c.want.cells)
			}
			var totals []string
			for _, s := range tab.Sums {
				if tab.Header[s.Index] != s.Column {
					t.Errorf("sum %+v: index does not match the header", s)
				}
				totals = append(totals, s.Total.String())
			}
			if !slices.Equal(totals, c.want.totals) {
				t.Errorf("totals %v; want %v", totals, c.want.totals)
			}
		})
	}
}

func TestReadFails(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "x.csv: 错误：表格文件是空的"},
		{"blank-lines", []byte("\n\n  \n"), "x.csv: 错误：表格文件是空的"},
		{"commas-only", []byte(",,\n,,\n"), "x.csv: 错误：表格文件是空的"},
		{"utf16", []byte{0xFF, 0xFE, 'a', 0}, "x.csv: 错误：文件是 UTF-16 编码"},
		{"binary", []byte("a,b\n\x00\x01\x02"), "x.csv:2:1: 错误："},
	}
	for _, c := range cases {
		tab, ds := Read("x.csv", c.data, []string{"金额"}, sumPos)
		if tab != nil || len(ds) != 1 || !strings.HasPrefix(ds[0].Format(diag.Zh), c.want) {
			t.Errorf("%s: Read = %v, %v; want nil and %q", c.name, tab, ds, c.want)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(renovation), "金额")
	f.Add([]byte("\xEF\xBB\xBF"+strings.ReplaceAll(renovation, "\n", "\r\n")), "金额")
	f.Add(gb18030(f, renovation), "金额")
	f.Add([]byte(strings.Replace(renovation, "2180000.00", "2,180,000.00元", 1)), "金额")
	f.Add([]byte("a,\"b\nc\",\"1,000\"\n1,2,3\n"), "c")
	f.Add([]byte("a\"b,c\n\"x"), "a")
	f.Add([]byte{}, "")
	f.Fuzz(func(t *testing.T, data []byte, col string) {
		tab, ds := Read("f.csv", data, []string{col}, sumPos)
		if tab == nil {
			if !ds.HasErrors() {
				t.Fatal("no table and no error")
			}
			return
		}
		for _, d := range ds {
			if d.Pos.File == "" || d.Msg.Zh == "" || d.Msg.En == "" {
				t.Fatalf("incomplete diagnostic %#v", d)
			}
		}
		for _, r := range tab.Rows {
			if len(r.Cells) != len(tab.Header) || r.Line < 1 {
				t.Fatalf("row %+v does not match header %q", r, tab.Header)
			}
		}
		if ds.HasErrors() {
			return
		}
		for _, s := range tab.Sums {
			var total money.Amount
			for _, r := range tab.Rows {
				if strings.TrimSpace(r.Cells[s.Index]) != "" {
					a, _ := money.Parse(r.Cells[s.Index])
					total += a
				}
			}
			if total != s.Total {
				t.Fatalf("sum %s = %s; rows add up to %s", s.Column, s.Total, total)
			}
		}
	})
}

func ExampleRead() {
	data := []byte("序号,用途,金额\n1,雨污管网改造,2460000.00\n2,步道与绿化,\"2,180,000.00\"\n")
	t, ds := Read("资金明细.csv", data, []string{"金额"}, diag.Position{})
	fmt.Println(len(t.Rows), t.Sums[0].Column, t.Sums[0].Total.Grouped(), len(ds))
	// Output: 2 金额 4,640,000.00 0
}
