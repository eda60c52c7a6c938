// Package fields decodes a TOML document (site.toml or a record's front
// matter) into typed values while keeping the file:line:col of every key,
// so that wrong types, bad values and unknown keys are reported where the
// author wrote them, in plain Chinese, with a "did you mean" for misspelt
// keys.
//
// BurntSushi/toml does the parsing. When it fails, its error is explained
// in the clerk's words at the place of the mistake, in the file's own line
// numbers (a front matter block starts below the `+++` line), with the
// line as it should be written (syntax.go).
package fields

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gongkai/generator/diag"

	"github.com/BurntSushi/toml"
)

// Doc is a decoded TOML document. Its diagnostics collect every problem
// found while the caller reads the values.
type Doc struct {
	File  string
	pos   map[string]diag.Position
	start diag.Position // where the document starts, for missing keys
	Diags diag.List
	loc   *time.Location
	// frontMatter: the document sits between the +++ lines of a record.
	frontMatter bool
	root        map[string]any
	slips       []string // see Slips
}

// Parse decodes text, which starts at line firstLine of file. On a syntax
// error it returns nil and the positioned diagnostic.
func Parse(file, text string, firstLine int, loc *time.Location) (*Doc, *Table, diag.List) {
	// Decoded into an interface, the parser's own tables are kept as they
	// are instead of being copied key by key into a map of ours.
	var v any
	if _, err := toml.Decode(text, &v); err != nil {
		return nil, nil, diag.List{syntaxError(file, text, firstLine, err)}
	}
	m, _ := v.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	if loc == nil {
		loc = time.UTC
	}
	d := &Doc{File: file, pos: locate(file, text, firstLine), start: diag.Position{File: file, Line: max(firstLine-1, 1)}, loc: loc, frontMatter: firstLine > 1, root: m}
	return d, &Table{doc: d, m: m}, nil
}

// PathAt returns the path of the key written at pos: on pos's line, the
// key that starts last at or before pos's column (the first on the line
// when the column is 0); "" when no key starts on that line.
func (d *Doc) PathAt(pos diag.Position) string {
	best, bestCol := "", -1
	for p, at := range d.pos {
		if at.Line != pos.Line || strings.HasSuffix(p, "]") {
			continue
		}
		switch {
		case pos.Col == 0 && (bestCol < 0 || at.Col < bestCol),
			pos.Col > 0 && at.Col <= pos.Col && at.Col > bestCol:
			best, bestCol = p, at.Col
		}
	}
	return best
}

// Pos returns the position of the key at path, or the start of the
// document when the key is not there.
func (d *Doc) Pos(path string) diag.Position {
	if p, ok := d.pos[path]; ok {
		return p
	}
	return d.start
}

// EachString calls fn with every string value of the document, in every
// table and list, with the path and position of its key ("title",
// "steps[1].minutes", "tags"), in no particular order.
func (d *Doc) EachString(fn func(key string, pos diag.Position, s string)) {
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case string:
			fn(path, d.Pos(path), x)
		case map[string]any:
			for k, e := range x {
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(p, e)
			}
		case []map[string]any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		case []any:
			for i, e := range x {
				if m, ok := e.(map[string]any); ok {
					walk(fmt.Sprintf("%s[%d]", path, i), m)
				} else {
					walk(path, e)
				}
			}
		}
	}
	walk("", d.root)
}

// Table is one TOML table of a Doc, read key by key.
type Table struct {
	doc   *Doc
	path  string
	m     map[string]any
	known map[string]bool // the keys asked for, in a table not declared

	// decl are the keys of a declared table (Declare), nil otherwise;
	// sub its declared tables and arrays of tables, read once.
	decl     *Decl
	sub      []declared
	checking bool            // Declare is reading
	reads    []read          // how the caller read each declared key
	strays   map[string]read // and the keys not declared
}

// Path returns the table's path ("" for the document, "steps[1]").
func (t *Table) Path() string { return t.path }

// Doc returns the document the table belongs to.
func (t *Table) Doc() *Doc { return t.doc }

func (t *Table) key(k string) string {
	if t.path == "" {
		return k
	}
	return t.path + "." + k
}

// Pos returns the position of key k in the table; the table's own position
// when k is absent.
func (t *Table) Pos(k string) diag.Position {
	if p, ok := t.doc.pos[t.key(k)]; ok {
		return p
	}
	return t.Self()
}

