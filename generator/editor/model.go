package editor

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"gongkai/generator/record"
	"gongkai/generator/tomledit"
)

// A model is the values of a record's front matter as its form shows
// them, keyed by the schema's keys: a string for every field that holds
// one value (text, dates as 2026-07-08 or 2026-07-08T14:30, numbers and
// amounts as typed), a bool, a []string for lists, a model for a group
// and a []model for rows, each row with its index in the file as "_i"
// (absent for a new row). Empty values are "", false, nil. A form that
// the clerk did not touch sends back exactly the model it was given, so
// saving it changes nothing.
type model = map[string]any

// rowIndex is the key of a row's index in the file.
const rowIndex = "_i"

// decodeFM decodes front matter text, whose lines may end in CRLF.
func decodeFM(fm string) (map[string]any, error) {
	var m map[string]any
	if _, err := toml.Decode(normal(fm), &m); err != nil {
		return nil, err
	}
	return m, nil
}

// derive returns the model of the decoded front matter m for the fields
// fs.
func derive(fs []record.Field, m map[string]any) model {
	out := model{}
	for _, f := range fs {
		v, ok := m[f.Key]
		if !ok {
			continue
		}
		switch f.Type {
		case record.TypeGroup:
			if t, ok := v.(map[string]any); ok {
				out[f.Key] = derive(f.Fields, t)
			}
		case record.TypeRows:
			var rows []any
			for i, t := range tables(v) {
				r := derive(f.Fields, t)
				r[rowIndex] = float64(i)
				rows = append(rows, r)
			}
			if rows != nil {
				out[f.Key] = rows
			}
		case record.TypeBool:
			b, isBool := v.(bool)
			if !isBool {
				out[f.Key] = scalar(f, v) != "" && scalar(f, v) != "false"
				continue
			}
			out[f.Key] = b
		case record.TypeList, record.TypeFiles:
			out[f.Key] = list(v)
		default:
			out[f.Key] = scalar(f, v)
		}
	}
	return out
}

// tables returns v as an array of tables, nil when it is not one.
func tables(v any) []map[string]any {
	switch x := v.(type) {
	case []map[string]any:
		return x
	case []any:
		var out []map[string]any
		for _, e := range x {
			t, ok := e.(map[string]any)
			if !ok {
				return nil
			}
			out = append(out, t)
		}
		return out
	}
	return nil
}

// list returns v as a list of strings.
func list(v any) []any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			if s, ok := e.(string); ok {
				out[i] = s
			} else {
				out[i] = fmt.Sprint(e)
			}
		}
		return out
	case string:
		return []any{x}
	}
	return []any{fmt.Sprint(v)}
}

// scalar returns the text a form shows for a value of field f.
func scalar(f record.Field, v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		local := x.Location().String()
		switch {
		case f.Type == record.TypeDateTime && local == "date-local":
			return x.Format("2006-01-02") + "T00:00"
		case f.Type == record.TypeDateTime && x.Second() != 0:
			return x.Format("2006-01-02T15:04:05")
		case f.Type == record.TypeDateTime:
			return x.Format("2006-01-02T15:04")
		case f.Type == record.TypeDate:
			return x.Format("2006-01-02")
		case local == "date-local":
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02T15:04:05")
	}
	return fmt.Sprint(v)
}

// empty reports whether a model value is empty.
func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case bool:
		return !x
	case []any:
		for _, e := range x {
			if !empty(e) {
				return false
			}
		}
		return true
	case map[string]any:
		for k, e := range x {
			if k != rowIndex && !empty(e) {
				return false
			}
		}
		return true
	}
	return false
}

// same reports whether two model values of field f are equal.
func same(f record.Field, a, b any) bool {
	if empty(a) && empty(b) {
		return true
	}
	switch f.Type {
	case record.TypeList, record.TypeFiles:
		x, y := strs(a), strs(b)
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	case record.TypeBool:
		return truth(a) == truth(b)
	case record.TypeLongText:
		return normal(text(a)) == normal(text(b))
	}
	return strings.TrimSpace(text(a)) == strings.TrimSpace(text(b))
}

func truth(v any) bool {
	b, _ := v.(bool)
	return b
}

