package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCLIThemeNew: theme new copies the default theme into the content
// folder, refuses to run twice or with a bad name, and the board builds
// with the theme once site.toml names it, an edit of its stylesheet
// included.
func TestCLIThemeNew(t *testing.T) {
	src := writeBoard(t, false)
	code, _, errOut := gk(t, "theme", "new", "jiedao", "--src", src)
	if code != exitOK || !strings.Contains(errOut, "theme = \"jiedao\"") {
		t.Fatalf("theme new: %d\n%s", code, errOut)
	}
	css := filepath.Join(src, "themes", "jiedao", "assets", "style.css")
	if _, err := os.Stat(css); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = gk(t, "theme", "new", "jiedao", "--src", src)
	if code != exitContent || !strings.Contains(errOut, "themes/jiedao: 错误：themes/jiedao 已经存在，没有覆盖") || !strings.Contains(errOut, "没有新建文件") {
		t.Errorf("second theme new: %d\n%s", code, errOut)
	}
	code, _, errOut = gk(t, "--lang", "en", "theme", "new", "aux", "--src", src)
	if code != exitContent || !strings.Contains(errOut, "Windows") {
		t.Errorf("theme new aux: %d\n%s", code, errOut)
	}
	if code, _, _ := gk(t, "theme"); code != exitUsage {
		t.Errorf("theme without new: %d", code)
	}
	if code, _, _ := gk(t, "theme", "new", "a", "b"); code != exitUsage {
		t.Errorf("theme new with two names: %d", code)
	}

	// The board uses it once site.toml says so.
	site := filepath.Join(src, "site.toml")
	b, _ := os.ReadFile(site)
	text := string(b)
	if regexp.MustCompile(`(?m)^theme\s*=`).MatchString(text) {
		text = regexp.MustCompile(`(?m)^theme\s*=.*$`).ReplaceAllString(text, `theme = "jiedao"`)
	} else {
		text = `theme = "jiedao"` + "\n" + text
	}
	os.WriteFile(site, []byte(text), 0o644)
	os.WriteFile(css, []byte("body { color: #0a0b0c }\n"), 0o644)
	out := filepath.Join(t.TempDir(), "public")
	if code, _, errOut := gk(t, "build", "--src", src, "--out", out, "--date", "2026-11-27"); code != exitOK {
		t.Fatalf("build: %d\n%s", code, errOut)
	}
	matches, _ := filepath.Glob(filepath.Join(out, "assets", "style.*.css"))
	if len(matches) != 1 {
		t.Fatalf("stylesheets: %v", matches)
	}
	if b, _ := os.ReadFile(matches[0]); !strings.Contains(string(b), "#0a0b0c") {
		t.Errorf("the site's stylesheet is not the theme's: %s", b)
	}

	// new writes a record from the theme's archetype.
	arch := filepath.Join(src, "themes", "jiedao", "archetypes", "pages.md")
	os.WriteFile(arch, []byte("+++\ntitle = \"街道的页面\"\ndate = {{.Date}}\n+++\n\n街道主题的页面模板。\n"), 0o644)
	if code, _, errOut := gk(t, "new", "--src", src, "--date", "2026-11-27", "pages", "jd-page"); code != exitOK {
		t.Fatalf("new: %d\n%s", code, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(src, "pages", "jd-page.md")); !strings.Contains(string(b), "街道主题的页面模板。") || !strings.Contains(string(b), "date = 2026-11-27") {
		t.Errorf("new did not use the theme's archetype:\n%s", b)
	}
	os.Remove(filepath.Join(src, "pages", "jd-page.md"))

	// A template that misuses a field: the build fails at the file and
	// line, and the old output stays.
	rec := filepath.Join(src, "themes", "jiedao", "templates", "list.html")
	b, _ = os.ReadFile(rec)
	os.WriteFile(rec, []byte(strings.Replace(string(b), "<h1>{{.Heading}}</h1>", "<h1>{{.Heading}}</h1>\n<p>{{.Headline}}</p>", 1)), 0o644)
	code, _, errOut = gk(t, "build", "--src", src, "--out", out, "--date", "2026-11-27")
	if code != exitContent || !regexp.MustCompile(`themes/jiedao/templates/list.html:\d+:\d+: 错误：主题模板出错：没有字段 .Headline`).MatchString(errOut) || !strings.Contains(errOut, "原来的输出保持不变") {
		t.Errorf("build with a bad template: %d\n%s", code, errOut)
	}
	if _, err := os.Stat(matches[0]); err != nil {
		t.Error("the old output was removed")
	}
}
