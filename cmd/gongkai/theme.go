package main

import (
	"path/filepath"

	"gongkai/generator/config"
	"gongkai/generator/theme"
)

const themeAbout = "主题决定网站和打印版的样子（模板、样式表、脚本）。\n" +
	"  gongkai theme new 名称    把默认主题复制到内容文件夹的 themes/名称/，从这里开始改；已存在时不覆盖\n" +
	"然后在 site.toml 里写 theme = \"名称\"。主题里没有的文件仍用默认主题的，所以不改的文件可以删掉。模板能用的字段见 docs/themes.md。\n" +
	"Themes decide how the site and the sheets look. `gongkai theme new NAME` copies the default theme into themes/NAME/ of the content folder, never over anything; then write theme = \"NAME\" in site.toml. Files the theme lacks come from the default theme. docs/themes.md lists what templates can use."

// cmdTheme runs `gongkai theme new`.
func cmdTheme(e *env, args []string) int {
	fs := e.flags("theme new", "NAME [--src content]", themeAbout)
	if len(args) == 0 || args[0] != "new" {
		fs.Usage()
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return exitOK
		}
		return exitUsage
	}
	src := fs.String("src", "content", "内容文件夹 / the content folder")
	pos, code, ok := parse(fs, args[1:])
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	name := pos[0]
	f, ok := e.srcFS(*src)
	if !ok {
		return exitUsage
	}
	defer f.Close()
	files, ds := theme.New(f.Root(), name)
	e.report(ds)
	if ds.HasErrors() {
		if len(files) > 0 {
			e.say("只复制了一部分（%d 个文件），请删除 %s 后再运行一次。", "only part was copied (%d files): delete %s and run it again.", len(files), filepath.Join(*src, config.ThemeDir, name))
		} else {
			e.say("没有新建文件。", "nothing was written.")
		}
		return exitContent
	}
	dir := filepath.Join(*src, config.ThemeDir, name)
	e.say("已把默认主题复制到 %s（%d 个文件）。在 site.toml 里写 theme = \"%s\" 就会用它；不改的文件可以删掉，会自动用默认主题的。模板能用的字段见 docs/themes.md。",
		"copied the default theme into %s (%d files). Write theme = \"%s\" in site.toml to use it; delete the files you do not change, the default theme's take their place. docs/themes.md lists what templates can use.", dir, len(files), name)
	return exitOK
}
