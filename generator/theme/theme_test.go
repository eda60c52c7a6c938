package theme_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"gongkai/generator/config"
	"gongkai/generator/theme"
	"gongkai/themes"
)

func site(name string) *config.Site { return &config.Site{Theme: name} }

// TestOverlay: a file of the board's theme takes the place of the
// default's; a folder lists both; an editor's leftovers are not there.
func TestOverlay(t *testing.T) {
	src := fstest.MapFS{
		"themes/jd/assets/style.css":             {Data: []byte("own")},
		"themes/jd/assets/extra.svg":             {Data: []byte("<svg/>")},
		"themes/jd/assets/.style.css.swp":        {Data: []byte("x")},
		"themes/jd/assets/style.css~":            {Data: []byte("x")},
		"themes/jd/templates/partials/item.html": {Data: []byte("<li>{{.Record.Title}}</li>")},
	}
	th, err := theme.Open(src, site("jd"))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := fs.ReadFile(th, "assets/style.css"); string(b) != "own" {
		t.Errorf("style.css = %q, want the theme's", b)
	}
	def, _ := fs.ReadFile(themes.Default(), "assets/print.css")
	if b, _ := fs.ReadFile(th, "assets/print.css"); string(b) != string(def) {
		t.Error("print.css is not the default's")
	}
	var names []string
	entries, err := fs.ReadDir(th, "assets")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"extra.svg", "main.js", "print.css", "status.js", "style.css"}) {
		t.Errorf("assets = %v", names)
	}
	if _, err := fs.ReadFile(th, "assets/.style.css.swp"); err == nil {
		t.Error("an editor's leftover can be read")
	}
	partials, _ := fs.Glob(th, "templates/partials/*.html")
	if len(partials) < 5 || !slices.Contains(partials, "templates/partials/item.html") {
		t.Errorf("partials = %v", partials)
	}
	if f, own := th.Origin("templates/partials/item.html"); !own || f != "themes/jd/templates/partials/item.html" {
		t.Errorf("Origin(item) = %s %v", f, own)
	}
	if f, own := th.Origin("templates/record.html"); own || f != "templates/record.html" {
		t.Errorf("Origin(record) = %s %v", f, own)
	}
	if d, _ := theme.Open(src, site("default")); d.Folder != "" {
		t.Error("the default theme has a folder")
	}
}

// TestNew: theme new copies the default theme, never over anything, and
// refuses names Windows cannot hold.
func TestNew(t *testing.T) {
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	files, ds := theme.New(root, "jiedao")
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	var want []string
	fs.WalkDir(themes.Default(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			want = append(want, "themes/jiedao/"+p)
		}
		return err
	})
	if !slices.Equal(files, want) {
		t.Errorf("files = %v\nwant %v", files, want)
	}
	b, err := os.ReadFile(filepath.Join(dir, "themes/jiedao/templates/record.html"))
	def, _ := fs.ReadFile(themes.Default(), "templates/record.html")
	if err != nil || string(b) != string(def) {
		t.Errorf("record.html is not the default's: %v", err)
	}
	// Edited, then asked again: nothing is overwritten.
	os.WriteFile(filepath.Join(dir, "themes/jiedao/assets/style.css"), []byte("mine"), 0o644)
	for _, name := range []string{"jiedao", "JieDao"} {
		if _, ds := theme.New(root, name); !ds.HasErrors() || !strings.Contains(ds[0].Msg.Zh, "已经存在") {
			t.Errorf("%s: %v", name, ds)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "themes/jiedao/assets/style.css")); string(b) != "mine" {
		t.Error("an edited file was overwritten")
	}
	for _, name := range []string{"default", "con", "COM1", "lpt9", "a/b", "..", "-x", "主题", "a b", "x.", ""} {
		if _, ds := theme.New(root, name); !ds.HasErrors() {
			t.Errorf("%q was accepted", name)
		}
	}
}

// TestNewRefusesLink: a themes folder that is a link is not written
// through.
func TestNewRefusesLink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "themes")); err != nil {
		t.Fatal(err)
	}
	root, _ := os.OpenRoot(dir)
	defer root.Close()
	if _, ds := theme.New(root, "jd"); !ds.HasErrors() {
		t.Error("wrote through a link")
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("wrote outside the content folder: %v", entries)
	}
}
