package tomledit

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

var fuzzDocs = []string{
	minutes,
	"title = \"x\"\ndate = 2026-01-01\nnotice = { from = 2026-01-01, to = 2026-01-07 }\ntags = [\"a\", \"b\"]\n\n[finance]\nopening = \"1.00\" # 期初\nclosing = \"2.00\"\n\n[[finance.income]]\ndate = 2026-01-02\nitem = \"a\"\namount = \"1.00\"\n\n# 支出\n[[finance.expense]]\nitem = \"b\"\n",
	"a = 1\r\n# c\r\n[t]\r\nb = \"x\" # d\r\n[[u]]\r\nc = true\r\n[[u]]\r\nc = false\r\n",
	"x.y = 1\nx.z = 2\n[p]\nq = '''\nmulti\n'''\n",
	"arr = [{ n = 1 }, { n = 2 }]\nk = [\n  1, # one\n  2,\n]\n",
	"[[a]]\nb = 1\n[a.c]\nd = 2\n[[a]]\nb = 3\n",
	"",
	"# only a comment\n",
	"[t]\n",
	"s = \"\"\"\nline\\\n  cont\"\"\"\"\nd = 1979-05-27 07:32:00Z\n",
}

// lookup returns the value at path in m, as BurntSushi/toml decodes it.
func lookup(m map[string]any, path string) (any, bool) {
	var cur any = m
	for _, part := range splitPath(path) {
		name, idx := part.name, part.index
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = mm[name]
		if !ok {
			return nil, false
		}
		if idx >= 0 {
			switch arr := cur.(type) {
			case []map[string]any:
				if idx >= len(arr) {
					return nil, false
				}
				cur = arr[idx]
			case []any:
				if idx >= len(arr) {
					return nil, false
				}
				cur = arr[idx]
			default:
				return nil, false
			}
		}
	}
	return cur, true
}

type pathPart struct {
	name  string
	index int
}

func splitPath(p string) []pathPart {
	var out []pathPart
	for _, s := range strings.Split(p, ".") {
		pp := pathPart{name: s, index: -1}
		if i := strings.IndexByte(s, '['); i >= 0 && strings.HasSuffix(s, "]") {
			n, err := strconv.Atoi(s[i+1 : len(s)-1])
			if err == nil {
				pp = pathPart{name: s[:i], index: n}
			}
		}
		out = append(out, pp)
	}
	return out
}

// setPath changes m as an edit at path should: f gets the table holding
// the last part and its name.
func container(m map[string]any, path string) (map[string]any, string, bool) {
	parts := splitPath(path)
	last := parts[len(parts)-1]
	if last.index >= 0 {
		return nil, "", false
	}
	if len(parts) == 1 {
		return m, last.name, true
	}
	var prefix []string
	for _, p := range parts[:len(parts)-1] {
		if p.index >= 0 {
			prefix = append(prefix, fmt.Sprintf("%s[%d]", p.name, p.index))
		} else {
			prefix = append(prefix, p.name)
		}
	}
	v, ok := lookup(m, strings.Join(prefix, "."))
	if !ok {
		return nil, "", false
	}
	mm, ok := v.(map[string]any)
	return mm, last.name, ok
}

func decode(t *testing.T, text string) map[string]any {
	t.Helper()
	var m map[string]any
	if _, err := toml.Decode(text, &m); err != nil {
		t.Fatalf("result does not parse: %v\n%s", err, text)
	}
	return m
}

// comments returns the comments of text (from # to the end of the line),
// outside strings, with their offsets.
func comments(d *Doc) map[int]string {
	out := map[int]string{}
	s := &scanner{src: d.src, doc: &Doc{tables: map[string]*table{}, keys: map[string]*keyval{}, arrays: map[string]*array{}}, arrays: map[string]int{}}
	_ = s
	// Every '#' that begins a comment is outside values: find them from
	// the spans of values.
	inValue := make([]bool, len(d.src)+1)
	for _, kv := range d.keys {
		for i := kv.valStart; i < kv.valEnd; i++ {
			inValue[i] = true
		}
		for i := kv.keyStart; i < kv.valStart; i++ {
			inValue[i] = true
		}
	}
	for i := 0; i < len(d.src); i++ {
		if d.src[i] == '#' && !inValue[i] {
			end := strings.IndexByte(d.src[i:], '\n')
			if end < 0 {
				end = len(d.src) - i
			}
			out[i] = strings.TrimRight(d.src[i:i+end], "\r")
			i += end
		}
	}
	return out
}

