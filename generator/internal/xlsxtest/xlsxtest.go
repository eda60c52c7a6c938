// Package xlsxtest makes Excel workbooks for tests, with excelize: the
// sheets a clerk's spreadsheet has, and the parts of a file that only
// Excel writes (a formula's saved result, merged cells over values).
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Book writes a workbook with the sheets of order, each given by its rows
// of cells: nil leaves a cell empty, a string starting with "=" is a
// formula (without a saved result, as excelize writes it), anything else
// is set with SetCellValue (a time.Time makes a date cell). edit, when
// not nil, may change the workbook further before it is written.
func Book(t testing.TB, order []string, sheets map[string][][]any, edit func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	for i, name := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				var err error
				switch x := v.(type) {
				case nil:
					continue
				case string:
					if strings.HasPrefix(x, "=") {
						err = f.SetCellFormula(name, ref, x[1:])
					} else {
						err = f.SetCellValue(name, ref, x)
					}
				default:
					err = f.SetCellValue(name, ref, v)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if edit != nil {
		edit(f)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Patch replaces old with new in one part of a workbook's zip.
func Patch(t testing.TB, data []byte, part, old, new string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == part {
			if !bytes.Contains(b, []byte(old)) {
				t.Fatalf("%s has no %s", part, old)
			}
			b = bytes.Replace(b, []byte(old), []byte(new), 1)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// Cache gives a formula of the first sheet the result Excel saves with it.
func Cache(t testing.TB, data []byte, formula, value string) []byte {
	data = Patch(t, data, "xl/worksheets/sheet1.xml", "<f>"+formula+"</f>", "<f>"+formula+"</f><v>"+value+"</v>")
	return Patch(t, data, "xl/worksheets/sheet1.xml", ` t="str"><f>`+formula, `><f>`+formula)
}

// MergeOver merges a range of the first sheet without clearing the cells
// it covers, as some programs leave them.
func MergeOver(t testing.TB, data []byte, ref string) []byte {
	return Patch(t, data, "xl/worksheets/sheet1.xml", "</sheetData>", `</sheetData><mergeCells count="1"><mergeCell ref="`+ref+`"/></mergeCells>`)
}
