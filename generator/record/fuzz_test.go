package record_test

import (
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"gongkai/generator/config"
	"gongkai/generator/diag"
	"gongkai/generator/markdown"
	"gongkai/generator/record"
)

// fuzzSite is a site with the default rules.
func fuzzSite(t testing.TB) *config.Site {
	site, ds := config.Parse("title = \"青石社区居务公开栏\"\nissuer = \"青石社区居民委员会\"\nbase_url = \"https://example.org/\"\n")
	if site == nil || ds.HasErrors() {
		t.Fatalf("site: %v", ds)
	}
	return site
}

var fuzzSeeds = []string{
	"",
	"+++",
	"+++\n",
	"+++\n+++",
	"+++\n+++\n",
	"---\ntitle: x\n---\n",
	"+++\ntitle = \"x\"\ndate = 2026-01-01\n+++\n\n正文",
	"+++\r\ntitle = \"x\"\r\n+++\r\n",
	"+++ \ntitle = \"x\"\ndate = 2026-01-01\n+++  \n",
	"+++\ntitle = \"x\n+++\n",
	"+++\ntitle = \"\"\"多行\n+++\n\"\"\"\ndate = 2026-01-01\n+++\n",
	"+++\n[[steps]]\nstage = \"两委会商议\"\ndate = 2026-13-01\n+++\n",
	"+++\ntitle = \"x\"\ndate = 2026-03-18\ncategory = \"大额资金使用\"\namount = \"1.005\"\n[[steps]]\nstage = \"党组织提议\"\ndate = 2026-03-02\nminutes = \"minutes/a\"\n[[steps]]\nstage = \"党组织提议\"\ndate = 2026-03-01\n+++\n[x](decisions/b)",
	"+++\ntitle = \"x\"\ndate = 2026-03-18T14:30:00\nmeeting = \"居民代表会议\"\nexpected = 3\npresent = 99\n[[resolutions]]\ntext = \"a\"\nfor = -1\nresult = \"通过\"\n[[absent]]\nname = \"周某\"\n+++\n",
	"+++\ntitle = \"x\"\ndate = 2026-07-08\ncategory = \"财务公开\"\nperiod = \"2026-Q5\"\nnotice = { from = 2026-07-08, to = 2026-07-01 }\n[finance]\nopening = \"-0.01\"\nclosing = 3\n[[finance.income]]\namount = \"9999999999999999999\"\n[[tables]]\nfile = \"../x.csv\"\n+++\n",
	"+++\ntitle = \"x\"\ndate = 2024-06-01\nkind = \"公约\"\nattachments = [\"..\", \"/etc/passwd\", 3]\n+++\n## 第一条\n\n## 第一条\n\n第九百九十九条\n\n```\n## 第二条\n```\n",
	"+++\ntitle = \"x\"\ndate = 2026-01-01\nprint = { paper = \"B5\" }\ntags = [1, \"a\"]\nnotice = 3\n+++\n",
	"+++\ntitle = \"【请填写：标题】\"\ndate = \"2026-01-01\"\nexpected = \"【请填写：应到人数】\"\ntags = \"x\"\nunpublish_after = 0000-01-01\n+++\n【请填写：正文\n[a][m] [b](../../x) [c](#tiao-9) ![d](照片.jpg)\n\n[m]: pages/nope\n",
	"+++\ntitle = \"x\"\ndate = 2026-03-18T14:30:00\nmeeting = \"居民代表会议\"\nexpected = 100001\npresent = 9223372036854775807\n[[resolutions]]\ntext = \"a\"\nfor = 9223372036854775807\nagainst = 9223372036854775807\n+++\n",
}

