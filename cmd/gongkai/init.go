package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gongkai/generator/scaffold"

	"golang.org/x/term"
)

// stdin is where init reads answers; tests replace it.
var stdin io.Reader = os.Stdin

func cmdInit(e *env, args []string) int {
	fs := e.flags("init", "[DIR] [--name 名称] [--issuer 发布单位] [--parent 上级] [--phone 电话] [--supervise-phone 监督电话] [--address 地址] [--base-url 网址]",
		"新建一个公开栏：在 DIR（默认当前文件夹）里写出 content/site.toml、每个栏目一条示例和一份使用说明。\n在终端里逐项询问；给了选项或不在终端里时不询问。DIR 必须是空的。\nStart a new board in DIR: site.toml, one example per section and a note for the office.")
	d := scaffold.Defaults()
	given := map[string]*string{
		"name":            fs.String("name", "", "公开栏的名称 / the board's name"),
		"issuer":          fs.String("issuer", "", "发布单位 / who publishes"),
		"parent":          fs.String("parent", "", "上级单位 / the office above"),
		"phone":           fs.String("phone", "", "办公电话 / the office's phone"),
		"supervise-phone": fs.String("supervise-phone", "", "监督电话 / the supervisors' phone"),
		"address":         fs.String("address", "", "办公地址 / the office's address"),
		"base-url":        fs.String("base-url", "", "网站地址 / the site's address"),
	}
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 1 {
		fs.Usage()
		return exitUsage
	}
	dir := "."
	if len(pos) == 1 {
		dir = pos[0]
	}
	if empty, err := scaffold.Empty(dir); err != nil {
		e.fail("无法读取文件夹 "+dir+"：", "cannot read the folder "+dir+": ", err)
		return exitContent
	} else if !empty {
		e.say("文件夹 %s 不是空的：新的公开栏要建在空文件夹里，以免和已有的文件混在一起。", "the folder %s is not empty: a new board goes into an empty folder.", dir)
		e.say("请换一个名称，如 gongkai init 青石社区公开栏", "choose another name, e.g. gongkai init my-board")
		return exitUsage
	}
	flagged := false
	for name, v := range given {
		if *v != "" {
			flagged = true
			field := map[string]*string{"name": &d.Name, "issuer": &d.Issuer, "parent": &d.Parent, "phone": &d.Phone,
				"supervise-phone": &d.SupervisePhone, "address": &d.Address, "base-url": &d.BaseURL}[name]
			*field = strings.TrimSpace(*v)
		}
	}
	if !flagged && terminal(stdin) {
		if !e.ask(&d) {
			return exitUsage
		}
	}
	if problems := d.Check(); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(e.stderr, p.In(e.lang))
		}
		return exitUsage
	}
	files, err := scaffold.Init(dir, d, time.Now())
	if errors.Is(err, scaffold.ErrNotEmpty) {
		e.say("文件夹 %s 不是空的。", "the folder %s is not empty.", dir)
		return exitUsage
	}
	if err != nil {
		e.fail("新建失败：", "init failed: ", err)
		return exitContent
	}
	e.say("已新建公开栏“%s”：%s", "started the board %q in %s", d.Name, dir)
	for _, f := range files {
		fmt.Fprintln(e.stderr, "  "+filepath.Join(dir, filepath.FromSlash(f)))
	}
	cd := ""
	if dir != "." {
		cd = "cd " + dir + " && "
	}
	e.say("下一步：先读 %s；然后 %sgongkai serve 预览（示例是草稿，加 --drafts 才显示）。", "next: read %s, then %sgongkai serve to preview (the examples are drafts: add --drafts to see them).",
		filepath.Join(dir, scaffold.NoteName), cd)
	return exitOK
}

// ask asks every question of init on the terminal; an empty answer keeps
// the default. It returns false when the input ended.
func (e *env) ask(d *scaffold.Board) bool {
	in := bufio.NewScanner(stdin)
	e.say("新建公开栏：请逐项回答，直接回车表示用 [ ] 里的默认值；以后都可以在 content/site.toml 里改。",
		"a new board: answer each question; Enter keeps the default in [ ]; everything can be changed later in content/site.toml.")
	for _, q := range scaffold.Questions(d) {
		for {
			fmt.Fprintf(e.stderr, "%s [%s]：", q.Ask.In(e.lang), q.Default)
			if !in.Scan() {
				fmt.Fprintln(e.stderr)
				return false
			}
			v := strings.TrimSpace(in.Text())
			if v == "" {
				v = q.Default
			}
			if q.Check != nil {
				if t := q.Check(v); t.Zh != "" {
					fmt.Fprintln(e.stderr, "  "+t.In(e.lang))
					continue
				}
			}
			*q.Field = v
			break
		}
	}
	return true
}

// terminal reports whether r is an interactive terminal (not a file, a
// pipe or /dev/null).
func terminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
