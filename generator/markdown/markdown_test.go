package markdown

import (
	"fmt"
	"strings"
	"testing"
)

func convert(t *testing.T, body string, p Page) string {
	t.Helper()
	res, err := New(false).Convert(body, p)
	if err != nil {
		t.Fatal(err)
	}
	return string(res.HTML)
}

func TestConvert(t *testing.T) {
	exists := func(id string) bool { return id == "decisions/2026-02" || id == "minutes/a" }
	page := Page{Dir: "minutes/a/", Exists: exists}
	for _, c := range []struct {
		name, body string
		page       Page
		want, not  []string
	}{
		{"record link", "见[决议](decisions/2026-02)。", page, []string{`href="../../decisions/2026-02/"`}, nil},
		{"record link with article", "[第三条](decisions/2026-02#tiao-3)", page, []string{`href="../../decisions/2026-02/#tiao-3"`}, nil},
		{"offline", "[决议](decisions/2026-02)", Page{Dir: "minutes/a/", Exists: exists, Offline: true}, []string{`href="../../decisions/2026-02/index.html"`}, nil},
		{"external kept", "[网站](https://example.org/)", page, []string{`href="https://example.org/"`}, nil},
		{"javascript dropped", "[点此](javascript:alert(1))", page, []string{"点此"}, []string{"javascript:", "<a"}},
		{"vbscript dropped", "[点此](VBScript:x)", page, nil, []string{"VBScript", "<a"}},
		{"data dropped", "![图](data:image/png;base64,AAAA)", page, nil, []string{"data:"}},
		{"raw html dropped", "<script>alert(1)</script>\n\n正文", page, []string{"正文"}, []string{"<script>"}},
		{"heading shifted", "# 第一章 总则\n\n## 第一条\n", page, []string{"<h2", "<h3"}, []string{"<h1"}},
		{"articles anchored", "## 第三条\n\n内容\n\n第四条　段落式条文。\n", Page{Articles: true}, []string{`id="tiao-3"`, `id="tiao-4"`}, nil},
		{"no anchors outside conventions", "## 第三条\n", Page{}, nil, []string{"tiao-3"}},
		{"table header scope", "| 姓名 | 金额 |\n|---|---|\n| 陈某某 | 3000.00 |\n", page, []string{`scope="col"`, `<div class="scroll" tabindex="0" role="region" aria-label="表格"><table>`, "</table></div>"}, nil},
		{"cjk line break", "第一行中文\n第二行中文", page, []string{"第一行中文"}, []string{"第一行中文 第二行"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := convert(t, c.body, c.page)
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in %s", w, got)
				}
			}
			for _, n := range c.not {
				if strings.Contains(got, n) {
					t.Errorf("unexpected %q in %s", n, got)
				}
			}
		})
	}
}

func TestSummary(t *testing.T) {
	res, err := New(false).Convert("# 标题\n\n第一段文字。\n\n第二段。", Page{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary != "第一段文字。" {
		t.Errorf("summary %q", res.Summary)
	}
}

func TestCut(t *testing.T) {
	long := strings.Repeat("公开透明，", 40)
	got := Cut(long, 120)
	if n := len([]rune(got)); n > 122 {
		t.Errorf("cut to %d characters", n)
	}
	if Cut("短句。", 120) != "短句。" {
		t.Error("short text changed")
	}
}

func ExampleCut() {
	fmt.Println(Cut("本公约由社区居民委员会负责解释。自公布之日起施行，居民共同遵守。", 20))
	// Output: 本公约由社区居民委员会负责解释。
}

func FuzzConvert(f *testing.F) {
	f.Add("[a](javascript:x) ## 第一条\n| a |\n|---|\n")
	f.Fuzz(func(t *testing.T, body string) {
		if _, err := New(false).Convert(body, Page{Dir: "a/b/", Articles: true, Exists: func(string) bool { return true }}); err != nil && Check(body) == nil {
			t.Fatal(err)
		}
	})
}