// FuzzDecode feeds arbitrary text to the front-matter splitter and the
// decoding of every section: it must never panic, and every diagnostic
// names the file and a line inside it.
func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	site := fuzzSite(f)
	fsys := fstest.MapFS{"disclosures/x/a.csv": {Data: []byte("序号,金额\n1,2.00\n")}}
	md := markdown.New(false)
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return // textenc has turned the bytes into text before Decode
		}
		lines := strings.Count(text, "\n") + 1
		for _, section := range record.Sections {
			src := record.Source{File: section + "/x/index.md", ID: section + "/x", Section: section, Slug: "x", Bundle: true, Text: text, Outline: md.Outline}
			r, ds := record.Decode(site, fsys, src)
			for _, d := range ds {
				if d.Pos.File != src.File {
					t.Errorf("%s: diagnostic names file %q: %s", section, d.Pos.File, d.Format(diag.Zh))
				}
				if d.Pos.Line < 0 || d.Pos.Line > lines+1 {
					t.Errorf("%s: diagnostic at line %d of %d: %s", section, d.Pos.Line, lines, d.Format(diag.Zh))
				}
			}
			if r == nil && !ds.HasErrors() {
				t.Errorf("%s: no record and no error", section)
			}
			if r != nil {
				_, _ = record.NewBoard(site, []*record.Record{r}, record.Elsewhere{})
			}
		}
	})
}

// FuzzLinkTarget reads arbitrary link destinations from a record file:
// a record id is always section/slug, a file path never leaves the
// folder, and nothing panics.
func FuzzLinkTarget(f *testing.F) {
	for _, s := range []string{"decisions/2026-02", "../pages/about.md", "#tiao-3", "资金明细.csv", "../../etc/passwd", "https://x", "//x", "/decisions/a/", "decisions/", "a%2F..%2F..%2Fb", "mailto:a@b", "C:\\x", "./x/../../y"} {
		f.Add("disclosures/meian/index.md", s)
	}
	f.Fuzz(func(t *testing.T, file, dest string) {
		tg := record.LinkTarget(file, dest)
		switch tg.Kind {
		case record.ToRecord:
			if tg.ID != "" && (strings.Count(tg.ID, "/") != 1 || !record.IsSection(strings.Split(tg.ID, "/")[0])) {
				t.Fatalf("LinkTarget(%q, %q) = record %q", file, dest, tg.ID)
			}
		case record.ToFile, record.ToSection:
			if strings.HasPrefix(tg.Path, "../") || tg.Path == ".." || strings.HasPrefix(tg.Path, "/") {
				t.Fatalf("LinkTarget(%q, %q) = path %q outside", file, dest, tg.Path)
			}
		}
	})
}

func TestLinkTarget(t *testing.T) {
	const file = "disclosures/meian/index.md"
	cases := []struct {
		dest string
		want record.Target
	}{
		{"decisions/2026-02", record.Target{Kind: record.ToRecord, ID: "decisions/2026-02"}},
		{"decisions/2026-02#tiao-3", record.Target{Kind: record.ToRecord, ID: "decisions/2026-02", Frag: "tiao-3"}},
		{"/decisions/2026-02/", record.Target{Kind: record.ToRecord, ID: "decisions/2026-02"}},
		{"../../pages/about.md", record.Target{Kind: record.ToRecord, ID: "pages/about"}},
		{"../2026-q2-caiwu.md", record.Target{Kind: record.ToRecord, ID: "disclosures/2026-q2-caiwu"}},
		{"../guiyuan/index.md", record.Target{Kind: record.ToRecord, ID: "disclosures/guiyuan"}},
		{"#tiao-3", record.Target{Kind: record.ToRecord, ID: "disclosures/meian", Frag: "tiao-3"}},
		{"资金明细.csv", record.Target{Kind: record.ToFile, Path: "disclosures/meian/资金明细.csv"}},
		{"%E8%B5%84%E9%87%91.csv", record.Target{Kind: record.ToFile, Path: "disclosures/meian/资金.csv"}},
		{"decisions/", record.Target{Kind: record.ToSection, Path: "decisions/"}},
		{"../../../etc/passwd", record.Target{Kind: record.Outside}},
		{"https://example.org/", record.Target{Kind: record.External}},
		{"mailto:a@b", record.Target{Kind: record.External}},
		{"//cdn.example/x", record.Target{Kind: record.External}},
		{"", record.Target{Kind: record.External}},
	}
	for _, c := range cases {
		if got := record.LinkTarget(file, c.dest); got != c.want {
			t.Errorf("LinkTarget(%q) = %+v; want %+v", c.dest, got, c.want)
		}
	}
}
