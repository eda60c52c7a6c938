package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/content"
	"gongkai/generator/diag"
	"gongkai/generator/history"
	"gongkai/generator/ledger"
	"gongkai/generator/record"
)

// ledgerCheck verifies the ledger for `check`. build.Load already reports
// the errors of the ledger and the archive and warns about every changed
// record; this adds what only a full verify sees: the published records
// edited without a new change_note (未登记的修改), as errors.
// withLedger adds the ledger's errors to a build's diagnostics. A record
// edited without a registered version is then an error, so the build's
// warning about the same unregistered change is left out.
func withLedger(ds, ledgerErrs diag.List) diag.List {
	silent := map[string]bool{}
	for _, d := range ledgerErrs {
		silent[d.Pos.File] = true
	}
	out := make(diag.List, 0, len(ds)+len(ledgerErrs))
	for _, d := range ds {
		if d.Severity == diag.Warning && d.Pos.Line == 0 && silent[d.Pos.File] && strings.Contains(d.Msg.Zh, "未登记") {
			continue
		}
		out = append(out, d)
	}
	return append(out, ledgerErrs...)
}

func ledgerCheck(src string, board *record.Board) diag.List {
	fsys := os.DirFS(src)
	if _, err := fs.Stat(fsys, ledger.FileName); err != nil {
		return nil
	}
	files := map[string]bool{}
	for _, r := range board.Records {
		files[r.File] = true
	}
	var ds diag.List
	for _, d := range ledger.Verify(fsys, history.Current(board)) {
		if d.Severity == diag.Error && files[d.Pos.File] {
			ds.Add(d)
		}
	}
	return ds
}

// withdrawFlag collects --withdraw id="reason".
type withdrawFlag map[string]string

func (w withdrawFlag) String() string { return "" }

func (w withdrawFlag) Set(s string) error {
	id, reason, ok := strings.Cut(s, "=")
	id = strings.TrimSuffix(strings.TrimSpace(id), ".md")
	if !ok || id == "" {
		return fmt.Errorf("写成 --withdraw 记录编号=\"撤回理由\" / use --withdraw id=\"reason\"")
	}
	if _, dup := w[id]; dup {
		return fmt.Errorf("%s 写了两次 / %s given twice", id, id)
	}
	w[id] = strings.TrimSpace(strings.Trim(strings.TrimSpace(reason), `"“”`))
	return nil
}

var _ flag.Value = withdrawFlag(nil)

