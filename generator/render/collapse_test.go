package render

import (
	"strings"
	"testing"
)

// collapseRef is collapse as first written: the reference of
// FuzzCollapse.
func collapseRef(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.Join(strings.Fields(line), " "); line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func FuzzCollapse(f *testing.F) {
	for _, s := range []string{"", "\n", " a  b \n\n c\t\r\n", "\u3000第一条\u00a0居民\u2028x\u0085y", "\xff \xe3\x80", "a\n \n\nb ", "  \n\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapse(s), collapseRef(s); got != want {
			t.Fatalf("collapse(%q) = %q, want %q", s, got, want)
		}
	})
}
