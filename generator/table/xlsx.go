package table

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"gongkai/generator/diag"
	"gongkai/generator/money"

	"github.com/xuri/excelize/v2"
)

// This file reads tables from Excel workbooks (.xlsx), as written by
// Excel, WPS or LibreOffice. A position in a workbook is the file, with
// the row as its line and the column as its column; messages name the cell
// as the spreadsheet shows it: 支出!C14.

// Limits on a workbook, against a file that unpacks without end.
const (
	MaxWorkbookSize = 16 << 20 // the .xlsx file itself
	maxUnzipped     = 128 << 20
	maxRows         = 20000
	maxCols         = 200
)

// IsWorkbook reports whether a table file is an Excel workbook, by its
// name.
func IsWorkbook(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".xlsx", ".xlsm", ".xls", ".et":
		return true
	}
	return false
}

// Workbook is an opened .xlsx file.
type Workbook struct {
	File     string // the file, relative to the content folder
	f        *excelize.File
	date1904 bool // dates count from 1904 (old Mac workbooks)
}

// OpenWorkbook opens the workbook data of file.
func OpenWorkbook(file string, data []byte) (*Workbook, diag.List) {
	whole := diag.Position{File: file}
	if len(data) > MaxWorkbookSize {
		return nil, diag.List{diag.Errorf(whole, "表格文件太大（%d KB），最多 %d KB", "the workbook is too large (%d KB); at most %d KB", len(data)>>10, MaxWorkbookSize>>10).
			WithHint("只保留要公开的那张表，删去图片和其他工作表后另存一份", "keep only the sheet to publish; remove pictures and other sheets and save a copy")}
	}
	if bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		return nil, diag.List{diag.Errorf(whole, "%s 不是 .xlsx 格式：它是旧的 .xls 格式，或者设了打开密码", "%s is not an .xlsx workbook: it is an old .xls file or has a password", path.Base(file)).
			WithHint("用 Excel 或 WPS 打开它，取消密码，再“另存为”“Excel 工作簿（*.xlsx）”，并把 file 改成新文件名", "open it in Excel or WPS, remove the password, save as an Excel workbook (*.xlsx) and name the new file in file")}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped, CultureInfo: excelize.CultureNameZhCN,
	})
	if err != nil {
		d := diag.Errorf(whole, "无法读取 %s：它不是完好的 .xlsx 文件", "cannot read %s: it is not a sound .xlsx workbook", path.Base(file)).
			WithHint("用 Excel 或 WPS 打开它，确认能正常打开后“另存为”“Excel 工作簿（*.xlsx）”", "open it in Excel or WPS and save it again as an Excel workbook (*.xlsx)").Wrap(err)
		if strings.Contains(err.Error(), "size") || strings.Contains(err.Error(), "limit") {
			d.Msg = diag.T("%s 解压后太大，无法读取", "%s is too large once unpacked", path.Base(file))
		}
		return nil, diag.List{d}
	}
	w := &Workbook{File: file, f: f}
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		w.date1904 = *p.Date1904
	}
	return w, nil
}

// Sheets returns the names of the worksheets, in order.
func (w *Workbook) Sheets() []string { return w.f.GetSheetList() }

// Has reports whether the workbook has a worksheet called name.
func (w *Workbook) Has(name string) bool {
	for _, s := range w.Sheets() {
		if s == name {
			return true
		}
	}
	return false
}

// Sheet reads the worksheet called name, or the first one when name is
// empty. at is where the sheet is named, for a sheet that is not there.
func (w *Workbook) Sheet(name string, at diag.Position) (*Sheet, diag.List) {
	list := w.Sheets()
	if len(list) == 0 {
		return nil, diag.List{diag.Errorf(diag.Position{File: w.File}, "%s 里没有工作表", "%s has no worksheet", path.Base(w.File)).
			WithHint("用 Excel 或 WPS 打开它检查", "open it in Excel or WPS and check it")}
	}
	if name == "" {
		name = list[0]
	} else if !w.Has(name) {
		d := diag.Errorf(at, "%s 里没有名为“%s”的工作表；有：%s", "%s has no worksheet %q; it has: %s", path.Base(w.File), name, strings.Join(list, "、"))
		if s := diag.Suggest(name, list); s != "" {
			d = d.WithHint("是不是“%s”？工作表名要和表格底部的标签完全一样", "did you mean %q? the name must match the sheet's tab exactly", s)
		} else {
			d = d.WithHint("工作表名要和表格底部的标签完全一样", "the name must match the sheet's tab exactly")
		}
		return nil, diag.List{d}
	}
	raw, err := w.rows(name, true)
	if err != nil {
		return nil, diag.List{diag.Errorf(diag.Position{File: w.File}, "无法读取工作表“%s”", "cannot read the worksheet %q", name).
			WithHint("用 Excel 或 WPS 打开它，确认能正常打开后另存一份", "open it in Excel or WPS and save it again").Wrap(err)}
	}
	shown, err := w.rows(name, false)
	if err != nil {
		shown = raw
	}
	if len(raw) > maxRows {
		return nil, diag.List{diag.Errorf(diag.Position{File: w.File, Line: maxRows + 1}, "工作表“%s”太长：最多读 %d 行", "the worksheet %q is too long: at most %d rows", name, maxRows).
			WithHint("把要公开的部分另存为一个较小的表格", "save the part to publish as a smaller workbook")}
	}
	s := &Sheet{File: w.File, Name: name, w: w, raw: raw, shown: shown}
	merges, _ := w.f.GetMergeCells(name)
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 == nil && err2 == nil {
			s.merges = append(s.merges, merge{r1, c1, r2, c2, m.GetCellValue()})
		}
	}
	return s, nil
}

