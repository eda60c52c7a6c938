package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gongkai/generator/audit"
	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/history"
	"gongkai/generator/ledger"
	"gongkai/generator/sitediff"
	"gongkai/generator/sitefs"
)

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
	opt := build.Options{Src: src.FS(), Today: day}
	snap := build.Check(opt)
	if ds, blocked := snap.PublishBlocked(); blocked {
		e.report(ds)
		e.say("内容有错误，没有发布。请先改正上面的错误。", "there are content errors; nothing was published. Fix them first.")
		return exitContent
	}
	ds := snap.Content
	now := build.ReleaseTime(opt, snap)
	keys := snap.Board.Site.Ledger
	signer, _, kds := ledger.BoardSigner(keys, *keyFile, src.Dir())
	if kds.HasErrors() {
		e.report(append(ds, kds...).Sorted())
		e.say("没有发布，账本和归档保持原样。", "nothing was published; the ledger and the archive are unchanged.")
		return exitContent
	}
	rel, pds := build.Publish(snap, src.Root(), ledger.PublishOptions{
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
	v := build.Verify(build.Options{Src: fsys, Today: day}, *key, saved)
	e.report(v.Diags)
	if v.Since {
		defer e.say("账本是保存的检查点的延续：历史没有被改写。", "the ledger extends the saved checkpoint: history was not rewritten.")
	}
	bad := v.Failed
	switch {
	case *site != "" && v.Diags.HasErrors():
		e.say("内容或账本有错误，无法重新生成网站来和 %s 比较。", "the content or the ledger has errors, so the site cannot be rebuilt to compare with %s.", *site)
	case *site != "":
		switch e.verifySite(build.Options{Src: fsys, Today: day}, *site) {
		case exitUsage:
			return exitUsage
		case exitContent:
			bad = true
		}
	}
	if bad {
		e.say("核验未通过。", "verification failed.")
		return exitContent
	}
	t := v.Tally
	e.say("核验通过：账本 %d 条；%d 条记录在公开栏上，%d 条已撤回，%d 条已到期下架；全部 %d 条记录的各版本与归档一致。",
		"verified: %d ledger lines; %d records on the board, %d withdrawn, %d expired; every version of all %d records matches the archive.",
		t.Lines, t.Records, t.Withdrawn, t.Expired, t.All)
	keys := v.Snapshot.Board.Site.Ledger
	e.signers(keys, v.Checkpoints)
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
	if rep.Files > 0 {
		e.say("各版本登记的附件和表格文件 %d 份，公开的副本与登记的哈希相符。", "%d published copies of the files registered with the versions (attachments, tables) match their registered hashes.", rep.Files)
	}
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

// verifySite compares the site at loc (a folder or a web address) with a
// fresh build and prints every file that differs.
func (e *env) verifySite(opt build.Options, loc string) int {
	if !sitefs.IsURL(loc) && !isDir(loc) {
		e.say("找不到网站文件夹 %s", "site folder %s not found", loc)
		return exitUsage
	}
	site, err := sitefs.Open(loc)
	if err != nil {
		e.fail("打不开网站 "+loc+"：", "cannot open the site "+loc+": ", err)
		return exitUsage
	}
	r, ds := sitediff.Compare(opt, site)
	if r == nil {
		e.report(ds)
		e.say("无法与网站 %s 比较。", "cannot compare with the site %s.", loc)
		return exitContent
	}
	for _, name := range r.Differ {
		fmt.Fprintln(e.stderr, "  "+diag.T("内容不同：%s", "differs: %s", name).In(e.lang))
	}
	for _, name := range r.Missing {
		fmt.Fprintln(e.stderr, "  "+diag.T("缺少文件：%s", "missing file: %s", name).In(e.lang))
	}
	for _, name := range r.Added {
		fmt.Fprintln(e.stderr, "  "+diag.T("多出的文件：%s", "extra file: %s", name).In(e.lang))
	}
	if !r.Listed && len(r.ListedFrom) == 0 {
		e.say("网站上没有 deploy.json 和 sitemap.xml：只能比较重新生成的文件，发现不了多出的文件。", "the site has neither deploy.json nor sitemap.xml: only the rebuilt files are compared, added files cannot be found.")
	}
	if n := len(r.Differ) + len(r.Missing) + len(r.Added); n > 0 {
		e.say("网站 %s 有 %d 个文件与用同样内容和日期（%s）重新生成的结果不同：网站被改动，或不是由这些内容生成的。",
			"site %s has %d files that differ from a fresh build of the same content and date (%s): the site was altered or was not built from this content.",
			loc, n, r.Date.Format("2006-01-02"))
		return exitContent
	}
	e.say("网站 %s 与重新生成的结果逐字节相同（%d 个文件）。", "site %s is byte-identical to a fresh build (%d files).", loc, r.Files)
	return exitOK
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return "：" + err.Error()
}
