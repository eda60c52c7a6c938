package content_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/folder"
	"gongkai/generator/internal/testboard"
)

var today = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// secret is the text of a file outside the content folder that links
// point at: it must never reach the site nor any message.
const secret = "root:x:0:0:TOPSECRET-8c1f"

// demo copies the demo board into a new folder beside a secret file and
// returns the content folder and the secret file's path.
func demo(t *testing.T) (string, string) {
	t.Helper()
	base := t.TempDir()
	dir := filepath.Join(base, "content")
	for name, f := range testboard.Demo(t, nil) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(base, "outside")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	sp := filepath.Join(out, "shadow")
	if err := os.WriteFile(sp, []byte(secret+"\n序号,用途,金额\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, sp
}

// link replaces name in dir by a symbolic link to target.
func link(t *testing.T, dir, name, target string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	os.RemoveAll(p)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		t.Skipf("SKIP: cannot make symbolic links here: %v", err)
	}
}

// buildDir builds dir through folder.Open into a new output folder.
func buildDir(t *testing.T, dir string) (string, diag.List, bool) {
	t.Helper()
	f, err := folder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := filepath.Join(t.TempDir(), "public")
	res, ds, err := build.ToDir(build.Options{Src: f.FS(), Today: today}, out)
	if err != nil {
		t.Fatal(err)
	}
	return out, ds, res != nil
}

func printed(ds diag.List) string {
	var b strings.Builder
	ds.Print(&b, diag.Zh)
	ds.Print(&b, diag.En)
	return b.String()
}

// noSecret fails when the secret or the place it is kept shows in the
// messages or in any file of out.
func noSecret(t *testing.T, ds diag.List, out, secretPath string) {
	t.Helper()
	msgs := printed(ds)
	for _, leak := range []string{secret, "TOPSECRET", secretPath, filepath.Dir(secretPath), "outside/shadow"} {
		if strings.Contains(msgs, leak) {
			t.Errorf("a message shows %q:\n%s", leak, msgs)
		}
	}
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		if strings.Contains(string(b), "TOPSECRET") {
			t.Errorf("%s holds the secret", p)
		}
		return nil
	})
}

func hasError(ds diag.List, pos, text string) bool {
	for _, d := range ds {
		if d.Severity == diag.Error && d.Pos.String() == pos && strings.Contains(d.Msg.Zh, text) && d.Hint.Zh != "" && d.Msg.En != "" {
			return true
		}
	}
	return false
}

