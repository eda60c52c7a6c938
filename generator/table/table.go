// Package table reads the CSV tables of disclosures (the `[[tables]]` of
// SPEC §2.4), as spreadsheets export them: UTF-8 with or without a BOM, or
// GB18030, LF or CRLF. It checks that every row has as many cells as the
// header and that the `sum` columns hold amounts, and adds those up
// exactly. Every problem is a diagnostic at the file, line and column
// where it is.
package table

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"gongkai/generator/diag"
	"gongkai/generator/money"
	"gongkai/generator/textenc"
)

// Table is a CSV table: its header, its rows and the totals of the
// columns named in `sum`.
type Table struct {
	File string // the file, relative to the content folder
	// HeaderLine is the line (the row of a workbook) of the header.
	HeaderLine int
	Header     []string
	Rows       []Row
	Sums       []Sum
}

// Row is one data row of a table.
type Row struct {
	Line  int // the CSV line where the row starts
	Cells []string
}

// Sum is the total of one column of amounts.
type Sum struct {
	Column string // the header name
	Index  int    // the column's index in Header and Cells
	Total  money.Amount
	over   bool // the total left the range; it is reported once
}

// maxSyntaxErrors caps the CSV syntax errors reported for one file.
const maxSyntaxErrors = 10

// Read parses the CSV table data of file. sum names the columns to add up,
// and sumPos is where `sum` is written (for a column missing from the
// header). Header cells are trimmed of surrounding spaces; rows whose cells
// are all blank are skipped; blank cells of sum columns count as zero.
// Read returns the table whenever it found a header, together with every
// diagnostic; the table is only complete when the list has no errors.
func Read(file string, data []byte, sum []string, sumPos diag.Position) (*Table, diag.List) {
	text, ds := textenc.Decode(file, data)
	if ds.HasErrors() {
		return nil, ds
	}
	lines := strings.Split(text, "\n")
	// pos turns a csv line and 1-based byte column into a position.
	pos := func(line, byteCol int) diag.Position {
		p := diag.Position{File: file, Line: line}
		if line >= 1 && line <= len(lines) && byteCol >= 1 {
			l := lines[line-1]
			p.Col = utf8.RuneCountInString(l[:min(byteCol-1, len(l))]) + 1
		}
		return p
	}

	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = false
	var t *Table
	syntax := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				ds.Add(diag.Sys(diag.Position{File: file}, "无法读取表格：", "cannot read the table: ", err))
				break
			}
			if syntax++; syntax <= maxSyntaxErrors {
				p := pos(pe.Line, pe.Column)
				if pe.StartLine != pe.Line {
					// A quote left open runs on to the end: point at the
					// line where the row starts instead.
					p = pos(pe.StartLine, 0)
				}
				ds.Add(syntaxError(p, pe))
			}
			continue
		}
		if blank(rec) {
			continue
		}
		line, _ := r.FieldPos(0)
		if t == nil {
			t = &Table{File: file, Header: make([]string, len(rec))}
			for i, h := range rec {
				t.Header[i] = strings.TrimSpace(h)
			}
			t.Sums = t.columns(sum, sumPos, &ds)
			continue
		}
		if len(rec) != len(t.Header) {
			ds.Add(ragged(r, pos, line, len(rec), t.Header))
			continue
		}
		t.Rows = append(t.Rows, Row{Line: line, Cells: rec})
		for i := range t.Sums {
			s := &t.Sums[i]
			l, c := r.FieldPos(s.Index)
			if d, bad := s.add(rec[s.Index], pos(l, c)); bad {
				ds.Add(d)
			}
		}
	}
	if t == nil {
		if !ds.HasErrors() {
			ds.Add(diag.Errorf(diag.Position{File: file}, "表格文件是空的", "the table file is empty").
				WithHint("第一行写列名（如 序号,用途,金额），下面每行一条记录；可以从电子表格“另存为 CSV”",
					"write the column names on the first line (e.g. 序号,用途,金额) and one record a line below; spreadsheets can save as CSV"))
		}
		return nil, ds
	}
	return t, ds
}

// columns finds the sum columns in the header, reporting missing ones at
// sumPos.
func (t *Table) columns(names []string, sumPos diag.Position, ds *diag.List) []Sum {
	var sums []Sum
	seen := map[string]bool{}
	for _, name := range names {
		name = strings.TrimSpace(name)
		if seen[name] {
			continue
		}
		seen[name] = true
		idx := slices.Index(t.Header, name)
		if idx < 0 {
			ds.Add(missing(t.File, name, t.Header, sumPos))
			continue
		}
		sums = append(sums, Sum{Column: name, Index: idx})
	}
	return sums
}

