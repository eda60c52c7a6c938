package markdown

import (
	"fmt"
	"io/fs"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"gongkai/themes"
)

// worst are the most expensive bodies within the limits, one for each
// construct whose cost grows faster than its text in goldmark, and all of
// them in one body. BenchmarkWorstCase converts them; TestWorstCasesAtLimits
// checks that they are within the limits and that one step more is not.
func worst() []struct {
	name string
	body string
	more string // the same body one step beyond a limit
} {
	pad := func(b string) string { // the body filled with text to MaxBytes
		fill := strings.Repeat("公开栏的文字，", (MaxBytes-len(b)-2)/21)
		return b + "\n\n" + fill
	}
	// Unclosed link openers in one paragraph, as long as MaxBracketWork
	// allows: goldmark reads to the end of the paragraph after each.
	per := MaxBracketWork/MaxBrackets/MaxBrackets - len("[](")
	openers := strings.Repeat("["+strings.Repeat("x", per)+"](", MaxBrackets)
	openersMore := openers + strings.Repeat("x", (MaxBracketWork-MaxBrackets*len(openers))/MaxBrackets+1)
	// Reference definitions in one paragraph, as many as the same limit
	// allows.
	var refs, refsMore string
	for i := 0; ; i++ {
		next := refs + "[r" + strconv.Itoa(i) + "]: /u" + strconv.Itoa(i) + "\n"
		if Check(next) != nil {
			refsMore = next
			break
		}
		refs = next
	}
	emphasis := strings.Repeat("*a**b***c_d__e~~f", MaxEmphasis/11)
	table := "|a|b|c|d|\n|-|-|-|-|\n" + strings.Repeat("|x|y|z|w|\n", MaxBars/5-2)
	var items strings.Builder
	for i := 0; i < MaxItems; i++ {
		items.WriteString(strings.Repeat("  ", i%(MaxDepth-1)) + "- a\n")
	}
	deep := strings.Repeat("> ", MaxDepth) + "a\n"
	// Web addresses cost the most of the other marks (linkify).
	other := strings.Repeat("www.a.b ", MaxOther)
	// Empty headings cost the most of all lines (each gets an anchor).
	headings := strings.Repeat("#\n", MaxLines)
	all := openers + "\n\n" + emphasis + "\n\n" + table + "\n" + items.String() + "\n" + other + "\n\n"
	all += strings.Repeat("#\n", MaxLines-strings.Count(all, "\n")-3)
	return []struct{ name, body, more string }{
		{"link-openers", openers, openersMore},
		{"brackets", strings.Repeat("[", MaxBrackets), strings.Repeat("[", MaxBrackets+1)},
		{"reference-definitions", refs, refsMore},
		{"emphasis", emphasis, emphasis + strings.Repeat("*", MaxEmphasis-len(emphasis)/17*11+1)},
		{"table", table, table + "|x|y|z|w|\n|x|y|z|w|\n"},
		{"list-items", items.String(), items.String() + "- a\n"},
		{"nesting", deep, "> " + deep},
		{"web-addresses", other, other + "www.a.b"},
		{"lines", headings, headings + "#"},
		{"long-text", pad(""), pad("") + strings.Repeat("文", 200000)},
		{"everything", pad(all), pad(all) + "[[["},
	}
}

func TestWorstCasesAtLimits(t *testing.T) {
	for _, w := range worst() {
		if e := Check(w.body); e != nil {
			t.Errorf("%s: the worst case within the limits is refused: %s", w.name, e.Msg.Zh)
		}
		if e := Check(w.more); e == nil {
			t.Errorf("%s: one step beyond the limits is accepted", w.name)
		}
	}
}

