package editor

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"gongkai/generator/content"
	"gongkai/generator/record"
)

// fieldView is one field of a form, made from its schema field and its
// value: a control, a group of fields or a table of rows.
type fieldView struct {
	Key, Label, Hint string
	Required         bool
	// Kind is how it is shown: group, rows, input, select, textarea,
	// bool, files or file.
	Kind      string
	InputType string // of an input: text, date, datetime-local
	InputMode string // numeric, decimal
	DataKind  string // how the script reads it: text, list, bool, files
	Path, ID  string
	Value     string
	Checked   bool
	Orig      string // the value as the form got it, as JSON
	Options   []option
	Suggest   []string
	Files     []fileOption
	Sub       []fieldView
	Cols      []fieldView // the columns of rows: label, hint, required
	Rows      []rowView
	Template  rowView
	// InRow: a control in a row, named by its column and row.
	InRow bool
	Row   int
	// Upload: a file field, with a control to upload into the record's
	// folder.
	Upload bool
}

// rowView is one row of a table of rows.
type rowView struct {
	N     int // from 1
	Orig  int // its index in the file; -1 for the empty template row
	Cells []fieldView
	Path  string
}

type option struct {
	Value, Label string
	Selected     bool
}

type fileOption struct {
	Name    string
	Checked bool
}

// viewer makes the fields of one record's form.
type viewer struct {
	e        *Editor
	board    *record.Board
	file     string
	bundle   []string // the files beside the record
	isBundle bool
	links    map[string][]option
}

var idChars = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// fieldID returns the DOM id of the control of a key path.
func fieldID(path string) string {
	return "f-" + strings.Trim(idChars.ReplaceAllString(path, "-"), "-")
}

func origJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// fields returns the views of fs at path with the values of m.
func (v *viewer) fields(path string, fs []record.Field, m model) []fieldView {
	out := make([]fieldView, 0, len(fs))
	for _, f := range fs {
		out = append(out, v.field(join(path, f.Key), f, m[f.Key], false, 0))
	}
	return out
}

func (v *viewer) field(path string, f record.Field, val any, inRow bool, row int) fieldView {
	fv := fieldView{Key: f.Key, Label: f.Label, Hint: f.Hint, Required: f.Required, Path: path, ID: fieldID(path), InRow: inRow, Row: row, DataKind: "text"}
	switch f.Type {
	case record.TypeGroup:
		fv.Kind = "group"
		g, _ := val.(map[string]any)
		fv.Sub = v.fields(path, f.Fields, g)
		return fv
	case record.TypeRows:
		fv.Kind = "rows"
		for _, c := range f.Fields {
			fv.Cols = append(fv.Cols, fieldView{Key: c.Key, Label: c.Label, Hint: c.Hint, Required: c.Required})
		}
		for i, r := range rowsOf(val) {
			orig, _ := index(r, 1<<30)
			fv.Rows = append(fv.Rows, v.row(fmt.Sprintf("%s[%d]", path, i), f, r, i+1, orig))
		}
		fv.Template = v.row(path+"[new]", f, nil, 0, -1)
		return fv
	}
	if val != nil {
		fv.Orig = origJSON(val)
	} else if !inRow || row > 0 {
		fv.Orig = origJSON(emptyOf(f))
	}
	switch f.Type {
	case record.TypeBool:
		fv.Kind, fv.DataKind, fv.Checked = "bool", "bool", truth(val)
	case record.TypeList:
		fv.Kind, fv.InputType, fv.DataKind = "input", "text", "list"
		fv.Value = strings.Join(strs(val), "、")
	case record.TypeFiles:
		fv.Kind, fv.DataKind, fv.Upload = "files", "files", true
		chosen := strs(val)
		seen := map[string]bool{}
		for _, c := range chosen {
			fv.Files = append(fv.Files, fileOption{Name: c, Checked: true})
			seen[c] = true
		}
		for _, b := range v.bundle {
			if !seen[b] {
				fv.Files = append(fv.Files, fileOption{Name: b})
			}
		}
	case record.TypeLongText:
		fv.Kind, fv.Value = "textarea", text(val)
	case record.TypeEnum:
		fv.Kind, fv.Value = "select", text(val)
		fv.Options = enumOptions(f, fv.Value)
	case record.TypeLink:
		fv.Kind, fv.Value = "select", text(val)
		fv.Options = v.linkOptions(f.Link, fv.Value)
	case record.TypeFile:
		fv.Kind, fv.Value, fv.Upload = "file", text(val), true
		fv.Options = fileOptions(v.bundle, fv.Value)
	default:
		fv.Kind, fv.InputType, fv.Value, fv.Suggest = "input", "text", text(val), f.Suggest
		switch f.Type {
		case record.TypeDate:
			fv.InputType = "date"
		case record.TypeDateTime:
			fv.InputType = "datetime-local"
		case record.TypeInt:
			fv.InputMode = "numeric"
		case record.TypeAmount:
			fv.InputMode = "decimal"
		}
	}
	return fv
}