func cmdPublish(e *env, args []string) int {
	fs := e.flags("publish", "-m \"说明\" [--src content] [--withdraw id=\"原因\"]… [--date YYYY-MM-DD]",
		"登记一次发布：自上次发布以来新增、修订（须写 change_note）、撤回（须写理由）和到期的记录，写入 content/ledger.jsonl 和 content/_archive/。\n"+
			"Register a release: every new, amended (with a change_note), withdrawn (with a reason) and expired record since the last release.")
	c := addCommon(fs)
	msg := fs.String("m", "", "本次发布的说明（必填）/ what this release is (required)")
	withdraw := withdrawFlag{}
	fs.Var(withdraw, "withdraw", "撤回一条已删除文件的记录：id=\"理由\"，可写多次 / withdraw a removed record: id=\"reason\", repeatable")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		e.say("publish 不接受参数 %q（说明请用 -m \"…\"）", "publish takes no arguments: %q (give the message with -m \"…\")", strings.Join(pos, " "))
		return exitUsage
	}
	if strings.TrimSpace(*msg) == "" {
		e.say("缺少发布说明：请用 -m 写明本次发布的内容，例如 gongkai publish -m \"公布第二季度财务\"",
			"the release message is missing: say what this release is with -m, e.g. gongkai publish -m \"second-quarter accounts\"")
		return exitUsage
	}
	day, src, ok := e.open(c)
	if !ok {
		return exitUsage
	}
	board, ds := content.Load(os.DirFS(src), content.Options{})
	if board == nil || ds.HasErrors() {
		e.report(ds)
		e.say("内容有错误，没有发布。请先改正上面的错误。", "there are content errors; nothing was published. Fix them first.")
		return exitContent
	}
	now := time.Now()
	if !day.IsZero() {
		loc := board.Site.Location
		if loc == nil {
			loc = time.Local
		}
		now = time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, loc)
	} else if board.Site.Location != nil {
		now = now.In(board.Site.Location)
	}
	rel, pds := ledger.Publish(src, history.Current(board), ledger.PublishOptions{
		Message: *msg, Withdraw: withdraw, Now: now,
	})
	ds.Add(pds...)
	e.report(ds.Sorted())
	if rel == nil {
		if pds.HasErrors() {
			e.say("没有发布，账本和归档保持原样。", "nothing was published; the ledger and the archive are unchanged.")
			return exitContent
		}
		return exitOK
	}
	e.say("已登记第 %d 次发布（%s）：", "registered release %d (%s):", rel.Number, now.Format("2006-01-02 15:04"))
	counts := map[string]int{}
	for _, l := range rel.Lines {
		if l.Action == ledger.ActionRelease {
			continue
		}
		counts[l.Action]++
		switch l.Action {
		case ledger.ActionPublish:
			e.say("  首次发布 %s 第%d版", "  published %s version %d", l.Record, l.Version)
		case ledger.ActionAmend:
			e.say("  修订 %s 为第%d版：%s", "  amended %s to version %d: %s", l.Record, l.Version, l.Note)
		case ledger.ActionWithdraw:
			e.say("  撤回 %s（第%d版）：%s", "  withdrew %s (version %d): %s", l.Record, l.Version, l.Note)
		case ledger.ActionExpire:
			e.say("  到期下架 %s（第%d版，%s）", "  expired %s (version %d, %s)", l.Record, l.Version, l.Note)
		}
	}
	e.say("共 %d 条新发布、%d 条修订、%d 条撤回、%d 条到期。账本现有 %d 行。检查点：",
		"%d published, %d amended, %d withdrawn, %d expired. The ledger now has %d lines. Checkpoint:",
		counts[ledger.ActionPublish], counts[ledger.ActionAmend], counts[ledger.ActionWithdraw], counts[ledger.ActionExpire], rel.Checkpoint.Size)
	fmt.Fprint(e.stderr, rel.Checkpoint.String())
	e.say("请重新生成网站（gongkai build）并上传。", "now rebuild the site (gongkai build) and upload it.")
	return exitOK
}

func cmdVerify(e *env, args []string) int {
	fs := e.flags("verify", "[--src content] [--site public] [--since CHECKPOINT]",
		"核验账本：哈希链、每个归档版本、已发布记录有没有被悄悄修改；加 --site 时重新生成网站并逐字节比较；加 --since 时证明账本是保存的检查点的延续。有任何不符时返回 1。\n"+
			"Verify the ledger chain, every archived version and the published records; with --site, rebuild and compare the site byte for byte; with --since, prove the ledger extends a saved checkpoint. Exit 1 on any mismatch.")
	c := addCommon(fs)
	site := fs.String("site", "", "已生成的网站文件夹，与重新生成的结果比较 / a built site to compare with a fresh build")
	since := fs.String("since", "", "以前保存的检查点（文件路径或文本）/ a saved checkpoint (file or text)")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !e.noArgs("verify", pos) {
		return exitUsage
	}
	day, src, ok := e.open(c)
	if !ok {
		return exitUsage
	}
	fsys := os.DirFS(src)
	board, ds := content.Load(fsys, content.Options{})
	bad := 0
	if board == nil {
		e.report(ds)
		return exitContent
	}
	ds.Add(ledger.Verify(fsys, history.Current(board))...)
	if *since != "" {
		text := *since
		if b, err := os.ReadFile(*since); err == nil {
			text = string(b)
		} else if !strings.Contains(text, "\n") {
			e.say("找不到检查点文件 %s", "checkpoint file %s not found", *since)
			return exitUsage
		}
		sds := ledger.VerifySince(fsys, text)
		ds.Add(sds...)
		if !sds.HasErrors() {
			defer e.say("账本是保存的检查点的延续：历史没有被改写。", "the ledger extends the saved checkpoint: history was not rewritten.")
		}
	}
	e.report(ds.Sorted())
	if ds.HasErrors() {
		bad++
	}
	if *site != "" {
		n, code := e.verifySite(fsys, *site, day)
		if code == exitUsage {
			return exitUsage
		}
		bad += n
	}
	if bad > 0 {
		e.say("核验未通过。", "verification failed.")
		return exitContent
	}
	l, _ := ledger.Read(fsys)
	e.say("核验通过：账本 %d 行，%d 条记录的全部版本与归档一致。", "verified: %d ledger lines; every version of %d records matches the archive.",
		l.Size(), len(l.Records()))
	return exitOK
}