// BenchmarkWorstCase converts the worst bodies within the limits; each
// must take well under a second and 100 MB on the development machine
// (README, "The content folder").
//
//	go test ./generator/markdown -run XXX -bench WorstCase -benchmem
func BenchmarkWorstCase(b *testing.B) {
	c := New(false)
	for _, w := range worst() {
		b.Run(w.name, func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				if _, err := c.Convert(w.body, Page{Dir: "pages/x/"}); err != nil {
					b.Fatal(err)
				}
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
			b.ReportMetric(float64(peak)/(1<<20), "heap-MB")
		})
	}
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name, body string
		offset     int
		msg        string
	}{
		{"too long", strings.Repeat("a", MaxBytes+1), MaxBytes, "正文太长"},
		{"brackets", "前言\n" + strings.Repeat("[", MaxBrackets+1), len("前言\n") + MaxBrackets, "方括号 [ 太多"},
		{"link openers in one long paragraph", "前言\n\n" + strings.Repeat("[xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx](", 1500), len("前言\n\n"), "这一段又长、方括号 [ 又多"},
		{"emphasis", strings.Repeat("*a", MaxEmphasis+1), 2 * MaxEmphasis, "* _ ~ 太多"},
		{"table bars", strings.Repeat("|a", MaxBars+1), 2 * MaxBars, "竖线 | 超过"},
		{"list items", strings.Repeat("- a\n", MaxItems+1), 4 * MaxItems, "列表项和引用行太多"},
		{"quote depth", "正文\n" + strings.Repeat(">", MaxDepth+1) + " a", len("正文\n"), "嵌套太深（17 层）"},
		{"list depth", "- a\n" + strings.Repeat(" ", 2*MaxDepth) + "- b", len("- a\n"), "嵌套太深（17 层）"},
		{"tabs count as indentation", strings.Repeat("\t", 8) + "- b", 0, "嵌套太深（17 层）"},
		{"lines", strings.Repeat("a\n", MaxLines) + "a", 2 * MaxLines, "超过 10000 行"},
		{"web addresses", strings.Repeat("见 www.example.org ", MaxOther+1), MaxOther*len("见 www.example.org ") + len("见 "), "网址太多"},
		{"code and tags", strings.Repeat("`<", MaxOther/2) + "&", MaxOther, "< ` & \\ @ 和网址太多"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := Check(c.body)
			if e == nil {
				t.Fatal("accepted")
			}
			if e.Offset != c.offset || !strings.Contains(e.Msg.Zh, c.msg) || e.Msg.En == "" || e.Hint.Zh == "" || e.Hint.En == "" {
				t.Errorf("Check = offset %d %q (hint %q); want offset %d %q", e.Offset, e.Msg.Zh, e.Hint.Zh, c.offset, c.msg)
			}
			if _, err := New(false).Convert(c.body, Page{}); err == nil {
				t.Error("Convert converted a body beyond the limits")
			}
		})
	}
	// Real text is far from every limit.
	for _, ok := range []string{"", "## 第一条\n\n内容。\n", strings.Repeat("- [记录](decisions/x) *重点*\n", 500), "1. a\n   1. b\n      - c\n", strings.Repeat("a\n", MaxLines), "wow: we write www"} {
		if e := Check(ok); e != nil {
			t.Errorf("Check(%.40q) = %s", ok, e.Msg.Zh)
		}
	}
}

func TestOutline(t *testing.T) {
	body := "# 第一章 总则\n\n见[决议](decisions/2026-02#tiao-3)和[目录][m]，![图](照片.jpg)。\n\n## 第一章 总则\n\n## History\n\n## ！？\n\n[m]: ../pages/nope\n"
	o := New(false).Outline(body)
	if o.Problem != nil {
		t.Fatal(o.Problem.Msg.Zh)
	}
	var refs []string
	for _, r := range o.Refs {
		refs = append(refs, fmt.Sprintf("%s@%d:%v", r.Dest, r.Offset, r.Image))
	}
	want := []string{
		fmt.Sprintf("decisions/2026-02#tiao-3@%d:false", strings.Index(body, "decisions/")),
		fmt.Sprintf("../pages/nope@%d:false", strings.Index(body, "[目录]")),
		fmt.Sprintf("照片.jpg@%d:true", strings.Index(body, "照片")),
	}
	if strings.Join(refs, " ") != strings.Join(want, " ") {
		t.Errorf("refs %v; want %v", refs, want)
	}
	var ids []string
	for _, h := range o.Headings {
		ids = append(ids, h.ID)
	}
	if got := strings.Join(ids, " "); got != "第一章-总则 第一章-总则-1 history-1 heading" {
		t.Errorf("heading ids %q", got)
	}
	if p := New(false).Outline(strings.Repeat("[", MaxBrackets+1)).Problem; p == nil || p.Offset != MaxBrackets {
		t.Errorf("no problem for a body beyond the limits: %+v", p)
	}
}