// Self returns the position of the table itself.
func (t *Table) Self() diag.Position {
	if t.path == "" {
		return t.doc.start
	}
	if p, ok := t.doc.pos[t.path]; ok {
		return p
	}
	// An array-of-tables element: its first key.
	best := diag.Position{}
	for path, p := range t.doc.pos {
		if strings.HasPrefix(path, t.path+".") && (best.Line == 0 || p.Less(best)) {
			best = p
		}
	}
	if best.Line != 0 {
		return best
	}
	return t.doc.start
}

// Has reports whether key k is present (and marks it known).
func (t *Table) Has(k string) bool {
	var d Key
	declared := false
	if t.decl != nil {
		var i int
		if i, declared = t.decl.index[k]; declared {
			d = t.decl.keys[i]
		}
	}
	if !declared || !t.seen(k) {
		defer t.unhush(t.hush(k, d.Kind, d.Required))
	}
	t.markKnown(k)
	_, ok := t.m[k]
	return ok
}

// Issue is a diagnostic just added to a list. Its fields may be set in
// place (e.Hint = …), and its WithHint sets the hint of the added
// diagnostic itself, unlike diag.Diagnostic.WithHint, which returns a copy.
// Use it at once: a later addition to the list may move the diagnostic.
type Issue struct{ *diag.Diagnostic }

// Added returns the last diagnostic of l as an Issue.
func Added(l diag.List) Issue { return Issue{&l[len(l)-1]} }

// WithHint sets the hint of the added diagnostic.
func (i Issue) WithHint(zh, en string, args ...any) Issue {
	i.Hint = diag.T(zh, en, args...)
	return i
}

// Errorf adds an error at key k.
func (t *Table) Errorf(k, zh, en string, args ...any) Issue {
	d := diag.Errorf(t.Pos(k), zh, en, args...)
	d.Key = t.key(k)
	t.doc.Diags.Add(d)
	return Added(t.doc.Diags)
}

// markKnown notes that key k was asked for, in a table not declared.
func (t *Table) markKnown(k string) {
	if t.decl != nil {
		return
	}
	if t.known == nil {
		t.known = map[string]bool{}
	}
	t.known[k] = true
}

// isKnown reports whether key k is declared or, in a table not
// declared, was asked for.
func (t *Table) isKnown(k string) bool {
	if t.decl != nil {
		_, ok := t.decl.index[k]
		return ok
	}
	return t.known[k]
}

func (t *Table) get(k string, required bool) (any, bool) {
	t.markKnown(k)
	v, ok := t.m[k]
	if !ok && required {
		t.doc.Diags.Add(t.missingKey(k, "…"))
	}
	return v, ok
}

// missingKey is the error for the required key k, missing from the
// table: the hint shows the line to add, with example as its value.
func (t *Table) missingKey(k, example string) diag.Diagnostic {
	d := diag.Errorf(t.Self(), "缺少必填项 %s", "missing required key %s", t.key(k))
	d.Key = t.key(k)
	switch {
	case t.path != "":
		d = d.WithHint("请在 %s 下面加上一行：%s = %s", "add a line `%[2]s = %[3]s` under %[1]s", t.path, k, example)
	case t.doc.frontMatter:
		d = d.WithHint("请在 +++ 之间加上一行：%s = %s", "add a line `%s = %s` between the +++ lines", k, example)
	default:
		d = d.WithHint("请加上一行：%s = %s", "add a line `%s = %s`", k, example)
	}
	return d
}

func typeName(v any) diag.Text {
	switch v.(type) {
	case string:
		return diag.T("文字", "a string")
	case int64:
		return diag.T("整数", "an integer")
	case float64:
		return diag.T("小数", "a number")
	case bool:
		return diag.T("true/false", "a boolean")
	case time.Time:
		return diag.T("日期", "a date")
	case []any, []map[string]any:
		return diag.T("列表", "a list")
	case map[string]any:
		return diag.T("表", "a table")
	}
	return diag.Text{Zh: fmt.Sprintf("%T", v), En: fmt.Sprintf("%T", v)}
}

func (t *Table) wrongType(k string, v any, want diag.Text, example string) {
	got := typeName(v)
	t.doc.Diags.Add(diag.Errorf(t.Pos(k), "%s 应为%s，实际写的是%s", "%s must be %s, not %s", t.key(k), want.Zh, got.Zh).
		WithHint("改成如：%s = %s", "write it like: %s = %s", k, example))
	t.doc.Diags[len(t.doc.Diags)-1].Msg.En = fmt.Sprintf("%s must be %s, not %s", t.key(k), want.En, got.En)
	t.doc.Diags[len(t.doc.Diags)-1].Key = t.key(k)
}

