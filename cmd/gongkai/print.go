package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/sheet"
)

const printArgs = "[--src content] [--site public] [--out print-pdf] [--date YYYY-MM-DD] [--pdf] [ids…]"

func cmdPrint(e *env, args []string) int {
	fs := e.flags("print", printArgs,
		"打印版。不加 --pdf：生成网站（同 build），列出打印版网页的位置，用浏览器打开即可打印。\n"+
			"加 --pdf：用本机的 Chromium/Chrome 把打印版做成 PDF，放到 --out；不写编号时为今天公示中的全部事项（另加 board.pdf，一次打印全部）。\n"+
			"编号如 disclosures/2026-q2-caiwu；board 表示公示栏全部。\n"+
			"Print sheets. Without --pdf: build the site and list where the HTML sheets are. With --pdf: render PDFs through headless Chromium\n"+
			"into --out, for the given record ids (default: every record on notice, plus board.pdf with all of them).")
	c := addCommon(fs)
	site := fs.String("site", "public", "网站输出文件夹 / the site folder (without --pdf)")
	out := fs.String("out", "print-pdf", "PDF 输出文件夹（不放在 public/ 里，以免下次生成时被替换）/ where the PDFs go, outside public/ so the next build keeps them")
	asPDF := fs.Bool("pdf", false, "生成 PDF（需要 Chromium 或 Chrome）/ render PDFs (needs Chromium or Chrome)")
	baseURL := fs.String("base-url", "", "覆盖 site.toml 的 base_url（二维码用）/ override base_url (for the QR codes)")
	ids, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	today, src, ok := e.open(c)
	if !ok {
		return exitUsage
	}
	defer src.Close()
	for i, id := range ids {
		ids[i] = strings.Trim(filepath.ToSlash(id), "/")
	}
	opt := build.Options{Src: src.FS(), SrcDir: src.Dir(), Today: today, BaseURL: *baseURL}
	e.loadGC(&opt)
	if !*asPDF {
		return printHTML(e, opt, *site, ids)
	}
	return printPDF(e, opt, *out, ids)
}

// checkIDs reports the ids that have no sheet, with a suggestion.
func checkIDs(e *env, ids, all []string) bool {
	unknown := sheet.CheckIDs(ids, all)
	for _, u := range unknown {
		e.say("没有编号为 %q 的记录（或它没有打印版）。", "no record %q (or it has no print sheet).", u.ID)
		if u.Suggest != "" {
			e.say("是不是 %s？", "did you mean %s?", u.Suggest)
		}
	}
	return len(unknown) == 0
}

// printHTML builds the site and lists where the sheets are.
func printHTML(e *env, opt build.Options, site string, ids []string) int {
	opt.Cache = build.UserCache()
	stop := e.progress(&opt)
	res, ds, err := build.ToDir(opt, site)
	stop()
	e.report(ds)
	if err != nil {
		e.fail("生成失败：", "build failed: ", err)
		return exitContent
	}
	if res == nil {
		e.say("有错误，未生成。%s 保持不变。", "there are errors; nothing was written. %s is unchanged.", site)
		return exitContent
	}
	all, _ := sheet.IDs(res.Render)
	if !checkIDs(e, ids, all) {
		return exitUsage
	}
	if len(ids) == 0 {
		ids = []string{"board"}
		e.say("打印版网页在 %s 下（共 %d 份）。公示栏全部事项：", "the print sheets are under %s (%d of them). Everything on notice:",
			filepath.Join(site, "print"), len(all))
	}
	for _, id := range ids {
		fmt.Fprintln(e.stdout, sheet.File(site, id))
	}
	e.say("用浏览器打开后打印即可；要 PDF 请加 --pdf。", "open one in a browser and print it; add --pdf for PDF files.")
	return exitOK
}

// printPDF builds the site into a temporary folder and prints the sheets
// of ids (default: every record on notice and the board) to PDF files.
func printPDF(e *env, opt build.Options, out string, ids []string) int {
	exe, err := sheet.FindChromium()
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return exitContent
	}
	tmp, err := os.MkdirTemp("", "gongkai-print-")
	if err != nil {
		e.fail("无法建立临时文件夹：", "cannot make a temporary folder: ", err)
		return exitContent
	}
	defer os.RemoveAll(tmp)
	site := filepath.Join(tmp, "site")
	stop := e.progress(&opt)
	res, ds, err := build.ToDir(opt, site)
	stop()
	e.report(ds)
	if err != nil {
		e.fail("生成失败：", "build failed: ", err)
		return exitContent
	}
	if res == nil {
		e.say("有错误，未生成 PDF。", "there are errors; no PDF was made.")
		return exitContent
	}
	all, onNotice := sheet.IDs(res.Render)
	if !checkIDs(e, ids, all) {
		return exitUsage
	}
	if len(ids) == 0 {
		if len(onNotice) == 0 {
			e.say("今天（%s）没有公示中的事项，没有生成 PDF。可以写出编号打印指定的记录。",
				"nothing is on notice today (%s); no PDF made. Name record ids to print them.", res.Render.Site().Today)
			return exitOK
		}
		ids = append(append(ids, onNotice...), "board")
	}
	var done func(int)
	if len(ids) > 3 && e.terminal() {
		done = func(n int) {
			fmt.Fprintf(e.stderr, "\r%s %d/%d", diag.T("正在生成 PDF", "making PDFs").In(e.lang), n, len(ids))
		}
	}
	files, err := sheet.PrintPDFs(context.Background(), exe, site, out, ids, done)
	if done != nil {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		e.fail("生成 PDF 失败：", "printing to PDF failed: ", err)
		return exitContent
	}
	for _, f := range files {
		fmt.Fprintln(e.stdout, f)
	}
	e.say("已生成 %d 个 PDF → %s", "made %d PDFs → %s", len(files), out)
	return exitOK
}
