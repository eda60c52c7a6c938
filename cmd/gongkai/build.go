package main

import (
	"encoding/json"
	"errors"
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
		"检查全部内容，生成网站和打印版到 --out。先检查、生成全部内容，成功后才改动 --out：只写入内容有变化的文件（每个文件一步替换），删除网站里已经没有的文件；出错时原来的输出保持不变。\n"+
			"Validate everything and build the site into --out. Nothing there changes unless the whole build succeeds; then only files whose bytes changed are replaced, each in one atomic step, and files the site no longer has are removed.")
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
	opt := build.Options{Src: src.FS(), SrcDir: src.Dir(), Today: today, Strict: *strict, Offline: *offline, BaseURL: *baseURL, Drafts: *drafts, Cache: build.UserCache()}
	e.loadGC(&opt)
	stop := e.progress(&opt)
	res, ds, err := build.ToDir(opt, *out)
	stop()
	e.report(ds)
	if err != nil {
		if errors.Is(err, build.ErrIncomplete) {
			e.fail("生成中断：", "the build was cut short: ", err)
			e.say("%s 里已替换的文件是新的，其余是原来的；改正后重新生成即可补全。", "the files of %s already replaced are new, the others old; build again once fixed to complete it.", *out)
		} else {
			e.fail("生成失败，原来的输出保持不变：", "build failed; the old output is unchanged: ", err)
		}
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
	e.say("已生成 %d 条记录：%d 个网页，共 %d 个文件，用时 %s → %s", "built %d records: %d pages, %d files in %s → %s",
		res.Records, pages, len(res.Files), res.Took.Round(time.Millisecond), *out)
	if res.Unchanged > 0 || res.Removed > 0 {
		e.say("写入 %d 个有变化的文件，%d 个与上次相同，删除 %d 个不再需要的文件。", "%d files written as changed, %d as before, %d no longer needed removed.",
			res.Written, res.Unchanged, res.Removed)
	}
	if res.Cached > 0 {
		e.say("重新读取了 %d 条有变化的记录，其余 %d 条取自上次生成时的缓存。", "%d changed records read again; the other %d came from the last build's cache.",
			res.Decoded, res.Cached)
	}
	return exitOK
}

func cmdCheck(e *env, args []string) int {
	fs := e.flags("check", "[--src content] [--json] [--date YYYY-MM-DD]",
		"检查内容（格式、规则、个人信息、账本），不生成文件；有错误或未登记的修改时返回 1。\nValidate, privacy-lint and verify the ledger without writing; exit 1 on errors and on unregistered changes.")
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
	s := build.Check(build.Options{Src: src.FS(), Today: today})
	failed := s.FailedCheck(*strict)
	if *asJSON {
		type item struct {
			File     string `json:"file"`
			Line     int    `json:"line,omitempty"`
			Col      int    `json:"col,omitempty"`
			Severity string `json:"severity"`
			Code     string `json:"code,omitempty"`
			Message  string `json:"message"`
			Hint     string `json:"hint,omitempty"`
		}
		items := []item{}
		for _, d := range s.Diags {
			sev := "error"
			if d.Severity == diag.Warning {
				sev = "warning"
			}
			items = append(items, item{d.Pos.File, d.Pos.Line, d.Pos.Col, sev, d.Code, d.Msg.In(e.lang), d.Hint.In(e.lang)})
		}
		errs, warns := s.Diags.Count()
		records := 0
		if s.Board != nil {
			records = len(s.Board.Records)
		}
		b, _ := json.MarshalIndent(map[string]any{"ok": !failed, "errors": errs, "warnings": warns, "records": records, "diagnostics": items}, "", "  ")
		fmt.Fprintln(e.stdout, string(b))
	} else {
		e.report(s.Diags)
		switch {
		case !failed:
			e.say("检查通过：%d 条记录。", "check passed: %d records.", len(s.Board.Records))
		case !s.Failed(*strict):
			e.say("检查未通过：有未登记的修改，gongkai publish 会拒绝。", "check failed: there are unregistered changes, which gongkai publish refuses.")
		}
	}
	if failed {
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
