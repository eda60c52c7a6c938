package content

import (
	"fmt"

	"gongkai/generator/diag"
	"gongkai/generator/privacy"
	"gongkai/generator/record"
	"gongkai/generator/table"

	"github.com/xuri/excelize/v2"
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
		cell, _ := excelize.CoordinatesToCellName(pos.Col, pos.Line)
		for _, f := range rules.Scan(text) {
			ds.Add(diag.Diagnostic{Pos: pos, Severity: diag.Error,
				Msg: diag.Text{Zh: fmt.Sprintf("%s 格里有未遮挡的%s %s", cell, f.Kind.Name(diag.Zh), f.Masked),
					En: fmt.Sprintf("cell %s holds an unmasked %s %s", cell, f.Kind.Name(diag.En), f.Masked)},
				Hint: diag.T("请在表格里改为 %s：个人信息不得完整公开，须遮挡中间数字", "replace it with %s in the workbook: personal numbers must not be published in full", f.Masked),
			})
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
