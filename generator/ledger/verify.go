package ledger

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"gongkai/generator/diag"
)

// hintNoEdit is the hint for every sign that the ledger was edited.
const (
	hintNoEditZh = "ledger.jsonl 只能由 gongkai publish 追加，不能手工修改；请从备份恢复，并向村务监督委员会说明"
	hintNoEditEn = "ledger.jsonl is only appended to by gongkai publish and must never be edited; restore it from a backup and tell the supervisors"
)

// Verify recomputes the ledger in fsys (the content folder) and checks it
// against the archive and the working tree cur. Errors: a malformed,
// edited, removed, inserted or reordered ledger line; an archived version
// or archived file of a version that is missing, extra or differs from
// its hash; a published record whose bytes or files differ from its last
// version while its change_note is unchanged (未登记的修改). A record that
// differs and has a new change_note is a pending amendment, and one whose
// files were never registered (FilesUnregistered) a pending registration:
// warnings, registered by the next publish.
func Verify(fsys fs.FS, cur []Current) diag.List {
	l, ds := Read(fsys)
	ds.Add(l.checkChain()...)
	ds.Add(l.checkArchives(fsys, nil)...)
	ds.Add(l.checkCurrent(cur)...)
	return ds
}

// VerifySince proves that the ledger in fsys (a content folder or a
// published site: both keep it as ledger.jsonl) extends the checkpoint
// whose text a resident or supervisor saved earlier (a consistency proof
// of the Merkle tree), and checks the saved checkpoint's signatures
// against keys. It reports an error when the text is not a checkpoint, is
// of another ledger, carries a signature that does not verify or one by a
// key with the board's name that is not the board's key now (the key was
// replaced), or when history was rewritten since.
func VerifySince(fsys fs.FS, keys Keys, saved []byte) diag.List {
	old, err := ParseNote(saved)
	if err != nil {
		return diag.List{diag.Errorf(diag.Position{},
			"保存的检查点格式不对：应为来源、条数、根哈希三行，后面可以有空行和签名行",
			"the saved checkpoint is malformed: it is three lines (origin, size, root hash), optionally followed by a blank line and signature lines").
			WithHint("请把网站 /ledger/checkpoints/ 上的检查点文件原样保存", "save a checkpoint file from /ledger/checkpoints/ on the site exactly as it is").
			Wrap(err)}
	}
	l, ds := Read(fsys)
	l.Origin = keys.Origin
	if ds.HasErrors() {
		// Parse errors do not stop the proof: the tree covers the raw lines.
		ds = nil
	}
	pos := diag.Position{File: FileName}
	if old.Origin != l.origin() && old.Origin != LegacyOrigin {
		return append(ds, diag.Errorf(pos, "保存的检查点属于另一个账本（%s），而这个账本是 %s",
			"the saved checkpoint belongs to another ledger (%s); this one is %s", old.Origin, l.origin()).
			WithHint("核对保存的检查点是不是从这个公开栏保存的", "check that the checkpoint was saved from this board"))
	}
	ds.Add(savedSignatures(old, keys)...)
	if old.Size > l.Size() {
		return append(ds, diag.Errorf(pos,
			"保存的检查点记录了 %d 条，而现在的账本只有 %d 条：账本被删减，历史被改写",
			"the saved checkpoint covers %d lines but the ledger now has only %d: lines were removed and history rewritten",
			old.Size, l.Size()).WithHint(hintNoEditZh, hintNoEditEn))
	}
	if _, err := l.ProveExtends(old.Checkpoint); err != nil {
		return append(ds, diag.Errorf(pos,
			"现在的账本不是保存的检查点（%d 条）的延续：前 %d 条已被改动，历史被改写",
			"the ledger does not extend the saved checkpoint (%d lines): its first %d lines were changed and history rewritten",
			old.Size, old.Size).WithHint(hintNoEditZh, hintNoEditEn).Wrap(err))
	}
	return ds
}

