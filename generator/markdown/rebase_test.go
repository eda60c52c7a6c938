package markdown

import (
	"path"
	"strings"
	"testing"
)

func TestRebase(t *testing.T) {
	const from, to = "disclosures/x/", "print/disclosures/x/"
	tests := []struct{ in, want string }{
		{`<a href="../../decisions/j1/">`, `<a href="../../../decisions/j1/">`},
		{`<a href="../../decisions/j1/index.html#tiao-3">`, `<a href="../../../decisions/j1/index.html#tiao-3">`},
		{`<img src="plan.png" alt="图">`, `<img src="../../../disclosures/x/plan.png" alt="图">`},
		{`<a href="sub/a.pdf?v=1">`, `<a href="../../../disclosures/x/sub/a.pdf?v=1">`},
		{`<a href="./">`, `<a href="../../../disclosures/x/">`},
		{`<a href="../../">`, `<a href="../../../">`},
		{`<a href="#tiao-2">`, `<a href="#tiao-2">`},
		{`<a href="https://example.org/a">`, `<a href="https://example.org/a">`},
		{`<a href="tel:12345">`, `<a href="tel:12345">`},
		{`<a href="/abs/">`, `<a href="/abs/">`},
		{`<a href="../../../../up">`, `<a href="../../../../up">`},
		{`<p>href="x" in text</p>`, `<p>href="x" in text</p>`},
	}
	for _, tt := range tests {
		if got := string(Rebase([]byte(tt.in), from, to)); got != tt.want {
			t.Errorf("Rebase(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
	if got := string(Rebase([]byte(tests[0].in), from, from)); got != tests[0].in {
		t.Errorf("same page changed the HTML: %s", got)
	}
}

// FuzzRebase checks that a rebased relative URL names the same file
// from the new page as the old URL did from the old page.
func FuzzRebase(f *testing.F) {
	for _, s := range []string{"a.pdf", "../../decisions/j1/", "./", "../x/../y", "sub/./z/", "a?b#c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		if strings.ContainsAny(u, "\"\n") {
			return
		}
		const from, to = "minutes/m/", "print/minutes/m/"
		got := rebaseURL(u, from, to)
		if got == u {
			return
		}
		resolve := func(dir, u string) string {
			p, _, _ := strings.Cut(u, "?")
			p, _, _ = strings.Cut(p, "#")
			r := path.Join(dir, p)
			if strings.HasSuffix(p, "/") && r != "." {
				r += "/"
			}
			return r
		}
		if a, b := resolve(from, u), resolve(to, got); a != b && !(a == "." && b == ".") && strings.TrimSuffix(a, "/") != strings.TrimSuffix(b, "/") {
			t.Fatalf("%q from %s names %q; rebased %q from %s names %q", u, from, a, got, to, b)
		}
	})
}
