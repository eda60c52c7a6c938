package record

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"gongkai/generator/diag"
	"gongkai/generator/fields"
	"gongkai/generator/folder"
	"gongkai/generator/money"
	"gongkai/generator/table"
)

// readTable reads the data of a [[tables]] entry: a CSV file, or a sheet
// of an Excel workbook (the first one unless `sheet` names another).
func (d *decoder) readTable(ref TableRef, data []byte, tt *fields.Table) (*table.Table, diag.List) {
	if table.IsWorkbook(ref.File) {
		return table.ReadWorkbook(ref.Path, data, ref.Sheet, tt.Pos("sheet"), ref.Sum, tt.Pos("sum"))
	}
	if ref.Sheet != "" {
		tt.Errorf("sheet", "sheet 只用于 Excel 表格（.xlsx），%s 是 CSV 文件", "sheet is for Excel workbooks (.xlsx); %s is a CSV file", ref.File).
			WithHint("删去 sheet 这一行", "delete the sheet line")
	}
	return table.Read(ref.Path, data, ref.Sum, tt.Pos("sum"))
}

// Names of the columns of accounts in a workbook, as offices write them.
var (
	dateNames    = []string{"日期", "时间", "发生日期", "记账日期"}
	itemNames    = []string{"摘要", "事项", "项目", "内容", "用途", "收支事项", "说明"}
	amountNames  = []string{"金额", "发生额"}
	voucherNames = []string{"凭证号", "凭证", "凭证编号", "凭证字号", "凭证号数"}
	incomeNames  = []string{"收入", "收入金额", "收入额"}
	expenseNames = []string{"支出", "支出金额", "支出额"}
)

// summaryRow matches the 摘要 of rows that sum up or carry over rather
// than record a payment: they are skipped.
func summaryRow(item string) bool {
	item = strings.Join(strings.Fields(item), "")
	for _, w := range []string{"合计", "小计", "总计", "累计", "期初余额", "期末余额", "上期结转", "上年结转", "结转下期", "承前页", "过次页"} {
		if strings.HasPrefix(item, w) || strings.HasPrefix(item, "本期"+w) || strings.HasPrefix(item, "本月"+w) || strings.HasPrefix(item, "本季"+w) || strings.HasPrefix(item, "本年"+w) {
			return true
		}
	}
	return false
}

// headerName cleans a header cell: no spaces, no unit in brackets.
func headerName(s string) string {
	s = strings.Join(strings.Fields(s), "")
	for _, u := range []string{"（元）", "(元)", "（元)", "(元）", "/元", "：", ":"} {
		s = strings.TrimSuffix(s, u)
	}
	return s
}

// columns finds the header row of a sheet and the columns named by each
// list of names (0 when absent).
func columns(s *table.Sheet, lists ...[]string) (row int, cols []int) {
	row = s.HeaderRow()
	cols = make([]int, len(lists))
	if row == 0 {
		return 0, cols
	}
	for c := 1; c <= 200; c++ {
		name := headerName(s.Shown(row, c))
		for i, names := range lists {
			for _, n := range names {
				if name == n && cols[i] == 0 {
					cols[i] = c
				}
			}
		}
	}
	return row, cols
}