// savedSignatures checks the signatures of a saved checkpoint.
func savedSignatures(old *Note, keys Keys) diag.List {
	var ds diag.List
	pos := diag.Position{}
	s := old.Check(keys)
	for _, name := range s.Invalid {
		ds.Add(diag.Errorf(pos, "保存的检查点上 %s 的签名无效：检查点被改动过", "the signature of %s on the saved checkpoint does not verify: the checkpoint was altered", name))
	}
	if keys.Board == nil || s.Board {
		// A valid signature by today's key: an older key's beside it
		// does not matter.
		return ds
	}
	for _, sig := range old.Sigs {
		if sig.Name == keys.Board.Name && sig.Hash != keys.Board.Hash {
			ds.Add(diag.Errorf(pos, "保存的检查点是用另一把密钥（%08x）签名的，而这个公开栏现在的公钥是 %s：本居委会的密钥被换过",
				"the saved checkpoint was signed with another key (%08x) than the board's key now, %s: the board's key was replaced",
				sig.Hash, keys.Board.Text).
				WithHint("换密钥会让以前的签名全部失效；请向居委会和街道核实，并与公开栏上张贴的公钥比对",
					"a new key voids every earlier signature; ask the board and the 街道, and compare with the key posted on the wall"))
		}
	}
	if len(ds) == 0 {
		ds.Add(diag.Warnf(pos, "保存的检查点没有本居委会的签名，只核对了条数和根哈希", "the saved checkpoint is not signed by the board; only its size and root hash were checked"))
	}
	return ds
}

// CheckChain checks the ledger by itself, as a published site holds it:
// seq, the prev hash chain, the release groups and their hashes, and the
// version numbering of every record.
func (l *Ledger) CheckChain() diag.List { return l.checkChain() }

// checkChain checks seq, the prev hash chain, the release groups and their
// hashes, and the version numbering of every record.
func (l *Ledger) checkChain() diag.List {
	var ds diag.List
	at := map[int]Entry{}
	for _, e := range l.Entries {
		at[e.Line] = e
	}
	bad := func(n int, zh, en string, args ...any) {
		ds.Add(diag.Errorf(diag.Position{File: FileName, Line: n}, zh, en, args...).WithHint(hintNoEditZh, hintNoEditEn))
	}
	type recState struct {
		last int
		sha  string
	}
	recs := map[string]*recState{}
	wantSeq, open, done := 1, 0, 0
	var group []byte
	for i, raw := range l.lines {
		n := i + 1
		e, ok := at[n]
		group = appendLine(group, raw, ok && e.Action != ActionRelease || !ok)
		if !ok {
			wantSeq++
			continue
		}
		if e.Seq != wantSeq {
			bad(n, "第 %d 条的 seq 是 %d，应为 %d：有行被删除、插入或调换了顺序",
				"line %d has seq %d, expected %d: a line was removed, inserted or moved", n, e.Seq, wantSeq)
		}
		wantSeq = e.Seq + 1
		switch {
		case i == 0 && e.Prev != "":
			bad(n, "第 1 条（seq 1）的 prev 应为空：账本开头的行被删除或调换",
				"line 1 must have an empty prev: the first lines were removed or moved")
		case i > 0 && e.Prev != Sum(l.lines[i-1]):
			bad(n, "第 %[1]d 条（seq %[1]d）的 prev 与第 %[2]d 条的 SHA-256 不符：账本被改动或行序被调换",
				"the prev of line %d does not match the hash of line %d: the ledger was edited or lines were reordered", n, n-1)
		}
		if e.Action == ActionRelease {
			want := open
			if want == 0 {
				want = done + 1
			}
			if e.Release != want {
				bad(n, "第 %[1]d 条（seq %[1]d）是第 %d 次发布，应为第 %d 次：有发布被删除或调换",
					"line %d is release %d, expected release %d: a release was removed or moved", n, e.Release, want)
			}
			if Sum(group) != e.SHA256 {
				bad(n, "第 %[1]d 条（seq %[1]d，第 %d 次发布）的 sha256 与本次发布的变更行不符：变更行被改动、删除或插入",
					"the sha256 of line %d (release %d) does not match the change lines of that release: a change line was edited, removed or inserted",
					n, e.Release)
			}
			done, open, group = e.Release, 0, nil
			continue
		}
		if open == 0 {
			if e.Release != done+1 {
				bad(n, "第 %[1]d 条（seq %[1]d）属于第 %d 次发布，应为第 %d 次：有发布被删除或调换",
					"line %d belongs to release %d, expected release %d: a release was removed or moved", n, e.Release, done+1)
			}
			open = e.Release
		} else if e.Release != open {
			bad(n, "第 %[1]d 条（seq %[1]d）属于第 %d 次发布，而前一行属于第 %d 次：第 %d 次发布缺少 release 行",
				"line %d belongs to release %d but the line before to release %d: release %d has no release line",
				n, e.Release, open, open)
			open = e.Release
		}
		r := recs[e.Record]
		switch e.Action {
		case ActionPublish:
			if r != nil || e.Version != 1 {
				bad(n, "第 %[1]d 条（seq %[1]d）首次发布 %s，但它已发布过或版本号不是 1",
					"line %d publishes %s for the first time, but it was published before or the version is not 1", n, e.Record)
			}
			recs[e.Record] = &recState{last: e.Version, sha: e.SHA256}
		case ActionAmend:
			if r == nil || e.Version != r.last+1 {
				bad(n, "第 %[1]d 条（seq %[1]d）修订 %s 为第 %d 版，与之前登记的版本不连续",
					"line %d amends %s to version %d, which does not follow the versions registered before", n, e.Record, e.Version)
			}
			recs[e.Record] = &recState{last: e.Version, sha: e.SHA256}
		case ActionWithdraw, ActionExpire:
			if r == nil || e.Version != r.last || e.SHA256 != r.sha {
				bad(n, "第 %[1]d 条（seq %[1]d，%s）所指的 %s 第 %d 版与之前登记的版本不符",
					"line %[1]d (%[2]s) names version %[4]d of %[3]s, which does not match the versions registered before",
					n, e.Action, e.Record, e.Version)
			}
		}
	}
	if open != 0 && len(l.lines) > 0 {
		bad(len(l.lines), "账本末尾的第 %d 次发布没有 release 行：发布被中断或末尾的行被删除",
			"release %d at the end of the ledger has no release line: a publish was interrupted or the last lines were removed", open)
	}
	return ds
}

