// Package diag holds the one position type and the one diagnostic type of
// gongkai. Every stage reports problems as Diagnostics: a file:line:col
// position relative to the content folder, a message and a hint in Chinese
// and English, and an optional wrapped cause. A build collects them all,
// sorts them by file and line, and prints them together. Errors of the
// operating system (a full disk, a refused permission, a file held open by
// another program) are put into the same plain words by SysError.
package diag

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Position is a place in a file of the content folder. File is the
// slash-separated path relative to the content folder; Line and Col count
// from 1 (Col in characters, as editors show it). A zero Line means the
// whole file, a zero Col the whole line.
type Position struct {
	File string
	Line int
	Col  int
}

// String formats the position as file:line:col, leaving out what is zero.
func (p Position) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Less orders positions by file, then line, then column.
func (p Position) Less(q Position) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// Severity says whether a diagnostic stops a build.
type Severity int

const (
	// Error fails the build or check.
	Error Severity = iota
	// Warning is reported; `build --strict` fails on it.
	Warning
)

// Lang selects the language of printed diagnostics.
type Lang string

const (
	Zh Lang = "zh"
	En Lang = "en"
)

// ParseLang maps a --lang value or GONGKAI_LANG to a Lang; anything but
// English is Chinese.
func ParseLang(s string) Lang {
	if strings.HasPrefix(strings.ToLower(s), "en") {
		return En
	}
	return Zh
}

// Text is a sentence in both languages.
type Text struct {
	Zh, En string
}

// In returns the text in lang, falling back to Chinese.
func (t Text) In(lang Lang) string {
	if lang == En && t.En != "" {
		return t.En
	}
	return t.Zh
}

// T formats a Text from a pair of format strings sharing the arguments.
func T(zh, en string, args ...any) Text {
	if len(args) == 0 {
		return Text{zh, en}
	}
	return Text{fmt.Sprintf(zh, args...), fmt.Sprintf(en, args...)}
}

// Diagnostic is one problem found in the content.
type Diagnostic struct {
	Pos      Position
	Severity Severity
	Msg      Text
	Hint     Text  // how to fix it; may be empty
	Cause    error // the underlying error, if any
	// Code names the kind of problem for programs ("ledger.unregistered"):
	// stable across releases and languages, unlike the text. Empty for
	// the kinds no program needs to tell apart.
	Code string
	// Key is the path of the TOML key the diagnostic concerns, when it
	// is about one: "title", "notice.to", "finance.income[2].amount".
	// The browser editor shows the diagnostic at that key's field.
	Key string
}

// Errorf returns an error diagnostic at pos.
func Errorf(pos Position, zh, en string, args ...any) Diagnostic {
	return Diagnostic{Pos: pos, Severity: Error, Msg: T(zh, en, args...)}
}

// Warnf returns a warning diagnostic at pos.
func Warnf(pos Position, zh, en string, args ...any) Diagnostic {
	return Diagnostic{Pos: pos, Severity: Warning, Msg: T(zh, en, args...)}
}

// WithHint returns d with a hint saying how to fix it.
func (d Diagnostic) WithHint(zh, en string, args ...any) Diagnostic {
	d.Hint = T(zh, en, args...)
	return d
}

// Wrap returns d with cause as its underlying error.
func (d Diagnostic) Wrap(cause error) Diagnostic {
	d.Cause = cause
	return d
}

// Error implements error with the Chinese text.
func (d Diagnostic) Error() string { return d.Format(Zh) }

// Unwrap returns the cause.
func (d Diagnostic) Unwrap() error { return d.Cause }

// Format renders the diagnostic on one line, plus an indented hint line.
//
//	minutes/a.md:12:1: 错误：实到人数 49 超过应到人数 48
//	    提示：……
func (d Diagnostic) Format(lang Lang) string {
	var b strings.Builder
	if s := d.Pos.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	switch {
	case d.Severity == Warning && lang == En:
		b.WriteString("warning: ")
	case d.Severity == Warning:
		b.WriteString("警告：")
	case lang == En:
		b.WriteString("error: ")
	default:
		b.WriteString("错误：")
	}
	b.WriteString(d.Msg.In(lang))
	if h := d.Hint.In(lang); h != "" {
		if lang == En {
			b.WriteString("\n    hint: ")
		} else {
			b.WriteString("\n    提示：")
		}
		b.WriteString(h)
	}
	return b.String()
}

// List is the diagnostics of one run.
type List []Diagnostic

// Add appends diagnostics.
func (l *List) Add(ds ...Diagnostic) { *l = append(*l, ds...) }

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Count returns the number of errors and warnings.
func (l List) Count() (errors, warnings int) {
	for _, d := range l {
		if d.Severity == Error {
			errors++
		} else {
			warnings++
		}
	}
	return
}

// Sorted returns the list sorted by position, errors before warnings at
// the same place, with exact repeats removed.
func (l List) Sorted() List {
	out := append(List(nil), l...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Pos != b.Pos {
			return a.Pos.Less(b.Pos)
		}
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		return a.Msg.Zh < b.Msg.Zh
	})
	dedup := out[:0]
	for i, d := range out {
		if i > 0 && d.Pos == out[i-1].Pos && d.Msg == out[i-1].Msg && d.Severity == out[i-1].Severity {
			continue
		}
		dedup = append(dedup, d)
	}
	return dedup
}

// Print writes the sorted list, one diagnostic a paragraph, and a summary
// line when there is anything to report.
func (l List) Print(w io.Writer, lang Lang) {
	s := l.Sorted()
	for _, d := range s {
		fmt.Fprintln(w, d.Format(lang))
	}
	e, wn := s.Count()
	if e+wn == 0 {
		return
	}
	if lang == En {
		fmt.Fprintf(w, "%d error(s), %d warning(s)\n", e, wn)
	} else {
		fmt.Fprintf(w, "共 %d 个错误，%d 个警告\n", e, wn)
	}
}

// Suggest returns the candidate closest to word, or "" when none is close
// enough to be a likely misspelling.
func Suggest(word string, candidates []string) string {
	best, bestD := "", -1
	w := []rune(word)
	for _, c := range candidates {
		d := distance(w, []rune(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	limit := 2
	if n := len(w); n <= 3 {
		limit = 1
	} else if n > 8 {
		limit = 3
	}
	if bestD < 0 || bestD > limit {
		// A candidate containing the word (or contained in it) is a good
		// guess too: 两委商议 → 两委会商议, 公约 → 居民公约.
		for _, c := range candidates {
			if word != "" && (strings.Contains(c, word) || strings.Contains(word, c)) {
				return c
			}
		}
		return ""
	}
	return best
}

// distance is the Damerau–Levenshtein (optimal string alignment) distance.
func distance(a, b []rune) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
