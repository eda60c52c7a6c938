package tomledit

import (
	"fmt"
	"strconv"
	"strings"
)

// tableKind is how a table is written.
type tableKind int

const (
	rootTable    tableKind = iota // the document itself
	headerTable                   // [name]
	elementTable                  // [[name]]: one element of an array of tables
	inlineTable                   // name = { … }
	impliedTable                  // made by a dotted key (a.b = 1) or a header below it ([a.b])
)

// table is one table of the document with the spans of its text.
type table struct {
	path string // "", "finance", "finance.income[2]", "notice"
	kind tableKind
	// start and hdrEnd are the span of a header line ([name] or [[name]])
	// from the start of the line to after its line break.
	start, hdrEnd int
	// open and close are the offsets of { and } of an inline table.
	open, close int
	kvs         []*keyval // the key-value lines written in its body, in order
	end         int       // after the line break of its last line
	deleted     bool
}

// keyval is one key = value of the document.
type keyval struct {
	path      string // full path: "finance.income[2].amount"
	key       string // the first part of the key as written in its table: "notice" of notice.from
	lineStart int    // start of the line where the key is
	keyStart  int
	valStart  int
	valEnd    int
	lineEnd   int // after the line break of the line where the value ends
	inline    bool
	owner     *table // the table whose body holds the line
	deleted   bool
}

// array is an array of tables, written as [[name]] sections or as an
// inline array of inline tables.
type array struct {
	path   string
	elems  []*table
	kv     *keyval // the key of an inline array; nil for [[name]]
	open   int     // offsets of [ and ] of an inline array
	close  int
	parent string // the path of the table that holds it
}

type scanner struct {
	src    string
	i      int
	doc    *Doc
	cur    *table
	arrays map[string]int // array-of-tables path → index of its current element
}

func (s *scanner) errf(format string, args ...any) error {
	line := strings.Count(s.src[:min(s.i, len(s.src))], "\n") + 1
	return fmt.Errorf("tomledit: line %d: %s", line, fmt.Sprintf(format, args...))
}

func (s *scanner) peek() byte {
	if s.i < len(s.src) {
		return s.src[s.i]
	}
	return 0
}

func (s *scanner) at(prefix string) bool { return strings.HasPrefix(s.src[s.i:], prefix) }

// blanks skips spaces and tabs.
func (s *scanner) blanks() {
	for s.i < len(s.src) && (s.src[s.i] == ' ' || s.src[s.i] == '\t') {
		s.i++
	}
}

// rest skips blanks, a comment and the line break; it returns false when
// something else follows on the line.
func (s *scanner) rest() bool {
	s.blanks()
	if s.peek() == '#' {
		for s.i < len(s.src) && s.src[s.i] != '\n' {
			s.i++
		}
	}
	switch {
	case s.i >= len(s.src):
		return true
	case s.at("\r\n"):
		s.i += 2
		return true
	case s.peek() == '\n':
		s.i++
		return true
	}
	return false
}

// space skips blanks, comments and line breaks (inside arrays).
func (s *scanner) space() {
	for s.i < len(s.src) {
		switch c := s.src[s.i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			s.i++
		case c == '#':
			for s.i < len(s.src) && s.src[s.i] != '\n' {
				s.i++
			}
		default:
			return
		}
	}
}

func (s *scanner) document() error {
	for s.i < len(s.src) {
		lineStart := s.i
		s.blanks()
		switch c := s.peek(); {
		case c == '#' || c == '\n' || c == '\r' || c == 0:
			if !s.rest() {
				return s.errf("unexpected text")
			}
		case c == '[':
			if err := s.header(lineStart); err != nil {
				return err
			}
		default:
			kv, err := s.keyValue(s.cur, lineStart, false)
			if err != nil {
				return err
			}
			if !s.rest() {
				return s.errf("text after a value")
			}
			kv.lineEnd = s.i
			s.cur.end = s.i
		}
	}
	return nil
}

