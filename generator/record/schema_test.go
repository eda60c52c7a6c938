package record

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"gongkai/generator/config"
	"gongkai/generator/diag"
	"gongkai/themes"
)

// full are records of every section with every table of the schema
// present once: the decoder reads every key of a table it reads, present
// or not, so that every declared key is read.
var full = map[string]string{
	"conventions": `title = "青石社区居民公约"
date = 2026-07-08
kind = "居民公约"
adopted_on = 2026-07-01
adopted_by = "居民会议"
filed_with = "青石街道办事处"
filed_on = 2026-07-05
`,
	"disclosures": `title = "2026年第三季度财务公开"
date = 2026-10-13
category = "财务公开"
period = "2026-Q3"
notice = { from = 2026-10-13, to = 2026-10-22 }
print = { paper = "A4", orientation = "landscape" }
attachments = ["a.csv"]
[finance]
opening = "100.00"
closing = "150.00"
[[finance.income]]
date = 2026-07-10
item = "经费"
amount = "80.00"
voucher = "记-1"
[[finance.expense]]
date = 2026-07-11
item = "支出"
amount = "30.00"
[[tables]]
title = "明细"
file = "a.csv"
sum = ["金额"]
`,
	"decisions": `title = "决定"
date = 2026-06-18
number = "青石居〔2026〕11号"
category = "大额资金使用"
origin = "干部提议"
amount = "128000.00"
[[steps]]
stage = "党组织提议"
date = 2026-05-28
body = "党委"
note = "说明"
minutes = "minutes/a"
`,
	"minutes": `title = "会议记录"
date = 2026-06-16T14:30:00
meeting = "居民代表会议"
place = "会议室"
chair = "周某"
recorder = "吴某"
expected = 35
present = 29
[[absent]]
name = "李某"
reason = "外出"
[[agenda]]
item = "议题"
[[resolutions]]
text = "同意"
for = 27
against = 0
abstain = 2
result = "通过"
decision = "decisions/a"
`,
	"pages": `title = "关于"
date = 2026-01-01
issuer = "居委会"
summary = "摘要"
tags = ["a"]
unpublish_after = 2027-01-01
personal = true
draft = false
change_note = "改"
`,
}

func testSite(t *testing.T) *config.Site {
	t.Helper()
	site, ds := config.Parse("title = \"青石社区居务公开栏\"\nissuer = \"青石社区居民委员会\"\nbase_url = \"https://example.org/\"\n")
	if site == nil || ds.HasErrors() {
		t.Fatalf("site: %v", ds)
	}
	return site
}

// TestSchemaAndDecoderAgree fails when the decoder reads a key the schema
// does not declare, never reads one it declares, or reads it with another
// shape or required-ness.
func TestSchemaAndDecoderAgree(t *testing.T) {
	site := testSite(t)
	fsys := fstest.MapFS{"disclosures/x/a.csv": {Data: []byte("序号,金额\n1,2.00\n")}}
	for _, section := range Sections {
		text, ok := full[section]
		if !ok {
			t.Fatalf("no full record of %s", section)
		}
		src := Source{File: section + "/x/index.md", ID: section + "/x", Section: section, Slug: "x", Bundle: true, Text: "+++\n" + text + "+++\n\n正文\n"}
		_, _, doc := decode(site, fsys, src, nil)
		if doc == nil {
			t.Fatalf("%s: the front matter does not parse", section)
		}
		for _, s := range doc.Slips() {
			t.Errorf("%s: %s", section, s)
		}
	}
}

// TestSchemaKnowsNewField: a key declared in the schema is known to the
// decoder without more code, and one that is not is an unknown key.
func TestSchemaKnowsNewField(t *testing.T) {
	site := testSite(t)
	src := Source{File: "pages/x.md", ID: "pages/x", Section: "pages", Slug: "x", Text: "+++\ntitle = \"x\"\ndate = 2026-01-01\nsummery = \"x\"\n+++\n"}
	_, ds := Decode(site, fstest.MapFS{}, src)
	if len(ds) != 1 || !strings.Contains(ds[0].Msg.Zh, "不认识的键 summery") || !strings.Contains(ds[0].Hint.Zh, "summary") {
		t.Fatalf("want one unknown-key error suggesting summary, got %v", ds)
	}
}