// String reads a string.
func (t *Table) String(k string, required bool) string {
	defer t.unhush(t.hush(k, StringKind, required))
	v, ok := t.get(k, required)
	if !ok {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		t.wrongType(k, v, diag.T("文字", "a string"), `"…"`)
	}
	return s
}

// Int reads an integer.
func (t *Table) Int(k string, required bool) (int, bool) {
	defer t.unhush(t.hush(k, IntKind, required))
	v, ok := t.get(k, required)
	if !ok {
		return 0, false
	}
	n, ok := v.(int64)
	if !ok {
		t.wrongType(k, v, diag.T("整数", "an integer"), "26")
		return 0, false
	}
	return int(n), true
}

// Bool reads a boolean.
func (t *Table) Bool(k string) bool {
	defer t.unhush(t.hush(k, BoolKind, false))
	v, ok := t.get(k, false)
	if !ok {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		t.wrongType(k, v, diag.T("true 或 false", "true or false"), "true")
	}
	return b
}

// Years are the years a date may fall in: from the founding of the
// People's Republic to the end of the century. A date outside them is a
// slip of the pen (0000-01-01, 9999-12-31).
const (
	FirstYear = 1949
	LastYear  = 2100
)

// Date reads a TOML date or datetime, written without quotes, in the
// document's time zone. hasTime tells whether a time of day was given. A
// date in quotes is an error that says to remove them; so is a date
// outside FirstYear–LastYear.
func (t *Table) Date(k string, required bool) (d time.Time, hasTime, ok bool) {
	defer t.unhush(t.hush(k, DateKind, required))
	v, present := t.get(k, required)
	if !present {
		return time.Time{}, false, false
	}
	switch x := v.(type) {
	case time.Time:
		name := x.Location().String()
		if name == "date-local" || name == "datetime-local" {
			d = time.Date(x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), x.Second(), 0, t.doc.loc)
		} else {
			d = x.In(t.doc.loc)
		}
		if y := d.Year(); y < FirstYear || y > LastYear {
			t.Errorf(k, "%s 的日期 %s 超出范围：只能在 %d 年到 %d 年之间", "%s: the date %s is out of range: it must fall between %d and %d",
				t.key(k), d.Format("2006-01-02"), FirstYear, LastYear).
				WithHint("检查年份是否写对", "check the year")
			return time.Time{}, false, false
		}
		return d, name != "date-local", true
	case string:
		for _, layout := range []string{"2006-01-02", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02T15:04"} {
			if _, err := time.ParseInLocation(layout, strings.TrimSpace(x), t.doc.loc); err == nil {
				t.Errorf(k, "%s 是日期，不要加引号", "%s is a date: write it without quotes", t.key(k)).
					WithHint("去掉引号，写成 %s = %s", "remove the quotes: %s = %s", k, strings.TrimSpace(x))
				return time.Time{}, false, false
			}
		}
	}
	if x, isStr := v.(string); isStr {
		if msg, hint, ok := DateText(k, x); ok {
			t.doc.Diags.Add(diag.Diagnostic{Pos: t.Pos(k), Severity: diag.Error, Msg: msg, Hint: hint, Key: t.key(k)})
			return time.Time{}, false, false
		}
	}
	t.wrongType(k, v, diag.T("日期", "a date"), "2026-07-08")
	return time.Time{}, false, false
}

// Strings reads a list of strings.
func (t *Table) Strings(k string) []string {
	defer t.unhush(t.hush(k, StringsKind, false))
	v, ok := t.get(k, false)
	if !ok {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		example := `["…", "…"]`
		if s, isStr := v.(string); isStr {
			example = strconv.Quote(s)
			example = "[" + example + "]"
		}
		t.wrongType(k, v, diag.T("文字列表（方括号）", "a list of strings (in brackets)"), example)
		return nil
	}
	out := make([]string, 0, len(list))
	for i, e := range list {
		s, ok := e.(string)
		if !ok {
			d := diag.Errorf(t.Pos(k), "%s 的第 %d 项应为文字", "item %[2]d of %[1]s must be a string", t.key(k), i+1).
				WithHint("每一项都用英文双引号括起来", "put every item in double quotes")
			d.Key = t.key(k)
			t.doc.Diags.Add(d)
			continue
		}
		out = append(out, s)
	}
	return out
}

