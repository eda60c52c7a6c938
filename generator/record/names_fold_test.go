package record

import (
	"testing"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// The ASCII path of FoldKey folds as Unicode does.
func TestFoldKeyASCII(t *testing.T) {
	var all []byte
	for c := 1; c < 0x80; c++ {
		all = append(all, byte(c))
	}
	for _, s := range []string{string(all), "Disclosures/2026-Q1-CaiWu.md", "KELVIN k", ""} {
		if got, want := FoldKey(s), cases.Fold().String(norm.NFC.String(s)); got != want {
			t.Errorf("FoldKey(%q) = %q, want %q", s, got, want)
		}
	}
}
