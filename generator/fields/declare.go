package fields

import (
	"fmt"
	"sort"
)

// Kind is the shape a declared key's value must have in TOML.
type Kind int

// The shapes of declared keys.
const (
	// AnyKind takes any value; the caller checks it (amounts, which may
	// be written as text or as a number).
	AnyKind Kind = iota
	StringKind
	IntKind
	BoolKind
	DateKind
	// StringsKind is a list of strings.
	StringsKind
	// TableKind is a table, written [name] or name = { … }.
	TableKind
	// TablesKind is an array of tables, written [[name]].
	TablesKind
)

// String names the kind as the readers of Table do.
func (k Kind) String() string {
	switch k {
	case StringKind:
		return "String"
	case IntKind:
		return "Int"
	case BoolKind:
		return "Bool"
	case DateKind:
		return "Date"
	case StringsKind:
		return "Strings"
	case TableKind:
		return "Table"
	case TablesKind:
		return "Tables"
	}
	return "Raw"
}

// Key declares one key of a table: its name, the shape of its value,
// whether it must be there, how it is written (for the hint of a missing
// key) and, for a table or an array of tables, the keys of those tables.
type Key struct {
	Name     string
	Kind     Kind
	Required bool
	// Example is a value as written in TOML ("\"1234.50\"", 2026-07-08),
	// shown when the key is missing; "…" when empty.
	Example string
	Keys    []Key
}

// Decl is a declaration of the keys of a table (NewDecl), made once and
// used by any number of tables (Table.Use): the decoding of every record
// of a section shares one.
type Decl struct {
	keys  []Key
	index map[string]int // the position of each name in keys
	// sub holds, per key, the declaration of its tables (nil for other
	// kinds); nil when they are compiled as they are met (Declare).
	sub []*Decl
}

// NewDecl compiles keys, with the keys of their tables, for Table.Use.
func NewDecl(keys []Key) *Decl {
	d := shallowDecl(keys)
	d.sub = make([]*Decl, len(keys))
	for i, k := range keys {
		if k.Kind == TableKind || k.Kind == TablesKind {
			d.sub[i] = NewDecl(k.Keys)
		}
	}
	return d
}

// shallowDecl compiles keys but not the keys of their tables.
func shallowDecl(keys []Key) *Decl {
	d := &Decl{keys: keys, index: make(map[string]int, len(keys))}
	for i, k := range keys {
		d.index[k.Name] = i
	}
	return d
}

// subDecl returns the declaration of the tables of key i.
func (d *Decl) subDecl(i int) *Decl {
	if d.sub != nil {
		return d.sub[i]
	}
	return shallowDecl(d.keys[i].Keys)
}