// Ints reads a list of integers.
func (t *Table) Ints(k string) []int {
	defer t.unhush(t.hush(k, AnyKind, false))
	v, ok := t.get(k, false)
	if !ok {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		t.wrongType(k, v, diag.T("整数列表", "a list of integers"), `[3, 4]`)
		return nil
	}
	out := make([]int, 0, len(list))
	for _, e := range list {
		n, ok := e.(int64)
		if !ok {
			t.wrongType(k, v, diag.T("整数列表", "a list of integers"), `[3, 4]`)
			return nil
		}
		out = append(out, int(n))
	}
	return out
}

// Raw returns the decoded value of key k as BurntSushi/toml gives it.
func (t *Table) Raw(k string) (any, bool) {
	defer t.unhush(t.hush(k, AnyKind, false))
	return t.get(k, false)
}

// Table reads a sub-table; nil when absent.
func (t *Table) Table(k string) *Table {
	defer t.unhush(t.hush(k, TableKind, false))
	if s, ok := t.declaredSub(k); ok && !t.checking {
		return s.one
	}
	v, ok := t.get(k, false)
	if !ok {
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.wrongType(k, v, diag.T("表（[…] 或 { … }）", "a table"), "{ … }")
		return nil
	}
	return &Table{doc: t.doc, path: t.key(k), m: m}
}

// Tables reads an array of tables ([[k]] sections or a list of inline
// tables).
func (t *Table) Tables(k string) []*Table {
	defer t.unhush(t.hush(k, TablesKind, false))
	if s, ok := t.declaredSub(k); ok && !t.checking {
		return s.many
	}
	v, ok := t.get(k, false)
	if !ok {
		return nil
	}
	var maps []map[string]any
	switch x := v.(type) {
	case []map[string]any:
		maps = x
	case []any:
		for _, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				t.wrongType(k, v, diag.T("表的列表（[[%s]]）", "an array of tables ([[%s]])", k), "[[…]]")
				return nil
			}
			maps = append(maps, m)
		}
	default:
		t.wrongType(k, v, diag.T("表的列表", "an array of tables"), fmt.Sprintf("[[%s]]", k))
		return nil
	}
	out := make([]*Table, len(maps))
	for i, m := range maps {
		out[i] = &Table{doc: t.doc, path: t.key(k) + "[" + strconv.Itoa(i) + "]", m: m}
	}
	return out
}

// Keys returns the table's keys, sorted.
func (t *Table) Keys() []string {
	keys := make([]string, 0, len(t.m))
	for k := range t.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Done reports every key of the table that was never asked for as an
// unknown key, with the closest known key as a suggestion. The keys of a
// declared table are the declared ones.
func (t *Table) Done() {
	if t.decl != nil {
		t.slips()
	}
	unknown := false
	for k := range t.m {
		if !t.isKnown(k) {
			unknown = true
			break
		}
	}
	if !unknown {
		return
	}
	var known []string
	if t.decl != nil {
		known = t.decl.names()
	} else {
		known = make([]string, 0, len(t.known))
		for k := range t.known {
			known = append(known, k)
		}
		sort.Strings(known)
	}
	for _, k := range t.Keys() {
		if t.isKnown(k) {
			continue
		}
		d := diag.Errorf(t.Pos(k), "不认识的键 %s", "unknown key %s", t.key(k))
		d.Key = t.key(k)
		if s := suggestKey(k, known); s != "" {
			d = d.WithHint("是不是想写 %s？", "did you mean %s?", s)
		} else {
			d = d.WithHint("可以使用的键：%s", "known keys: %s", strings.Join(known, ", "))
		}
		t.doc.Diags.Add(d)
	}
}

// suggestKey returns the known key closest to k: a near spelling
// (titel → title), or else the one key whose words, split at "_", hold all
// the words of k or the other way round (notice_days → notice_min_days).
func suggestKey(k string, known []string) string {
	if s := diag.Suggest(k, known); s != "" {
		return s
	}
	words := strings.Split(k, "_")
	found := ""
	for _, c := range known {
		cw := strings.Split(c, "_")
		if len(words) > 1 && subset(words, cw) || len(cw) > 1 && subset(cw, words) {
			if found != "" {
				return ""
			}
			found = c
		}
	}
	return found
}

// subset reports whether every word of a is in b.
func subset(a, b []string) bool {
	for _, w := range a {
		in := false
		for _, x := range b {
			in = in || x == w
		}
		if !in {
			return false
		}
	}
	return true
}
