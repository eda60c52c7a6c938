package folder_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/generator/diag"
	"gongkai/generator/folder"
)

// TestProblem opens a folder with links that stay inside and links that
// lead out (relative, absolute, through a linked folder) and checks what
// can be read and what each refusal says.
func TestProblem(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "content")
	os.MkdirAll(filepath.Join(dir, "pages"), 0o755)
	os.WriteFile(filepath.Join(base, "secret"), []byte("TOPSECRET"), 0o600)
	os.WriteFile(filepath.Join(dir, "pages", "about.md"), []byte("关于"), 0o644)
	links := map[string]string{
		"pages/inside.md": "about.md",
		"pages/up.md":     "../../secret",
		"pages/abs.md":    filepath.Join(base, "secret"),
		"out":             base,
		"pages/dangling":  "nowhere.md",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Skipf("SKIP: no symbolic links here: %v", err)
		}
	}
	f, err := folder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fsys := f.FS()
	if b, err := fs.ReadFile(fsys, "pages/inside.md"); err != nil || string(b) != "关于" {
		t.Errorf("a link inside the folder: %q, %v", b, err)
	}
	cases := []struct {
		name, link, msg string
		outside         bool
	}{
		{"pages/up.md", "pages/up.md", "是一个链接（快捷方式），指向内容文件夹以外", true},
		{"pages/abs.md", "pages/abs.md", "指向内容文件夹以外", true},
		{"out/secret", "out", "out 是一个链接", true},
		{"pages/dangling", "", "找不到文件 pages/dangling", false},
		{"pages/none.md", "", "找不到文件 pages/none.md", false},
	}
	for _, c := range cases {
		_, err := fs.ReadFile(fsys, c.name)
		if err == nil {
			t.Errorf("%s was read", c.name)
			continue
		}
		if got := folder.Outside(fsys, c.name, err); got != c.outside {
			t.Errorf("Outside(%s) = %v", c.name, got)
		}
		d := folder.Problem(diag.Position{File: "pages/about.md", Line: 3}, fsys, c.name, err)
		text := d.Format(diag.Zh) + d.Format(diag.En)
		if d.Severity != diag.Error || d.Pos.Line != 3 || !strings.Contains(d.Msg.Zh, c.msg) || d.Hint.Zh == "" || d.Hint.En == "" {
			t.Errorf("Problem(%s) = %s", c.name, text)
		}
		if strings.Contains(text, base) || strings.Contains(text, "secret") || strings.Contains(text, "TOPSECRET") {
			t.Errorf("Problem(%s) shows where the link points: %s", c.name, text)
		}
	}
	if folder.Outside(fsys, "x", errors.New("other")) {
		t.Error("an error without a link is taken for one")
	}
	if err := f.Root().WriteFile("out/new", []byte("x"), 0o644); err == nil {
		t.Error("a write went through a link out of the folder")
	}
}
