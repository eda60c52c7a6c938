package fields

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"gongkai/generator/diag"
)

// locate scans TOML text and returns the position of every key, by path:
// "title", "notice.from", "finance.income[2].amount", "absent[0].name".
// BurntSushi/toml keeps key positions to itself, so this small scanner finds
// them; it is lenient, since the TOML parser has already judged the syntax.
func locate(file, text string, firstLine int) map[string]diag.Position {
	// A key a line is the common case: the map is made that large at once.
	s := &scanner{file: file, src: text, line: firstLine, lineStart: 0, pos: make(map[string]diag.Position, strings.Count(text, "\n")+1), arrays: map[string]int{}}
	s.document()
	return s.pos
}

type scanner struct {
	file      string
	src       string
	i         int
	line      int
	lineStart int
	table     string
	pos       map[string]diag.Position
	arrays    map[string]int // array-of-tables path → index of its current element
	parts     [4]string      // the room of the parts of the key being read
}

func (s *scanner) here() diag.Position {
	return diag.Position{File: s.file, Line: s.line, Col: utf8.RuneCountInString(s.src[s.lineStart:s.i]) + 1}
}

func (s *scanner) peek() byte {
	if s.i < len(s.src) {
		return s.src[s.i]
	}
	return 0
}

func (s *scanner) advance() {
	if s.src[s.i] == '\n' {
		s.line++
		s.lineStart = s.i + 1
	}
	s.i++
}

// space skips blanks; with newlines it also skips line breaks and comments.
func (s *scanner) space(newlines bool) {
	for s.i < len(s.src) {
		switch c := s.src[s.i]; {
		case c == ' ' || c == '\t' || c == '\r':
			s.i++
		case c == '\n' && newlines:
			s.advance()
		case c == '#':
			for s.i < len(s.src) && s.src[s.i] != '\n' {
				s.i++
			}
		default:
			return
		}
	}
}

func (s *scanner) skipLine() {
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		s.i++
	}
}

func (s *scanner) document() {
	for {
		s.space(true)
		if s.i >= len(s.src) {
			return
		}
		if s.peek() == '[' {
			s.header()
			continue
		}
		start := s.i
		s.keyValue(s.table)
		if s.i == start { // not a key: give up on this line
			s.skipLine()
		}
	}
}

func (s *scanner) header() {
	at := s.here()
	s.i++
	array := s.peek() == '['
	if array {
		s.i++
	}
	s.space(false)
	parts := s.key()
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		s.i++
	}
	path := s.resolve(parts)
	if array {
		n, seen := s.arrays[path]
		if seen {
			n++
		}
		s.arrays[path] = n
		s.table = path + "[" + strconv.Itoa(n) + "]"
	} else {
		s.table = path
	}
	if _, dup := s.pos[s.table]; !dup {
		s.pos[s.table] = at
	}
}

// resolve joins key parts into a path, indexing every prefix that names an
// array of tables at its current element.
func (s *scanner) resolve(parts []string) string { return resolve(s.arrays, parts) }

// resolve joins key parts into a path, indexing every prefix but the last
// that names an array of tables (in arrays) at its current element.
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

func join(prefix string, parts []string) string {
	k := strings.Join(parts, ".")
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// keyValue reads `key = value` and records the key's position.
func (s *scanner) keyValue(prefix string) {
	at := s.here()
	parts := s.key()
	if len(parts) == 0 {
		return
	}
	path := join(prefix, parts)
	if _, dup := s.pos[path]; !dup {
		s.pos[path] = at
	}
	s.space(false)
	if s.peek() != '=' {
		return
	}
	s.i++
	s.space(false)
	s.value(path)
}

// key reads a dotted key of bare or quoted parts. The parts are valid
// until the next call.
func (s *scanner) key() []string {
	parts := s.parts[:0]
	for {
		s.space(false)
		switch c := s.peek(); {
		case c == '"' || c == '\'':
			start := s.i
			s.str()
			raw := s.src[start:s.i]
			if c == '"' {
				if u, err := strconv.Unquote(raw); err == nil {
					raw = u
				} else {
					raw = strings.Trim(raw, `"`)
				}
			} else {
				raw = strings.Trim(raw, "'")
			}
			parts = append(parts, raw)
		case isBare(c):
			start := s.i
			for s.i < len(s.src) && isBare(s.src[s.i]) {
				s.i++
			}
			parts = append(parts, s.src[start:s.i])
		default:
			return parts
		}
		s.space(false)
		if s.peek() != '.' {
			return parts
		}
		s.i++
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c >= 0x80
}

func (s *scanner) value(path string) {
	switch s.peek() {
	case '{':
		s.i++
		for {
			s.space(true)
			switch s.peek() {
			case '}':
				s.i++
				return
			case ',':
				s.i++
				continue
			case 0, '\n':
				return
			}
			start := s.i
			s.keyValue(path)
			if s.i == start {
				s.i++
			}
		}
	case '[':
		s.i++
		for n := 0; ; {
			s.space(true)
			switch s.peek() {
			case ']':
				s.i++
				return
			case ',':
				s.i++
				n++
				continue
			case 0:
				return
			}
			start := s.i
			s.value(path + "[" + strconv.Itoa(n) + "]")
			if s.i == start {
				s.i++
			}
		}
	case '"', '\'':
		s.str()
	default:
		for s.i < len(s.src) {
			c := s.src[s.i]
			if c == ',' || c == ']' || c == '}' || c == '\n' || c == '#' {
				return
			}
			s.i++
		}
	}
}

// str skips a basic, literal or multi-line string.
func (s *scanner) str() {
	q := s.src[s.i]
	triple := `"""`
	if q == '\'' {
		triple = "'''"
	}
	if strings.HasPrefix(s.src[s.i:], triple) {
		end := strings.Index(s.src[s.i+3:], triple)
		stop := len(s.src)
		if end >= 0 {
			stop = s.i + 3 + end + 3
		}
		for s.i < stop {
			s.advance()
		}
		return
	}
	s.i++
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c == '\\' && q == '"':
			s.i += 2
			continue
		case c == q:
			s.i++
			return
		case c == '\n':
			return
		}
		s.i++
	}
	if s.i > len(s.src) {
		s.i = len(s.src)
	}
}
