package editor

import (
	"encoding/json"
	"io/fs"
	"os"
	"strings"
	"testing"

	"gongkai/generator/config"
	"gongkai/generator/internal/testboard"
	"gongkai/generator/record"
)

func demoSite(t *testing.T) *config.Site {
	t.Helper()
	site, ds := config.Load(os.DirFS(testboard.Dir(t)))
	if site == nil || ds.HasErrors() {
		t.Fatalf("site: %v", ds)
	}
	return site
}

// viaJSON sends a model through JSON, as the browser does.
func viaJSON(t *testing.T, m model) model {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var out model
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestUntouchedModelKeepsBytes: every record of the demo board, its model
// sent back unchanged, keeps its front matter byte for byte.
func TestUntouchedModelKeepsBytes(t *testing.T) {
	site := demoSite(t)
	dir := os.DirFS(testboard.Dir(t))
	n := 0
	err := fs.WalkDir(dir, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, ok := record.IDFromPath(p)
		if !ok || !record.IsSection(src.Section) {
			return nil
		}
		f, err := readFile(dir, p)
		if err != nil {
			t.Fatal(err)
		}
		fs := record.Schema(site, src.Section)
		raw, err := decodeFM(f.FM)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, fm := range []string{f.FM, withEOL(f.FM, "\r\n")} {
			got, err := edit(fm, fs, viaJSON(t, derive(fs, raw)))
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if got != fm {
				t.Errorf("%s: an untouched form changed the front matter:\n%s", p, got)
			}
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 30 {
		t.Fatalf("only %d records", n)
	}
}

const minutesFM = `title = "居民代表会议记录"
date = 2026-06-16T14:30:00   # 开会的时间
meeting = "居民代表会议"
expected = 35
present = 29

# 缺席的人
[[absent]]
name = "李某某"
reason = "外出务工"

[[absent]]
name = "赵某"
reason = "住院治疗"

[[agenda]]
item = "议题一"

[[resolutions]]
text = "同意"
for = 27
against = 0
abstain = 2
`

func TestEditRowsAndFields(t *testing.T) {
	site := demoSite(t)
	fs := record.Schema(site, "minutes")
	raw, err := decodeFM(minutesFM)
	if err != nil {
		t.Fatal(err)
	}
	base := viaJSON(t, derive(fs, raw))
	mutate := func(f func(m model)) string {
		m := viaJSON(t, base)
		f(m)
		out, err := edit(minutesFM, fs, m)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// A removed row goes with its lines; the comment above the array stays.
	got := mutate(func(m model) {
		rows := m["absent"].([]any)
		m["absent"] = rows[1:]
	})
	want := strings.Replace(minutesFM, "[[absent]]\nname = \"李某某\"\nreason = \"外出务工\"\n\n", "", 1)
	if got != want {
		t.Errorf("remove first absentee:\n%s", got)
	}
	// An added row goes after the last one; a changed value is replaced
	// in place; a cleared optional value goes with its line; a new key
	// takes its place in the schema's order.
	got = mutate(func(m model) {
		m["place"] = "会议室"
		m["date"] = "2026-06-16T15:00"
		rows := m["agenda"].([]any)
		m["agenda"] = append(rows, map[string]any{"item": "议题二"})
		r := m["resolutions"].([]any)[0].(map[string]any)
		r["against"] = ""
		r["for"] = "26"
	})
	want = strings.NewReplacer(
		"date = 2026-06-16T14:30:00   #", "date = 2026-06-16T15:00:00   #",
		"meeting = \"居民代表会议\"\n", "meeting = \"居民代表会议\"\nplace = \"会议室\"\n",
		"item = \"议题一\"\n", "item = \"议题一\"\n\n[[agenda]]\nitem = \"议题二\"\n",
		"for = 27\nagainst = 0\n", "for = 26\n",
	).Replace(minutesFM)
	if got != want {
		t.Errorf("edit:\n%s\nwant:\n%s", got, want)
	}
	// A number that is not one is written as text, for the checks to
	// name.
	got = mutate(func(m model) { m["expected"] = "三十五" })
	if !strings.Contains(got, "expected = \"三十五\"\n") {
		t.Errorf("a bad number:\n%s", got)
	}
	// Rows moved: written over in order.
	got = mutate(func(m model) {
		rows := m["absent"].([]any)
		m["absent"] = []any{rows[1], rows[0]}
	})
	if !strings.Contains(got, "name = \"赵某\"\nreason = \"住院治疗\"\n\n[[absent]]\nname = \"李某某\"") {
		t.Errorf("rows moved:\n%s", got)
	}
}

func TestEditGroups(t *testing.T) {
	site := demoSite(t)
	fs := record.Schema(site, "disclosures")
	fm := "title = \"x\"\ndate = 2026-10-13\ncategory = \"财务公开\"\ntags = [\"财务\"]\n"
	raw, _ := decodeFM(fm)
	m := viaJSON(t, derive(fs, raw))
	m["notice"] = map[string]any{"from": "2026-10-13", "to": "2026-10-22"}
	m["finance"] = map[string]any{"opening": "100.00", "closing": "150.00",
		"income": []any{map[string]any{"date": "2026-07-10", "item": "经费", "amount": "50.00"}}}
	got, err := edit(fm, fs, m)
	if err != nil {
		t.Fatal(err)
	}
	want := "title = \"x\"\ndate = 2026-10-13\ncategory = \"财务公开\"\ntags = [\"财务\"]\nnotice = { from = 2026-10-13, to = 2026-10-22 }\n\n[finance]\nopening = \"100.00\"\nclosing = \"150.00\"\n\n[[finance.income]]\ndate = 2026-07-10\nitem = \"经费\"\namount = \"50.00\"\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// Cleared again: the front matter is as it was.
	raw2, _ := decodeFM(got)
	m2 := viaJSON(t, derive(fs, raw2))
	delete(m2, "notice")
	m2["finance"] = map[string]any{}
	back, err := edit(got, fs, m2)
	if err != nil {
		t.Fatal(err)
	}
	if back != fm {
		t.Errorf("cleared:\n%q\nwant\n%q", back, fm)
	}
}

// TestAmount: amounts typed into a form are written as a careful person
// writes them; what is no amount is kept for the checks to explain.
func TestAmount(t *testing.T) {
	for in, want := range map[string]string{
		"1200": "1200.00", "1,200.5": "1200.50", "¥6,842.55": "6842.55", " 30000元 ": "30000.00", "0.1": "0.10",
		"-5": "-5.00", "1200.555": "1200.555", "一千元": "一千元", "": "",
	} {
		if got := amount(in); got != want {
			t.Errorf("amount(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestComposeBody: a changed body is parted from the front matter by the
// file's blank line and ends with a line break; the form shows it without
// that blank line; an unchanged one keeps its bytes.
func TestComposeBody(t *testing.T) {
	f, err := parseFile("pages/a.md", []byte("+++\r\ntitle = \"甲\"\r\n+++\r\n\r\n正文。\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	shown, lead := f.shownBody()
	if shown != "正文。\n" || lead != 1 {
		t.Fatalf("shown %q, lead %d", shown, lead)
	}
	if got := string(f.compose(f.FM, shown)); got != string(f.Bytes) {
		t.Errorf("unchanged: %q", got)
	}
	if got := string(f.compose(f.FM, "新的正文。\n\n第二段。")); got != "+++\r\ntitle = \"甲\"\r\n+++\r\n\r\n新的正文。\r\n\r\n第二段。\r\n" {
		t.Errorf("changed: %q", got)
	}
	g, _ := parseFile("pages/b.md", []byte("+++\ntitle = \"乙\"\n+++\n正文。"))
	if got := string(g.compose(g.FM, "改了。")); got != "+++\ntitle = \"乙\"\n+++\n\n改了。\n" {
		t.Errorf("no blank line: %q", got)
	}
}
