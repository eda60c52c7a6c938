package history

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gongkai/generator/config"
	"gongkai/generator/diag"
	"gongkai/generator/ledger"
	"gongkai/generator/record"
)

func TestCharDiff(t *testing.T) {
	tests := []struct {
		old, cur, want string
	}{
		{"经居务监督委员会审核", "经居务监督委员会审核并公示", "经居务监督委员会审核<ins>并公示</ins>"},
		{"街道拨付经费", "街道下拨经费", "街道<ins>下</ins>拨<del>付</del>经费"},
		{"甲\n乙", "甲\n乙", "甲<br>\n乙"},
		{"<b>", "<i>", "&lt;<del>b</del><ins>i</ins>&gt;"},
		{"", "新增", "<ins>新增</ins>"},
		{"第二条\n本公约适用", "第二条\n本条新增一句。\n本公约适用", "第二条<br>\n<ins>本条新增一句。<br>\n</ins>本公约适用"},
	}
	for _, tc := range tests {
		if got := string(CharDiff(tc.old, tc.cur)); got != tc.want {
			t.Errorf("CharDiff(%q, %q) = %q, want %q", tc.old, tc.cur, got, tc.want)
		}
	}
}

func ExampleCharDiff() {
	fmt.Println(CharDiff("补助标准每人每月300元", "补助标准每人每月350元"))
	// Output: 补助标准每人每月3<del>0</del><ins>5</ins>0元
}

func TestLineDiff(t *testing.T) {
	got := LineDiff("a = 1\nb = 2\nc = 3\n", "a = 1\nb = 4\nc = 3\n")
	var parts []string
	for _, l := range got {
		parts = append(parts, l.Sign+l.Text)
	}
	want := " a = 1|−b = 2|+b = 4| c = 3"
	if s := strings.Join(parts, "|"); s != want {
		t.Errorf("LineDiff = %q, want %q", s, want)
	}
}

func TestSplitFront(t *testing.T) {
	tests := []struct {
		text, fm, body string
	}{
		{"+++\ntitle = \"x\"\n+++\n正文\n", "title = \"x\"\n", "正文\n"},
		{"+++\na = 1\n+++", "a = 1\n", ""},
		{"no front matter", "", "no front matter"},
		{"+++\nunclosed\n", "", "+++\nunclosed\n"},
	}
	for _, tc := range tests {
		fm, body := splitFront(tc.text)
		if fm != tc.fm || body != tc.body {
			t.Errorf("splitFront(%q) = %q, %q; want %q, %q", tc.text, fm, body, tc.fm, tc.body)
		}
	}
}

func TestCompareConvention(t *testing.T) {
	old := "+++\ntitle = \"公约\"\n+++\n## 第一条\n\n爱护环境。\n\n## 第二条\n\n邻里和睦。\n\n## 第三条\n\n文明养犬。\n"
	cur := "+++\ntitle = \"公约\"\nchange_note = \"修订\"\n+++\n## 第一条\n\n爱护环境。\n\n## 第二条\n\n邻里和睦，互相帮助。\n\n## 第四条\n\n垃圾分类。\n"
	d := Compare(old, cur, true)
	var got []string
	for _, a := range d.Articles {
		got = append(got, a.Action+" "+a.Title)
	}
	if s := strings.Join(got, ", "); s != "修改 第二条, 删除 第三条, 新增 第四条" {
		t.Errorf("articles = %q", s)
	}
	if !strings.Contains(string(d.Articles[0].HTML), "<ins>，互相帮助</ins>") {
		t.Errorf("modified article diff = %q", d.Articles[0].HTML)
	}
	if len(d.Lines) == 0 || d.Body != "" || d.Same {
		t.Errorf("fields %v, body %q, same %v", d.Lines, d.Body, d.Same)
	}
	if !Compare(old, old, true).Same {
		t.Errorf("identical texts are not Same")
	}
}

// FuzzCompare checks that any two texts compare without panicking and that
// the character diff, stripped of its markup, gives back both sides.
func FuzzCompare(f *testing.F) {
	f.Add("+++\na = 1\n+++\n## 第一条\n\n甲", "+++\na = 2\n+++\n## 第一条\n\n乙", true)
	f.Add("经审核", "经审核并公示", false)
	f.Add("", "+++", false)
	f.Fuzz(func(t *testing.T, old, cur string, conv bool) {
		if !utf8.ValidString(old) || !utf8.ValidString(cur) {
			return
		}
		Compare(old, cur, conv)
		h := string(CharDiff(old, cur))
		if strings.Contains(old+cur, "<") || strings.Contains(old+cur, "&") || strings.Contains(old+cur, "\"") || strings.Contains(old+cur, "'") || strings.Contains(old+cur, ">") {
			return
		}
		strip := func(s, drop string) string {
			for {
				i := strings.Index(s, "<"+drop+">")
				if i < 0 {
					break
				}
				j := strings.Index(s[i:], "</"+drop+">")
				s = s[:i] + s[i+j+len(drop)+3:]
			}
			s = strings.NewReplacer("<ins>", "", "</ins>", "", "<del>", "", "</del>", "", "<br>", "").Replace(s)
			return s
		}
		if got := strip(h, "ins"); got != old {
			t.Errorf("old side %q, want %q", got, old)
		}
		if got := strip(h, "del"); got != cur {
			t.Errorf("new side %q, want %q", got, cur)
		}
	})
}