// TestLinksOutsideAreRefused points an attachment, a CSV table, a record
// file, site.toml and a section folder at a file outside the content
// folder, by absolute and by relative links: each is an error at the
// link, the build writes nothing, and neither the secret nor where it is
// kept appears anywhere.
func TestLinksOutsideAreRefused(t *testing.T) {
	const bundle = "disclosures/guiyuan-gaizao"
	cases := []struct {
		name, link string
		target     func(secretPath string) string
		errs       [][2]string // position, message
	}{
		{"attachment, absolute", bundle + "/验收意见.txt", func(s string) string { return s },
			[][2]string{{bundle + "/验收意见.txt", "是一个链接（快捷方式），指向内容文件夹以外"}, {bundle + "/index.md:7:1", bundle + "/验收意见.txt 是一个链接"}}},
		{"attachment, relative", bundle + "/验收意见.txt", func(string) string { return "../../../outside/shadow" },
			[][2]string{{bundle + "/验收意见.txt", "指向内容文件夹以外"}, {bundle + "/index.md:7:1", "指向内容文件夹以外"}}},
		{"table", bundle + "/资金明细.csv", func(s string) string { return s },
			[][2]string{{bundle + "/资金明细.csv", "指向内容文件夹以外"}, {bundle + "/index.md:13:1", "指向内容文件夹以外"}, {bundle + "/index.md:7:1", "指向内容文件夹以外"}}},
		{"record file", "pages/leak.md", func(s string) string { return s },
			[][2]string{{"pages/leak.md", "指向内容文件夹以外"}}},
		{"site.toml", "site.toml", func(s string) string { return s },
			[][2]string{{"site.toml", "site.toml 是一个链接"}}},
		{"section folder", "minutes", func(s string) string { return filepath.Dir(s) },
			[][2]string{{"minutes", "minutes 是一个链接"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir, sp := demo(t)
			link(t, dir, tc.link, tc.target(sp))
			out, ds, ok := buildDir(t, dir)
			if ok {
				t.Error("the board built")
			}
			for _, e := range tc.errs {
				if !hasError(ds, e[0], e[1]) {
					t.Errorf("no error at %s saying %q:\n%s", e[0], e[1], printed(ds))
				}
			}
			noSecret(t, ds, out, sp)
		})
	}
}

// TestLinksInsideWork replaces an attachment, a table and a record by
// links to files inside the content folder: the build goes on and
// publishes the files' text.
func TestLinksInsideWork(t *testing.T) {
	dir, _ := demo(t)
	const bundle = "disclosures/guiyuan-gaizao"
	keep := filepath.Join(dir, "disclosures", "_shared")
	os.MkdirAll(keep, 0o755)
	for _, name := range []string{"验收意见.txt", "资金明细.csv"} {
		if err := os.Rename(filepath.Join(dir, bundle, name), filepath.Join(keep, name)); err != nil {
			t.Fatal(err)
		}
		link(t, dir, bundle+"/"+name, "../_shared/"+name)
	}
	if err := os.Rename(filepath.Join(dir, "pages", "contact.md"), filepath.Join(keep, "contact.txt")); err != nil {
		t.Fatal(err)
	}
	link(t, dir, "pages/contact.md", "../disclosures/_shared/contact.txt")
	out, ds, ok := buildDir(t, dir)
	if !ok || ds.HasErrors() {
		t.Fatalf("the board did not build:\n%s", printed(ds))
	}
	want, _ := os.ReadFile(filepath.Join(keep, "验收意见.txt"))
	if got, err := os.ReadFile(filepath.Join(out, bundle, "验收意见.txt")); err != nil || string(got) != string(want) {
		t.Errorf("the attachment behind a link inside was not published: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "pages", "contact", "index.html")); err != nil {
		t.Errorf("the record behind a link inside was not published: %v", err)
	}
	// The files the links stand for are used; only the folder holding
	// them is reported (as a folder no record owns).
	for _, d := range ds {
		if strings.HasPrefix(d.Pos.File, "disclosures/_shared/") && !strings.Contains(d.Msg.Zh, "不属于任何记录") {
			t.Errorf("unexpected: %s", d.Format(diag.Zh))
		}
	}
}

// TestAbsoluteLinkInsideIsRefused documents os.Root's rule: a link must
// be relative, even when it points inside.
func TestAbsoluteLinkInsideIsRefused(t *testing.T) {
	dir, sp := demo(t)
	abs, _ := filepath.Abs(filepath.Join(dir, "pages", "about.md"))
	link(t, dir, "pages/about2.md", abs)
	out, ds, ok := buildDir(t, dir)
	if ok || !hasError(ds, "pages/about2.md", "指向内容文件夹以外") {
		t.Errorf("an absolute link was followed:\n%s", printed(ds))
	}
	noSecret(t, ds, out, sp)
}

// TestFolderLinkInsideIsReported: a link to a folder inside is not
// followed, and says so.
func TestFolderLinkInsideIsReported(t *testing.T) {
	dir, _ := demo(t)
	link(t, dir, "pages/more", "../disclosures/guiyuan-gaizao")
	_, ds, _ := buildDir(t, dir)
	found := false
	for _, d := range ds {
		found = found || d.Severity == diag.Warning && d.Pos.String() == "pages/more" && strings.Contains(d.Msg.Zh, "是指向文件夹的链接")
	}
	if !found {
		t.Errorf("no warning about the folder link:\n%s", printed(ds))
	}
}
