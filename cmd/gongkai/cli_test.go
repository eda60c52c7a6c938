package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// cliBoard is a small valid board: a decision decided at a meeting, its
// minutes and a page.
const cliBoard = `
-- content/site.toml --
title = "青石社区居务公开栏"
issuer = "青石社区居民委员会"
base_url = "https://example.org/qingshi/"

[procedure]
stages = ["社区党组织提议", "两委会商议", "党员大会审议", "居民代表会议决议", "决议公开", "实施结果公开"]
-- content/decisions/2026-02.md --
+++
title = "关于实施煤安小区环境整治项目的决定"
date = 2026-03-18
category = "重大项目安排"

[[steps]]
stage = "社区党组织提议"
date = 2026-03-02

[[steps]]
stage = "居民代表会议决议"
date = 2026-03-18
minutes = "minutes/2026-03-18-daibiao"
+++

决定实施环境整治项目。
-- content/minutes/2026-03-18-daibiao.md --
+++
title = "青石社区居民代表会议记录"
date = 2026-03-18T14:30:00
meeting = "居民代表会议"
expected = 26
present = 22

[[resolutions]]
text = "同意实施煤安小区环境整治项目"
for = 20
against = 1
abstain = 1
decision = "decisions/2026-02"
+++

会议由社区党委书记主持。
-- content/pages/about.md --
+++
title = "关于本公开栏"
date = 2026-01-01
+++

本公开栏依法公开居务、财务和党务信息。
`

