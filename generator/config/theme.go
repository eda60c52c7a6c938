package config

import (
	"io/fs"
	"strings"

	"gongkai/generator/diag"
	"gongkai/generator/folder"
)

// DefaultTheme is the theme built into gongkai.
const DefaultTheme = "default"

// ThemeDir is the folder of the content folder that holds a board's own
// themes, one folder each: themes/<name>/templates/, assets/, archetypes/.
const ThemeDir = "themes"

// windowsDevices are the names Windows refuses for a file or folder.
var windowsDevices = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true}

// ThemeName says whether name can name a theme folder: 1 to 40 ASCII
// letters, digits, - and _, not starting with - or _, not a name Windows
// refuses (CON, NUL, COM1 …), and not DefaultTheme (built in). When it
// cannot, the text says why.
func ThemeName(name string) (diag.Text, bool) {
	if name == DefaultTheme {
		return diag.T("default 是内置的默认主题", "default is the built-in theme"), true
	}
	if name == "" || len(name) > 40 {
		return diag.T("主题名要有 1 到 40 个字符", "a theme name has 1 to 40 characters"), false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || (c == '-' || c == '_') && i > 0
		if !ok {
			return diag.T("主题名只能有英文字母、数字、- 和 _（不能以 - 或 _ 开头）", "a theme name holds only letters, digits, - and _ (not first)"), false
		}
	}
	up := strings.ToUpper(name)
	if windowsDevices[up] || len(up) == 4 && (strings.HasPrefix(up, "COM") || strings.HasPrefix(up, "LPT")) && '0' <= up[3] && up[3] <= '9' {
		return diag.T("%s 是 Windows 的保留名，这样的文件夹在 Windows 上无法建立", "%s is a name Windows reserves: no folder can have it there", name), false
	}
	return diag.Text{}, true
}

// ThemeFolder returns the folder of the board's own theme in the content
// folder ("themes/jiedao"), or "" for the default theme.
func (s *Site) ThemeFolder() string {
	if s.Theme == "" || s.Theme == DefaultTheme {
		return ""
	}
	return ThemeDir + "/" + s.Theme
}

// checkThemeFolder reports a theme that site.toml names but the content
// folder does not hold.
func (s *Site) checkThemeFolder(fsys fs.FS) *diag.Diagnostic {
	dir := s.ThemeFolder()
	if dir == "" {
		return nil
	}
	pos := s.themePos
	if pos.File == "" {
		pos.File = File
	}
	fi, err := fs.Stat(fsys, dir)
	switch {
	case err != nil && folder.Outside(fsys, dir, err):
		d := folder.Problem(pos, fsys, dir, err)
		return &d
	case err != nil || !fi.IsDir():
		d := diag.Errorf(pos, "site.toml 选了主题 %s，但内容文件夹里没有 %s/ 文件夹", "site.toml chooses the theme %s, but the content folder has no folder %s/", s.Theme, dir).
			WithHint("运行 gongkai theme new %s 从默认主题复制一份，或写 theme = \"default\"", "run gongkai theme new %s to start from a copy of the default theme, or write theme = \"default\"", s.Theme)
		return &d
	}
	return nil
}
