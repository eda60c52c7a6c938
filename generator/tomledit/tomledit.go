// Package tomledit edits the text of a TOML document in place, the way a
// careful person edits it by hand: the value of a changed key is replaced
// where it is written; a new key is inserted at its place in a given
// order, beside the keys before and after it; a removed key goes with its
// line, a removed table or element of an array of tables with its
// section; and every other byte — comments, blank lines, the order and
// quoting of keys, line endings — stays as it was.
//
// A Doc is parsed once; its edits name keys by their paths in the text as
// it was parsed ("title", "notice.from", "finance.income[2].amount") and
// are applied together by Text, which checks that the result is still
// valid TOML. Values are written in the plain forms a person would type:
// "text" in double quotes (three quotes for several lines), numbers,
// true/false, dates without quotes, ["lists"], { inline = "tables" } and
// [[sections]] for arrays of tables.
package tomledit

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Value is a TOML value to write: String, Int, Bool, Date, Strings, Table
// or Array.
type Value interface{ isValue() }

// String is a text value.
type String string

// Int is an integer value.
type Int int64

// Bool is a boolean value.
type Bool bool

// Date is a local date, local date-time or offset date-time as TOML
// writes it, without quotes: 2026-07-08, 2026-07-08T14:30:00.
type Date string

// Strings is a list of texts.
type Strings []string

// Table is a table: its entries in the order they are written. Inline
// tables are written { a = 1, b = 2 }, others as [name] sections.
type Table struct {
	Entries []Entry
	Inline  bool
}

// Entry is one key of a Table.
type Entry struct {
	Key   string
	Value Value
}

// Array is an array of tables, written as [[name]] sections (inline
// inside an inline table).
type Array []Table

func (String) isValue()  {}
func (Int) isValue()     {}
func (Bool) isValue()    {}
func (Date) isValue()    {}
func (Strings) isValue() {}
func (Table) isValue()   {}
func (Array) isValue()   {}

// ErrNotFound is returned for an edit of a key, table or element that the
// document does not have (or that an earlier edit removed).
var ErrNotFound = errors.New("tomledit: no such key")

// Doc is a parsed document and the edits made to it so far.
type Doc struct {
	src     string
	eol     string
	tables  map[string]*table
	order   []*table // root, then the header and element tables in order
	keys    map[string]*keyval
	arrays  map[string]*array
	patches []patch
	seq     int
}

// patch replaces src[start:end] by text.
type patch struct {
	start, end int
	text       string
	seq        int
}

// Parse reads a TOML document. It fails when the text is not valid TOML.
func Parse(text string) (*Doc, error) {
	var m map[string]any
	if _, err := toml.Decode(text, &m); err != nil {
		return nil, fmt.Errorf("tomledit: %w", err)
	}
	d := &Doc{src: text, eol: "\n", tables: map[string]*table{}, keys: map[string]*keyval{}, arrays: map[string]*array{}}
	if n := strings.Count(text, "\r\n"); n > 0 && 2*n >= strings.Count(text, "\n") {
		d.eol = "\r\n"
	}
	root := &table{path: "", kind: rootTable}
	d.addTable(root)
	s := &scanner{src: text, doc: d, cur: root, arrays: map[string]int{}}
	if err := s.document(); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *Doc) addTable(t *table) {
	d.tables[t.path] = t
	if t.kind == rootTable || t.kind == headerTable || t.kind == elementTable {
		d.order = append(d.order, t)
	}
}

// EOL returns the document's line ending: "\r\n" when most of its lines
// end so, else "\n".
func (d *Doc) EOL() string { return d.eol }

// Has reports whether the document has a key, table or array of tables
// at path (and no edit removed it).
func (d *Doc) Has(path string) bool {
	if kv := d.keys[path]; kv != nil {
		return !kv.deleted
	}
	if a := d.arrays[path]; a != nil {
		return len(d.live(a)) > 0
	}
	if t := d.tables[path]; t != nil {
		return !t.deleted && (t.kind != impliedTable || len(d.descendants(path)) > 0 || len(t.kvs) > 0)
	}
	return false
}

// Inline reports whether path is written inside a value (an inline table
// or array), or is itself a key whose value is an inline table or array.
func (d *Doc) Inline(path string) bool {
	if kv := d.keys[path]; kv != nil {
		return true
	}
	if t := d.tables[path]; t != nil {
		return t.kind == inlineTable
	}
	return false
}