// TestHeadingIDsAvoidTheTheme keeps the list of ids the theme uses up to
// date: a heading never takes one of them.
func TestHeadingIDsAvoidTheTheme(t *testing.T) {
	re := regexp.MustCompile(`\bid="([^"{]+)"`)
	err := fs.WalkDir(themes.Default(), "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(themes.Default(), p)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if !Reserved(m[1]) {
				t.Errorf("%s uses id %q, which is not in reservedIDs", p, m[1])
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRelativeLinks(t *testing.T) {
	exists := func(id string) bool { return id == "pages/about" || id == "disclosures/meian" }
	for _, c := range []struct {
		name string
		body string
		page Page
		want string
	}{
		{"file-relative record", "[关于](../pages/about.md)", Page{Dir: "decisions/x/", File: "decisions/x.md", Exists: exists}, `href="../../pages/about/"`},
		{"sibling record", "[资金](meian/index.md#fin-h)", Page{Dir: "disclosures/x/", File: "disclosures/x.md", Exists: exists}, `href="../../disclosures/meian/#fin-h"`},
		{"section page", "[三重一大](decisions/)", Page{Dir: "pages/about/", File: "pages/about.md", Exists: exists}, `href="../../decisions/"`},
		{"attachment on a version page", "[明细](资金明细.csv)", Page{Dir: "disclosures/meian/v2/", File: "disclosures/meian/index.md", Exists: exists}, `href="../../../disclosures/meian/%E8%B5%84%E9%87%91%E6%98%8E%E7%BB%86.csv"`},
		{"image in a bundle", "![照片](照片.jpg)", Page{Dir: "disclosures/meian/", File: "disclosures/meian/index.md", Exists: exists}, `src="../../disclosures/meian/%E7%85%A7%E7%89%87.jpg"`},
		{"anchor of the page", "[第三条](#tiao-3)", Page{Dir: "pages/about/", File: "pages/about.md", Exists: exists}, `href="#tiao-3"`},
		{"reference style", "[关于][a]\n\n[a]: pages/about", Page{Dir: "decisions/x/", File: "decisions/x.md", Exists: exists}, `href="../../pages/about/"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := convert(t, c.body, c.page); !strings.Contains(got, c.want) {
				t.Errorf("want %s in %s", c.want, got)
			}
		})
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{"> - 1. [a](b)\n\t- *c*|d", "[a]([b](", "*a**b***c_d__e~~f", "|a|b|\n|-|-|\n|x|y|", "[r]: /u\n[x][r]", "www.a.b <a `c` &amp; \\* a@b.c", "#\n#\n  - a\n    - b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		e := Check(body)
		c := New(false)
		o := c.Outline(body)
		if e != nil {
			if e.Offset < 0 || e.Offset > len(body) || o.Problem == nil {
				t.Fatalf("offset %d of %d, outline problem %v", e.Offset, len(body), o.Problem)
			}
			return
		}
		if o.Problem != nil {
			t.Fatal("Outline refuses what Check accepts")
		}
		for _, r := range o.Refs {
			if r.Offset < 0 || r.Offset > len(body) {
				t.Fatalf("ref offset %d of %d", r.Offset, len(body))
			}
		}
		if _, err := c.Convert(body, Page{Dir: "a/b/", File: "a/b.md", Articles: true, Exists: func(string) bool { return true }}); err != nil {
			t.Fatal(err)
		}
	})
}