// missing reports a sum column that is not in the header.
func missing(file, name string, header []string, at diag.Position) diag.Diagnostic {
	d := diag.Diagnostic{Pos: at, Severity: diag.Error, Msg: diag.Text{
		Zh: fmt.Sprintf("表格 %s 没有“%s”这一列；表头的列是：%s", file, name, strings.Join(header, "、")),
		En: fmt.Sprintf("table %s has no column %q; its columns are: %s", file, name, strings.Join(header, ", ")),
	}}
	if s := diag.Suggest(name, header); s != "" {
		return d.WithHint("是不是“%s”？sum 里的列名要和表头完全一样", "did you mean %q? the names in sum must match the header exactly", s)
	}
	return d.WithHint("sum 里的列名要和表头完全一样，请改成表头里的某一列", "the names in sum must match one of the header's columns exactly")
}

// add adds the amount in cell, written at p, to the total. A blank cell
// counts as zero; a bad amount or an overflowing total is a diagnostic.
func (s *Sum) add(cell string, p diag.Position) (diag.Diagnostic, bool) {
	if strings.TrimSpace(cell) == "" {
		return diag.Diagnostic{}, false
	}
	a, err := money.Parse(cell)
	if err != nil {
		reason := diag.T("%v", "%v", err)
		var pe *money.ParseError
		if errors.As(err, &pe) {
			reason = pe.Reason
		}
		return diag.Diagnostic{Pos: p, Severity: diag.Error, Cause: err, Msg: diag.Text{
			Zh: fmt.Sprintf("“%s”列的金额不对：%s", s.Column, reason.Zh),
			En: fmt.Sprintf("bad amount in column %q: %s", s.Column, reason.En),
		}}.WithHint("金额只写数字，最多两位小数，如 2180000.00；带千位逗号的金额要整格加英文双引号（\"2,180,000.00\"）",
			"write digits only with at most two decimals, e.g. 2180000.00; an amount with thousands commas must be quoted (\"2,180,000.00\")"), true
	}
	if s.over {
		return diag.Diagnostic{}, false
	}
	t, ok := s.Total.Add(a)
	if !ok {
		s.over = true
		return diag.Errorf(p, "“%s”列的合计超出可以计算的范围（最多 9999999999999.99 元）", "the total of column %q is out of range (at most 9999999999999.99 yuan)", s.Column).
			WithHint("请核对这一格和上面各格的金额", "check this amount and the ones above it"), true
	}
	s.Total = t
	return diag.Diagnostic{}, false
}

// blank reports whether every cell of rec is empty or spaces.
func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// ragged reports a row with the wrong number of cells.
func ragged(r *csv.Reader, pos func(line, byteCol int) diag.Position, line, n int, header []string) diag.Diagnostic {
	p := pos(line, 0)
	if n > len(header) {
		l, c := r.FieldPos(len(header))
		p = pos(l, c)
	}
	d := diag.Diagnostic{Pos: p, Severity: diag.Error, Msg: diag.Text{
		Zh: fmt.Sprintf("这一行有 %d 列，表头有 %d 列（%s）", n, len(header), strings.Join(header, "、")),
		En: fmt.Sprintf("this row has %d cells but the header has %d (%s)", n, len(header), strings.Join(header, ", ")),
	}}
	if n > len(header) {
		return d.WithHint("单元格里有英文逗号时（如 2,180,000.00），要把整格用英文双引号括起来（\"2,180,000.00\"），或去掉逗号",
			"a cell containing a comma (such as 2,180,000.00) must be wrapped in double quotes (\"2,180,000.00\"), or drop the comma")
	}
	return d.WithHint("请补齐这一行的单元格；空单元格也要留出逗号（如 3,,100.00）",
		"fill in the missing cells; an empty cell still needs its comma (3,,100.00)")
}

// syntaxError translates a CSV syntax error.
func syntaxError(p diag.Position, pe *csv.ParseError) diag.Diagnostic {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return diag.Errorf(p, "单元格中间有英文双引号 \"", "a double quote \" inside an unquoted cell").
			WithHint("把整格用英文双引号括起来，格内的引号写两遍（\"\"），或改用中文引号“”",
				"wrap the whole cell in double quotes and double the quotes inside (\"\"), or use Chinese quotes “”").Wrap(pe)
	case errors.Is(pe.Err, csv.ErrQuote):
		return diag.Errorf(p, "英文双引号没有配对", "unmatched double quote").
			WithHint("检查引号是否成对：以引号开头的单元格要以引号结束，格内的引号写两遍（\"\"）",
				"check that quotes come in pairs: a cell starting with a quote must end with one, and quotes inside are doubled (\"\")").Wrap(pe)
	}
	d := diag.Errorf(p, "表格这一行的格式有误", "malformed table: %v", pe.Err).Wrap(pe).
		WithHint("用电子表格打开这个文件，检查这一行后重新“另存为 CSV”", "open the file in a spreadsheet, check this row and save it as CSV again")
	d.Msg.Zh = "表格这一行的格式有误"
	return d
}
