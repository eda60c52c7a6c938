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

// Declare makes keys the keys of the table and checks them at once: a
// missing required key, a value of the wrong shape and (in Done) a key
// not among them are reported here, in the same words the readers use, so
// that a key declared once is known, required and typed without more
// code. Tables and arrays of tables among keys are declared with their own
// keys. After Declare, reading a declared key reports nothing more about
// its presence or shape (the required argument of the readers is then
// checked against the declaration only by Slips), but checks of its value
// (a date out of range) are made once, here.
func (t *Table) Declare(keys []Key) {
	t.decl = make(map[string]Key, len(keys))
	t.sub = map[string]*Table{}
	t.subs = map[string][]*Table{}
	for _, k := range keys {
		t.decl[k.Name] = k
	}
	t.checking = true
	defer func() { t.checking = false }()
	for _, k := range keys {
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
				s.Declare(k.Keys)
			}
			t.sub[k.Name] = s
		case TablesKind:
			ss := t.Tables(k.Name)
			for _, s := range ss {
				s.Declare(k.Keys)
			}
			t.subs[k.Name] = ss
		}
	}
}

// hush starts the read of key k. For a key declared in the table, every
// diagnostic the read adds is dropped when it ends (Declare reported
// them), unless Declare itself is reading; the read is noted for Slips.
// Use it as defer t.hush(k, kind, required)().
func (t *Table) hush(k string, kind Kind, required bool) func() {
	if t.decl == nil {
		return func() {}
	}
	if !t.checking {
		if t.reads == nil {
			t.reads = map[string]read{}
		}
		t.reads[k] = read{kind, required}
	}
	if _, ok := t.decl[k]; !ok || t.checking {
		return func() {}
	}
	n := len(t.doc.Diags)
	return func() { t.doc.Diags = t.doc.Diags[:n] }
}

// read is how the caller read a key.
type read struct {
	kind     Kind
	required bool
}

// slips compares the reads of a declared table with its declaration, for
// Doc.Slips.
func (t *Table) slips() {
	if t.decl == nil {
		return
	}
	var out []string
	for k, r := range t.reads {
		d, ok := t.decl[k]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s is read but not declared", t.key(k)))
		case r.kind != d.Kind && !(r.kind == AnyKind && d.Kind != TableKind && d.Kind != TablesKind):
			out = append(out, fmt.Sprintf("%s is declared %s but read as %s", t.key(k), d.Kind, r.kind))
		case (r.kind == StringKind || r.kind == IntKind || r.kind == DateKind) && r.required != d.Required:
			out = append(out, fmt.Sprintf("%s is declared required=%v but read with required=%v", t.key(k), d.Required, r.required))
		}
	}
	for k := range t.decl {
		if _, ok := t.reads[k]; !ok {
			out = append(out, fmt.Sprintf("%s is declared but never read", t.key(k)))
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
