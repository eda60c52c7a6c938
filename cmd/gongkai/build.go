package main

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/scaffold"
)

func cmdBuild(e *env, args []string) int {
	fs := e.flags("build", "[--src content] [--out public] [--strict] [--date YYYY-MM-DD] [--base-url URL] [--offline]",
		"检查全部内容，生成网站和打印版到 --out。出错时保留原来的输出不变。\nValidate everything and write the site into --out; a failed build leaves the old output untouched.")
	c := addCommon(fs)
	out := fs.String("out", "public", "输出文件夹 / the output folder")
	strict := fs.Bool("strict", false, "有警告或未登记的修改也算失败 / fail on warnings and unregistered changes")
	baseURL := fs.String("base-url", "", "覆盖 site.toml 的 base_url / override base_url")
	offline := fs.Bool("offline", false, "链接写出 index.html，可直接从 U 盘打开 / links name index.html, to browse from disk")
	drafts := fs.Bool("drafts", false, "包括草稿 / include drafts")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !e.noArgs("build", pos) {
		return exitUsage
	}
	today, src, ok := e.open(c)
	if !ok {
		return exitUsage
	}
	defer src.Close()
	opt := build.Options{Src: src.FS(), Today: today, Strict: *strict, Offline: *offline, BaseURL: *baseURL, Drafts: *drafts}
	stop := e.progress(&opt)
	res, ds, err := build.ToDir(opt, *out)
	stop()
	e.report(ds)
	if err != nil {
		e.fail("生成失败，原来的输出保持不变：", "build failed; the old output is unchanged: ", err)
		return exitContent
	}
	if res == nil {
		if *strict && !ds.HasErrors() {
			e.say("--strict：有警告，未生成。%s 保持不变。", "--strict: there are warnings; nothing was written. %s is unchanged.", *out)
		} else {
			e.say("有错误，未生成。%s 保持不变。", "there are errors; nothing was written. %s is unchanged.", *out)
		}
		return exitContent
	}
	pages := 0
	for _, f := range res.Files {
		if strings.HasSuffix(f, ".html") {
			pages++
		}
	}
	if res.Unchanged > 0 {
		e.say("已生成 %d 条记录：%d 个网页，共 %d 个文件（%d 个与上次相同），用时 %s → %s", "built %d records: %d pages, %d files (%d as before) in %s → %s",
			res.Records, pages, len(res.Files), res.Unchanged, res.Took.Round(time.Millisecond), *out)
	} else {
		e.say("已生成 %d 条记录：%d 个网页，共 %d 个文件，用时 %s → %s", "built %d records: %d pages, %d files in %s → %s",
			res.Records, pages, len(res.Files), res.Took.Round(time.Millisecond), *out)
	}
	return exitOK
}

func cmdCheck(e *env, args []string) int {
	fs := e.flags("check", "[--src content] [--json] [--date YYYY-MM-DD]",
		"检查内容（格式、规则、个人信息、账本），不生成文件；有错误时返回 1。\nValidate, privacy-lint and verify the ledger without writing; exit 1 on errors.")
	c := addCommon(fs)
	asJSON := fs.Bool("json", false, "以 JSON 输出，供程序读取 / print JSON for machines")
	strict := fs.Bool("strict", false, "有警告也算失败 / fail on warnings")
	if _, code, ok := parse(fs, args); !ok {
		return code
	}
	today, src, ok := e.open(c)
	if !ok {
		return exitUsage
	}
	defer src.Close()
	opt := build.Options{Src: src.FS(), Today: today}
	board, ds := build.Load(opt)
	if board != nil {
		ds = withLedger(ds, ledgerCheck(src.FS(), board))
	}
	ds = ds.Sorted()
	if *asJSON {
		type item struct {
			File     string `json:"file"`
			Line     int    `json:"line,omitempty"`
			Col      int    `json:"col,omitempty"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			Hint     string `json:"hint,omitempty"`
		}
		items := []item{}
		for _, d := range ds {
			sev := "error"
			if d.Severity == diag.Warning {
				sev = "warning"
			}
			items = append(items, item{d.Pos.File, d.Pos.Line, d.Pos.Col, sev, d.Msg.In(e.lang), d.Hint.In(e.lang)})
		}
		errs, warns := ds.Count()
		records := 0
		if board != nil {
			records = len(board.Records)
		}
		b, _ := json.MarshalIndent(map[string]any{"ok": !build.Failed(ds, *strict), "errors": errs, "warnings": warns, "records": records, "diagnostics": items}, "", "  ")
		fmt.Fprintln(e.stdout, string(b))
	} else {
		e.report(ds)
		if !build.Failed(ds, *strict) && board != nil {
			e.say("检查通过：%d 条记录。", "check passed: %d records.", len(board.Records))
		}
	}
	if build.Failed(ds, *strict) {
		return exitContent
	}
	return exitOK
}

func cmdNew(e *env, args []string) int {
	fs := e.flags("new", "<section> <slug>",
		"按模板新建一条记录，填好今天的日期和站点默认值；已存在时不覆盖。模板里【请填写：…】的地方都要换成实际内容，否则检查和发布会报错。\nsection: conventions | disclosures | decisions | minutes | pages\n"+
			"Write a new record from the theme's template; never overwrites. Every 【请填写：…】 must be replaced, or check and publish refuse the record.")
	c := addCommon(fs)
	bundle := fs.Bool("bundle", false, "新建为文件夹（<slug>/index.md），可放附件 / make a bundle for attachments")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 2 {
		fs.Usage()
		return exitUsage
	}
	rec := scaffold.Record{Section: pos[0], Slug: strings.TrimSuffix(pos[1], ".md"), Bundle: *bundle}
	if d, ok := e.today(*c.date); !ok {
		return exitUsage
	} else if !d.IsZero() {
		rec.Today = d
	}
	if ds := scaffold.Check(rec); ds.HasErrors() {
		e.report(ds)
		return exitUsage
	}
	src, ok := e.srcFS(*c.src)
	if !ok {
		return exitUsage
	}
	defer src.Close()
	ds := scaffold.New(src.Root(), rec)
	e.report(ds)
	if ds.HasErrors() {
		e.say("没有新建文件。", "nothing was written.")
		return exitContent
	}
	e.say("已新建 %s。请用文本编辑器打开，把每个【请填写：…】换成实际内容。", "wrote %s. Open it in a text editor and replace every 【请填写：…】 by the real content.", path.Join(*c.src, rec.File()))
	return exitOK
}
