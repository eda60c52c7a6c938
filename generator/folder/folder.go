// Package folder opens the content folder so that nothing outside it is
// ever read or written. Every command opens the folder once, with the
// standard library's traversal-resistant os.Root, and reads it through
// Folder.FS: a symbolic link that stays inside the folder keeps working,
// while one that leads outside it (or is absolute) cannot be followed at
// all. Writes (`new`, `publish`) go through the same os.Root.
//
// Problem explains in plain words why a file could not be read, and never
// shows where a link points: the name of a link's target, or a line of
// the file it points at, is exactly what must not get out.
package folder

import (
	"errors"
	"io/fs"
	"os"
	"path"

	"gongkai/generator/diag"
)

// Folder is an open content folder.
type Folder struct {
	root *os.Root
}

// Open opens the folder dir. It fails when dir is not a folder.
func Open(dir string) (*Folder, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &Folder{root: root}, nil
}

// FS returns the folder as an fs.FS that follows no link out of it.
func (f *Folder) FS() fs.FS { return f.root.FS() }

// Root returns the os.Root the folder is read and written through.
func (f *Folder) Root() *os.Root { return f.root }

// Dir returns the folder's name as it was opened.
func (f *Folder) Dir() string { return f.root.Name() }

// Close releases the folder.
func (f *Folder) Close() error { return f.root.Close() }

// Outside reports whether err, returned when reading name from fsys, came
// from a symbolic link on the way to name that cannot be followed inside
// the folder: one that leads outside it, is absolute, or loops.
func Outside(fsys fs.FS, name string, err error) bool {
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return false
	}
	return viaLink(fsys, name)
}

// viaLink reports whether name or one of the folders above it is a
// symbolic link.
func viaLink(fsys fs.FS, name string) bool { return linkOn(fsys, name) != "" }

// linkOn returns the first part of the path name, from the folder down,
// that is a symbolic link; "" when there is none.
func linkOn(fsys fs.FS, name string) string {
	link := ""
	for p := path.Clean(name); p != "." && p != "/" && p != ""; p = path.Dir(p) {
		if fi, err := fs.Lstat(fsys, p); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			link = p
		}
	}
	return link
}

// Problem returns the diagnostic for a file that could not be read: what
// is shown is what the clerk wrote (pos and name), the kind of problem and
// how to fix it; never where a link points and never the text of the file.
func Problem(pos diag.Position, fsys fs.FS, name string, err error) diag.Diagnostic {
	if pos.File == "" {
		pos.File = name
	}
	switch {
	case Outside(fsys, name, err):
		return LinkOutside(pos, linkOn(fsys, name))
	case errors.Is(err, fs.ErrNotExist):
		return diag.Errorf(pos, "找不到文件 %s", "file %s not found", name).
			WithHint("检查文件名是否写对，文件是否在内容文件夹里", "check the file name and that the file is in the content folder")
	case errors.Is(err, fs.ErrPermission):
		return diag.Errorf(pos, "没有权限读取 %s", "no permission to read %s", name).
			WithHint("检查文件的权限，或把它另存一份", "check the file's permissions, or save a copy of it")
	}
	return diag.Errorf(pos, "无法读取 %s", "cannot read %s", name).
		WithHint("检查文件是否损坏或被其他程序占用", "check that the file is not damaged or locked by another program")
}

// LinkOutside is the error for the symbolic link name that leads outside
// the content folder.
func LinkOutside(pos diag.Position, name string) diag.Diagnostic {
	return diag.Errorf(pos, "%s 是一个链接（快捷方式），指向内容文件夹以外，gongkai 不会读取也不会发布它",
		"%s is a link (shortcut) that leads outside the content folder; gongkai neither reads nor publishes it", name).
		WithHint("把链接所指的文件或文件夹本身复制到内容文件夹里，再删除这个链接", "copy the file or folder the link stands for into the content folder and delete the link")
}
