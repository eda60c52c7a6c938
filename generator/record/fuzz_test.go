package record_test

import (
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"gongkai/generator/config"
	"gongkai/generator/diag"
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
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return // textenc has turned the bytes into text before Decode
		}
		lines := strings.Count(text, "\n") + 1
		for _, section := range record.Sections {
			src := record.Source{File: section + "/x/index.md", ID: section + "/x", Section: section, Slug: "x", Bundle: true, Text: text}
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
