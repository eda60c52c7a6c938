package build

import (
	"regexp"
	"strings"
	"testing"

	"gongkai/generator/internal/testboard"
)

// TestPagesAreMinified checks every page of the demo board for what a
// minifier removes: runs of blanks or line breaks beside tags (one is
// kept between inline elements, where it shows as a space) and comments.
// The templates are minified once when they are parsed, so layout
// whitespace the minifier cannot remove shows up here.
func TestPagesAreMinified(t *testing.T) {
	out, _, ds, err := ToMemory(Options{Src: testboard.Demo(t, nil), Today: benchDay})
	if err != nil || out == nil {
		t.Fatalf("build: %v %v", err, ds)
	}
	pre := regexp.MustCompile(`(?s)<(pre|textarea)\b.*?</(pre|textarea)>`)
	loose := regexp.MustCompile(`>\s{2,}|\s{2,}<|<!--`)
	pages := 0
	for _, name := range out.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		b, _ := out.Get(name)
		text := pre.ReplaceAllString(string(b), "<pre></pre>")
		if m := loose.FindStringIndex(text); m != nil {
			lo, hi := max(m[0]-60, 0), min(m[1]+60, len(text))
			t.Errorf("%s is not minified near %q", name, text[lo:hi])
		}
	}
	if pages < 100 {
		t.Fatalf("only %d pages checked", pages)
	}
}