func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// strs returns the non-empty items of a list, trimmed.
func strs(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, e := range l {
			if s := strings.TrimSpace(text(e)); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// keys returns the keys of fs in order.
func keys(fs []record.Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Key
	}
	return out
}

func join(p, k string) string {
	if p == "" {
		return k
	}
	return p + "." + k
}

// value returns the TOML value a form value of field f is written as. A
// number, an amount or a date that cannot be written as one is written
// as text, in quotes, so that the record's checks say what is wrong with
// it, as they would in a file written by hand.
func value(f record.Field, v any) tomledit.Value {
	switch f.Type {
	case record.TypeBool:
		return tomledit.Bool(truth(v))
	case record.TypeList, record.TypeFiles:
		return tomledit.Strings(strs(v))
	case record.TypeLongText:
		return tomledit.String(strings.TrimSpace(normal(text(v))))
	}
	s := strings.TrimSpace(text(v))
	switch f.Type {
	case record.TypeInt:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return tomledit.Int(n)
		}
	case record.TypeAmount:
		return tomledit.String(amount(s))
	case record.TypeDate, record.TypeDateTime:
		d := s
		if len(d) == len("2006-01-02T15:04") && strings.IndexByte(d, 'T') == 10 {
			d += ":00"
		}
		if validDate(d) {
			return tomledit.Date(d)
		}
	}
	return tomledit.String(s)
}

// amountRE is an amount as the records write it, or nearly: digits, at
// most two decimals.
var amountRE = regexp.MustCompile(`^-?[0-9]+(\.[0-9]{1,2})?$`)

// amount returns the text of an amount typed into a form as a careful
// person writes it: without a currency sign, 元 or thousands separators,
// and with two decimals ("1,200" → "1200.00"). Anything else is kept as
// typed, for the checks to explain.
func amount(s string) string {
	t := strings.TrimSpace(s)
	t = strings.TrimPrefix(strings.TrimPrefix(t, "¥"), "￥")
	t = strings.TrimSuffix(t, "元")
	t = strings.NewReplacer(",", "", "，", "", " ", "").Replace(t)
	if !amountRE.MatchString(t) {
		return s
	}
	switch i := strings.IndexByte(t, '.'); {
	case i < 0:
		t += ".00"
	case len(t)-i == 2:
		t += "0"
	}
	return t
}

// validDate reports whether s is a TOML date or date-time.
func validDate(s string) bool {
	var m map[string]any
	if _, err := toml.Decode("d = "+s, &m); err != nil {
		return false
	}
	_, ok := m["d"].(time.Time)
	return ok && !strings.ContainsAny(s, "#\"'\n")
}

// inline reports whether a new group is written inline (notice = { … })
// rather than as a section of its own ([finance]): groups with rows get a
// section.
func inline(f record.Field) bool {
	for _, g := range f.Fields {
		if g.Type == record.TypeRows || g.Type == record.TypeGroup {
			return false
		}
	}
	return true
}

// table returns the TOML table of a group or row model.
func table(fs []record.Field, m model, isInline bool) tomledit.Table {
	t := tomledit.Table{Inline: isInline}
	for _, f := range fs {
		v := m[f.Key]
		if empty(v) {
			continue
		}
		switch f.Type {
		case record.TypeGroup:
			g, _ := v.(map[string]any)
			t.Entries = append(t.Entries, tomledit.Entry{Key: f.Key, Value: table(f.Fields, g, isInline || inline(f))})
		case record.TypeRows:
			var a tomledit.Array
			for _, r := range rowsOf(v) {
				if !empty(r) {
					a = append(a, table(f.Fields, r, isInline))
				}
			}
			if len(a) > 0 {
				t.Entries = append(t.Entries, tomledit.Entry{Key: f.Key, Value: a})
			}
		default:
			t.Entries = append(t.Entries, tomledit.Entry{Key: f.Key, Value: value(f, v)})
		}
	}
	return t
}