// publish writes a board of records into dir and registers them.
func publish(t *testing.T, dir string, recs map[string]string, at time.Time, withdraw map[string]string) {
	t.Helper()
	var cur []ledger.Current
	for id, text := range recs {
		cur = append(cur, ledger.Current{ID: id, File: id + ".md", Bytes: []byte(text), ChangeNote: note(text)})
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if _, ds := ledger.Publish(root, cur, ledger.PublishOptions{Message: "发布", Now: at, Withdraw: withdraw}); ds.HasErrors() {
		t.Fatalf("publish: %v", ds)
	}
}

func note(text string) string {
	for _, l := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(l, "change_note = "); ok {
			return strings.Trim(v, `"`)
		}
	}
	return ""
}

func TestVersionsAndPending(t *testing.T) {
	dir := t.TempDir()
	loc := time.FixedZone("CST", 8*3600)
	v1 := "+++\ntitle = \"通知\"\n+++\n第一版\n"
	v2 := "+++\ntitle = \"通知\"\nchange_note = \"更正\"\n+++\n第二版\n"
	publish(t, dir, map[string]string{"disclosures/a": v1, "disclosures/gone": v1}, time.Date(2026, 7, 8, 9, 0, 0, 0, loc), nil)
	publish(t, dir, map[string]string{"disclosures/a": v2}, time.Date(2026, 7, 9, 9, 0, 0, 0, loc), map[string]string{"disclosures/gone": "有误"})
	site := &config.Site{Location: loc}
	tests := []struct {
		name    string
		text    string
		current int
		pending bool
		warn    bool
	}{
		{"registered", v2, 2, false, false},
		{"changed", v2 + "补充\n", 3, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &record.Record{ID: "disclosures/a", File: "disclosures/a.md", Text: tc.text, ChangeNote: note(tc.text)}
			board := newBoard(t, site, rec)
			h, ds := New(os.DirFS(dir), board)
			if ds.HasErrors() {
				t.Fatal(ds)
			}
			vs := h.Versions(rec)
			if vs.Current.N != tc.current || vs.Current.Pending != tc.pending || !vs.Current.Current {
				t.Errorf("current = %+v", vs.Current)
			}
			if vs.History[0].Date != "2026年7月8日" || vs.History[0].Short != vs.History[0].Hash[:8] || vs.History[1].Note != "更正" {
				t.Errorf("history = %+v", vs.History)
			}
			if vs.History[1].DiffPath != "disclosures/a/v2/diff/" || vs.History[0].DiffPath != "" {
				t.Errorf("diff paths %q %q", vs.History[0].DiffPath, vs.History[1].DiffPath)
			}
			ws := h.Pending()
			if got := hasWarning(ws, "将显示为第3版（尚未登记）"); got != tc.warn || ws.HasErrors() {
				t.Errorf("Check = %v, want warning %v", ws, tc.warn)
			}
			if w, reason, _ := h.Ledger.State("disclosures/gone"); !w || reason != "有误" {
				t.Errorf("withdrawal not in the ledger")
			}
		})
	}
	// An edited archive is an error of the ledger.
	p := filepath.Join(dir, "_archive", "disclosures", "a", "v1.md")
	os.WriteFile(p, []byte("改过"), 0o644)
	if ds := ledger.Verify(os.DirFS(dir), nil); !ds.HasErrors() {
		t.Errorf("an edited archive is not an error")
	}
}

func newBoard(t *testing.T, site *config.Site, recs ...*record.Record) *record.Board {
	t.Helper()
	b, _ := record.NewBoard(site, recs, record.Elsewhere{})
	if b == nil {
		t.Fatal("no board")
	}
	return b
}

func hasWarning(ds diag.List, s string) bool {
	for _, d := range ds {
		if d.Severity == diag.Warning && strings.Contains(d.Msg.In(diag.Zh), s) {
			return true
		}
	}
	return false
}
