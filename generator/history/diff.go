package history

import (
	"html"
	"html/template"
	"sort"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"gongkai/generator/record"
	"gongkai/generator/zh"
)

// Diff is the comparison of two versions of one record's file.
type Diff struct {
	// Changes are the labelled facts of the record page that differ
	// (CompareViews).
	Changes []FieldChange
	// Tables compares the accounts, tables and votes row by row
	// (CompareViews).
	Tables []TableDiff
	// Lines is the front matter compared line by line, only when a
	// version no longer reads as a record (Compare): the last resort.
	Lines []DiffLine
	// Body is the character-level comparison of the body, for everything
	// but conventions: of the text a reader sees (CompareViews), or of the
	// Markdown (Compare); "" when unchanged.
	Body template.HTML
	// Articles compares a convention article by article: only the
	// articles that were added, changed or removed.
	Articles []ArticleDiff
	// Same is true when the two texts are identical; NoteOnly when they
	// differ only in what the page does not show (the reason for the
	// change, comments, layout).
	Same, NoteOnly bool
}

// DiffLine is one line of a line-by-line comparison.
type DiffLine struct {
	Op   string // "ins", "del" or "" (unchanged)
	Sign string // "+", "−" or " "
	Text string
}

// ArticleDiff is one article of a convention that differs.
type ArticleDiff struct {
	N      int
	Title  string // "第三条"
	Action string // 新增, 修改 or 删除
	HTML   template.HTML
}

// Compare compares the text of two versions of a record (normalised
// bytes), for when a version no longer reads as a record (CompareViews
// is what residents are shown otherwise). Conventions are compared article by article, with a character
// diff inside each changed article; other bodies character by character;
// the front matter, where finance accounts are, line by line.
func Compare(old, cur string, convention bool) Diff {
	if old == cur {
		return Diff{Same: true}
	}
	ofm, obody := splitFront(old)
	cfm, cbody := splitFront(cur)
	var d Diff
	if ofm != cfm {
		d.Lines = LineDiff(ofm, cfm)
	}
	if obody == cbody {
		return d
	}
	if convention {
		d.Articles = articleDiff(obody, cbody)
		if len(d.Articles) > 0 {
			return d
		}
	}
	d.Body = CharDiff(obody, cbody)
	return d
}

// splitFront cuts a record's text into its front matter (without the +++
// lines) and its body.
func splitFront(text string) (fm, body string) {
	if !strings.HasPrefix(text, "+++\n") {
		return "", text
	}
	rest := text[len("+++\n"):]
	for i := 0; i < len(rest); {
		j := strings.IndexByte(rest[i:], '\n')
		line := rest[i:]
		if j >= 0 {
			line = rest[i : i+j]
		}
		if strings.TrimRight(line, " \t") == "+++" {
			if j < 0 {
				return rest[:i], ""
			}
			return rest[:i], rest[i+j+1:]
		}
		if j < 0 {
			break
		}
		i += j + 1
	}
	return "", text
}

// CharDiff compares two texts character by character (cleaned up to whole
// words and phrases for reading) and returns them as HTML: inserted text in
// <ins>, deleted text in <del>, line breaks as <br>.
func CharDiff(old, cur string) template.HTML {
	dmp := diffmatchpatch.New()
	ds := alignToLines(dmp.DiffCleanupSemantic(dmp.DiffMain(old, cur, false)))
	var b strings.Builder
	for _, d := range ds {
		text := strings.ReplaceAll(html.EscapeString(d.Text), "\n", "<br>\n")
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			b.WriteString("<ins>" + text + "</ins>")
		case diffmatchpatch.DiffDelete:
			b.WriteString("<del>" + text + "</del>")
		default:
			b.WriteString(text)
		}
	}
	return template.HTML(b.String())
}

// alignToLines slides each insertion or deletion that lies between two
// unchanged runs, and could as well stand a few characters earlier or
// later, to where it starts a line: an added paragraph "本条…" before a
// paragraph that also begins with 本 reads as that paragraph, not as
// "本<ins>条…本</ins>". Chinese text has no blanks for the usual
// word-boundary cleanup to find.
func alignToLines(ds []diffmatchpatch.Diff) []diffmatchpatch.Diff {
	for i := 1; i+1 < len(ds); i++ {
		a, x, b := &ds[i-1], &ds[i], &ds[i+1]
		if a.Type != diffmatchpatch.DiffEqual || b.Type != diffmatchpatch.DiffEqual || x.Type == diffmatchpatch.DiffEqual {
			continue
		}
		if strings.HasSuffix(a.Text, "\n") || a.Text == "" {
			continue
		}
		// Slide left while the edit's last rune ends the run before it.
		pre, edit, post := []rune(a.Text), []rune(x.Text), []rune(b.Text)
		for k := 1; k <= len(edit) && k <= len(pre); k++ {
			if pre[len(pre)-k] != edit[len(edit)-k] {
				break
			}
			if k == len(pre) || pre[len(pre)-k-1] == '\n' {
				// Rotate: the last k runes of the edit move to the front.
				shifted := append(append([]rune{}, edit[len(edit)-k:]...), edit[:len(edit)-k]...)
				a.Text = string(pre[:len(pre)-k])
				x.Text = string(shifted)
				b.Text = string(append(append([]rune{}, edit[len(edit)-k:]...), post...))
				break
			}
		}
	}
	return ds
}

// LineDiff compares two texts line by line.
func LineDiff(old, cur string) []DiffLine {
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToChars(old, cur)
	ds := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
	var out []DiffLine
	for _, d := range ds {
		op, sign := "", " "
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op, sign = "ins", "+"
		case diffmatchpatch.DiffDelete:
			op, sign = "del", "−"
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l == "" {
				continue
			}
			out = append(out, DiffLine{Op: op, Sign: sign, Text: strings.TrimSuffix(l, "\n")})
		}
	}
	return out
}

// articleDiff compares two convention bodies article by article.
func articleDiff(old, cur string) []ArticleDiff {
	index := func(body string) map[int]string {
		m := map[int]string{}
		for _, a := range record.SplitArticles(body, 1) {
			m[a.N] = a.Text
		}
		return m
	}
	return compareArticles(index(old), index(cur))
}

// compareArticles compares two conventions' articles by number: the
// text of each (source or rendered) in om and cm.
func compareArticles(om, cm map[int]string) []ArticleDiff {
	var ns []int
	for n := range om {
		ns = append(ns, n)
	}
	for n := range cm {
		if _, ok := om[n]; !ok {
			ns = append(ns, n)
		}
	}
	sort.Ints(ns)
	var out []ArticleDiff
	for _, n := range ns {
		o, inOld := om[n]
		c, inCur := cm[n]
		a := ArticleDiff{N: n, Title: "第" + zh.Numeral(n) + "条"}
		switch {
		case !inOld:
			a.Action, a.HTML = "新增", CharDiff("", c)
		case !inCur:
			a.Action, a.HTML = "删除", CharDiff(o, "")
		case o != c:
			a.Action, a.HTML = "修改", CharDiff(o, c)
		default:
			continue
		}
		out = append(out, a)
	}
	return out
}
