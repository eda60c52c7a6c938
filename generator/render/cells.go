package render

import (
	"strings"

	"gongkai/generator/money"
	"gongkai/generator/table"
)

// numberCells marks the columns of t that hold numbers — the summed
// columns, and those whose every non-blank cell is a plain number — and
// returns its cells as shown: a summed column's amounts with thousands
// separators and two decimals, as its total is written, so that a column
// reads the same from top to bottom. Other numbers (a 序号, a count, a
// phone number) are shown as written.
func numberCells(t *table.Table) ([]bool, [][]Cell) {
	n := len(t.Header)
	num := make([]bool, n)
	summed := make([]bool, n)
	for _, s := range t.Sums {
		if s.Index >= 0 && s.Index < n {
			num[s.Index], summed[s.Index] = true, true
		}
	}
	for c := 0; c < n; c++ {
		if num[c] {
			continue
		}
		seen := false
		all := true
		for _, r := range t.Rows {
			if c >= len(r.Cells) {
				continue
			}
			v := strings.TrimSpace(r.Cells[c])
			if v == "" {
				continue
			}
			seen = true
			if !plainNumber(v) {
				all = false
				break
			}
		}
		num[c] = seen && all
	}
	cells := make([][]Cell, len(t.Rows))
	for i, r := range t.Rows {
		row := make([]Cell, len(r.Cells))
		for c, v := range r.Cells {
			row[c] = Cell{Value: v}
			if c < n && num[c] {
				row[c].Num = true
				if summed[c] && strings.TrimSpace(v) != "" {
					if a, err := money.Parse(v); err == nil {
						row[c].Value = a.Grouped()
					}
				}
			}
		}
		cells[i] = row
	}
	return num, cells
}

// plainNumber reports whether s is a number as a table writes one: digits
// with at most one point and an optional sign, thousands separators or a
// trailing %, and no longer than an amount can be (a longer run of digits
// is an identifier, such as a phone number).
func plainNumber(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	s = strings.TrimSuffix(s, "%")
	digits, point := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point:
			point = true
		case c == ',':
		default:
			return false
		}
	}
	return digits > 0 && digits <= 10
}
