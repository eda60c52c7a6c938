package config

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestThemeSetting: theme names a folder of themes/ in the content folder;
// a name no folder can have is refused at its line, and so is a theme the
// content folder does not hold.
func TestThemeSetting(t *testing.T) {
	for _, c := range []struct {
		theme, want string
		folder      bool
	}{
		{`theme = "default"`, "", false},
		{``, "", false},
		{`theme = "jiedao"`, "", true},
		{`theme = "jiedao"`, "site.toml:1:1: 错误：site.toml 选了主题 jiedao，但内容文件夹里没有 themes/jiedao/ 文件夹", false},
		{`theme = "../etc"`, "site.toml:1:1: 错误：主题名 \"../etc\" 不能用", false},
		{`theme = "NUL"`, "Windows 的保留名", false},
		{`theme = "蓝色"`, "只能有英文字母", false},
	} {
		src := fstest.MapFS{"site.toml": {Data: []byte(c.theme + "\n" + good)}}
		if c.folder {
			src["themes/jiedao/assets/style.css"] = &fstest.MapFile{Data: []byte("x")}
		}
		s, ds := Load(src)
		got := ""
		if len(ds) > 0 {
			got = ds[0].Format("zh")
		}
		if c.want == "" && (s == nil || ds.HasErrors()) || c.want != "" && (!strings.Contains(got, c.want) || !ds.HasErrors()) {
			t.Errorf("%s (folder %v): %q, want %q", c.theme, c.folder, got, c.want)
		}
		if c.folder && s != nil && s.ThemeFolder() != "themes/jiedao" {
			t.Errorf("ThemeFolder = %q", s.ThemeFolder())
		}
	}
}