// Len returns how many elements the array of tables at path had when the
// document was parsed.
func (d *Doc) Len(path string) int {
	if a := d.arrays[path]; a != nil {
		return len(a.elems)
	}
	return 0
}

func (d *Doc) add(start, end int, text string) {
	d.seq++
	d.patches = append(d.patches, patch{start, end, text, d.seq})
}

// Set replaces the value of the key at path by v.
func (d *Doc) Set(path string, v Value) error {
	kv := d.keys[path]
	if kv == nil || kv.deleted {
		return fmt.Errorf("%w: %s", ErrNotFound, path)
	}
	text, err := d.encode(v)
	if err != nil {
		return err
	}
	d.add(kv.valStart, kv.valEnd, text)
	d.forget(path)
	return nil
}

// forget marks everything written inside the value at path as gone: it
// is being replaced or removed.
func (d *Doc) forget(path string) {
	for p, kv := range d.keys {
		if strings.HasPrefix(p, path+".") || strings.HasPrefix(p, path+"[") {
			kv.deleted = true
		}
	}
	for p, t := range d.tables {
		if p == path || strings.HasPrefix(p, path+".") || strings.HasPrefix(p, path+"[") {
			if t.kind == inlineTable {
				t.deleted = true
			}
		}
	}
}

// Delete removes the key, table or array of tables at path with the lines
// it is written on.
func (d *Doc) Delete(path string) error {
	if kv := d.keys[path]; kv != nil {
		if kv.deleted {
			return fmt.Errorf("%w: %s", ErrNotFound, path)
		}
		if kv.inline {
			d.deleteInline(kv)
			kv.deleted = true
		} else {
			kv.deleted = true
			// A table made only by this dotted key (a of a.b = 1) stays,
			// empty, as it is in the decoded document.
			text := ""
			if p := parentPath(path); len(p) > len(kv.owner.path) {
				if pt := d.tables[p]; pt != nil && pt.kind == impliedTable && !d.holds(pt) {
					rel := strings.TrimPrefix(strings.TrimPrefix(p, kv.owner.path), ".")
					text = encodePath(rel) + " = {}" + d.eol
				}
			}
			d.add(kv.lineStart, kv.lineEnd, text)
		}
		d.forget(path)
		return nil
	}
	if a := d.arrays[path]; a != nil && a.kv == nil {
		live := d.live(a)
		if len(live) == 0 {
			return fmt.Errorf("%w: %s", ErrNotFound, path)
		}
		for _, e := range live {
			d.removeBlock(e)
		}
		return nil
	}
	t := d.tables[path]
	if t == nil || t.deleted {
		return fmt.Errorf("%w: %s", ErrNotFound, path)
	}
	switch t.kind {
	case headerTable:
		d.removeBlock(t)
		// A table implied only by this one ([a] of [a.b]) stays, empty,
		// as it is in the decoded document: its own header takes the
		// place of the removed one.
		if p := parentPath(path); p != "" {
			if pt := d.tables[p]; pt != nil && pt.kind == impliedTable && !d.holds(pt) {
				d.patches[len(d.patches)-1].text = "[" + encodePath(p) + "]" + d.eol
			}
		}
		return nil
	case impliedTable:
		found := false
		for _, kv := range t.kvs {
			if !kv.deleted {
				d.add(kv.lineStart, kv.lineEnd, "")
				kv.deleted, found = true, true
			}
		}
		for _, u := range d.descendants(path) {
			if !u.deleted {
				d.removeBlock(u)
				found = true
			}
		}
		for p, a := range d.arrays {
			if strings.HasPrefix(p, path+".") && a.kv == nil {
				for _, e := range d.live(a) {
					d.removeBlock(e)
					found = true
				}
			}
		}
		if !found {
			return fmt.Errorf("%w: %s", ErrNotFound, path)
		}
		t.deleted = true
		return nil
	}
	return fmt.Errorf("%w: %s", ErrNotFound, path)
}

// holds reports whether the implied table t still holds a key or a
// table no edit removed.
func (d *Doc) holds(t *table) bool {
	for _, kv := range t.kvs {
		if !kv.deleted {
			return true
		}
	}
	for _, u := range d.descendants(t.path) {
		if !u.deleted {
			return true
		}
	}
	return false
}

