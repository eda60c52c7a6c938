package render

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/html"

	"gongkai/themes"
)

// defaultTemplates parses the default theme as a render does: each
// template minified as Renderer.New minifies it.
func defaultTemplates(t testing.TB) *Templates {
	m := minify.New()
	m.Add(templateType, &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true, KeepDefaultAttrVals: true, TemplateDelims: html.GoTemplateDelims})
	ts, err := ParseTemplates(themes.Default(), func(b []byte) []byte {
		if out, err := m.Bytes(templateType, b); err == nil {
			return dropActionBreaks(out)
		}
		return b
	})
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// FuzzFastPartials holds the Go markup of the default partials to what
// html/template makes of the default theme's partial files, byte for
// byte, for any text in any field.
func FuzzFastPartials(f *testing.F) {
	ts := defaultTemplates(f)
	for name := range fastPartials {
		if !ts.fast[name] {
			f.Fatalf("the default theme's partial %s is not taken for the default", name)
		}
	}
	fast, err := newPartials(ts, nil)
	if err != nil {
		f.Fatal(err)
	}
	slow, err := newPartials(ts, nil)
	if err != nil {
		f.Fatal(err)
	}
	slow.fast = nil
	for _, s := range [][3]string{
		{"", "", ""},
		{"a<b>&c", `"引号" 'x' + y`, "minutes/2026-01"},
		{"\x00", "收入 100.00 元", "%zz%e5%85"},
		{"a b?c=d&e#f", "\xff\xfe", "决定/a+b"},
	} {
		f.Add(s[0], s[1], s[2], 3, uint8(0x55))
		f.Add(s[0], s[1], s[2], 0, uint8(0xaa))
	}
	f.Fuzz(func(t *testing.T, s1, s2, target string, n int, bits uint8) {
		bit := func(i int) bool { return bits>>i&1 == 1 }
		// Paths on the site never hold a colon (a record's name cannot),
		// so a relative link never reads as a scheme.
		target = strings.ReplaceAll(target, ":", "-")
		ref := &Ref{Title: s2, Path: target}
		votes := &VoteView{For: n, Against: n / 2, Abstain: -n, Present: n * 3, Result: s1, Passed: bit(3)}
		if bit(5) {
			votes.Expected = n * 4
		}
		step := StepView{Stage: s1, Date: s2, Body: s1 + s2, Note: s2, Done: bit(0), Current: bit(1)}
		if bit(2) {
			step.Minutes, step.Votes = ref, votes
		}
		steps := []StepView{step, {Stage: s2, Done: !bit(0)}}
		res := []ResolutionView{{Text: s1, Votes: *votes}, {Text: s2, Votes: VoteView{Passed: !bit(3)}}}
		if bit(4) {
			res[0].Decision = ref
		}
		dec := &DecisionView{Steps: steps}
		min := &MinutesView{Resolutions: res}
		v := &RecordView{Title: s1, Number: s2, DateISO: s2, DateText: s1, Category: s2, OnNotice: bit(5), Withdrawn: s1, Path: target + "/", Dec: dec, Min: min}
		if bit(6) {
			v.NoticeFrom, v.NoticeTo, v.NoticeState = s2, s1, "公示中"
			if bit(7) {
				v.NoticeState = "公示期已结束"
			}
		}
		page := &Page{Path: "decisions/" + s1 + "/", Offline: bit(6), Main: v}
		var lines []LineView
		if bit(7) {
			lines = []LineView{{Date: s1, Item: s2, Amount: s1, Voucher: s2}, {Item: "x"}}
		}
		acc := LinesCtx{Kind: s1, Lines: lines, Total: s2}
		for name, ctx := range map[string]any{
			"item": Item{page, v}, "timeline": page, "votes": page, "account": acc,
			"sheet-timeline": dec, "sheet-votes": min, "sheet-account": acc,
		} {
			want, err := slow.run(name, ctx)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got, err := fast.run(name, ctx)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got != want {
				t.Errorf("%s:\ngo       %s\ntemplate %s", name, got, want)
			}
		}
	})
}

// TestCacheKeys: two lists of keys that differ give two keys.
func TestCacheKeys(t *testing.T) {
	lists := [][]any{
		{"a", 1}, {"a", 2}, {"a1"}, {"a", "1"}, {1, "a"},
		{[]Crumb{{"ab", "c"}}}, {[]Crumb{{"a", "bc"}}}, {[]Crumb{{"a", "b"}, {"c", "d"}}},
		{"a", 1, true, "x"}, {"a", 1, true, "y"}, {"a", 1, true, 2.5}, {"a", 1, true, 3.5},
	}
	seen := map[partialKey]int{}
	for i, l := range lists {
		k := cacheKey("p", l)
		if j, ok := seen[k]; ok {
			t.Errorf("keys %v and %v give the same key", lists[j], l)
		}
		seen[k] = i
	}
	if cacheKey("p", []any{"a"}) != cacheKey("p", []any{"a"}) || cacheKey("p", []any{"a"}) == cacheKey("q", []any{"a"}) {
		t.Error("a key depends on the name and the keys only")
	}
}

// TestPartialCached: a partial asked for again with the same keys is the
// one made the first time; other keys make it anew; an error is not kept.
func TestPartialCached(t *testing.T) {
	theme := fstest.MapFS{
		"templates/partials/n.html":   {Data: []byte(`<b>{{.}}</b>`)},
		"templates/partials/bad.html": {Data: []byte(`{{.Nope}}`)},
		"templates/home.html":         {Data: []byte(`{{define "page"}}{{partialCached "n" .Title .Path}}{{end}}`)},
	}
	ts, err := ParseTemplates(theme, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPartials(ts, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ctx  any
		keys []any
		want string
	}{
		{"一", []any{"a", 1}, "<b>一</b>"},
		{"二", []any{"a", 1}, "<b>一</b>"},
		{"三", []any{"a", 2}, "<b>三</b>"},
		{"<四>", []any{"b"}, "<b>&lt;四&gt;</b>"},
	} {
		if got, err := p.cached("n", c.ctx, c.keys...); err != nil || string(got) != c.want {
			t.Errorf("cached(%v, %v) = %q, %v; want %q", c.ctx, c.keys, got, err, c.want)
		}
	}
	if _, err := p.cached("bad", 1, "k"); err == nil {
		t.Error("a failing partial gave no error")
	}
	if _, err := p.cached("bad", 1, "k"); err == nil {
		t.Error("a failing partial was kept")
	}
	// A template asks for it the same way.
	var b strings.Builder
	if err := p.pages["home"].ExecuteTemplate(&b, "page", &Page{Title: "五", Path: "a"}); err != nil || b.String() != "<b>五</b>" {
		t.Errorf("home = %q, %v", b.String(), err)
	}
}