// names returns the declared names, sorted: the suggestions for an
// unknown key.
func (d *Decl) names() []string {
	out := make([]string, 0, len(d.index))
	for k := range d.index {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Declare makes keys the keys of the table and checks them at once: a
// missing required key, a value of the wrong shape and (in Done) a key
// not among them are reported here, in the same words the readers use, so
// that a key declared once is known, required and typed without more
// code. Tables and arrays of tables among keys are declared with their own
// keys. After Declare, reading a declared key reports nothing more about
// its presence or shape (the required argument of the readers is then
// checked against the declaration only by Slips), but checks of its value
// (a date out of range) are made once, here.
func (t *Table) Declare(keys []Key) { t.Use(shallowDecl(keys)) }

// Use is Declare with keys compiled by NewDecl.
func (t *Table) Use(d *Decl) {
	t.decl, t.sub, t.reads = d, nil, nil
	t.checking = true
	defer func() { t.checking = false }()
	for i, k := range d.keys {
		if _, ok := t.m[k.Name]; !ok {
			if k.Required {
				t.missing(k.Name, k.Example)
			}
			continue
		}
		switch k.Kind {
		case StringKind:
			t.String(k.Name, false)
		case IntKind:
			t.Int(k.Name, false)
		case BoolKind:
			t.Bool(k.Name)
		case DateKind:
			t.Date(k.Name, false)
		case StringsKind:
			t.Strings(k.Name)
		case TableKind:
			s := t.Table(k.Name)
			if s != nil {
				s.Use(d.subDecl(i))
			}
			t.sub = append(t.sub, declared{name: k.Name, one: s})
		case TablesKind:
			ss := t.Tables(k.Name)
			if len(ss) > 0 {
				sub := d.subDecl(i)
				for _, s := range ss {
					s.Use(sub)
				}
			}
			t.sub = append(t.sub, declared{name: k.Name, many: ss})
		}
	}
}

// declared is a declared table or array of tables of a table, read once
// by Use.
type declared struct {
	name string
	one  *Table
	many []*Table
}

// declaredSub returns the table or tables Use read for key k (the last
// read, when k is declared twice).
func (t *Table) declaredSub(k string) (declared, bool) {
	for i := len(t.sub) - 1; i >= 0; i-- {
		if t.sub[i].name == k {
			return t.sub[i], true
		}
	}
	return declared{}, false
}

// hush starts the read of key k. For a key declared in the table, every
// diagnostic the read adds is dropped when it ends (Declare reported
// them), unless Declare itself is reading; the read is noted for Slips.
// It returns the length the diagnostics go back to, or -1. Use it as
// defer t.unhush(t.hush(k, kind, required)).
func (t *Table) hush(k string, kind Kind, required bool) int {
	if t.decl == nil {
		return -1
	}
	i, declared := t.decl.index[k]
	if t.checking {
		return -1
	}
	if declared {
		if t.reads == nil {
			t.reads = make([]read, len(t.decl.keys))
		}
		t.reads[i] = read{kind, required, true}
		return len(t.doc.Diags)
	}
	if t.strays == nil {
		t.strays = map[string]read{}
	}
	t.strays[k] = read{kind, required, true}
	return -1
}

// unhush ends a read started by hush.
func (t *Table) unhush(n int) {
	if n >= 0 {
		t.doc.Diags = t.doc.Diags[:n]
	}
}

// seen reports whether key k was read since Declare.
func (t *Table) seen(k string) bool {
	if i, ok := t.decl.index[k]; ok {
		return t.reads != nil && t.reads[i].seen
	}
	_, ok := t.strays[k]
	return ok
}

// read is how the caller read a key.
type read struct {
	kind     Kind
	required bool
	seen     bool
}

// slips compares the reads of a declared table with its declaration, for
// Doc.Slips.
func (t *Table) slips() {
	if t.decl == nil {
		return
	}
	var out []string
	for k := range t.strays {
		out = append(out, fmt.Sprintf("%s is read but not declared", t.key(k)))
	}
	for i, d := range t.decl.keys {
		if t.decl.index[d.Name] != i {
			continue
		}
		var r read
		if t.reads != nil {
			r = t.reads[i]
		}
		switch {
		case !r.seen:
			out = append(out, fmt.Sprintf("%s is declared but never read", t.key(d.Name)))
		case r.kind != d.Kind && !(r.kind == AnyKind && d.Kind != TableKind && d.Kind != TablesKind):
			out = append(out, fmt.Sprintf("%s is declared %s but read as %s", t.key(d.Name), d.Kind, r.kind))
		case (r.kind == StringKind || r.kind == IntKind || r.kind == DateKind) && r.required != d.Required:
			out = append(out, fmt.Sprintf("%s is declared required=%v but read with required=%v", t.key(d.Name), d.Required, r.required))
		}
	}
	sort.Strings(out)
	t.doc.slips = append(t.doc.slips, out...)
}

// Slips lists where the reads of declared tables, as far as Done was
// called on them, differ from their declarations: a key read but not
// declared, declared but never read, read as another shape, or read as
// required when it is declared optional (or the other way round). They are
// mistakes of the program, not of the document: tests assert there are
// none.
func (d *Doc) Slips() []string { return d.slips }

// missing reports that the required key k is not in the table.
func (t *Table) missing(k, example string) {
	if example == "" {
		example = "…"
	}
	d := t.missingKey(k, example)
	t.doc.Diags.Add(d)
}
