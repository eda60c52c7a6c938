package render

import (
	"encoding/xml"
	"strings"
	"testing"
)

// xmlText escapes every text as xml.EscapeText does, whether it takes
// the way of text with nothing to escape or not.
func FuzzXMLText(f *testing.F) {
	for _, s := range []string{"", "https://example.org/公开/", "a<b>&\"'", "\t\n\r", "\uFFFE\uFFFF\uFFFD", "\xff", "\x00", "中文\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want strings.Builder
		_ = xml.EscapeText(&want, []byte(s))
		if got := xmlText(s); got != want.String() {
			t.Errorf("xmlText(%q) = %q, want %q", s, got, want.String())
		}
	})
}