// appendLine adds raw and a newline to group when add is true.
func appendLine(group, raw []byte, add bool) []byte {
	if !add {
		return group
	}
	group = append(group, raw...)
	return append(group, '\n')
}

// tempPrefix starts the names of temporary files Publish writes.
const tempPrefix = ".gongkai-tmp-"

// checkArchives checks every archived version against its hash and looks
// for archive files the ledger does not know, except those in pending: the
// files a release being published is about to register.
func (l *Ledger) checkArchives(fsys fs.FS, pending map[string]bool) diag.List {
	var ds diag.List
	want := map[string]string{}
	var order []string
	add := func(p, sum string) {
		if _, dup := want[p]; !dup {
			order = append(order, p)
		}
		want[p] = sum
	}
	for _, e := range l.Entries {
		if e.Action == ActionPublish || e.Action == ActionAmend {
			add(ArchivePath(e.Record, e.Version), e.SHA256)
			names := make([]string, 0, len(e.Files))
			for name := range e.Files {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				add(ArchiveFilePath(e.Record, e.Version, name), e.Files[name])
			}
		}
	}
	for _, p := range order {
		pos := diag.Position{File: p}
		b, err := fs.ReadFile(fsys, p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			ds.Add(diag.Errorf(pos, "缺少归档文件 %s：账本登记了这一版，但归档不见了",
				"the archive file %s is missing: the ledger registers this version but its archive is gone", p).
				WithHint("_archive 文件夹由 gongkai publish 管理，不能删除；请从备份恢复该文件",
					"the _archive folder is managed by gongkai publish and must not be deleted; restore the file from a backup"))
		case err != nil:
			ds.Add(diag.Sys(pos, "无法读取归档文件 "+p+"：", "cannot read the archive file "+p+": ", err))
		case Sum(b) != want[p]:
			ds.Add(diag.Errorf(pos, "归档文件 %s 与账本登记的哈希不符：归档被改动",
				"the archive file %s does not match the hash registered in the ledger: the archive was edited", p).
				WithHint("归档的旧版本不能修改；请从备份恢复该文件", "archived versions must never be edited; restore the file from a backup"))
		}
	}
	err := fs.WalkDir(fsys, ArchiveDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == ArchiveDir {
				return fs.SkipAll
			}
			ds.Add(diag.Sys(diag.Position{File: p}, "无法读取：", "cannot read: ", err))
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if _, ok := want[p]; ok || pending[p] {
			return nil
		}
		pos := diag.Position{File: p}
		if strings.HasPrefix(path.Base(p), tempPrefix) {
			ds.Add(diag.Warnf(pos, "%s 是一次中断的发布留下的临时文件", "%s is a temporary file left by an interrupted publish", p).
				WithHint("可以删除它", "it can be deleted"))
			return nil
		}
		ds.Add(diag.Errorf(pos, "多余的归档文件 %s：账本中没有登记这一版",
			"extra archive file %s: the ledger registers no such version", p).
			WithHint("如果上一次发布被中断，重新运行 gongkai publish 会登记它；否则请删除该文件并说明它的来历",
				"if the last publish was interrupted, running gongkai publish again registers it; otherwise delete the file and find out where it came from"))
		return nil
	})
	if err != nil && !errors.Is(err, fs.SkipAll) {
		ds.Add(diag.Sys(diag.Position{File: ArchiveDir}, "无法读取归档文件夹：", "cannot read the archive folder: ", err))
	}
	return ds
}

