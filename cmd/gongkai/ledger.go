package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gongkai/generator/audit"
	"gongkai/generator/build"
	"gongkai/generator/content"
	"gongkai/generator/deploy"
	"gongkai/generator/diag"
	"gongkai/generator/history"
	"gongkai/generator/ledger"
	"gongkai/generator/record"
	"gongkai/generator/sitefs"
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

func ledgerCheck(fsys fs.FS, board *record.Board) diag.List {
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
	fs := e.flags("publish", "-m \"说明\" [--src content] [--withdraw id=\"原因\"]… [--date YYYY-MM-DD] [--key FILE]",
		"登记一次发布：自上次发布以来新增、修订（须写 change_note）、撤回（须写理由）和到期的记录，写入 content/ledger.jsonl 和 content/_archive/；"+
			"发布后的检查点存进 content/_checkpoints/，site.toml 写了本居委会的公钥时用私钥签名（找不到私钥就不发布）。\n"+
			"Register a release: every new, amended (with a change_note), withdrawn (with a reason) and expired record since the last release; "+
			"its checkpoint goes to content/_checkpoints/, signed when site.toml names the board's key (without the private key nothing is published).")
	c := addCommon(fs)
	msg := fs.String("m", "", "本次发布的说明（必填）/ what this release is (required)")
	withdraw := withdrawFlag{}
	fs.Var(withdraw, "withdraw", "撤回一条已删除文件的记录：id=\"理由\"，可写多次 / withdraw a removed record: id=\"reason\", repeatable")
	keyFile := fs.String("key", "", "本居委会的私钥文件（默认在用户配置文件夹里）/ the board's private key file (by default in the user's configuration folder)")
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
	defer src.Close()
	board, ds := content.Load(src.FS(), content.Options{})
	if board == nil || ds.HasErrors() {
		if d := ledger.Lost(src.FS()); d != nil {
			ds.Add(*d) // the cause of links to withdrawn records that look missing
		}
		e.report(ds.Sorted())
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
	keys := board.Site.Ledger
	signer, _, kds := ledger.BoardSigner(keys, *keyFile, src.Dir())
	if kds.HasErrors() {
		e.report(append(ds, kds...).Sorted())
		e.say("没有发布，账本和归档保持原样。", "nothing was published; the ledger and the archive are unchanged.")
		return exitContent
	}
	rel, pds := ledger.Publish(src.Root(), history.Current(board), ledger.PublishOptions{
		Message: *msg, Withdraw: withdraw, Now: now, Keys: keys, Signer: signer,
	})
	ds.Add(pds...)
	e.report(ds.Sorted())
	if rel != nil && rel.Number == 0 {
		e.say("已为 %d 个检查点补上本居委会的签名。", "signed %d checkpoints with the board's key.", len(rel.Signed))
		e.checkpointSaved(*c.src, keys, rel)
		return exitOK
	}
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
	e.say("共 %d 条新发布、%d 条修订、%d 条撤回、%d 条到期。账本现有 %d 条。检查点：",
		"%d published, %d amended, %d withdrawn, %d expired. The ledger now has %d lines. Checkpoint:",
		counts[ledger.ActionPublish], counts[ledger.ActionAmend], counts[ledger.ActionWithdraw], counts[ledger.ActionExpire], rel.Checkpoint.Size)
	fmt.Fprint(e.stderr, string(rel.Note.Bytes()))
	e.checkpointSaved(*c.src, keys, rel)
	e.say("请重新生成网站（gongkai build）并上传。", "now rebuild the site (gongkai build) and upload it.")
	return exitOK
}

// checkpointSaved says in one sentence what the checkpoint is for and
// where it is saved, and what is left to do about its signatures.
func (e *env) checkpointSaved(src string, keys ledger.Keys, rel *ledger.Release) {
	signed := rel.Note != nil && keys.Board != nil && rel.Note.Check(keys).Board
	where := filepath.Join(src, filepath.FromSlash(rel.File))
	if rel.File == "" {
		where = history.CheckpointFile(rel.Checkpoint.Size)
	}
	state := diag.T("没有签名", "unsigned")
	if signed {
		state = diag.T("已由本居委会签名", "signed with the board's key")
	}
	e.say("检查点记下账本此刻的条数（%d）和根哈希，%s，保存在 %s（网站上是 /%s）：请把这个文件交给街道和监督委员会保存，日后凭它可以证明登记过的内容没有被改动或删除。",
		"the checkpoint records the ledger's size (%d) and root hash, %s, and is saved in %s (on the site: /%s): give this file to the 街道 and the supervisory committee to keep; with it they can later prove that nothing registered was changed or removed.",
		rel.Checkpoint.Size, state.In(e.lang), where, history.CheckpointFile(rel.Checkpoint.Size))
	switch {
	case keys.Board == nil:
		e.say("site.toml 里还没有本居委会的公钥，检查点没有签名；运行 gongkai key new 生成密钥后，下一次 gongkai publish 会签名。",
			"site.toml names no board key, so the checkpoint is not signed; run gongkai key new, and the next gongkai publish signs.")
	case len(keys.Witnesses) > 0:
		var names []string
		for _, w := range keys.Witnesses {
			names = append(names, w.Name)
		}
		e.say("请 %s 用 gongkai cosign 副署它。", "ask %s to cosign it with gongkai cosign.", strings.Join(names, "、"))
	}
}

func cmdVerify(e *env, args []string) int {
	fs := e.flags("verify", "[--src content] [--site public|URL] [--since CHECKPOINT] [--key KEY]",
		"核验账本：哈希链、每个归档版本、检查点上的签名、已发布记录有没有被悄悄修改；加 --site（文件夹或网址）时重新生成网站并逐个文件比较；加 --since 时证明账本是保存的检查点的延续。\n"+
			"没有内容文件夹时，只核验网站（文件夹或网址）公开的账本：哈希链、检查点和签名、每条包含证明、公开原文的哈希。有任何不符时返回 1。\n"+
			"Verify the ledger chain, every archived version, the checkpoints' signatures and the published records; with --site (a folder or a web address), rebuild and compare the site file by file; with --since, prove the ledger extends a saved checkpoint. "+
			"Without a content folder, verify the ledger the site (a folder or a web address) publishes. Exit 1 on any mismatch.")
	c := addCommon(fs)
	site := fs.String("site", "", "已生成的网站：文件夹或网址 / the built site: a folder or a web address")
	since := fs.String("since", "", "以前保存的检查点（文件路径或文本）/ a saved checkpoint (file or text)")
	key := fs.String("key", "", "本居委会的公钥（公开单上印的）；网站的公钥必须是它 / the board's key as printed on the wall sheets; the site's must be this one")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !e.noArgs("verify", pos) {
		return exitUsage
	}
	var saved []byte
	if *since != "" {
		if b, err := os.ReadFile(*since); err == nil {
			saved = b
		} else if strings.Contains(*since, "\n") {
			saved = []byte(*since)
		} else {
			e.say("找不到检查点文件 %s", "checkpoint file %s not found", *since)
			return exitUsage
		}
	}
	srcGiven := false
	fs.Visit(func(f *flag.Flag) { srcGiven = srcGiven || f.Name == "src" })
	if *site != "" && !srcGiven && !isDir(*c.src) {
		return e.verifyPublished(*site, saved, *key)
	}
	day, src, ok := e.open(c)
	if !ok {
		return exitUsage
	}
	defer src.Close()
	fsys := src.FS()
	board, ds := content.Load(fsys, content.Options{})
	bad := 0
	if board == nil {
		e.report(ds)
		return exitContent
	}
	h, _ := history.New(fsys, board)
	if d := ledger.Lost(fsys); d != nil {
		ds.Add(*d)
	}
	keys := board.Site.Ledger
	if *key != "" {
		if k, err := ledger.ParseKey(*key); err != nil || keys.Board == nil || k.Text != keys.Board.Text {
			ds.Add(diag.Errorf(diag.Position{File: "site.toml"}, "site.toml 里的公钥不是 --key 给出的公钥", "site.toml does not name the key given with --key").
				WithHint("照公开单上印的公钥整行抄写，并核对 site.toml 的 [ledger] key", "copy the whole key as printed on the wall sheet and check key under [ledger] in site.toml"))
		}
	}
	ds.Add(ledger.Verify(fsys, history.Current(board))...)
	ds.Add(h.Published()...)
	statuses, cds := ledger.VerifyCheckpoints(fsys, keys, true)
	ds.Add(cds...)
	if saved != nil {
		sds := ledger.VerifySince(fsys, keys, saved)
		ds.Add(sds...)
		if !sds.HasErrors() {
			defer e.say("账本是保存的检查点的延续：历史没有被改写。", "the ledger extends the saved checkpoint: history was not rewritten.")
		}
	}
	e.report(ds.Sorted())
	if ds.HasErrors() {
		bad++
	}
	switch {
	case *site != "" && ds.HasErrors():
		e.say("内容或账本有错误，无法重新生成网站来和 %s 比较。", "the content or the ledger has errors, so the site cannot be rebuilt to compare with %s.", *site)
	case *site != "":
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
	t := h.Tally()
	e.say("核验通过：账本 %d 条；%d 条记录在公开栏上，%d 条已撤回，%d 条已到期下架；全部 %d 条记录的各版本与归档一致。",
		"verified: %d ledger lines; %d records on the board, %d withdrawn, %d expired; every version of all %d records matches the archive.",
		t.Lines, t.Records, t.Withdrawn, t.Expired, t.All)
	e.signers(keys, statuses)
	return exitOK
}

// verifyPublished verifies the ledger a site publishes, without the
// content folder.
func (e *env) verifyPublished(loc string, saved []byte, key string) int {
	site, err := sitefs.Open(loc)
	if err != nil {
		e.fail("无法打开网站 "+loc+"：", "cannot open the site "+loc+": ", err)
		return exitUsage
	}
	rep, ds := audit.Verify(site, audit.Options{Since: saved, Key: key})
	e.report(ds.Sorted())
	if ds.HasErrors() {
		e.say("核验未通过：%s 公开的账本有不符之处。", "verification failed: the ledger published at %s does not hold together.", loc)
		return exitContent
	}
	e.say("核验通过：%s 公开的账本 %d 条（%d 次发布）哈希链完整，每个检查点与账本相符；%d 个版本的包含证明成立，%d 份公开的原文与登记的哈希相符（另有 %d 份含个人信息的原文只公开哈希）。",
		"verified: the ledger published at %s, %d lines (%d releases), chains up and matches every checkpoint; %d inclusion proofs hold and %d published sources match their registered hashes (%d personal sources are published as hashes only).",
		loc, rep.Size, rep.Releases, rep.Versions, rep.Sources, rep.Withheld)
	if rep.Since != nil {
		e.say("账本是保存的检查点（%d 条）的延续：历史没有被改写。", "the ledger extends the saved checkpoint (%d lines): history was not rewritten.", rep.Since.Size)
	}
	e.signers(rep.Keys, rep.Checkpoints)
	if key == "" && rep.Keys.Board != nil {
		e.say("公钥取自网站自己的 build.json：请与公开单上印的公钥核对，或用 --key 指定它。", "the keys come from the site's own build.json: compare with the key printed on the wall sheets, or give it with --key.")
	}
	return exitOK
}

// signers says who signed the latest checkpoint.
func (e *env) signers(keys ledger.Keys, sts []ledger.CheckpointStatus) {
	if len(sts) == 0 {
		return
	}
	st := sts[len(sts)-1]
	if keys.Board == nil {
		e.say("检查点没有签名：没有设置本居委会的公钥。", "the checkpoints are not signed: no board key is set.")
		return
	}
	var parts []string
	if st.Signers.Board {
		parts = append(parts, diag.T("本居委会已签名", "signed by the board").In(e.lang))
	}
	if len(st.Signers.Witnessed) > 0 {
		parts = append(parts, diag.T("%s 已副署", "cosigned by %s", strings.Join(st.Signers.Witnessed, "、")).In(e.lang))
	}
	if len(st.Signers.Missing) > 0 {
		parts = append(parts, diag.T("%s 尚未副署", "not yet cosigned by %s", strings.Join(st.Signers.Missing, "、")).In(e.lang))
	}
	e.say("最新检查点（%d 条）：%s。", "latest checkpoint (%d lines): %s.", st.Size, strings.Join(parts, diag.T("；", "; ").In(e.lang)))
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// verifySite rebuilds the site in memory with the date of site/build.json
// (or --date) and compares every file with site, a folder or a web
// address. It returns the number of mismatches.
func (e *env) verifySite(fsys fs.FS, dir string, day time.Time) (int, int) {
	if !sitefs.IsURL(dir) {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			e.say("找不到网站文件夹 %s", "site folder %s not found", dir)
			return 0, exitUsage
		}
	}
	siteFS, err := sitefs.Open(dir)
	if err != nil {
		e.fail("打不开网站 "+dir+"：", "cannot open the site "+dir+": ", err)
		return 0, exitUsage
	}
	opt := build.Options{Src: fsys, Today: day}
	if b, err := fs.ReadFile(siteFS, history.BuildJSON); err == nil {
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
	} else if !errors.Is(err, fs.ErrNotExist) {
		e.fail("读不了 "+dir+"/build.json：", "cannot read "+dir+"/build.json: ", err)
		return 1, exitContent
	} else if day.IsZero() {
		e.say("%s 里没有 build.json，不知道生成日期；请用 --date 指定", "%s has no build.json, so the build date is unknown; give it with --date", dir)
		return 1, exitContent
	}
	out, board, ds, err := build.ToMemory(opt)
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
	if sitefs.IsURL(dir) {
		// A web site cannot be listed: every file of the rebuild is asked
		// for by name, and the deploy's record and the sitemap on the site
		// name the files it holds beyond them.
		base := opt.BaseURL
		if base == "" {
			base = board.Site.BaseURL
		}
		listed, from, err := deploy.Listed(siteFS, base)
		if err != nil {
			e.fail("读不了网站上的文件清单：", "cannot read the site's list of files: ", err)
			return 1, exitContent
		}
		if len(from) == 0 {
			e.say("网站上没有 deploy.json 和 sitemap.xml：只能比较重新生成的文件，发现不了多出的文件。", "the site has neither deploy.json nor sitemap.xml: only the rebuilt files are compared, added files cannot be found.")
		}
		for _, name := range out.Names() {
			built[name] = true
		}
		for _, name := range listed {
			if _, ok := out.Get(name); !ok {
				if _, err := fs.Stat(siteFS, name); err == nil {
					built[name] = true
				}
			}
		}
	} else {
		err = fs.WalkDir(siteFS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			built[p] = true
			return nil
		})
	}
	if err != nil {
		e.fail("无法读取网站文件夹 "+dir+"：", "cannot read the site folder "+dir+": ", err)
		return 1, exitContent
	}
	delete(built, "README.md")
	delete(built, deploy.ManifestName)
	var diffs []string
	for _, name := range out.Names() {
		want, _ := out.Get(name)
		if !built[name] {
			diffs = append(diffs, diag.T("缺少文件：%s", "missing file: %s", name).In(e.lang))
			continue
		}
		delete(built, name)
		have, err := fs.ReadFile(siteFS, name)
		if errors.Is(err, fs.ErrNotExist) {
			diffs = append(diffs, diag.T("缺少文件：%s", "missing file: %s", name).In(e.lang))
			continue
		}
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