// verifySite rebuilds the site in memory with the date of dir/build.json
// (or --date) and compares every file with dir. It returns the number of
// mismatches.
func (e *env) verifySite(fsys fs.FS, dir string, day time.Time) (int, int) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		e.say("找不到网站文件夹 %s", "site folder %s not found", dir)
		return 0, exitUsage
	}
	opt := build.Options{Src: fsys, Today: day}
	if b, err := os.ReadFile(filepath.Join(dir, history.BuildJSON)); err == nil {
		var info history.BuildInfo
		if err := json.Unmarshal(b, &info); err != nil {
			e.fail(dir+"/build.json 无法读取：", dir+"/build.json is unreadable: ", err)
			return 1, exitContent
		}
		if day.IsZero() {
			t, err := time.Parse("2006-01-02", info.Date)
			if err != nil {
				e.say("%s/build.json 里的日期 %q 无效", "%s/build.json has an invalid date %q", dir, info.Date)
				return 1, exitContent
			}
			opt.Today = t
		}
		opt.BaseURL, opt.Offline = info.BaseURL, info.Offline
	} else if day.IsZero() {
		e.say("%s 里没有 build.json，不知道生成日期；请用 --date 指定", "%s has no build.json, so the build date is unknown; give it with --date", dir)
		return 1, exitContent
	}
	out, _, ds, err := build.ToMemory(opt)
	if err != nil || out == nil {
		if ds.HasErrors() {
			e.report(ds.Sorted())
		}
		if err != nil {
			e.fail("无法重新生成网站来比较：", "cannot rebuild the site to compare it: ", err)
		} else {
			e.say("无法重新生成网站来比较", "cannot rebuild the site to compare it")
		}
		return 1, exitContent
	}
	built := map[string]bool{}
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		built[filepath.ToSlash(rel)] = true
		return nil
	})
	if err != nil {
		e.fail("无法读取网站文件夹 "+dir+"：", "cannot read the site folder "+dir+": ", err)
		return 1, exitContent
	}
	delete(built, "README.md")
	var diffs []string
	for _, name := range out.Names() {
		want, _ := out.Get(name)
		if !built[name] {
			diffs = append(diffs, diag.T("缺少文件：%s", "missing file: %s", name).In(e.lang))
			continue
		}
		delete(built, name)
		have, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(have, want) {
			diffs = append(diffs, diag.T("内容不同：%s", "differs: %s", name).In(e.lang))
		}
	}
	extra := make([]string, 0, len(built))
	for name := range built {
		extra = append(extra, name)
	}
	sort.Strings(extra)
	for _, name := range extra {
		diffs = append(diffs, diag.T("多出的文件：%s", "extra file: %s", name).In(e.lang))
	}
	for _, d := range diffs {
		fmt.Fprintln(e.stderr, "  "+d)
	}
	if len(diffs) > 0 {
		e.say("网站 %s 有 %d 个文件与用同样内容和日期（%s）重新生成的结果不同：网站被改动，或不是由这些内容生成的。",
			"site %s has %d files that differ from a fresh build of the same content and date (%s): the site was altered or was not built from this content.",
			dir, len(diffs), opt.Today.Format("2006-01-02"))
		return len(diffs), exitContent
	}
	e.say("网站 %s 与重新生成的结果逐字节相同（%d 个文件）。", "site %s is byte-identical to a fresh build (%d files).", dir, len(out.Names()))
	return 0, exitOK
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return "：" + err.Error()
}