// FuzzEdit applies one edit to a valid document: the result must parse,
// hold the new value, keep every other value, and keep every comment that
// is not on a removed line.
func FuzzEdit(f *testing.F) {
	for i, doc := range fuzzDocs {
		for op := 0; op < 6; op++ {
			f.Add(doc, uint8(op), uint8(i*7+op), "新的值")
		}
	}
	f.Fuzz(func(t *testing.T, text string, op, sel uint8, val string) {
		if !utf8.ValidString(text) || !utf8.ValidString(val) {
			return
		}
		var orig map[string]any
		if _, err := toml.Decode(text, &orig); err != nil {
			return
		}
		d, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse of valid TOML failed: %v\n%q", err, text)
		}
		for p := range d.keys {
			if strings.ContainsAny(p, "\"' ") {
				return // keys with dots or brackets in them are not paths
			}
		}
		var keys, tables, arrays []string
		for p, kv := range d.keys {
			if _, ok := lookup(orig, p); ok && !kv.inline || ok {
				keys = append(keys, p)
			}
		}
		for p, tb := range d.tables {
			if tb.kind == headerTable || tb.kind == rootTable || tb.kind == elementTable {
				tables = append(tables, p)
			}
		}
		for p, a := range d.arrays {
			if a.kv == nil {
				arrays = append(arrays, p)
			}
		}
		sort.Strings(keys)
		sort.Strings(tables)
		sort.Strings(arrays)
		pick := func(list []string) (string, bool) {
			if len(list) == 0 {
				return "", false
			}
			return list[int(sel)%len(list)], true
		}
		want := decode(t, text)
		var removed bool
		switch op % 6 {
		case 0: // change a value
			p, ok := pick(keys)
			if !ok {
				return
			}
			c, k, ok := container(want, p)
			if !ok {
				return
			}
			c[k] = val
			if err := d.Set(p, String(val)); err != nil {
				t.Fatal(err)
			}
		case 1: // remove a key
			p, ok := pick(keys)
			if !ok {
				return
			}
			c, k, ok := container(want, p)
			if !ok {
				return
			}
			delete(c, k)
			removed = true
			if err := d.Delete(p); err != nil {
				t.Fatal(err)
			}
		case 2: // add a key
			tp, ok := pick(tables)
			if !ok {
				return
			}
			k := "new_key"
			var c map[string]any
			if tp == "" {
				c = want
			} else {
				v, ok := lookup(want, tp)
				if !ok {
					return
				}
				c, ok = v.(map[string]any)
				if !ok {
					return
				}
			}
			if _, dup := c[k]; dup {
				return
			}
			c[k] = val
			var order []string
			for kk := range c {
				order = append(order, kk)
			}
			sort.Strings(order)
			if err := d.Insert(tp, k, String(val), order); err != nil {
				t.Fatal(err)
			}
		case 3: // add an element
			ap, ok := pick(arrays)
			if !ok {
				return
			}
			v, _ := lookup(want, ap)
			arr, ok := v.([]map[string]any)
			if !ok {
				return
			}
			c, k, ok := container(want, ap)
			if !ok {
				return
			}
			c[k] = append(arr, map[string]any{"added": val})
			if err := d.Append(ap, Table{Entries: []Entry{{"added", String(val)}}}, nil); err != nil {
				t.Fatal(err)
			}
		case 4: // remove an element
			ap, ok := pick(arrays)
			if !ok {
				return
			}
			v, _ := lookup(want, ap)
			arr, ok := v.([]map[string]any)
			if !ok || len(arr) == 0 {
				return
			}
			i := int(sel) % len(arr)
			c, k, ok := container(want, ap)
			if !ok {
				return
			}
			rest := append(append([]map[string]any{}, arr[:i]...), arr[i+1:]...)
			if len(rest) == 0 {
				delete(c, k)
			} else {
				c[k] = rest
			}
			removed = true
			if err := d.DeleteElement(ap, i); err != nil {
				t.Fatal(err)
			}
		case 5: // remove a table
			tp, ok := pick(tables)
			if !ok || tp == "" || strings.HasSuffix(tp, "]") {
				return
			}
			c, k, ok := container(want, tp)
			if !ok {
				return
			}
			delete(c, k)
			removed = true
			if err := d.Delete(tp); err != nil {
				t.Fatal(err)
			}
		}
		out, err := d.Text()
		if err != nil {
			t.Fatalf("%v\nop %d sel %d on:\n%s", err, op%6, sel, text)
		}
		got := decode(t, out)
		if !reflect.DeepEqual(normal(got), normal(want)) {
			t.Fatalf("op %d sel %d:\nwant %v\ngot  %v\ntext:\n%s\nout:\n%s", op%6, sel, normal(want), normal(got), text, out)
		}
		// Comments outside the changed spans keep their bytes.
		for off, c := range comments(d) {
			touched := false
			for _, p := range d.patches {
				if off >= p.start && off < p.end {
					touched = true
				}
			}
			if touched && removed {
				continue
			}
			if touched {
				t.Fatalf("the comment %q was inside an edit\n%s", c, text)
			}
			if !strings.Contains(out, c) {
				t.Fatalf("the comment %q is gone:\n%s\n→\n%s", c, text, out)
			}
		}
	})
}

// normal makes decoded values comparable: empty arrays of tables and
// absent keys alike, arrays of inline tables as []map.
func normal(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = normal(e)
		}
		return out
	case []map[string]any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normal(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normal(e)
		}
		return out
	}
	return v
}
