package scaffold_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/record"
	"gongkai/generator/scaffold"
)

const site = `title = "青石社区居务公开栏"
issuer = "青石社区居民委员会"
parent = "青石街道办事处"
base_url = "https://example.org/qingshi/"

[contact]
supervise_phone = "023-6800-0001"
`

var today = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// folder makes a content folder with site.toml and opens it.
func folder(t *testing.T) (string, *os.Root) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.toml"), []byte(site), 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return dir, root
}

func format(ds diag.List) string {
	var b strings.Builder
	ds.Print(&b, diag.Zh)
	return b.String()
}

// marks returns the position of every placeholder of text that is not in
// a TOML comment — in a quoted value of the front matter, or in the body —
// as file:line:col.
func marks(file, text string) []string {
	var out []string
	inFront := false
	for i, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == "+++" {
			inFront = !inFront
			continue
		}
		if inFront {
			// Only what stands in quotes before any comment.
			if k := strings.IndexByte(l, '#'); k >= 0 && strings.Count(l[:k], `"`)%2 == 0 {
				l = l[:k]
			}
		}
		for off := 0; ; {
			j := strings.Index(l[off:], record.PlaceholderMark)
			if j < 0 {
				break
			}
			off += j
			out = append(out, fmt.Sprintf("%s:%d:%d", file, i+1, utf8.RuneCountInString(l[:off])+1))
			off += len(record.PlaceholderMark)
		}
	}
	return out
}

var (
	// quoted is a value that is a placeholder alone.
	quoted = regexp.MustCompile(`(?m)^(\w+) = "【请填写：[^】]*】"`)
	// zero is a count the template leaves at 0.
	zero = regexp.MustCompile(`(?m)^(expected|present|for|against|abstain) = 0\b`)
)

// fillIn replaces every placeholder the way a clerk would: a number where
// a number belongs, amounts that balance, text elsewhere.
func fillIn(text string) string {
	numbers := map[string]string{"expected": "26", "present": "22", "for": "20", "against": "1", "abstain": "1"}
	amounts := map[string]string{"opening": `"1000.00"`, "closing": `"1400.00"`}
	lines := []string{`"500.00"`, `"100.00"`} // the income, then the expense
	value := func(key string) string {
		if n, ok := numbers[key]; ok {
			return n
		}
		if a, ok := amounts[key]; ok {
			return a
		}
		if key == "amount" && len(lines) > 0 {
			a := lines[0]
			lines = lines[1:]
			return a
		}
		return `"示例"`
	}
	text = quoted.ReplaceAllStringFunc(text, func(s string) string {
		key := quoted.FindStringSubmatch(s)[1]
		return key + " = " + value(key)
	})
	text = zero.ReplaceAllStringFunc(text, func(s string) string {
		key := zero.FindStringSubmatch(s)[1]
		return key + " = " + numbers[key]
	})
	return regexp.MustCompile(`【请填写：([^】]*)】`).ReplaceAllString(text, "示例")
}

// TestTemplatesAskToBeFilledIn writes a record of every section and checks
// that each placeholder of its template is an error at its line and
// column, and the only error; filled in, the record is valid.
func TestTemplatesAskToBeFilledIn(t *testing.T) {
	for _, section := range record.Sections {
		t.Run(section, func(t *testing.T) {
			dir, root := folder(t)
			rec := scaffold.Record{Section: section, Slug: "test", Today: today}
			if ds := scaffold.New(root, rec); ds.HasErrors() || len(ds) > 0 {
				t.Fatalf("new: %s", format(ds))
			}
			b, err := os.ReadFile(filepath.Join(dir, rec.File()))
			if err != nil {
				t.Fatal(err)
			}
			want := marks(rec.File(), string(b))
			if len(want) == 0 {
				t.Fatalf("the template of %s asks for nothing: every template marks what to fill in with %s…】", section, record.PlaceholderMark)
			}
			_, ds := build.Load(build.Options{Src: root.FS(), Today: today})
			var got []string
			for _, d := range ds.Sorted() {
				if d.Severity != diag.Error {
					continue
				}
				if zeroCount(d) {
					continue // a count the template leaves at 0
				}
				if !strings.Contains(d.Msg.Zh, "还没有换成实际内容") || d.Hint.En == "" || d.Msg.En == d.Msg.Zh {
					t.Errorf("an error that is not a placeholder's: %s", d.Format(diag.Zh))
				}
				got = append(got, d.Pos.String())
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("placeholder errors at\n%v\nwant\n%v\n%s", got, want, format(ds))
			}

			filled := fillIn(string(b))
			if err := os.WriteFile(filepath.Join(dir, rec.File()), []byte(filled), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, ds := build.Load(build.Options{Src: root.FS(), Today: today}); ds.HasErrors() {
				t.Errorf("the filled-in template has errors:\n%s\n%s", format(ds), filled)
			}
		})
	}
}

// zeroCount reports whether d is the error of a count left at 0.
func zeroCount(d diag.Diagnostic) bool {
	for _, m := range []string{"应到人数是 0", "实到人数是 0", "这项表决没有票数"} {
		if strings.Contains(d.Msg.Zh, m) {
			return true
		}
	}
	return false
}

// TestNewRefuses checks the names, places and collisions new refuses,
// and that it never writes through a link that leads outside.
func TestNewRefuses(t *testing.T) {
	dir, root := folder(t)
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "pages")); err != nil {
		t.Skipf("SKIP: no symbolic links here: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "minutes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "minutes", "about.md"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		rec      scaffold.Record
		pos, msg string
	}{
		{scaffold.Record{Section: "pages", Slug: "contact"}, "pages", "pages 是一个链接（快捷方式），指向内容文件夹以外"},
		{scaffold.Record{Section: "minutes", Slug: "About"}, "minutes/about.md", "只差大小写"},
		{scaffold.Record{Section: "minutes", Slug: "about"}, "minutes/about.md", "已经存在，没有覆盖"},
		{scaffold.Record{Section: "minutes", Slug: "CON"}, "minutes/CON.md", "Windows 的保留名"},
		{scaffold.Record{Section: "minutes", Slug: "lpt9"}, "minutes/lpt9.md", "Windows 的保留名"},
		{scaffold.Record{Section: "minutes", Slug: "a<b"}, "minutes/a<b.md", "Windows 不允许的字符 <"},
		{scaffold.Record{Section: "minutes", Slug: "a.b"}, "minutes/a.b.md", "不能含 / 或 ."},
		{scaffold.Record{Section: "minutes", Slug: "a b"}, "minutes/a b.md", "不能用作网址"},
		{scaffold.Record{Section: "minute", Slug: "x"}, "", "是不是想写 minutes"},
	}
	for _, tt := range tests {
		t.Run(tt.rec.Section+"/"+tt.rec.Slug, func(t *testing.T) {
			ds := scaffold.New(root, tt.rec)
			found := false
			for _, d := range ds {
				found = found || d.Severity == diag.Error && d.Pos.String() == tt.pos && strings.Contains(d.Msg.Zh+"；"+d.Hint.Zh, tt.msg)
			}
			if !found {
				t.Errorf("want an error at %q saying %q, got:\n%s", tt.pos, tt.msg, format(ds))
			}
			if strings.Contains(format(ds), outside) {
				t.Errorf("the message shows where the link points:\n%s", format(ds))
			}
		})
	}
	if entries, _ := os.ReadDir(outside); len(entries) > 0 {
		t.Errorf("new wrote outside the content folder: %v", entries)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "minutes", "about.md")); string(b) != "x" {
		t.Error("new overwrote a record")
	}
}