// writeBoard writes cliBoard into a temporary project folder and returns
// its content folder. bad replaces the present count with one above the
// expected count.
func writeBoard(t *testing.T, bad bool) string {
	t.Helper()
	root := t.TempDir()
	for _, f := range txtar.Parse([]byte(cliBoard)).Files {
		data := f.Data
		if bad && strings.HasSuffix(f.Name, "daibiao.md") {
			data = bytes.Replace(data, []byte("present = 22"), []byte("present = 27"), 1)
		}
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(root, "content")
}

// gk runs the command line and returns the exit code and both outputs.
func gk(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	if s := e.String() + o.String(); strings.Contains(s, "panic") || strings.Contains(s, "goroutine ") {
		t.Fatalf("gongkai %v panicked:\n%s", args, s)
	}
	return code, o.String(), e.String()
}

func TestCLI(t *testing.T) {
	t.Setenv("GONGKAI_LANG", "")
	good, bad := writeBoard(t, false), writeBoard(t, true)
	out := filepath.Join(t.TempDir(), "public")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // a piece of stdout
		stderr string // a piece of stderr
	}{
		{"no arguments", nil, 2, "用法", ""},
		{"help", []string{"--help"}, 0, "命令", ""},
		{"help word", []string{"help"}, 0, "gongkai <命令>", ""},
		{"help of a command", []string{"help", "build"}, 0, "", "--strict"},
		{"command help", []string{"check", "--help"}, 0, "", "--json"},
		{"unknown command", []string{"biuld"}, 2, "", "是不是想用 gongkai build"},
		{"unknown command en", []string{"--lang", "en", "chek"}, 2, "", "did you mean gongkai check"},
		{"bad flag", []string{"build", "--nope"}, 2, "", "nope"},
		{"bad date", []string{"build", "--src", good, "--out", out, "--date", "2026-13-01"}, 2, "", "--date"},
		{"missing src", []string{"build", "--src", filepath.Join(good, "nothing")}, 2, "", "找不到内容文件夹"},
		{"stray argument", []string{"build", "--src", good, "--out", out, "extra"}, 2, "", "不接受参数"},
		{"build good", []string{"build", "--src", good, "--out", out, "--date", "2026-11-27"}, 0, "", "已生成 3 条记录"},
		{"build again", []string{"build", "--src", good, "--out", out, "--date", "2026-11-27"}, 0, "", "个与上次相同"},
		{"build again from the cache", []string{"build", "--src", good, "--out", out, "--date", "2026-11-27"}, 0, "", "重新读取了 0 条有变化的记录，其余 3 条取自上次生成时的缓存"},
		{"build good en", []string{"build", "--lang=en", "--src", good, "--out", out, "--date", "2026-11-27"}, 0, "", "built 3 records"},
		{"build bad", []string{"build", "--src", bad, "--out", out, "--date", "2026-11-27"}, 1, "", "minutes/2026-03-18-daibiao.md:6:1: 错误：实到人数 27 超过应到人数 26"},
		{"build bad en", []string{"--lang", "en", "build", "--src", bad, "--out", out, "--date", "2026-11-27"}, 1, "", "error: present (27) exceeds expected (26)"},
		{"check good", []string{"check", "--src", good, "--date", "2026-11-27"}, 0, "", "检查通过：3 条记录"},
		{"check bad", []string{"check", "--src", bad, "--date", "2026-11-27"}, 1, "", "共 1 个错误"},
		{"version", []string{"version"}, 0, "gongkai ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := gk(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout does not contain %q:\n%s", tt.stdout, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr does not contain %q:\n%s", tt.stderr, stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(out, "decisions", "2026-02", "index.html")); err != nil {
		t.Errorf("the good build did not write the decision page: %v", err)
	}
}

func TestCLIBuildFailureKeepsOutput(t *testing.T) {
	good, bad := writeBoard(t, false), writeBoard(t, true)
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := gk(t, "build", "--src", good, "--out", out, "--date", "2026-11-27"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	page := filepath.Join(out, "pages", "about", "index.html")
	before, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := gk(t, "build", "--src", bad, "--out", out, "--date", "2026-11-27")
	if code != 1 || !strings.Contains(stderr, "保持不变") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if after, err := os.ReadFile(page); err != nil || !bytes.Equal(after, before) {
		t.Errorf("the failed build changed %s (%v)", page, err)
	}
}

func TestCLICheckJSON(t *testing.T) {
	type report struct {
		OK          bool `json:"ok"`
		Errors      int  `json:"errors"`
		Records     int  `json:"records"`
		Diagnostics []struct {
			File     string `json:"file"`
			Line     int    `json:"line"`
			Col      int    `json:"col"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			Hint     string `json:"hint"`
		} `json:"diagnostics"`
	}
	for _, bad := range []bool{false, true} {
		code, stdout, stderr := gk(t, "check", "--json", "--src", writeBoard(t, bad), "--date", "2026-11-27")
		var r report
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("check --json printed no JSON (%v):\n%s\n%s", err, stdout, stderr)
		}
		// Neither board was published: one warning says so.
		if len(r.Diagnostics) == 0 || r.Diagnostics[0].File != "ledger.jsonl" || r.Diagnostics[0].Severity != "warning" {
			t.Fatalf("no warning that nothing is published: %+v", r)
		}
		if !bad {
			if code != 0 || !r.OK || r.Errors != 0 || r.Records != 3 || len(r.Diagnostics) != 1 {
				t.Errorf("good board: exit %d, report %+v", code, r)
			}
			continue
		}
		if code != 1 || r.OK || r.Errors != 1 || len(r.Diagnostics) != 2 {
			t.Fatalf("bad board: exit %d, report %+v", code, r)
		}
		d := r.Diagnostics[1]
		if d.File != "minutes/2026-03-18-daibiao.md" || d.Line != 6 || d.Col != 1 || d.Severity != "error" ||
			!strings.Contains(d.Message, "实到人数 27 超过应到人数 26") || d.Hint == "" {
			t.Errorf("diagnostic %+v", d)
		}
	}
}

func TestCLINew(t *testing.T) {
	t.Setenv("GONGKAI_LANG", "")
	src := writeBoard(t, false)
	for _, section := range []string{"conventions", "disclosures", "decisions", "minutes", "pages"} {
		code, _, stderr := gk(t, "new", "--src", src, "--date", "2026-11-27", section, "test-"+section)
		if code != 0 {
			t.Fatalf("new %s: exit %d: %s", section, code, stderr)
		}
		if _, err := os.Stat(filepath.Join(src, section, "test-"+section+".md")); err != nil {
			t.Errorf("new %s wrote no file: %v", section, err)
		}
	}
	// What new writes is refused until its 【请填写：…】 are replaced,
	// and a valid record once they are.
	if code, _, stderr := gk(t, "check", "--src", src, "--date", "2026-11-27"); code != 1 || !strings.Contains(stderr, "pages/test-pages.md:2:10: 错误：模板里的“【请填写：标题，如 联系我们】”还没有换成实际内容") {
		t.Errorf("untouched templates pass check (exit %d):\n%s", code, stderr)
	}
	placeholder := regexp.MustCompile(`(?m)^(\w+) = "【请填写：[^】]*】"`)
	counts := regexp.MustCompile(`(?m)^(expected|present|for|against|abstain) = 0\b`)
	for _, section := range []string{"conventions", "disclosures", "decisions", "minutes", "pages"} {
		p := filepath.Join(src, section, "test-"+section+".md")
		b, _ := os.ReadFile(p)
		text := placeholder.ReplaceAllStringFunc(string(b), func(m string) string {
			key := placeholder.FindStringSubmatch(m)[1]
			if key == "opening" || key == "closing" || key == "amount" {
				return key + ` = "0.00"`
			}
			return key + ` = "示例"`
		})
		text = counts.ReplaceAllStringFunc(text, func(m string) string {
			key := counts.FindStringSubmatch(m)[1]
			return key + " = " + map[string]string{"expected": "26", "present": "22", "for": "20", "against": "1", "abstain": "1"}[key]
		})
		text = regexp.MustCompile(`【请填写：[^】]*】`).ReplaceAllString(text, "示例")
		os.WriteFile(p, []byte(text), 0o644)
	}
	if code, _, stderr := gk(t, "check", "--src", src, "--date", "2026-11-27"); code != 0 {
		t.Errorf("the new records do not pass check:\n%s", stderr)
	}
	if code, _, stderr := gk(t, "new", "--src", src, "--bundle", "disclosures", "meian"); code != 0 {
		t.Errorf("new --bundle: exit %d: %s", code, stderr)
	} else if _, err := os.Stat(filepath.Join(src, "disclosures", "meian", "index.md")); err != nil {
		t.Errorf("new --bundle: %v", err)
	}

	about := filepath.Join(src, "pages", "about.md")
	before, _ := os.ReadFile(about)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"refuses to overwrite", []string{"new", "--src", src, "pages", "about"}, 1, "已经存在，没有覆盖"},
		{"refuses to shadow a bundle", []string{"new", "--src", src, "disclosures", "meian"}, 1, "已经存在"},
		{"refuses to overwrite en", []string{"new", "--lang", "en", "--src", src, "pages", "about"}, 1, "already exists"},
		{"bad section", []string{"new", "--src", src, "page", "contact"}, 2, "是不是想写 pages"},
		{"slug with space", []string{"new", "--src", src, "pages", "contact us"}, 2, "不能用作网址"},
		{"slug leaving the folder", []string{"new", "--src", src, "pages", "../../evil"}, 2, "不能含 / 或 ."},
		{"slug with a question mark", []string{"new", "--src", src, "pages", "a?b"}, 2, "不能用作网址"},
		{"Windows device name", []string{"new", "--src", src, "pages", "CON"}, 2, "名称 \"CON\" 是 Windows 的保留名"},
		{"Windows device name with a digit", []string{"new", "--src", src, "pages", "com1"}, 2, "保留名"},
		{"trailing dot is refused as a dot", []string{"new", "--src", src, "pages", "about."}, 2, "不能含 / 或 ."},
		{"Windows character", []string{"new", "--src", src, "pages", "a:b"}, 2, "Windows 不允许的字符 :"},
		{"same name but for case", []string{"new", "--src", src, "pages", "About"}, 1, "只差大小写"},
		{"missing slug", []string{"new", "--src", src, "pages"}, 2, "<section> <slug>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := gk(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d (want %d), stderr:\n%s", code, tt.code, stderr)
			}
		})
	}
	if after, _ := os.ReadFile(about); !bytes.Equal(after, before) {
		t.Error("new changed an existing record")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(filepath.Dir(src)), "evil.md")); err == nil {
		t.Error("new wrote outside the content folder")
	}
}

func TestCLILangFromEnvironment(t *testing.T) {
	t.Setenv("GONGKAI_LANG", "en")
	code, _, stderr := gk(t, "check", "--src", writeBoard(t, true), "--date", "2026-11-27")
	if code != 1 || !strings.Contains(stderr, "error: present (27) exceeds expected (26)") || !strings.Contains(stderr, "hint:") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if _, stdout, _ := gk(t, "--help"); !strings.Contains(stdout, "Usage: gongkai <command>") {
		t.Errorf("help is not in English:\n%s", stdout)
	}
}