// workbookLines reads the income and expense lines of [finance] from the
// workbook named by `file`. Two layouts are read, the two an office keeps:
//
//   - a 收支明细账: one sheet (the first, or `sheet`) with the columns
//     日期, 摘要, 收入, 支出 and optionally 凭证号, one payment a row with
//     its amount under 收入 or under 支出;
//   - two sheets called 收入 and 支出, each with 日期, 摘要 and 金额 (and
//     optionally 凭证号).
//
// Rows whose 摘要 is a total or a carry-over (合计, 本月合计, 期初余额,
// 上期结转 …) are skipped. ok is false when a line could not be read.
func (d *decoder) workbookLines(f *fields.Table, fin *Finance) (ok bool) {
	file := strings.TrimSpace(f.String("file", false))
	sheet := strings.TrimSpace(f.String("sheet", false))
	if file == "" {
		if f.Has("file") {
			f.Errorf("file", "file 是空的", "file is empty").WithHint("写上账目表格的文件名，如 file = \"账目.xlsx\"", "name the workbook, e.g. file = \"账目.xlsx\"")
			return false
		}
		if sheet != "" {
			f.Errorf("sheet", "写了 sheet 却没有写 file", "sheet is given without file").WithHint("加一行 file = \"账目.xlsx\"", "add file = \"账目.xlsx\"")
		}
		return true
	}
	if !table.IsWorkbook(file) || strings.HasSuffix(strings.ToLower(file), ".csv") {
		f.Errorf("file", "账目只能从 Excel 表格（.xlsx）读取：%s", "accounts are read from Excel workbooks (.xlsx) only: %s", file).
			WithHint("在 Excel 或 WPS 里把账目另存为 .xlsx，或把每一笔写成 [[finance.income]] / [[finance.expense]]", "save the accounts as .xlsx, or write each line as [[finance.income]] / [[finance.expense]]")
		return false
	}
	if strings.Contains(file, "..") || strings.Contains(file, "\\") || path.IsAbs(file) {
		f.Errorf("file", "表格文件 %q 的路径不允许：只能是记录旁边的文件，不能含 ..", "the workbook %q is not allowed: only files beside the record, no ..", file).
			WithHint("把表格复制到 %s/ 里，只写文件名", "copy it into %s/ and write its name only", path.Dir(d.r.File))
		return false
	}
	if len(fin.Income)+len(fin.Expense) > 0 {
		f.Errorf("file", "收支已经写在 [[finance.income]] / [[finance.expense]] 里，又写了 file", "the lines are written as [[finance.income]] / [[finance.expense]] and file is given too").
			WithHint("二选一：要么从表格读取（删去各笔 [[finance.…]]），要么删去 file", "choose one: read the workbook (delete the [[finance.…]] lines) or delete file")
		return false
	}
	p := path.Join(path.Dir(d.r.File), file)
	data, err := fs.ReadFile(d.fsys, p)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		d.extra.Add(folder.Problem(f.Pos("file"), d.fsys, p, err))
		return false
	}
	if err != nil {
		f.Errorf("file", "账目表格 %q 不存在", "the workbook %q does not exist", file).
			WithHint("把表格放在 %s/ 里，文件名要和这里写的完全一样", "put the workbook into %s/ under exactly this name", path.Dir(d.r.File))
		return false
	}
	fin.File = p
	d.file(p, data)
	w, ds := table.OpenWorkbook(p, data)
	d.extra.Add(ds...)
	if w == nil {
		return false
	}
	if sheet == "" && w.Has("收入") && w.Has("支出") {
		okI := d.sheetLines(w, "收入", f, &fin.Income, nil)
		okE := d.sheetLines(w, "支出", f, &fin.Expense, nil)
		return okI && okE
	}
	return d.sheetLines(w, sheet, f, &fin.Income, &fin.Expense)
}