// live returns the elements of a that no edit removed.
func (d *Doc) live(a *array) []*table {
	var out []*table
	for _, e := range a.elems {
		if !e.deleted {
			out = append(out, e)
		}
	}
	return out
}

// DeleteElement removes element i (as parsed) of the array of tables at
// path.
func (d *Doc) DeleteElement(path string, i int) error {
	a := d.arrays[path]
	if a == nil || i < 0 || i >= len(a.elems) || a.elems[i].deleted {
		return fmt.Errorf("%w: %s[%d]", ErrNotFound, path, i)
	}
	e := a.elems[i]
	if a.kv == nil {
		d.removeBlock(e)
		return nil
	}
	// An element of an inline array: with the comma that parts it from
	// its neighbour.
	var live []*table
	at := -1
	for _, x := range a.elems {
		if !x.deleted {
			if x == e {
				at = len(live)
			}
			live = append(live, x)
		}
	}
	switch {
	case at+1 < len(live):
		d.add(e.open, live[at+1].open, "")
	case at > 0:
		d.add(live[at-1].close+1, e.close+1, "")
	default:
		d.add(e.open, e.close+1, "")
	}
	e.deleted = true
	d.forget(e.path)
	return nil
}

// removeBlock removes the section of a header or element table with the
// sections below it, and one blank line beside it.
func (d *Doc) removeBlock(t *table) {
	start, end := t.start, d.areaEnd(t)
	if ls := d.prevLine(start); ls >= 0 && blank(d.src[ls:start]) {
		start = ls
	} else if end < len(d.src) {
		if le := d.lineEnd(end); blank(d.src[end:le]) {
			end = le
		}
	}
	d.add(start, end, "")
	t.deleted = true
	for _, u := range d.descendants(t.path) {
		u.deleted = true
	}
	for p, kv := range d.keys {
		if strings.HasPrefix(p, t.path+".") {
			kv.deleted = true
		}
	}
	d.forget(t.path)
}

// descendants returns the header and element tables below path.
func (d *Doc) descendants(path string) []*table {
	var out []*table
	for _, u := range d.order {
		if u.kind != rootTable && (strings.HasPrefix(u.path, path+".") || strings.HasPrefix(u.path, path+"[")) {
			out = append(out, u)
		}
	}
	return out
}

// areaEnd returns the end of the last line of t and the tables below it.
func (d *Doc) areaEnd(t *table) int {
	end := t.end
	for _, u := range d.descendants(t.path) {
		end = max(end, u.end)
	}
	return end
}

// prevLine returns the start of the line before the one starting at off,
// or -1.
func (d *Doc) prevLine(off int) int {
	if off == 0 {
		return -1
	}
	return strings.LastIndexByte(d.src[:off-1], '\n') + 1
}

