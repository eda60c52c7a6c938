package build_test

import (
	"errors"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/internal/testboard"
	"gongkai/themes"
)

// themedBoard is the demo board with its own theme jiedao: extra files
// (theme-relative name → text) in themes/jiedao/.
func themedBoard(t *testing.T, files map[string]string) fstest.MapFS {
	t.Helper()
	src := testboard.Demo(t, nil)
	site := string(src["site.toml"].Data)
	site = regexp.MustCompile(`(?m)^theme\s*=.*$`).ReplaceAllString(site, `theme = "jiedao"`)
	src["site.toml"] = &fstest.MapFile{Data: []byte(site)}
	src["themes/jiedao"] = &fstest.MapFile{Mode: fs.ModeDir | 0o755}
	for name, text := range files {
		src["themes/jiedao/"+name] = &fstest.MapFile{Data: []byte(text)}
	}
	return src
}

func defaultFile(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(themes.Default(), name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestOwnTheme: a board's theme that overrides a page template (one more
// field on the record page), a partial (the list item) and the
// stylesheet builds with them, and takes every other file from the
// default theme.
func TestOwnTheme(t *testing.T) {
	record := strings.Replace(defaultFile(t, "templates/record.html"), "<h1>{{.Title}}</h1>",
		`<h1>{{.Title}}</h1>{{with .Number}}<p class="village-field">文号 {{.}}</p>{{end}}`, 1)
	item := `<li class="jd-item"><a href="{{.Page.URL .Record.Path}}">{{.Record.Title}}</a> <small>{{.Record.DateText}}</small></li>`
	src := themedBoard(t, map[string]string{
		"templates/record.html":        record,
		"templates/partials/item.html": item,
		"assets/style.css":             "body { color: #123456 }\n",
		"assets/.style.css.swp":        "editor leftover",
	})
	out, _, ds, err := build.ToMemory(build.Options{Src: src, Today: today})
	if err != nil || out == nil {
		t.Fatal(err, ds)
	}
	for _, d := range ds {
		if strings.Contains(d.Pos.File, "themes") {
			t.Errorf("the theme folder is reported as content: %s", d.Format(diag.Zh))
		}
	}
	page := get(t, out, "decisions/2026-03-guiyuan-gaizao/index.html")
	if !strings.Contains(page, `<p class="village-field">文号 `) {
		t.Error("the record page does not use the theme's record.html")
	}
	if !strings.Contains(page, `<ol class="timeline">`) {
		t.Error("the record page lost the default timeline")
	}
	list := get(t, out, "decisions/index.html")
	if !strings.Contains(list, `<li class="jd-item"><a href="../decisions/2026-03-guiyuan-gaizao/">`) || strings.Contains(list, `<li class="item">`) {
		t.Errorf("the list does not use the theme's item partial:\n%s", list)
	}
	// The home page lists records with the same partial, from its depth.
	if !strings.Contains(get(t, out, "index.html"), `<li class="jd-item"><a href="decisions/2026-`) {
		t.Error("the home page does not use the theme's item partial")
	}
	var css, printCSS string
	for _, name := range out.Names() {
		switch {
		case strings.HasPrefix(name, "assets/style."):
			css = get(t, out, name)
		case strings.HasPrefix(name, "assets/print."):
			printCSS = get(t, out, name)
		case strings.Contains(name, "swp"):
			t.Errorf("an editor's leftover is published: %s", name)
		}
	}
	if !strings.Contains(css, "#123456") {
		t.Errorf("style.css is not the theme's: %.80s", css)
	}
	if printCSS == "" || !strings.Contains(get(t, out, "print/board/index.html"), "print.") {
		t.Error("print.css of the default theme is missing")
	}
	// Everything the theme does not have comes from the default: the
	// sheet, the feed, the 404 page.
	if !strings.Contains(get(t, out, "404.html"), "页面不存在") || !strings.Contains(get(t, out, "feed.xml"), "<feed") {
		t.Error("the default theme's other templates are not used")
	}
}

// TestThemeTemplateErrors: a template that misuses a field, or does not
// parse, fails the build with a diagnostic at the theme file, line and
// column, in plain words; the default theme's markup is not used instead.
func TestThemeTemplateErrors(t *testing.T) {
	record := defaultFile(t, "templates/record.html")
	lines := strings.Split(record, "\n")
	at := -1
	for i, l := range lines {
		if strings.Contains(l, "<h1>{{.Title}}</h1>") {
			at = i
		}
	}
	if at < 0 {
		t.Fatal("record.html has no title")
	}
	misuse := strings.Replace(record, "<h1>{{.Title}}</h1>", "<h1>{{.Title}}</h1><p>{{.Village}}</p>", 1)
	for _, c := range []struct {
		name, file, text, want string
	}{
		{"misused field", "templates/record.html", misuse, `^themes/jiedao/templates/record.html:` + strconv.Itoa(at+1) + `:24: 错误：主题模板出错：没有字段 .Village（这里的数据是 RecordView）`},
		{"partial", "templates/partials/item.html", `<li>{{.Record.Titel}}</li>`, `^themes/jiedao/templates/partials/item.html:1:13: 错误：主题模板出错：没有字段 .Titel`},
		{"parse", "templates/list.html", "{{define \"main\"}}\n<h1>{{.Main.Heading</h1>\n{{end}}", `^themes/jiedao/templates/list.html:2: 错误：主题模板出错：`},
		{"unknown function", "templates/404.html", "{{define \"main\"}}\n\n{{shout .Title}}\n{{end}}", `^themes/jiedao/templates/404.html:3: 错误：主题模板出错：没有函数 shout`},
		{"feed", "templates/feed.xml", "<feed>\n{{.Nope}}</feed>", `^themes/jiedao/templates/feed.xml:2:2: 错误：主题模板出错：没有字段 .Nope`},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := themedBoard(t, map[string]string{c.file: c.text})
			out, _, _, err := build.ToMemory(build.Options{Src: src, Today: today})
			if err == nil || out != nil {
				t.Fatal("the build did not fail")
			}
			var d diag.Diagnostic
			if !errors.As(err, &d) {
				t.Fatalf("not a diagnostic: %v", err)
			}
			if got := d.Format(diag.Zh); !regexp.MustCompile(c.want).MatchString(got) {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
			if d.Hint.Zh == "" || d.Hint.En == "" || strings.Contains(d.Msg.En, "出错") {
				t.Errorf("hint or English missing: %+v", d)
			}
		})
	}
}

// TestThemeFolderMissing: site.toml names a theme the content folder
// does not have: an error at the theme line that says how to make it.
func TestThemeFolderMissing(t *testing.T) {
	src := themedBoard(t, nil)
	delete(src, "themes/jiedao")
	_, ds := build.Load(build.Options{Src: src, Today: today})
	found := false
	for _, d := range ds {
		if d.Pos.File == "site.toml" && d.Pos.Line > 0 && strings.Contains(d.Msg.Zh, "themes/jiedao") && strings.Contains(d.Hint.Zh, "gongkai theme new jiedao") {
			found = true
		}
	}
	if !found || !ds.HasErrors() {
		t.Errorf("no error at the theme line: %v", ds)
	}
}

func get(t *testing.T, out *build.MemOutput, name string) string {
	t.Helper()
	b, ok := out.Get(name)
	if !ok {
		t.Fatalf("%s was not written", name)
	}
	return string(b)
}
