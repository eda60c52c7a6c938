package record

import (
	"fmt"
	"regexp"
	"strings"

	"gongkai/generator/diag"
	"gongkai/generator/zh"
)

// Article is a 第X条 of a convention.
type Article struct {
	N       int
	Line    int    // line in the file
	Chapter string // the 第X章 heading above it, if any
	Text    string // the article's text, headings and paragraphs, as Markdown
}

// Anchor returns the article's stable anchor, "tiao-3".
func (a Article) Anchor() string { return ArticleAnchor(a.N) }

// ArticleAnchor returns the anchor of article n.
func ArticleAnchor(n int) string { return "tiao-" + itoa(n) }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// ArticleStart reports whether a Markdown line starts an article: a
// heading "## 第三条" or a paragraph beginning "第三条".
func ArticleStart(line string) (n int, ok bool) {
	s := strings.TrimLeft(line, " ")
	s = strings.TrimLeft(s, "#")
	s = strings.TrimLeft(s, " *")
	if !strings.HasPrefix(s, "第") {
		return 0, false
	}
	n, _, ok = zh.ParseArticle(s)
	return n, ok
}

// SplitArticles returns the articles of a convention body; lines are
// counted from bodyLine.
func SplitArticles(body string, bodyLine int) []Article {
	var out []Article
	chapter := ""
	prevBlank := true
	inFence := false
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			inFence = !inFence
		}
		if inFence {
			continue
		}
		heading := strings.HasPrefix(t, "#")
		if heading && strings.Contains(t, "章") && !strings.Contains(t, "条") {
			chapter = strings.TrimSpace(strings.TrimLeft(t, "#"))
		}
		if n, ok := ArticleStart(t); ok && (heading || prevBlank) {
			out = append(out, Article{N: n, Line: bodyLine + i, Chapter: chapter})
		}
		if len(out) > 0 && !(heading && strings.Contains(t, "章") && !strings.Contains(t, "条")) {
			a := &out[len(out)-1]
			a.Text += l + "\n"
		}
		prevBlank = t == ""
	}
	for i := range out {
		out[i].Text = strings.TrimSpace(out[i].Text)
	}
	return out
}

// numberedHeading matches a heading that is meant to be an article: 第,
// numerals, 条.
var numberedHeading = regexp.MustCompile(`^#+\s*第\s*([〇零一二两三四五六七八九十百千万亿0-9０-９]+)\s*条`)

// CheckArticles checks that articles run 第一条, 第二条 … without gaps or
// repeats, and that every heading meant as an article has a number it
// can read.
func CheckArticles(file, body string, bodyLine int) diag.List {
	var ds diag.List
	inFence := false
	for i, l := range strings.Split(body, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			inFence = !inFence
		}
		m := numberedHeading.FindStringSubmatch(t)
		if inFence || m == nil {
			continue
		}
		if _, ok := ArticleStart(t); ok {
			continue
		}
		pos := diag.Position{File: file, Line: bodyLine + i, Col: 1}
		if strings.ContainsAny(m[1], "万亿") || len([]rune(m[1])) > 4 && strings.Trim(m[1], "0123456789０１２３４５６７８９") == "" {
			ds.Add(diag.Diagnostic{Pos: pos, Severity: diag.Error,
				Msg: diag.Text{Zh: "条款编号“第" + m[1] + "条”太大：条款最多编到第" + zh.Numeral(zh.MaxNumeral) + "条",
					En: fmt.Sprintf("article number %s is too large: articles go up to %d", m[1], zh.MaxNumeral)},
				Hint: diag.T("请核对编号；条款应依次编号：第一条、第二条……", "check the number; articles are numbered in order from 第一条")})
			continue
		}
		ds.Add(diag.Errorf(pos, "条款编号“第%s条”的写法看不懂", "cannot read the article number %s", m[1]).
			WithHint("用中文数字依次编号，如 第十条、第十一条、第一百零五条、第一千零一十条", "number articles in Chinese numerals, e.g. 第十条, 第十一条, 第一百零五条, 第一千零一十条"))
	}
	want := 1
	arts := SplitArticles(body, bodyLine)
	for i, a := range arts {
		pos := diag.Position{File: file, Line: a.Line, Col: 1}
		// When the next article continues from want+1, this one was meant
		// to be article want (a slip of the pen): count it as that, so one
		// wrong number gives one error, not two.
		slip := i+1 < len(arts) && arts[i+1].N == want+1
		switch {
		case a.N == want:
			want++
		case a.N < want:
			ds.Add(diag.Diagnostic{Pos: pos, Severity: diag.Error,
				Msg: diag.Text{Zh: "条款编号重复：第" + zh.Numeral(a.N) + "条出现了两次（此处应为第" + zh.Numeral(want) + "条）",
					En: fmt.Sprintf("article %d is repeated (article %d expected here)", a.N, want)},
				Hint: diag.T("条款应依次编号：第一条、第二条……", "articles must be numbered in order")})
			if slip {
				want++
			}
		default:
			ds.Add(diag.Diagnostic{Pos: pos, Severity: diag.Error,
				Msg: diag.Text{Zh: "条款编号跳号：第" + zh.Numeral(a.N) + "条之前缺少第" + zh.Numeral(want) + "条",
					En: fmt.Sprintf("article numbering skips: article %d is missing before article %d", want, a.N)},
				Hint: diag.T("条款应依次编号：第一条、第二条……", "articles must be numbered in order")})
			if slip {
				want++
			} else {
				want = a.N + 1
			}
		}
	}
	return ds
}