func (s *scanner) header(lineStart int) error {
	s.i++
	isArray := s.peek() == '['
	if isArray {
		s.i++
	}
	s.blanks()
	parts, err := s.key()
	if err != nil {
		return err
	}
	s.blanks()
	if isArray {
		if !s.at("]]") {
			return s.errf("header not closed")
		}
		s.i += 2
	} else {
		if s.peek() != ']' {
			return s.errf("header not closed")
		}
		s.i++
	}
	if !s.rest() {
		return s.errf("text after a header")
	}
	path := resolve(s.arrays, parts)
	d := s.doc
	// The tables above it exist, implied if not written.
	for p := parentPath(path); p != ""; p = parentPath(p) {
		if _, ok := d.tables[p]; !ok {
			d.addTable(&table{path: p, kind: impliedTable})
		}
	}
	if isArray {
		n, seen := s.arrays[path]
		if seen {
			n++
		}
		s.arrays[path] = n
		// A new element forgets the elements of arrays below the old one.
		for p := range s.arrays {
			if strings.HasPrefix(p, path+"[") || strings.HasPrefix(p, path+".") {
				delete(s.arrays, p)
			}
		}
		a := d.arrays[path]
		if a == nil {
			a = &array{path: path, parent: parentPath(path)}
			d.arrays[path] = a
		}
		t := &table{path: path + "[" + strconv.Itoa(n) + "]", kind: elementTable, start: lineStart, hdrEnd: s.i, end: s.i}
		a.elems = append(a.elems, t)
		d.addTable(t)
		s.cur = t
		return nil
	}
	t := d.tables[path]
	if t == nil {
		t = &table{path: path}
		d.addTable(t)
	}
	t.kind, t.start, t.hdrEnd, t.end = headerTable, lineStart, s.i, s.i
	s.cur = t
	return nil
}

// parentPath returns the path of the table holding path: "finance" of
// "finance.income[2]", "finance.income[2]" of "finance.income[2].x".
func parentPath(p string) string {
	i := strings.LastIndexByte(p, '.')
	if i < 0 {
		return ""
	}
	return p[:i]
}

// resolve joins key parts into a path, indexing every prefix but the last
// that names an array of tables at its current element.
func resolve(arrays map[string]int, parts []string) string {
	path := ""
	for i, p := range parts {
		if path != "" {
			path += "."
		}
		path += p
		if n, ok := arrays[path]; ok && i < len(parts)-1 {
			path += "[" + strconv.Itoa(n) + "]"
		}
	}
	return path
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// keyValue reads key = value into table t (the current table, or an
// inline table).
func (s *scanner) keyValue(t *table, lineStart int, inline bool) (*keyval, error) {
	keyStart := s.i
	parts, err := s.key()
	if err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return nil, s.errf("a key is expected")
	}
	s.blanks()
	if s.peek() != '=' {
		return nil, s.errf("= is expected")
	}
	s.i++
	s.blanks()
	owner := t
	prefix := t.path
	for _, p := range parts[:len(parts)-1] {
		prefix = join(prefix, p)
		if _, ok := s.doc.tables[prefix]; !ok {
			s.doc.addTable(&table{path: prefix, kind: impliedTable})
		}
	}
	kv := &keyval{path: join(prefix, parts[len(parts)-1]), key: parts[0], lineStart: lineStart, keyStart: keyStart, valStart: s.i, inline: inline, owner: owner}
	if err := s.value(kv.path); err != nil {
		return nil, err
	}
	kv.valEnd = s.i
	if a := s.doc.arrays[kv.path]; a != nil && a.open == kv.valStart {
		a.kv = kv
	}
	s.doc.keys[kv.path] = kv
	t.kvs = append(t.kvs, kv)
	if len(parts) > 1 {
		// The dotted key is also a line of the implied table it makes.
		dt := s.doc.tables[prefix]
		if dt.kind == impliedTable {
			dt.kvs = append(dt.kvs, kv)
		}
	}
	return kv, nil
}

