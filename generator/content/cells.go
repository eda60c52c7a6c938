package content

import (
	"gongkai/generator/diag"
	"gongkai/generator/privacy"
	"gongkai/generator/record"
	"gongkai/generator/table"
)

// lintCells runs the personal-data lint over what a record publishes from
// Excel workbooks — its tables' cells and the account lines read from a
// workbook — at the cell where each is.
func lintCells(rules privacy.Rules, r *record.Record) diag.List {
	if r.Disclosure == nil {
		return nil
	}
	var ds diag.List
	at := func(pos diag.Position, text string) {
		for _, d := range rules.Lint(pos.File, text) {
			d.Pos = pos // a cell is one place, whatever its lines
			ds.Add(d)
		}
	}
	for _, t := range r.Disclosure.Tables {
		if t.Data == nil || !table.IsWorkbook(t.Path) {
			continue
		}
		for c, h := range t.Data.Header {
			at(diag.Position{File: t.Path, Line: t.Data.HeaderLine, Col: c + 1}, h)
		}
		for _, row := range t.Data.Rows {
			for c, cell := range row.Cells {
				at(diag.Position{File: t.Path, Line: row.Line, Col: c + 1}, cell)
			}
		}
	}
	if f := r.Disclosure.Finance; f != nil && f.File != "" {
		for _, ls := range [][]record.Line{f.Income, f.Expense} {
			for _, l := range ls {
				at(l.Pos, l.Item)
				at(l.Pos, l.Voucher)
			}
		}
	}
	return ds
}
