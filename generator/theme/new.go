package theme

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"

	"gongkai/generator/config"
	"gongkai/generator/diag"
	"gongkai/generator/folder"
	"gongkai/themes"
)

// New starts the board's own theme name in the content folder root: a
// copy of the default theme's templates, assets and archetypes in
// themes/<name>/. It never writes over anything: a theme folder of that
// name (or one that Windows or macOS takes for it) is refused, and so is
// a themes folder that is a link. It returns the files written, relative
// to the content folder.
func New(root *os.Root, name string) ([]string, diag.List) {
	pos := diag.Position{File: config.ThemeDir + "/" + name}
	if name == config.DefaultTheme {
		return nil, diag.List{diag.Errorf(pos, "default 是内置的默认主题，不能新建同名主题", "default is the built-in theme; a new theme needs another name").
			WithHint("换一个名字，如 gongkai theme new jiedao", "choose another name, such as gongkai theme new jiedao")}
	}
	if msg, ok := config.ThemeName(name); !ok {
		return nil, diag.List{diag.Errorf(pos, "主题名 %q 不能用：%s", "the theme name %q cannot be used: %s", name, msg.Zh).
			WithHint("主题名只用英文字母、数字、- 和 _，如 jiedao", "use letters, digits, - and _ only, such as jiedao")}
	}
	fsys := root.FS()
	dir := config.ThemeDir + "/" + name
	if fi, err := fs.Lstat(fsys, config.ThemeDir); err == nil {
		if fi.Mode()&fs.ModeSymlink != 0 || !fi.IsDir() {
			return nil, diag.List{diag.Errorf(diag.Position{File: config.ThemeDir}, "%s 不是普通文件夹（是链接或文件），gongkai 不会写进去", "%s is not a plain folder (a link or a file); gongkai does not write into it", config.ThemeDir).
				WithHint("把 %s 改名或移走，再运行一次", "rename or move %s, then run it again", config.ThemeDir)}
		}
		entries, err := fs.ReadDir(fsys, config.ThemeDir)
		if err != nil {
			return nil, diag.List{folder.Problem(diag.Position{File: config.ThemeDir}, fsys, config.ThemeDir, err)}
		}
		for _, e := range entries {
			if strings.EqualFold(e.Name(), name) {
				other := config.ThemeDir + "/" + e.Name()
				return nil, diag.List{diag.Errorf(diag.Position{File: other}, "%s 已经存在，没有覆盖", "%s already exists; nothing was written", other).
					WithHint("直接修改 %s 里的文件，或换一个主题名", "edit the files in %s, or choose another name", other)}
			}
		}
	}
	def := themes.Default()
	var files []string
	err := fs.WalkDir(def, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return err
		}
		if d.IsDir() {
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, diag.List{diag.Sys(pos, "无法读取默认主题：", "cannot read the default theme: ", err)}
	}
	if err := root.MkdirAll(config.ThemeDir, 0o755); err != nil {
		return nil, diag.List{writeProblem(fsys, config.ThemeDir, err)}
	}
	// The theme's own folder is made by Mkdir, which fails when it exists:
	// two runs at once cannot both fill it.
	if err := root.Mkdir(dir, 0o755); err != nil {
		return nil, diag.List{writeProblem(fsys, dir, err)}
	}
	var written []string
	for _, p := range files {
		out := dir + "/" + p
		b, err := fs.ReadFile(def, p)
		if err == nil {
			err = root.MkdirAll(path.Dir(out), 0o755)
		}
		if err == nil {
			err = writeNew(root, out, b)
		}
		if err != nil {
			return written, diag.List{writeProblem(fsys, out, err)}
		}
		written = append(written, out)
	}
	return written, nil
}

// writeNew writes a file that must not exist yet.
func writeNew(root *os.Root, name string, b []byte) error {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		root.Remove(name)
	}
	return err
}

// writeProblem explains why name could not be made.
func writeProblem(fsys fs.FS, name string, err error) diag.Diagnostic {
	pos := diag.Position{File: name}
	if folder.Outside(fsys, name, err) {
		return folder.Problem(pos, fsys, name, err)
	}
	if errors.Is(err, fs.ErrExist) {
		return diag.Errorf(pos, "%s 已经存在，没有覆盖", "%s already exists; nothing was written", name).
			WithHint("换一个主题名", "choose another name")
	}
	return diag.Sys(pos, "无法新建 "+name+"：", "cannot create "+name+": ", err)
}
