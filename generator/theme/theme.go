// Package theme finds the theme a board is rendered with. The default
// theme is built into gongkai (themes/default); a board may have its own
// in the content folder, themes/<name>/ chosen by theme = "<name>" in
// site.toml, whose files take the place of the default's files of the
// same name — a template, a partial, a stylesheet — while every file it
// does not have comes from the default. `gongkai theme new` starts a
// board's theme as a copy of the default.
package theme

import (
	"errors"
	"io/fs"
	"path"
	"slices"
	"strings"

	"gongkai/generator/config"
	"gongkai/themes"
)

// Theme is the files of a board's theme: its own over the default's.
type Theme struct {
	fs.FS
	// Name is the theme's name, config.DefaultTheme for the default.
	Name string
	// Folder is the theme's folder in the content folder ("themes/jiedao"),
	// "" for the default theme.
	Folder string
	own    fs.FS
}

// Default returns the default theme.
func Default() *Theme {
	return &Theme{FS: themes.Default(), Name: config.DefaultTheme}
}

// Open returns the theme site chooses, its files read from src (the
// content folder) over the default theme.
func Open(src fs.FS, site *config.Site) (*Theme, error) {
	dir := site.ThemeFolder()
	if dir == "" {
		return Default(), nil
	}
	own, err := fs.Sub(src, dir)
	if err != nil {
		return nil, err
	}
	return &Theme{FS: &overlay{top: own, base: themes.Default()}, Name: site.Theme, Folder: dir, own: own}, nil
}

// Origin returns where the theme file name ("templates/record.html")
// comes from, as the clerk finds it: the file in the board's theme folder
// ("themes/jiedao/templates/record.html"), or the name in the default
// theme ("默认主题 templates/record.html") and whether it is the board's.
func (t *Theme) Origin(name string) (string, bool) {
	if t.own != nil {
		if _, err := fs.Stat(t.own, name); err == nil {
			return t.Folder + "/" + name, true
		}
	}
	return name, false
}

// ReadDir, ReadFile and Stat pass to the theme's files, so that a folder
// lists the files of both the board's theme and the default.
func (t *Theme) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(t.FS, name) }

// ReadFile reads a file of the theme.
func (t *Theme) ReadFile(name string) ([]byte, error) { return fs.ReadFile(t.FS, name) }

// Stat describes a file of the theme.
func (t *Theme) Stat(name string) (fs.FileInfo, error) { return fs.Stat(t.FS, name) }

var (
	_ fs.ReadDirFS  = (*Theme)(nil)
	_ fs.ReadFileFS = (*Theme)(nil)
	_ fs.StatFS     = (*Theme)(nil)
)

// overlay reads a file from top, and from base when top has none; the
// entries of a folder are those of both.
type overlay struct {
	top, base fs.FS
}

var (
	_ fs.ReadDirFS  = (*overlay)(nil)
	_ fs.ReadFileFS = (*overlay)(nil)
	_ fs.StatFS     = (*overlay)(nil)
)

func (o *overlay) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if !leftover(path.Base(name)) {
		f, err := o.top.Open(name)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return f, err
		}
	}
	return o.base.Open(name)
}

func (o *overlay) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	if !leftover(path.Base(name)) {
		b, err := fs.ReadFile(o.top, name)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return b, err
		}
	}
	return fs.ReadFile(o.base, name)
}

func (o *overlay) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	if !leftover(path.Base(name)) {
		fi, err := fs.Stat(o.top, name)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return fi, err
		}
	}
	return fs.Stat(o.base, name)
}

// ReadDir lists the entries of both folders, the top's where both have
// one, sorted by name; an editor's leftovers in the top are not listed.
func (o *overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	top, terr := fs.ReadDir(o.top, name)
	base, berr := fs.ReadDir(o.base, name)
	if terr != nil && !errors.Is(terr, fs.ErrNotExist) {
		return nil, terr
	}
	if terr != nil && berr != nil {
		return nil, berr
	}
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, e := range top {
		if leftover(e.Name()) {
			continue
		}
		seen[e.Name()] = true
		out = append(out, e)
	}
	for _, e := range base {
		if !seen[e.Name()] {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// leftover reports a file an editor or a file manager leaves beside the
// ones it edits (a backup, a swap or lock file, .DS_Store, Thumbs.db): it
// is not part of the theme, and must not be published as an asset.
func leftover(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") || strings.HasSuffix(name, "~") ||
		strings.HasSuffix(name, ".bak") || strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".tmp") ||
		strings.EqualFold(name, "Thumbs.db") || strings.EqualFold(name, "desktop.ini")
}