// rows reads the cells of a sheet, raw or as shown, up to one row past
// maxRows and maxCols columns, leaving out the empty rows at the end.
func (w *Workbook) rows(sheet string, raw bool) ([][]string, error) {
	it, err := w.f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out [][]string
	last := 0
	for n := 0; it.Next() && n <= maxRows; n++ {
		row, err := it.Columns(excelize.Options{RawCellValue: raw})
		if err != nil {
			return nil, err
		}
		if len(row) > maxCols {
			row = row[:maxCols]
		}
		out = append(out, row)
		if len(row) > 0 {
			last = len(out)
		}
	}
	if len(out) > maxRows {
		return out, nil // too long: Sheet says so
	}
	return out[:last], it.Error()
}

// merge is a range of merged cells, rows and columns from 1.
type merge struct {
	r1, c1, r2, c2 int
	value          string
}

// Sheet is one worksheet: the raw values of its cells and the values as
// the spreadsheet shows them.
type Sheet struct {
	File, Name string
	w          *Workbook
	raw, shown [][]string
	merges     []merge
}

// Rows returns the number of rows that hold anything.
func (s *Sheet) Rows() int { return len(s.raw) }

// Ref names a cell as the spreadsheet does: 支出!C14 (row and column from
// 1).
func (s *Sheet) Ref(row, col int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return s.Name + "!" + name
}

// Pos returns the position of a cell: the file, the row as the line and
// the column as the column.
func (s *Sheet) Pos(row, col int) diag.Position {
	return diag.Position{File: s.File, Line: row, Col: col}
}

// Raw returns a cell's stored value: a number as written in the file, the
// cached result of a formula, the text of a text cell.
func (s *Sheet) Raw(row, col int) string { return cell(s.raw, row, col) }

// Shown returns a cell's value as the spreadsheet shows it (its number
// format applied: dates, thousands separators).
func (s *Sheet) Shown(row, col int) string { return cell(s.shown, row, col) }

func cell(rows [][]string, row, col int) string {
	if row < 1 || row > len(rows) || col < 1 || col > len(rows[row-1]) {
		return ""
	}
	return strings.TrimSpace(rows[row-1][col-1])
}

