package fields_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gongkai/generator/diag"
	"gongkai/generator/fields"
)

// FuzzParse decodes arbitrary TOML and reads it with every getter: it must
// never panic, and every diagnostic lies inside the document.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"",
		"title = \"x\"",
		"titel = \"x\"\n",
		"present = 四十一\n",
		"date = 2026-06-31\n",
		"notice = { from = 2026-07-08, to = 2026-07-14 }\n",
		"[[steps]]\nstage = \"a\"\n[[steps]]\nstage = \"b\"\nnote = '''\n多行\n'''\n",
		"[finance]\nopening = \"1.00\"\n[[finance.income]]\namount = 3\n[[finance.expense]]\n\"带 引号\" = 1\n",
		"a.b.c = 1\n[a]\nd = [1, [2, 3], {x = 1}]\n",
		"x = \"\"\"\n\\\"\"\"\"\n",
		"[[a]]\n[a.b]\nc = 1\n[[a]]\n",
		"k = 1 # 注释 [x]\n['引号 键']\n\"x.y\" = 2\n",
		"tags = \"one\"\npersonal = \"是\"\n",
	} {
		f.Add(s, 1)
		f.Add(s, 7)
	}
	f.Fuzz(func(t *testing.T, text string, first int) {
		if first < 1 || first > 1000 {
			first = 2
		}
		doc, tab, ds := fields.Parse("x.md", text, first, time.UTC)
		last := first + strings.Count(text, "\n")
		check := func(ds diag.List) {
			for _, d := range ds {
				if d.Pos.File != "x.md" || d.Pos.Line < 1 || d.Pos.Line > last+1 || d.Pos.Col < 0 {
					t.Errorf("diagnostic outside the document (lines %d–%d): %s", first, last, d.Format(diag.Zh))
				}
			}
		}
		if doc == nil {
			if !ds.HasErrors() {
				t.Fatal("no document and no error")
			}
			check(ds)
			// A syntax error points at a character of its line, never past
			// its end, and says how to fix it.
			lines := strings.Split(text, "\n")
			for _, d := range ds {
				if i := d.Pos.Line - first; i >= 0 && i < len(lines) && d.Pos.Col > utf8.RuneCountInString(strings.TrimRight(lines[i], "\r")) {
					t.Errorf("column %d past the end of line %q: %s", d.Pos.Col, lines[i], d.Format(diag.Zh))
				}
				if d.Hint.Zh == "" || d.Hint.En == "" || strings.Contains(d.Format(diag.Zh), "%!") && !strings.Contains(text, "%!") {
					t.Errorf("no hint or a formatting artifact: %s", d.Format(diag.Zh))
				}
			}
			return
		}
		read(tab, 0)
		tab.Done()
		check(doc.Diags)
	})
}

// read asks for every key of t with every getter.
func read(t *fields.Table, depth int) {
	if depth > 4 {
		return
	}
	for _, k := range t.Keys() {
		t.Pos(k)
		t.String(k, true)
		t.Int(k, false)
		t.Bool(k)
		t.Date(k, false)
		t.Strings(k)
		t.Ints(k)
		if sub := t.Table(k); sub != nil {
			read(sub, depth+1)
			sub.Done()
		}
		for _, e := range t.Tables(k) {
			e.Self()
			read(e, depth+1)
			e.Done()
		}
	}
	t.String("missing", true)
}

func TestUnknownKeySuggestion(t *testing.T) {
	tests := []struct{ text, want string }{
		{"titel = 1", "是不是想写 title"},
		{"orign = 1", "是不是想写 origin"},
		{"notice_days = 1", "是不是想写 notice_min_days"},
		{"min_days_notice = 1", "是不是想写 notice_min_days"},
		{"colour = 1", "可以使用的键：notice_min_days, origin, title"},
	}
	for _, tt := range tests {
		doc, tab, ds := fields.Parse("site.toml", tt.text, 1, nil)
		if doc == nil {
			t.Fatalf("%s: %v", tt.text, ds)
		}
		for _, k := range []string{"title", "origin", "notice_min_days"} {
			tab.Has(k)
		}
		tab.Done()
		if len(doc.Diags) != 1 || doc.Diags[0].Pos.String() != "site.toml:1:1" || !strings.Contains(doc.Diags[0].Hint.Zh, tt.want) {
			t.Errorf("%s: %v, want a hint %q at site.toml:1:1", tt.text, doc.Diags, tt.want)
		}
	}
}

func TestIssueWithHint(t *testing.T) {
	doc, tab, _ := fields.Parse("x.md", "a = 1\n", 2, nil)
	tab.Errorf("a", "错", "wrong").WithHint("改", "fix")
	if len(doc.Diags) != 1 || doc.Diags[0].Hint.Zh != "改" || doc.Diags[0].Pos.String() != "x.md:2:1" {
		t.Errorf("the hint did not reach the document: %+v", doc.Diags)
	}
}

func TestSyntaxErrorPosition(t *testing.T) {
	tests := []struct {
		text  string
		first int
		pos   string
		hint  string
	}{
		{"title = \"x\"\npresent = 四十一\n", 2, "x.md:3:11", "改成 present = 41"},
		{"date = 2026-06-31\n", 2, "x.md:2:8", "请核对年、月、日"},
		{"title = \"一\ndate = 2026-01-01\n", 5, "x.md:5:9", "在文字末尾补上 \""},
		{"a = 1\na = 2\n", 2, "x.md:3:1", "同一项只能写一次"},
	}
	for _, tt := range tests {
		doc, _, ds := fields.Parse("x.md", tt.text, tt.first, nil)
		if doc != nil || len(ds) != 1 {
			t.Errorf("%q: want one syntax error, got %v", tt.text, ds)
			continue
		}
		if p := ds[0].Pos.String(); !strings.HasPrefix(p, tt.pos) || !strings.Contains(ds[0].Hint.Zh, tt.hint) {
			t.Errorf("%q: %s, want %s… with hint %q", tt.text, ds[0].Format(diag.Zh), tt.pos, tt.hint)
		}
	}
}