// TestSchemaMissingAndShape: required keys and shapes come from the
// schema, in the words of the readers.
func TestSchemaMissingAndShape(t *testing.T) {
	site := testSite(t)
	cases := []struct {
		section, text string
		want          []string
	}{
		{"minutes", "title = \"x\"\ndate = 2026-01-01T14:00:00\n", []string{"1: 缺少必填项 meeting；请在 +++ 之间加上一行：meeting = \"居民代表会议\""}},
		{"minutes", "title = \"x\"\ndate = 2026-01-01T14:00:00\nmeeting = \"党员大会\"\nexpected = \"四十\"\n", []string{"5:1: expected 应为整数，实际写的是文字"}},
		{"disclosures", "title = \"x\"\ndate = 2026-01-01\ncategory = \"居务公开\"\n[finance]\nclosing = \"1.00\"\n", []string{"5:1: 缺少必填项 finance.opening；请在 finance 下面加上一行：opening = \"1234.50\""}},
		{"decisions", "title = \"x\"\ndate = 2026-01-01\ncategory = \"重大事项决策\"\n[[steps]]\ndate = 2026-01-01\n", []string{"5:1: 缺少必填项 steps[0].stage"}},
		{"pages", "title = \"x\"\ndate = 2026-01-01\nnotice = 3\n", []string{"4:1: notice 应为表（[…] 或 { … }），实际写的是整数"}},
		{"pages", "title = \"x\"\ndate = 2026-01-01\ntags = \"a\"\n", []string{"4:1: tags 应为文字列表（方括号），实际写的是文字；改成如：tags = [\"a\"]"}},
	}
	for _, c := range cases {
		src := Source{File: c.section + "/x.md", ID: c.section + "/x", Section: c.section, Slug: "x", Text: "+++\n" + c.text + "+++\n"}
		_, ds := Decode(site, fstest.MapFS{}, src)
		var got []string
		for _, d := range ds {
			if d.Severity == diag.Error {
				got = append(got, d.Format(diag.Zh))
			}
		}
		if len(got) != len(c.want) {
			t.Errorf("%s %q: want %d errors, got %q", c.section, c.text, len(c.want), got)
			continue
		}
		for i, w := range c.want {
			pos, msg, _ := strings.Cut(w, ": ")
			m, h, _ := strings.Cut(msg, "；")
			if !strings.Contains(got[i], ":"+pos+": 错误："+m) || !strings.Contains(got[i], h) {
				t.Errorf("%s %q: want %q, got %q", c.section, c.text, w, got[i])
			}
		}
	}
}

// keyLine matches a line `key = value` of a template.
var keyLine = regexp.MustCompile(`^([a-z_]+) = `)

// TestTemplatesDeclared: every key of the templates of `gongkai new`,
// commented lines included, is in the schema.
func TestTemplatesDeclared(t *testing.T) {
	site := testSite(t)
	theme := themes.Default()
	for _, section := range Sections {
		b, err := fs.ReadFile(theme, "archetypes/"+section+".md")
		if err != nil {
			t.Fatal(err)
		}
		fm, _, _ := strings.Cut(strings.TrimPrefix(string(b), "+++\n"), "\n+++\n")
		schema := Schema(site, section)
		table := schema
		for _, line := range strings.Split(fm, "\n") {
			l := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#"))
			switch {
			case strings.HasPrefix(l, "[[") || strings.HasPrefix(l, "["):
				name := strings.Trim(strings.Fields(l)[0], "[]")
				table = nil
				fs := schema
				for _, part := range strings.Split(name, ".") {
					f, ok := Find(fs, part)
					if !ok {
						t.Errorf("%s: table [%s] is not in the schema", section, name)
						break
					}
					table, fs = f.Fields, f.Fields
				}
			case keyLine.MatchString(l):
				key := keyLine.FindStringSubmatch(l)[1]
				if _, ok := Find(table, key); !ok && table != nil {
					t.Errorf("%s: key %s of the template is not in the schema", section, key)
				}
			}
		}
	}
}