// checkCurrent compares the working tree with the last registered versions.
func (l *Ledger) checkCurrent(cur []Current) diag.List {
	var ds diag.List
	for _, c := range cur {
		last, ok := l.Last(c.ID)
		sum := Sum(c.Bytes)
		if !ok || last.Matches(sum, c.Files) {
			continue
		}
		if last.Registers(sum, c.Files) {
			ds.Add(FilesUnregistered(c.ID, c.File, last, c.Files))
			continue
		}
		if d, silent := amendment(c, last); silent {
			ds.Add(d)
			continue
		}
		ds.Add(diag.Warnf(diag.Position{File: c.File},
			"%s 与已登记的第 %d 版不同，将作为第 %d 版（%s）在下次 gongkai publish 时登记",
			"%s differs from registered version %d; the next gongkai publish registers it as version %d (%s)",
			c.ID, last.N, last.N+1, c.ChangeNote))
	}
	return ds
}

// amendment returns the 未登记的修改 error when c differs from last without a
// new change_note.
func amendment(c Current, last Version) (diag.Diagnostic, bool) {
	if c.ChangeNote != last.ChangeNote && strings.TrimSpace(c.ChangeNote) != "" {
		return diag.Diagnostic{}, false
	}
	d := diag.Errorf(diag.Position{File: c.File},
		"未登记的修改：%s 与 %s 登记的第 %d 版不同，但 change_note 没有更新",
		"unregistered change: %[1]s differs from version %[3]d registered on %[2]s but its change_note was not updated",
		c.ID, last.At.Format("2006-01-02"), last.N)
	restore := ArchivePath(c.ID, last.N)
	if Sum(c.Bytes) == last.SHA256 {
		changed := FileChanges(last.Files, c.Files)
		d.Msg.Zh = strings.Replace(d.Msg.Zh, "不同", "不同（文件 "+strings.Join(changed, "、")+" 改动了，正文没有变）", 1)
		d.Msg.En = strings.Replace(d.Msg.En, "differs", "differs (the files "+strings.Join(changed, ", ")+" changed, the text did not)", 1)
		restore = path.Join(ArchiveDir, c.ID, fmt.Sprintf("v%d", last.N)) + "/"
	}
	return d.WithHint(
		"在设置区（两个 +++ 之间）加入或更新 change_note = \"修改原因\"，再运行 gongkai publish；或者把文件恢复成 %s 的内容",
		"add or update change_note = \"why it changed\" in the front matter, then run gongkai publish; or restore the file to the content of %s",
		restore), true
}

// FilesUnregistered is the warning for a record whose last version was
// registered before the ledger registered files: its files are not in
// the ledger yet, and the next publish registers them as version N+1
// without a change_note. file is the record's file, files its files.
func FilesUnregistered(id, file string, last Version, files map[string]string) diag.Diagnostic {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	return diag.Warnf(diag.Position{File: file},
		"%s 的附件和表格文件（%s）还没有登记：第%d版登记时账本还不记录文件，它们现在改动也无从发现；将显示为第%d版（尚未登记）",
		"the files of %s (%s) are not registered yet: version %d was registered before the ledger recorded files, so a change to them cannot be detected; it is shown as version %d (not yet registered)",
		id, strings.Join(names, "、"), last.N, last.N+1).
		WithHint("核对这些文件无误后运行 gongkai publish -m \"登记附件和表格\"：它们登记为第%d版，正文不变，不需要 change_note",
			"check the files, then run gongkai publish -m \"register the files\": they are registered as version %d with the same text, no change_note needed",
			last.N+1)
}