// rowsOf returns the rows of a model value.
func rowsOf(v any) []model {
	l, _ := v.([]any)
	out := make([]model, 0, len(l))
	for _, e := range l {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// apply edits doc so that the table at path, whose fields are fs, holds
// the values of want; have is the model of the file as it is and raw its
// decoded values. Only what differs is touched.
func apply(doc *tomledit.Doc, path string, fs []record.Field, have, want model, raw map[string]any) error {
	order := keys(fs)
	for _, f := range fs {
		p := join(path, f.Key)
		hv, wv := have[f.Key], want[f.Key]
		rv, present := raw[f.Key]
		var err error
		switch f.Type {
		case record.TypeGroup:
			err = applyGroup(doc, path, p, f, hv, wv, rv, present, order)
		case record.TypeRows:
			err = applyRows(doc, path, p, f, hv, wv, rv, present, order)
		default:
			if present && same(f, hv, wv) {
				continue
			}
			if !present && empty(wv) {
				continue
			}
			switch {
			case empty(wv) && f.Required && isText(f):
				err = doc.Set(p, tomledit.String(""))
			case empty(wv):
				err = doc.Delete(p)
			case present:
				err = doc.Set(p, value(f, wv))
			default:
				err = doc.Insert(path, f.Key, value(f, wv), order)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// isText reports whether f holds text that may be written empty ("").
func isText(f record.Field) bool {
	switch f.Type {
	case record.TypeText, record.TypeLongText, record.TypeEnum, record.TypeLink, record.TypeFile, record.TypePeriod:
		return true
	}
	return false
}

func applyGroup(doc *tomledit.Doc, parent, p string, f record.Field, hv, wv, rv any, present bool, order []string) error {
	want, _ := wv.(map[string]any)
	have, _ := hv.(map[string]any)
	rawT, isTable := rv.(map[string]any)
	switch {
	case empty(want) && !present:
		return nil
	case empty(want) && empty(have) && isTable:
		return nil // an empty table stays as it is written
	case empty(want):
		return doc.Delete(p)
	case !present:
		return doc.Insert(parent, f.Key, table(f.Fields, want, inline(f)), order)
	case !isTable:
		return doc.Set(p, table(f.Fields, want, true))
	}
	return apply(doc, p, f.Fields, have, want, rawT)
}

func applyRows(doc *tomledit.Doc, parent, p string, f record.Field, hv, wv, rv any, present bool, order []string) error {
	var want []model
	for _, r := range rowsOf(wv) {
		if !empty(r) {
			want = append(want, r)
		}
	}
	have := rowsOf(hv)
	rawRows := tables(rv)
	if present && rawRows == nil {
		// Not an array of tables: written anew.
		if len(want) == 0 {
			return doc.Delete(p)
		}
		t := table([]record.Field{f}, model{f.Key: anyRows(want)}, true)
		return doc.Set(p, t.Entries[0].Value)
	}
	if !present {
		for _, r := range want {
			if err := doc.Append(p, table(f.Fields, r, false), order); err != nil {
				return err
			}
		}
		return nil
	}
	// Rows that keep their place are edited where they are written,
	// removed rows are removed and new ones added at the end. When rows
	// were moved, or added between others, row k is written over element
	// k instead.
	kept := map[int]model{}
	inOrder := true
	last := -1
	seenNew := false
	for _, r := range want {
		i, ok := index(r, len(rawRows))
		switch {
		case !ok:
			seenNew = true
		case i <= last || seenNew || kept[i] != nil:
			inOrder = false
		default:
			kept[i] = r
			last = i
		}
	}
	if inOrder {
		for i := range rawRows {
			r, ok := kept[i]
			if !ok {
				if err := doc.DeleteElement(p, i); err != nil {
					return err
				}
				continue
			}
			if err := apply(doc, fmt.Sprintf("%s[%d]", p, i), f.Fields, rowAt(have, i), r, rawRows[i]); err != nil {
				return err
			}
		}
		for _, r := range want {
			if _, ok := index(r, len(rawRows)); !ok {
				if err := doc.Append(p, table(f.Fields, r, false), order); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for k, r := range want {
		if k < len(rawRows) {
			if err := apply(doc, fmt.Sprintf("%s[%d]", p, k), f.Fields, rowAt(have, k), r, rawRows[k]); err != nil {
				return err
			}
			continue
		}
		if err := doc.Append(p, table(f.Fields, r, false), order); err != nil {
			return err
		}
	}
	for k := len(want); k < len(rawRows); k++ {
		if err := doc.DeleteElement(p, k); err != nil {
			return err
		}
	}
	return nil
}

// index returns the file index of row r, when it has one below n.
func index(r model, n int) (int, bool) {
	f, ok := r[rowIndex].(float64)
	if !ok || f < 0 || f >= float64(n) || f != float64(int(f)) {
		return 0, false
	}
	return int(f), true
}

// rowAt returns the row of have with file index i.
func rowAt(have []model, i int) model {
	for _, r := range have {
		if j, ok := index(r, 1<<30); ok && j == i {
			return r
		}
	}
	return model{}
}

func anyRows(rows []model) []any {
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	return out
}

// edit returns the front matter fm (as written) with the values of want
// for the fields fs, and every other byte kept.
func edit(fm string, fs []record.Field, want model) (string, error) {
	raw, err := decodeFM(fm)
	if err != nil {
		return "", err
	}
	doc, err := tomledit.Parse(fm)
	if err != nil {
		return "", err
	}
	if err := apply(doc, "", fs, derive(fs, raw), want, raw); err != nil {
		return "", err
	}
	return doc.Text()
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