// TestNewRefusesFolderLinkInside refuses a section folder that is a link
// to another folder inside: build does not follow folder links, so the
// record would not be published.
func TestNewRefusesFolderLinkInside(t *testing.T) {
	dir, root := folder(t)
	if err := os.MkdirAll(filepath.Join(dir, "_shared"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("_shared", filepath.Join(dir, "pages")); err != nil {
		t.Skipf("SKIP: no symbolic links here: %v", err)
	}
	ds := scaffold.New(root, scaffold.Record{Section: "pages", Slug: "contact", Today: today})
	if len(ds) != 1 || ds[0].Pos.String() != "pages" || !strings.Contains(ds[0].Msg.Zh, "pages 是指向文件夹的链接") {
		t.Errorf("want one error at pages, got:\n%s", format(ds))
	}
	if _, err := os.Stat(filepath.Join(dir, "_shared", "contact.md")); err == nil {
		t.Error("written through the link")
	}
}

// TestNewSuggestsASCII warns about a name that is not plain ASCII and
// suggests one made from the date.
func TestNewSuggestsASCII(t *testing.T) {
	_, root := folder(t)
	ds := scaffold.New(root, scaffold.Record{Section: "disclosures", Slug: "低保名单", Today: today})
	if ds.HasErrors() || len(ds) != 1 || ds[0].Severity != diag.Warning || !strings.Contains(ds[0].Hint.Zh, "gongkai new disclosures 2026-11-27") {
		t.Errorf("want one warning suggesting 2026-11-27, got:\n%s", format(ds))
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{"about", "CON", "a.b", "a b", "低保", "com1.txt", "x ", "..", "a\x00b"} {
		f.Add("pages", s)
	}
	f.Fuzz(func(t *testing.T, section, slug string) {
		ds := scaffold.Check(scaffold.Record{Section: section, Slug: slug})
		if ds.HasErrors() {
			return
		}
		// A name that passes can be written on Windows and is a URL path
		// segment without escapes for ?#%.
		if strings.ContainsAny(slug, `<>:"/\|?*# %.`) || slug == "" {
			t.Fatalf("Check accepted %q", slug)
		}
		if d := record.CheckName("x", slug); d != nil {
			t.Fatalf("Check accepted %q that CheckName refuses", slug)
		}
	})
}

// TestNumbersLeftAtZero writes minutes from a template that leaves its
// counts at 0 with the placeholder in a comment: the counts are still
// errors until filled in, since a meeting expects someone, has someone
// present when it votes, and a vote has votes.
func TestNumbersLeftAtZero(t *testing.T) {
	theme := fstest.MapFS{"archetypes/minutes.md": {Data: []byte(`+++
title = "居民代表会议记录"
date = {{.Date}}T14:30:00
meeting = "居民代表会议"
expected = 0      # 【请填写：应到人数】
present = 0       # 【请填写：实到人数】

[[resolutions]]
text = "同意"
for = 0           # 【请填写：赞成票】
against = 0
abstain = 0
+++

会议情况。
`)}}
	_, root := folder(t)
	if ds := scaffold.New(root, scaffold.Record{Section: "minutes", Slug: "m", Today: today, Theme: theme}); ds.HasErrors() {
		t.Fatal(format(ds))
	}
	_, ds := build.Load(build.Options{Src: root.FS(), Today: today})
	var got []string
	for _, d := range ds.Sorted() {
		if d.Severity == diag.Error {
			got = append(got, d.Pos.String())
		}
	}
	if want := "minutes/m.md:5:1 minutes/m.md:6:1 minutes/m.md:10:1"; strings.Join(got, " ") != want {
		t.Errorf("errors at %v, want %s:\n%s", got, want, format(ds))
	}
}