// emptyOf is the empty model value of field f.
func emptyOf(f record.Field) any {
	switch f.Type {
	case record.TypeBool:
		return false
	case record.TypeList, record.TypeFiles:
		return []any{}
	}
	return ""
}

// row returns the view of one row of f with values r.
func (v *viewer) row(path string, f record.Field, r model, n, orig int) rowView {
	rv := rowView{N: n, Orig: orig, Path: path}
	for _, c := range f.Fields {
		var val any
		if r != nil {
			val = r[c.Key]
		}
		rv.Cells = append(rv.Cells, v.field(path+"."+c.Key, c, val, true, n))
	}
	return rv
}

// enumOptions returns the choices of an enum field, with the current
// value among them even when it is not allowed (the checks say so).
func enumOptions(f record.Field, cur string) []option {
	var out []option
	if !f.Required || cur == "" {
		label := "（不填）"
		if f.Required {
			label = "请选择"
		}
		out = append(out, option{Value: "", Label: label, Selected: cur == ""})
	}
	found := cur == ""
	for i, e := range f.Enum {
		label := e
		if i < len(f.Labels) {
			label = f.Labels[i] + "（" + e + "）"
		}
		out = append(out, option{Value: e, Label: label, Selected: e == cur})
		found = found || e == cur
	}
	if !found {
		out = append(out, option{Value: cur, Label: cur + "（不在可选范围内）", Selected: true})
	}
	return out
}

// linkOptions returns the records of section to choose from.
func (v *viewer) linkOptions(section, cur string) []option {
	if v.links == nil {
		v.links = map[string][]option{}
	}
	list, ok := v.links[section]
	if !ok {
		srcs, _ := content.Sources(v.e.fsys)
		for _, s := range srcs {
			if s.Section != section {
				continue
			}
			label := s.ID
			if v.board != nil {
				if r := v.board.Get(s.ID); r != nil {
					label = r.Title + "（" + s.ID + "）"
				}
			}
			list = append(list, option{Value: s.ID, Label: label})
		}
		sort.Slice(list, func(i, j int) bool { return list[i].Value > list[j].Value })
		v.links[section] = list
	}
	out := []option{{Value: "", Label: "（不填）", Selected: cur == ""}}
	found := cur == ""
	for _, o := range list {
		o.Selected = o.Value == cur
		found = found || o.Selected
		out = append(out, o)
	}
	if !found {
		out = append(out, option{Value: cur, Label: cur + "（找不到这条记录）", Selected: true})
	}
	return out
}

// fileOptions returns the files of the record's folder to choose from.
func fileOptions(bundle []string, cur string) []option {
	out := []option{{Value: "", Label: "（不填）", Selected: cur == ""}}
	found := cur == ""
	for _, b := range bundle {
		out = append(out, option{Value: b, Label: b, Selected: b == cur})
		found = found || b == cur
	}
	if !found {
		out = append(out, option{Value: cur, Label: cur + "（文件夹里没有这个文件）", Selected: true})
	}
	return out
}