// Blank reports whether every cell of the row is empty.
func (s *Sheet) Blank(row int) bool {
	if row < 1 || row > len(s.raw) {
		return true
	}
	for _, c := range s.raw[row-1] {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// errorValues are the error results a formula can have.
var errorValues = []string{"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!", "#GETTING_DATA"}

// isErrorValue reports whether v is the error result of a formula.
func isErrorValue(v string) bool {
	for _, e := range errorValues {
		if v == e {
			return true
		}
	}
	return false
}

// Check reports a cell whose value cannot be trusted: a formula that
// failed (#REF!), or an empty formula — one whose result was never saved
// in the file, as programs that write workbooks often leave them (Excel
// saves an empty text result the same way). The empty formula is an error
// when the cell must hold a value, else a warning.
func (s *Sheet) Check(row, col int, required bool) *diag.Diagnostic {
	v := s.Raw(row, col)
	if isErrorValue(v) {
		d := diag.Errorf(s.Pos(row, col), "%s 的值是错误 %s：公式算不出结果", "%s holds the error %s: its formula fails", s.Ref(row, col), v).
			WithHint("在 Excel 或 WPS 里改正这一格的公式，保存后再生成", "correct the formula in Excel or WPS, save, and build again")
		return &d
	}
	if v != "" {
		return nil
	}
	ref := strings.TrimPrefix(s.Ref(row, col), s.Name+"!")
	if f, err := s.w.f.GetCellFormula(s.Name, ref); err == nil && f != "" {
		d := diag.Errorf(s.Pos(row, col), "%s 是公式（=%s），但文件里没有保存它的计算结果", "%s is a formula (=%s) but the file holds no result for it", s.Ref(row, col), f).
			WithHint("用 Excel 或 WPS 打开这个文件，再保存一次（由其他程序生成的表格常常不带计算结果）", "open the file in Excel or WPS and save it once more (workbooks made by other programs often lack the results)")
		if !required {
			d.Severity = diag.Warning
			d.Msg = diag.T("%s 是公式（=%s），文件里没有它的计算结果，网页上这一格是空的", "%s is a formula (=%s) without a result in the file: the cell is shown empty", s.Ref(row, col), f)
		}
		return &d
	}
	return nil
}

// Merged reports every range of merged cells that reaches into rows
// first…last and columns 1…cols: each hides the values of all but its
// first cell, so a table cannot be read from it.
func (s *Sheet) Merged(first, last, cols int) diag.List {
	var ds diag.List
	for _, m := range s.merges {
		if m.r2 < first || m.r1 > last || m.c1 > cols {
			continue
		}
		from, _ := excelize.CoordinatesToCellName(m.c1, m.r1)
		to, _ := excelize.CoordinatesToCellName(m.c2, m.r2)
		hidden := ""
		for r := m.r1; r <= m.r2 && hidden == ""; r++ {
			for c := m.c1; c <= m.c2; c++ {
				if (r != m.r1 || c != m.c1) && s.Raw(r, c) != "" {
					ref, _ := excelize.CoordinatesToCellName(c, r)
					hidden = fmt.Sprintf("%s（“%s”）", ref, s.Raw(r, c))
					break
				}
			}
		}
		d := diag.Errorf(s.Pos(m.r1, m.c1), "%s!%s:%s 是合并的单元格，合并后只有第一格 %s 的值能读到", "%s!%s:%s are merged cells: only the first, %s, can be read",
			s.Name, from, to, from)
		if hidden != "" {
			d.Msg = diag.T("%s!%s:%s 是合并的单元格，合并把 %s的内容藏起来了", "%s!%s:%s are merged cells, which hide the content of %s", s.Name, from, to, hidden)
		}
		ds.Add(d.WithHint("在表格里选中这几格，点“取消合并单元格”，再把每一格都填上", "select the cells, unmerge them, and fill in every cell"))
	}
	return ds
}

// HeaderRow returns the first row that looks like a header: at least two
// cells filled in (a title merged across the columns above the header has
// one), or the first filled row of a one-column sheet.
func (s *Sheet) HeaderRow() int {
	first := 0
	for r := 1; r <= len(s.raw); r++ {
		n := 0
		for _, c := range s.raw[r-1] {
			if strings.TrimSpace(c) != "" {
				n++
			}
		}
		if n >= 2 {
			return r
		}
		if n == 1 && first == 0 {
			first = r
		}
	}
	return first
}

// Amount reads the cell as an amount of money: a number cell (rounded to
// fen when a formula left a trace of floating point, 0.30000000000000004)
// or a text cell written as gongkai reads amounts ("6,842.55").
func (s *Sheet) Amount(row, col int) (money.Amount, *money.ParseError) {
	v := s.Raw(row, col)
	if f, err := strconv.ParseFloat(v, 64); err == nil && !strings.ContainsAny(v, ",_") && !math.IsInf(f, 0) && !math.IsNaN(f) {
		fen := f * 100
		r := math.Round(fen)
		switch {
		case math.Abs(r) > 9e15:
			return 0, &money.ParseError{Input: v, Reason: diag.T("金额太大，无法处理：%s", "the amount is too large: %s", v)}
		case math.Abs(fen-r) > 1e-6*math.Max(1, math.Abs(fen)):
			return 0, &money.ParseError{Input: v, Reason: diag.T("金额最多两位小数：%s", "an amount has at most two decimals (fen): %s", v)}
		}
		return money.Amount(r), nil
	}
	a, err := money.Parse(v)
	if err != nil {
		var pe *money.ParseError
		if errors.As(err, &pe) {
			return 0, pe
		}
		return 0, &money.ParseError{Input: v, Reason: diag.T("金额写法不对：%s", "not an amount: %s", v)}
	}
	return a, nil
}

// Date reads the cell as a date: a date cell of the spreadsheet, or text
// written 2026-04-03, 2026/4/3, 2026.4.3 or 2026年4月3日.
func (s *Sheet) Date(row, col int, loc *time.Location) (time.Time, bool) {
	v := s.Raw(row, col)
	if loc == nil {
		loc = time.UTC
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 1 && f < 2958466 {
		t, err := excelize.ExcelDateToTime(f, s.w.date1904)
		if err != nil {
			return time.Time{}, false
		}
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc), true
	}
	t := strings.NewReplacer("年", "-", "月", "-", "日", "", "号", "", "/", "-", ".", "-").Replace(v)
	if p, err := time.ParseInLocation("2006-1-2", t, loc); err == nil {
		return p, true
	}
	if len(t) > 10 {
		if p, err := time.ParseInLocation("2006-1-2", strings.Fields(t)[0], loc); err == nil {
			return p, true
		}
	}
	return time.Time{}, false
}

// ReadWorkbook reads a table from sheet of the workbook data of file (the
// first sheet when sheet is empty), as Read does a CSV file: the header is
// the first row with two or more cells filled in (a title above it is
// skipped), blank rows are skipped, and the sum columns are added up.
// sheetPos is where the sheet is named, sumPos where sum is.
func ReadWorkbook(file string, data []byte, sheet string, sheetPos diag.Position, sum []string, sumPos diag.Position) (*Table, diag.List) {
	w, ds := OpenWorkbook(file, data)
	if w == nil {
		return nil, ds
	}
	s, more := w.Sheet(sheet, sheetPos)
	ds.Add(more...)
	if s == nil {
		return nil, ds
	}
	h := s.HeaderRow()
	if h == 0 {
		ds.Add(diag.Errorf(diag.Position{File: file}, "工作表“%s”是空的", "the worksheet %q is empty", s.Name).
			WithHint("第一行写列名（如 序号、用途、金额），下面每行一条记录", "write the column names in the first row and one record a row below"))
		return nil, ds
	}
	width := 0
	for c := 1; c <= len(s.raw[h-1]) && c <= maxCols; c++ {
		if s.Raw(h, c) != "" {
			width = c
		}
	}
	t := &Table{File: file, HeaderLine: h, Header: make([]string, width)}
	for c := 1; c <= width; c++ {
		t.Header[c-1] = s.Shown(h, c)
		if t.Header[c-1] == "" {
			ds.Add(diag.Errorf(s.Pos(h, c), "表头 %s 是空的：每一列都要有列名", "the header cell %s is empty: every column needs a name", s.Ref(h, c)).
				WithHint("在这一格写上列名，或删去这一整列", "name the column, or delete it"))
		}
	}
	ds.Add(s.Merged(h, s.Rows(), width)...)
	t.Sums = t.columns(sum, sumPos, &ds)
	for r := h + 1; r <= s.Rows(); r++ {
		if s.Blank(r) {
			continue
		}
		row := Row{Line: r, Cells: make([]string, width)}
		for c := 1; c <= width; c++ {
			isSum := false
			for _, sm := range t.Sums {
				isSum = isSum || sm.Index == c-1
			}
			if d := s.Check(r, c, isSum); d != nil {
				ds.Add(*d)
				continue
			}
			row.Cells[c-1] = s.Shown(r, c)
		}
		for i := range t.Sums {
			sm := &t.Sums[i]
			c := sm.Index + 1
			if s.Raw(r, c) == "" || isErrorValue(s.Raw(r, c)) {
				continue // reported by Check
			}
			a, pe := s.Amount(r, c)
			if pe != nil {
				ds.Add(diag.Diagnostic{Pos: s.Pos(r, c), Severity: diag.Error, Cause: pe,
					Msg:  diag.Text{Zh: fmt.Sprintf("%s 的金额不对：%s", s.Ref(r, c), pe.Reason.Zh), En: fmt.Sprintf("%s: bad amount: %s", s.Ref(r, c), pe.Reason.En)},
					Hint: diag.T("金额只写数字，最多两位小数，如 2180000.00；不要写“元”", "write digits only with at most two decimals, e.g. 2180000.00; no unit")})
				continue
			}
			if (a > 0 && sm.Total > math.MaxInt64-a) || (a < 0 && sm.Total < math.MinInt64-a) {
				ds.Add(diag.Errorf(s.Pos(r, c), "“%s”列的合计太大，无法计算", "the total of column %q is too large", sm.Column).
					WithHint("请核对这一列的金额", "check the amounts of this column"))
				continue
			}
			sm.Total += a
		}
		t.Rows = append(t.Rows, row)
	}
	return t, ds
}