// sheetLines reads the lines of one sheet: into *income alone (a sheet of
// one kind, with a 金额 column), or into both (a sheet with 收入 and 支出
// columns) when expense is not nil.
func (d *decoder) sheetLines(w *table.Workbook, name string, f *fields.Table, income, expense *[]Line) bool {
	s, ds := w.Sheet(name, f.Pos("sheet"))
	d.extra.Add(ds...)
	if s == nil {
		return false
	}
	both := expense != nil
	lists := [][]string{dateNames, itemNames, voucherNames, amountNames}
	if both {
		lists = [][]string{dateNames, itemNames, voucherNames, incomeNames, expenseNames}
	}
	h, cols := columns(s, lists...)
	var missing []string
	for i, c := range cols {
		if c == 0 && i != 2 { // 凭证号 may be left out
			missing = append(missing, lists[i][0])
		}
	}
	if len(missing) > 0 {
		at := diag.Position{File: s.File}
		var found []string
		if h > 0 {
			at = s.Pos(h, 1)
			for c := 1; c <= 50; c++ {
				if v := s.Shown(h, c); v != "" {
					found = append(found, v)
				}
			}
		}
		want := "日期、摘要、收入、支出（凭证号可有可无）"
		wantEn := "日期, 摘要, 收入, 支出 (凭证号 optional)"
		if !both {
			want, wantEn = "日期、摘要、金额（凭证号可有可无）", "日期, 摘要, 金额 (凭证号 optional)"
		}
		d.extra.Add(diag.Diagnostic{Pos: at, Severity: diag.Error,
			Msg: diag.Text{Zh: fmt.Sprintf("工作表“%s”找不到“%s”这一列；表头是：%s", s.Name, strings.Join(missing, "”“"), strings.Join(found, "、")),
				En: fmt.Sprintf("the worksheet %q has no column %s; its header is: %s", s.Name, strings.Join(missing, ", "), strings.Join(found, ", "))},
			Hint: diag.Text{Zh: "账目表的表头要有这几列：" + want + "；或者用名为“收入”和“支出”的两个工作表，各有 日期、摘要、金额",
				En: "the header needs the columns " + wantEn + "; or use two sheets called 收入 and 支出, each with 日期, 摘要, 金额"}})
		return false
	}
	last := 0
	for _, c := range cols {
		last = max(last, c)
	}
	d.extra.Add(s.Merged(h+1, s.Rows(), last)...)
	ok := true
	for r := h + 1; r <= s.Rows(); r++ {
		if s.Blank(r) {
			continue
		}
		item := s.Shown(r, cols[1])
		if summaryRow(item) {
			continue
		}
		l := Line{Item: item, Voucher: s.Shown(r, cols[2]), Pos: s.Pos(r, cols[1])}
		good := true
		need := func(c int, what, whatEn, example string) bool {
			if e := s.Check(r, c, true); e != nil {
				d.extra.Add(*e)
				return false
			}
			if s.Raw(r, c) == "" {
				d.extra.Add(diag.Diagnostic{Pos: s.Pos(r, c), Severity: diag.Error,
					Msg: diag.Text{Zh: fmt.Sprintf("%s 是空的：每一笔都要写%s", s.Ref(r, c), what), En: fmt.Sprintf("%s is empty: every line needs its %s", s.Ref(r, c), whatEn)},
					Hint: diag.Text{Zh: fmt.Sprintf("在这一格填上%s（如 %s）；不是一笔收支的行请删去", what, example),
						En: fmt.Sprintf("fill in the %s (e.g. %s); delete rows that are not a payment", whatEn, example)}})
				return false
			}
			return true
		}
		if need(cols[0], "日期", "date", "2026-04-03") {
			date, okD := s.Date(r, cols[0], d.site.Location)
			if !okD {
				d.extra.Add(diag.Errorf(s.Pos(r, cols[0]), "%s 的日期看不懂：“%s”", "%s: cannot read the date “%s”", s.Ref(r, cols[0]), s.Shown(r, cols[0])).
					WithHint("写成 2026-04-03 或 2026年4月3日，或把这一格设成日期格式", "write it as 2026-04-03, or format the cell as a date"))
				good = false
			}
			l.Date = date
		} else {
			good = false
		}
		good = need(cols[1], "摘要", "description", "楼道照明维修材料") && good
		amountAt := func(c int) (money.Amount, bool) {
			a, pe := s.Amount(r, c)
			if pe != nil {
				d.extra.Add(diag.Diagnostic{Pos: s.Pos(r, c), Severity: diag.Error, Cause: pe,
					Msg:  diag.Text{Zh: fmt.Sprintf("%s 的金额不对：%s", s.Ref(r, c), pe.Reason.Zh), En: fmt.Sprintf("%s: bad amount: %s", s.Ref(r, c), pe.Reason.En)},
					Hint: diag.T("金额只写数字，最多两位小数，如 6842.55；不要写“元”", "digits only, at most two decimals, e.g. 6842.55; no unit")})
				return 0, false
			}
			if a < 0 {
				d.extra.Add(diag.Errorf(s.Pos(r, c), "%s 的金额是负数", "%s: the amount is negative", s.Ref(r, c)).
					WithHint("收入写在收入栏，支出写在支出栏，都写正数；冲减请在摘要里说明", "put income under 收入 and expense under 支出, both positive"))
				return 0, false
			}
			return a, true
		}
		if !both {
			if need(cols[3], "金额", "amount", "6842.55") {
				a, okA := amountAt(cols[3])
				l.Amount, good = a, good && okA
			} else {
				good = false
			}
			if good {
				*income = append(*income, l)
			}
			ok = ok && good
			continue
		}
		for _, c := range []int{cols[3], cols[4]} {
			if e := s.Check(r, c, s.Raw(r, cols[3]) == "" && s.Raw(r, cols[4]) == ""); e != nil {
				d.extra.Add(*e)
				good = false
			}
		}
		in, out := s.Raw(r, cols[3]), s.Raw(r, cols[4])
		switch {
		case !good:
		case in == "" && out == "":
			d.extra.Add(diag.Errorf(s.Pos(r, cols[3]), "%s 和 %s 都是空的：这一笔没有金额", "%s and %s are both empty: the line has no amount", s.Ref(r, cols[3]), s.Ref(r, cols[4])).
				WithHint("收入填在“收入”栏，支出填在“支出”栏；不是一笔收支的行请删去", "fill in 收入 or 支出; delete rows that are not a payment"))
			good = false
		case in != "" && out != "":
			d.extra.Add(diag.Errorf(s.Pos(r, cols[4]), "%s 和 %s 都填了金额：一行只记一笔收入或一笔支出", "%s and %s both hold an amount: a row is either income or expense", s.Ref(r, cols[3]), s.Ref(r, cols[4])).
				WithHint("把这一行拆成两行", "split the row in two"))
			good = false
		case in != "":
			l.Amount, good = amountAt(cols[3])
			if good {
				*income = append(*income, l)
			}
		default:
			l.Amount, good = amountAt(cols[4])
			if good {
				*expense = append(*expense, l)
			}
		}
		ok = ok && good
	}
	return ok
}