// lineEnd returns the offset after the line break of the line at off.
func (d *Doc) lineEnd(off int) int {
	if i := strings.IndexByte(d.src[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(d.src)
}

func blank(line string) bool { return strings.TrimSpace(line) == "" }

func comment(line string) bool { return strings.HasPrefix(strings.TrimSpace(line), "#") }

// lead returns the start of the comment lines right above off (no blank
// line between): they belong to what starts at off.
func (d *Doc) lead(off int) int {
	for {
		ls := d.prevLine(off)
		if ls < 0 || !comment(d.src[ls:off]) {
			return off
		}
		off = ls
	}
}

// deleteInline removes a key of an inline table with the comma that parts
// it from its neighbour.
func (d *Doc) deleteInline(kv *keyval) {
	var live []*keyval
	at := -1
	for _, x := range kv.owner.kvs {
		if !x.deleted {
			if x == kv {
				at = len(live)
			}
			live = append(live, x)
		}
	}
	switch {
	case at+1 < len(live):
		d.add(kv.keyStart, live[at+1].keyStart, "")
	case at > 0:
		d.add(live[at-1].valEnd, kv.valEnd, "")
	default:
		d.add(kv.keyStart, kv.valEnd, "")
	}
}

// index returns the place of key k in order, or -1.
func index(order []string, k string) int {
	for i, o := range order {
		if o == k {
			return i
		}
	}
	return -1
}

// Insert adds key k with value v to the table at path ("" for the
// document), at its place in order (the keys of the table in the order
// they are written): after the last key before it in order that the table
// has, else before the first after it. A Table that is not inline, and an
// Array, become sections of their own, placed the same way among the
// table's sections.
func (d *Doc) Insert(path, k string, v Value, order []string) error {
	full := join(path, k)
	if d.Has(full) {
		return fmt.Errorf("tomledit: %s is already there", full)
	}
	t := d.tables[path]
	if t == nil || t.deleted {
		return fmt.Errorf("%w: %s", ErrNotFound, path)
	}
	if isSection(v) {
		return d.insertSection(t, k, v, order)
	}
	text, err := d.encode(v)
	if err != nil {
		return err
	}
	line := encodeKey(k) + " = " + text
	switch t.kind {
	case inlineTable:
		d.insertInline(t, k, line, order)
		return nil
	case impliedTable:
		var last *keyval
		for _, kv := range t.kvs {
			if !kv.deleted {
				last = kv
			}
		}
		if last == nil {
			return fmt.Errorf("tomledit: cannot add %s: %s is not written as a table", full, path)
		}
		rel := strings.TrimPrefix(t.path, last.owner.path)
		rel = strings.TrimPrefix(rel, ".")
		d.insertLine(last.lineEnd, encodePath(rel)+"."+line)
		return nil
	}
	var kvs []*keyval
	for _, kv := range t.kvs {
		if !kv.deleted {
			kvs = append(kvs, kv)
		}
	}
	at := index(order, k)
	var prev, next *keyval
	for _, kv := range kvs {
		i := index(order, kv.key)
		if i < 0 {
			continue
		}
		if i < at || at < 0 {
			prev = kv
		} else if next == nil {
			next = kv
		}
	}
	switch {
	case prev != nil:
		d.insertLine(prev.lineEnd, line)
	case next != nil:
		d.insertLine(d.lead(next.lineStart), line)
	case len(kvs) > 0:
		d.insertLine(kvs[len(kvs)-1].lineEnd, line)
	case t.kind != rootTable:
		d.insertLine(t.hdrEnd, line)
	default:
		var first *table
		for _, u := range d.order {
			if u.kind != rootTable && !u.deleted {
				first = u
				break
			}
		}
		if first == nil {
			d.insertLine(len(d.src), line)
		} else {
			d.insertLine(d.lead(first.start), line+d.eol)
		}
	}
	return nil
}

// insertLine inserts one line (without its line break) at off, which is
// the start of a line or the end of the document.
func (d *Doc) insertLine(off int, line string) {
	pre := ""
	if off == len(d.src) && off > 0 && d.src[off-1] != '\n' {
		pre = d.eol
	}
	d.add(off, off, pre+line+d.eol)
}

// insertInline adds key = value to an inline table.
func (d *Doc) insertInline(t *table, k, kvText string, order []string) {
	var live []*keyval
	for _, kv := range t.kvs {
		if !kv.deleted {
			live = append(live, kv)
		}
	}
	if len(live) == 0 {
		d.add(t.open, t.close+1, "{ "+kvText+" }")
		t.deleted = true // its braces are replaced
		return
	}
	at := index(order, k)
	var prev *keyval
	for _, kv := range live {
		if i := index(order, kv.key); i >= 0 && (i < at || at < 0) {
			prev = kv
		}
	}
	switch {
	case prev != nil:
		d.add(prev.valEnd, prev.valEnd, ", "+kvText)
	default:
		first := live[0]
		if i := index(order, first.key); i > at && at >= 0 {
			d.add(first.keyStart, first.keyStart, kvText+", ")
		} else {
			last := live[len(live)-1]
			d.add(last.valEnd, last.valEnd, ", "+kvText)
		}
	}
}

// isSection reports whether v is written as sections of its own.
func isSection(v Value) bool {
	switch x := v.(type) {
	case Table:
		return !x.Inline
	case Array:
		return true
	}
	return false
}

// childSpan returns the span of the sections of child c of table t: the
// first start and the last end of the tables at join(t.path, c) and below.
func (d *Doc) childSpan(t *table, c string) (start, end int, ok bool) {
	p := join(t.path, c)
	for _, u := range d.order {
		if u.deleted || u.kind == rootTable {
			continue
		}
		if u.path == p || strings.HasPrefix(u.path, p+".") || strings.HasPrefix(u.path, p+"[") {
			if !ok || u.start < start {
				start = u.start
			}
			end = max(end, u.end)
			ok = true
		}
	}
	return start, end, ok
}

// insertSection adds a table or an array of tables to t as sections,
// placed among t's sections by order.
func (d *Doc) insertSection(t *table, k string, v Value, order []string) error {
	if t.kind == inlineTable || t.kind == impliedTable && len(t.kvs) > 0 {
		return fmt.Errorf("tomledit: cannot add the section %s inside a value", join(t.path, k))
	}
	at := index(order, k)
	off, before := -1, false
	bestPrev, bestNext := -1, len(order)
	for _, c := range order {
		i := index(order, c)
		if c == k {
			continue
		}
		s, e, ok := d.childSpan(t, c)
		if !ok {
			continue
		}
		if i < at && i > bestPrev {
			bestPrev, off = i, e
		}
		if i > at && i < bestNext && bestPrev < 0 {
			bestNext, off, before = i, d.lead(s), true
		}
	}
	if off < 0 {
		if t.kind == rootTable {
			off = len(d.src)
		} else {
			off = d.areaEnd(t)
		}
	}
	text, err := d.section(join(t.path, k), v)
	if err != nil {
		return err
	}
	pre := ""
	if ins, ok := d.insertedAt(off); ok {
		// Another insertion, made before, ends here: a blank line
		// after it.
		if !strings.HasSuffix(ins, d.eol+d.eol) {
			pre = d.eol
		}
	} else {
		if off == len(d.src) && off > 0 && d.src[off-1] != '\n' {
			pre = d.eol
		}
		if ls := d.prevLine(off); off > 0 && (ls < 0 || !blank(d.src[ls:off])) {
			pre += d.eol
		}
	}
	if before {
		text += d.eol
	}
	d.add(off, off, pre+text)
	return nil
}

// insertedAt returns the text of the last insertion made at off, if any.
func (d *Doc) insertedAt(off int) (string, bool) {
	for i := len(d.patches) - 1; i >= 0; i-- {
		if p := d.patches[i]; p.start == off && p.end == off && p.text != "" {
			return p.text, true
		}
	}
	return "", false
}

// Append adds element v at the end of the array of tables at path, which
// is created at its place in order (the keys of the table holding it) if
// the document has none.
func (d *Doc) Append(path string, v Table, order []string) error {
	a := d.arrays[path]
	if a == nil || len(a.elems) == 0 {
		if d.Has(path) {
			return fmt.Errorf("tomledit: %s is not an array of tables", path)
		}
		parent := parentPath(path)
		k := strings.TrimPrefix(path, parent)
		k = strings.TrimPrefix(k, ".")
		return d.Insert(parent, k, Array{v}, order)
	}
	if a.kv != nil {
		v.Inline = true
		text, err := d.encode(v)
		if err != nil {
			return err
		}
		var last *table
		for _, e := range a.elems {
			if !e.deleted {
				last = e
			}
		}
		if last == nil {
			d.add(a.open+1, a.open+1, text)
		} else {
			d.add(last.close+1, last.close+1, ", "+text)
		}
		return nil
	}
	last := a.elems[len(a.elems)-1]
	off := d.areaEnd(last)
	text, err := d.section(path, Array{v})
	if err != nil {
		return err
	}
	pre := ""
	if off == len(d.src) && off > 0 && d.src[off-1] != '\n' {
		pre = d.eol
	}
	d.add(off, off, pre+d.eol+text)
	return nil
}

// section writes v at path as [path] or [[path]] sections.
func (d *Doc) section(path string, v Value) (string, error) {
	name := encodePath(stripIndex(path))
	var b strings.Builder
	write := func(header string, t Table) error {
		b.WriteString(header + d.eol)
		var subs []Entry
		for _, e := range t.Entries {
			if isSection(e.Value) {
				subs = append(subs, e)
				continue
			}
			text, err := d.encode(e.Value)
			if err != nil {
				return err
			}
			b.WriteString(encodeKey(e.Key) + " = " + text + d.eol)
		}
		for _, e := range subs {
			text, err := d.section(path+"."+e.Key, e.Value)
			if err != nil {
				return err
			}
			b.WriteString(d.eol + text)
		}
		return nil
	}
	switch x := v.(type) {
	case Table:
		if err := write("["+name+"]", x); err != nil {
			return "", err
		}
	case Array:
		for i, t := range x {
			if i > 0 {
				b.WriteString(d.eol)
			}
			if err := write("[["+name+"]]", t); err != nil {
				return "", err
			}
		}
	}
	return b.String(), nil
}

// stripIndex removes the element indexes of a path: a.b[2].c → a.b.c.
func stripIndex(p string) string {
	var b strings.Builder
	skip := false
	for _, r := range p {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Text applies the edits and returns the new document. It fails when two
// edits overlap or the result would not be valid TOML.
func (d *Doc) Text() (string, error) {
	ps := append([]patch(nil), d.patches...)
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.start != b.start {
			return a.start < b.start
		}
		if (a.end == a.start) != (b.end == b.start) {
			return a.end == a.start // an insertion before a removal at the same place
		}
		return a.seq < b.seq
	})
	var b strings.Builder
	at := 0
	for _, p := range ps {
		if p.start < at {
			return "", fmt.Errorf("tomledit: two edits overlap at offset %d", p.start)
		}
		b.WriteString(d.src[at:p.start])
		b.WriteString(p.text)
		at = p.end
	}
	b.WriteString(d.src[at:])
	out := b.String()
	var m map[string]any
	if _, err := toml.Decode(out, &m); err != nil {
		return "", fmt.Errorf("tomledit: the edited document is not valid: %w", err)
	}
	return out, nil
}

// encode writes v as a TOML value.
func (d *Doc) encode(v Value) (string, error) {
	switch x := v.(type) {
	case String:
		return d.quote(string(x)), nil
	case Int:
		return strconv.FormatInt(int64(x), 10), nil
	case Bool:
		return strconv.FormatBool(bool(x)), nil
	case Date:
		var m map[string]any
		_, err := toml.Decode("d = "+string(x), &m)
		if _, isTime := m["d"].(time.Time); err != nil || !isTime || strings.ContainsAny(string(x), "#\r\n") {
			return "", fmt.Errorf("tomledit: %q is not a TOML date", string(x))
		}
		return string(x), nil
	case Strings:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = basic(s)
		}
		return "[" + strings.Join(parts, ", ") + "]", nil
	case Table:
		if len(x.Entries) == 0 {
			return "{}", nil
		}
		parts := make([]string, 0, len(x.Entries))
		for _, e := range x.Entries {
			if t, ok := e.Value.(Table); ok {
				t.Inline = true
				e.Value = t
			}
			text, err := d.encode(e.Value)
			if err != nil {
				return "", err
			}
			parts = append(parts, encodeKey(e.Key)+" = "+text)
		}
		return "{ " + strings.Join(parts, ", ") + " }", nil
	case Array:
		parts := make([]string, len(x))
		for i, t := range x {
			t.Inline = true
			text, err := d.encode(t)
			if err != nil {
				return "", err
			}
			parts[i] = text
		}
		return "[" + strings.Join(parts, ", ") + "]", nil
	}
	return "", fmt.Errorf("tomledit: cannot write %T", v)
}

// quote writes s as a basic string, or a multi-line basic string when it
// has line breaks.
func (d *Doc) quote(s string) string {
	if !strings.Contains(s, "\n") {
		return basic(s)
	}
	var b strings.Builder
	b.WriteString(`"""` + d.eol)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteString(d.eol)
		}
		b.WriteString(escape(line))
	}
	b.WriteString(`"""`)
	return b.String()
}

// basic writes s as a basic string: "…".
func basic(s string) string { return `"` + escape(s) + `"` }

// escape escapes what a basic string cannot hold as it is.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// encodeKey writes a key bare when it can be, else quoted.
func encodeKey(k string) string {
	if k == "" {
		return `""`
	}
	for i := 0; i < len(k); i++ {
		if !isBare(k[i]) {
			return basic(k)
		}
	}
	return k
}

// encodePath writes a dotted path of keys.
func encodePath(p string) string {
	parts := strings.Split(p, ".")
	for i, s := range parts {
		parts[i] = encodeKey(s)
	}
	return strings.Join(parts, ".")
}