// key reads a dotted key of bare or quoted parts.
func (s *scanner) key() ([]string, error) {
	var parts []string
	for {
		s.blanks()
		switch c := s.peek(); {
		case c == '"':
			start := s.i
			if err := s.basic(); err != nil {
				return nil, err
			}
			u, err := unquote(s.src[start:s.i])
			if err != nil {
				return nil, s.errf("bad key: %v", err)
			}
			parts = append(parts, u)
		case c == '\'':
			start := s.i
			if err := s.literal(); err != nil {
				return nil, err
			}
			parts = append(parts, s.src[start+1:s.i-1])
		case isBare(c):
			start := s.i
			for s.i < len(s.src) && isBare(s.src[s.i]) {
				s.i++
			}
			parts = append(parts, s.src[start:s.i])
		default:
			return parts, nil
		}
		s.blanks()
		if s.peek() != '.' {
			return parts, nil
		}
		s.i++
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value reads one value at path.
func (s *scanner) value(path string) error {
	switch c := s.peek(); {
	case s.at(`"""`):
		return s.multi(`"""`)
	case s.at(`'''`):
		return s.multi(`'''`)
	case c == '"':
		return s.basic()
	case c == '\'':
		return s.literal()
	case c == '{':
		return s.inlineTable(path)
	case c == '[':
		return s.array(path)
	case c == 0 || c == '\n' || c == '\r' || c == '#':
		return s.errf("a value is expected")
	}
	// A number, a boolean or a date: up to a delimiter. A date and a time
	// may be parted by one space.
	start := s.i
	for s.i < len(s.src) {
		c := s.src[s.i]
		if c == ' ' && s.i-start == 10 && s.i+3 < len(s.src) && isDigit(s.src[s.i+1]) && isDigit(s.src[s.i+2]) && s.src[s.i+3] == ':' {
			s.i++
			continue
		}
		if c == ',' || c == ']' || c == '}' || c == '#' || c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			break
		}
		s.i++
	}
	if s.i == start {
		return s.errf("a value is expected")
	}
	return nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (s *scanner) basic() error {
	s.i++
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case '\\':
			s.i += 2
			continue
		case '"':
			s.i++
			return nil
		case '\n':
			return s.errf("string not closed")
		}
		s.i++
	}
	return s.errf("string not closed")
}

func (s *scanner) literal() error {
	end := strings.IndexAny(s.src[s.i+1:], "'\n")
	if end < 0 || s.src[s.i+1+end] != '\'' {
		return s.errf("string not closed")
	}
	s.i += end + 2
	return nil
}

// multi reads a multi-line string; up to two more quotes may end it.
func (s *scanner) multi(q string) error {
	s.i += 3
	for s.i < len(s.src) {
		if q == `"""` && s.src[s.i] == '\\' {
			s.i += 2
			continue
		}
		if s.at(q) {
			s.i += 3
			for k := 0; k < 2 && s.peek() == q[0]; k++ {
				s.i++
			}
			return nil
		}
		s.i++
	}
	return s.errf("string not closed")
}

func (s *scanner) inlineTable(path string) error {
	t := &table{path: path, kind: inlineTable, open: s.i}
	s.doc.addTable(t)
	s.i++
	for {
		s.space()
		switch s.peek() {
		case '}':
			t.close = s.i
			s.i++
			return nil
		case ',':
			s.i++
			continue
		case 0:
			return s.errf("inline table not closed")
		}
		if _, err := s.keyValue(t, s.i, true); err != nil {
			return err
		}
	}
}

func (s *scanner) array(path string) error {
	open := s.i
	s.i++
	var elems []*table
	tables := true
	for n := 0; ; {
		s.space()
		switch s.peek() {
		case ']':
			if n > 0 && tables && len(elems) == n {
				s.doc.arrays[path] = &array{path: path, elems: elems, open: open, close: s.i, parent: parentPath(path)}
			}
			s.i++
			return nil
		case ',':
			s.i++
			continue
		case 0:
			return s.errf("array not closed")
		}
		p := path + "[" + strconv.Itoa(n) + "]"
		if s.peek() != '{' {
			tables = false
		}
		if err := s.value(p); err != nil {
			return err
		}
		if t := s.doc.tables[p]; t != nil && t.kind == inlineTable {
			elems = append(elems, t)
		}
		n++
	}
}

func unquote(q string) (string, error) {
	// TOML's escapes are a subset of Go's, but for \e and \x (TOML 1.1)
	// and \U; strconv handles the common ones.
	u, err := strconv.Unquote(q)
	if err == nil {
		return u, nil
	}
	return strings.Trim(q, `"`), nil
}
