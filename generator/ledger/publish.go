package ledger

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"gongkai/generator/diag"
)

// PublishOptions are the choices of one `gongkai publish`.
type PublishOptions struct {
	// Message is the -m text: the note of the release line. Required.
	Message string
	// Withdraw maps the id of each removed record to the reason for
	// withdrawing it (--withdraw id="reason").
	Withdraw map[string]string
	// Now is the time of the release (its zone is kept in the ledger);
	// zero means time.Now().
	Now time.Time
	// Disk performs the writes; nil means RootDisk(src). Tests use it to
	// fail single steps.
	Disk Disk
	// Keys are the board's keys (site.toml [ledger]); their Origin names
	// the checkpoints.
	Keys Keys
	// Signer, when set, signs the checkpoint of the release and of every
	// earlier release that lacks its signature. It must be the private
	// half of Keys.Board.
	Signer note.Signer
}

// Release is what one Publish registered.
type Release struct {
	Number int
	// Lines are all lines written, in order: the change lines, then the
	// release line.
	Lines []Entry
	// Checkpoint is the checkpoint of the ledger after the release.
	Checkpoint Checkpoint
	// Note is that checkpoint as stored in the content folder, signed when
	// there was a signer; File is its content-relative name.
	Note *Note
	File string
	// Signed are the sizes of the checkpoints written or signed by this
	// publish. A publish with nothing new to register but checkpoints to
	// sign (or the last release's checkpoint file to write) returns a
	// Release with Number 0 and no Lines.
	Signed []int64
}

// Publish registers every new, amended, withdrawn and expired record of the
// working tree cur as one release of the ledger in the content folder src
// (SPEC §6), which it reads and writes only through the os.Root. A record
// is amended when its text or its files differ from its last version; the
// files of a record whose last version predates file registration are
// registered as a new version without a change_note (FilesNote). Each
// new version's text goes to _archive/<id>/v<N>.md, its files to
// _archive/<id>/v<N>/<name>, read again and checked against the hashes
// of cur. It refuses, reporting every reason together and writing
// nothing, when an amendment has no new change_note, a removed record has
// no withdraw reason, the message is empty, the lock is held, or the
// ledger or archive fails verification. With nothing to publish it returns
// no release and a warning saying so.
//
// The archive files are written first, then the whole new ledger to a
// temporary file that replaces ledger.jsonl in one rename; an error on the
// way removes what this call wrote. Author files are never touched.
func Publish(src *os.Root, cur []Current, opt PublishOptions) (*Release, diag.List) {
	disk := opt.Disk
	if disk == nil {
		disk = RootDisk(src)
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.Truncate(time.Second)

	lockPos := diag.Position{File: LockName}
	if err := disk.CreateExclusive(LockName, fmt.Appendf(nil, "pid %d\n%s\n", os.Getpid(), now.Format(time.RFC3339))); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, diag.List{diag.Errorf(lockPos,
				"另一个 gongkai publish 正在进行（锁文件 %s 已存在）",
				"another gongkai publish is running (the lock file %s exists)", LockName).
				WithHint("等它结束后再发布；如果确定没有发布在运行（例如上次发布时断电），请删除 %s 后重试",
					"wait for it to finish; if no publish is running (say the last one was cut off by a power failure), delete %s and try again",
					LockName).Wrap(err)}
		}
		return nil, diag.List{diag.Sys(lockPos, "无法创建锁文件 "+LockName+"：", "cannot create the lock file "+LockName+": ", err)}
	}
	rel, ds := publishLocked(src, disk, cur, opt, now)
	if err := disk.Remove(LockName); err != nil {
		ds.Add(diag.Sys(lockPos, "无法删除锁文件 "+LockName+"：", "cannot delete the lock file "+LockName+": ", err).
			WithHint("请手动删除 %s", "delete %s by hand", LockName).Wrap(err))
	}
	return rel, ds
}

// archiveFile is one archive file a release writes.
type archiveFile struct {
	name string
	data []byte
}

// publishLocked does the work of Publish while the lock is held.
func publishLocked(src *os.Root, disk Disk, cur []Current, opt PublishOptions, now time.Time) (*Release, diag.List) {
	fsys := src.FS()
	if d := Lost(fsys); d != nil && !interruptedFirst(fsys, cur) {
		return nil, diag.List{*d}
	}
	l, ds := Read(fsys)
	l.Origin = opt.Keys.Origin
	ds.Add(l.checkChain()...)
	stored, sds := l.ReadCheckpoints(fsys)
	ds.Add(sds...)
	_, sigds := l.CheckSignatures(stored, opt.Keys, false, nil)
	for _, d := range sigds {
		if d.Severity == diag.Error {
			ds.Add(d)
		}
	}
	if s := opt.Signer; s != nil && (opt.Keys.Board == nil || s.Name() != opt.Keys.Board.Name || s.KeyHash() != opt.Keys.Board.Hash) {
		ds.Add(diag.Errorf(diag.Position{File: "site.toml"}, "签名用的私钥（%s）不是 site.toml 里 [ledger] key 写的公钥对应的私钥",
			"the private key given (%s) is not the one whose public key site.toml names under [ledger] key", s.Name()).
			WithHint("用 --key 指定本居委会的私钥文件", "name the board's private key file with --key"))
	}
	changes, archives, refusals := l.plan(fsys, cur, opt, now)
	pending := map[string]bool{}
	for _, c := range changes {
		if c.Action == ActionPublish || c.Action == ActionAmend {
			pending[ArchivePath(c.Record, c.Version)] = true
			for name := range c.Files {
				pending[ArchiveFilePath(c.Record, c.Version, name)] = true
			}
		}
	}
	ds.Add(l.checkArchives(fsys, pending)...)
	if ds.HasErrors() {
		ds.Add(diag.Errorf(diag.Position{File: FileName},
			"账本或归档校验未通过，本次发布已取消", "the ledger or the archive failed verification; nothing was published").
			WithHint("先运行 gongkai verify 查明原因并修复", "run gongkai verify to find the cause and fix it first"))
		return nil, ds
	}
	if len(changes) > 0 && strings.TrimSpace(opt.Message) == "" {
		refusals.Add(diag.Errorf(diag.Position{}, "缺少发布说明", "the release message is missing").
			WithHint("用 -m 写明本次发布的内容，例如 gongkai publish -m \"公布第二季度财务\"",
				"say what this release is with -m, e.g. gongkai publish -m \"second-quarter accounts\""))
	}
	if refusals.HasErrors() {
		return nil, append(ds, refusals...)
	}
	ds.Add(refusals...)
	if len(changes) == 0 {
		ds.Add(diag.Warnf(diag.Position{},
			"没有需要登记的变更：自上次发布以来没有新增、修改、撤回或到期的记录",
			"nothing to publish: no record was added, amended, withdrawn or expired since the last release"))
		signed, err := l.signStored(disk, fsys, stored, opt)
		if err != nil {
			return nil, append(ds, signFailed(err))
		}
		if len(signed) == 0 {
			return nil, ds
		}
		return l.release(0, stored, signed), ds
	}

	number := 1
	for _, e := range l.Entries {
		number = max(number, e.Release+1)
	}
	old, err := fs.ReadFile(fsys, FileName)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, append(ds, diag.Sys(diag.Position{File: FileName}, "无法读取账本：", "cannot read the ledger: ", err))
	}
	content := bytes.Clone(old)
	if len(content) > 0 && content[len(content)-1] != '\n' {
		content = append(content, '\n')
	}
	prev := ""
	if n := len(l.lines); n > 0 {
		prev = Sum(l.lines[n-1])
	}
	at := now.Format(time.RFC3339)
	seq := len(l.lines) + 1
	var group []byte
	add := func(ln line) {
		ln.Seq, ln.At, ln.Release, ln.Prev = seq, at, number, prev
		raw := encode(ln)
		content = append(append(content, raw...), '\n')
		if ln.Action != ActionRelease {
			group = append(append(group, raw...), '\n')
		}
		prev, seq = Sum(raw), seq+1
	}
	for _, c := range changes {
		add(c)
	}
	add(line{Action: ActionRelease, SHA256: Sum(group), Note: opt.Message})

	if err := write(disk, fsys, archives, content); err != nil {
		return nil, append(ds, diag.Sys(diag.Position{File: FileName},
			"写入失败，本次发布已撤销，账本和归档保持原样：",
			"writing failed; the release was undone and the ledger and archive are unchanged: ", err))
	}
	nl, _ := parse(content)
	nl.Origin = l.Origin
	// The release stands; its checkpoint file follows. Should writing it
	// fail, the next publish writes it.
	signed, err := nl.signStored(disk, fsys, stored, opt)
	if err != nil {
		ds.Add(signFailed(err))
	}
	r := nl.release(number, stored, signed)
	for _, e := range nl.Entries {
		if e.Line > len(l.lines) {
			r.Lines = append(r.Lines, e)
		}
	}
	return r, ds
}

// release describes the state of l after a publish.
func (l *Ledger) release(number int, stored Stored, signed []int64) *Release {
	r := &Release{Number: number, Checkpoint: l.Checkpoint(), Signed: signed}
	r.Note, _ = l.Note(stored, r.Checkpoint.Size)
	if stored[r.Checkpoint.Size] != nil {
		r.File = CheckpointFile(r.Checkpoint.Size)
	}
	return r
}

// signFailed is the warning of a checkpoint file that could not be
// written.
func signFailed(err error) diag.Diagnostic {
	d := Problem(diag.Position{File: CheckpointDir}, "检查点文件没能写入：", "the checkpoint file could not be written: ", err)
	d.Severity = diag.Warning
	return d.WithHint("账本已经登记好；再运行一次 gongkai publish 会补写并签署检查点", "the ledger is registered; running gongkai publish again writes and signs the checkpoint")
}

// plan works out the change lines (without seq, at, release and prev) and
// the archive files of a release, and every reason to refuse it.
func (l *Ledger) plan(fsys fs.FS, cur []Current, opt PublishOptions, now time.Time) ([]line, []archiveFile, diag.List) {
	var ds diag.List
	byID := map[string]Current{}
	for _, c := range cur {
		pos := diag.Position{File: c.File}
		if !validID(c.ID) {
			ds.Add(diag.Errorf(pos, "记录编号 %q 无效", "record id %q is not valid", c.ID))
			continue
		}
		if d, dup := byID[c.ID]; dup {
			ds.Add(diag.Errorf(pos, "记录编号 %s 重复：%s 也使用了它", "record id %s is used twice: also by %s", c.ID, d.File))
			continue
		}
		byID[c.ID] = c
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	known := l.Records()
	for id := range opt.Withdraw {
		if _, ok := byID[id]; !ok && !containsStr(known, id) {
			ids = append(ids, id)
		}
	}
	for _, id := range known {
		if _, ok := byID[id]; !ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	ids = compactStr(ids)

	var lines []line
	var archives []archiveFile
	today := dateOf(now)
	for _, id := range ids {
		c, present := byID[id]
		last, registered := l.Last(id)
		withdrawn, _, expired := l.State(id)
		reason, withdrawing := opt.Withdraw[id]
		if !present {
			lines = append(lines, l.planRemoved(id, last, registered, withdrawn, expired, reason, withdrawing, &ds)...)
			continue
		}
		if withdrawing {
			ds.Add(diag.Errorf(diag.Position{File: c.File},
				"不能撤回 %s：它的文件 %s 还在", "cannot withdraw %s: its file %s still exists", id, c.File).
				WithHint("先删除或移走该文件，再运行 gongkai publish --withdraw %s=\"撤回理由\"",
					"delete or move the file away first, then run gongkai publish --withdraw %s=\"reason\"", id))
			continue
		}
		sum := Sum(c.Bytes)
		version := last.N
		switch {
		case !registered:
			version = 1
			lines = append(lines, line{Record: id, Version: 1, Action: ActionPublish, SHA256: sum, Files: c.Files, Note: c.ChangeNote})
		case last.Matches(sum, c.Files):
		case last.Registers(sum, c.Files):
			version = last.N + 1
			withdrawn, expired = false, false
			lines = append(lines, line{Record: id, Version: version, Action: ActionAmend, SHA256: sum, Files: c.Files, Note: FilesNote})
		default:
			if d, silent := amendment(c, last); silent {
				d.Msg.Zh = strings.Replace(d.Msg.Zh, "未登记的修改", "不能发布修改", 1)
				d.Msg.En = strings.Replace(d.Msg.En, "unregistered change", "cannot publish the change", 1)
				ds.Add(d.WithHint("在设置区（两个 +++ 之间）加入或更新 change_note = \"修改原因\"（与第 %d 版的说明不同），再运行 gongkai publish",
					"add or update change_note = \"why it changed\" in the front matter (different from the note of version %d), then run gongkai publish",
					last.N))
				continue
			}
			version = last.N + 1
			withdrawn, expired = false, false
			lines = append(lines, line{Record: id, Version: version, Action: ActionAmend, SHA256: sum, Files: c.Files, Note: c.ChangeNote})
		}
		if version != last.N {
			archives = archive(fsys, archives, ArchivePath(id, version), c.Bytes, &ds)
			for _, name := range sortedKeys(c.Files) {
				archives = archiveOf(fsys, archives, c, version, name, &ds)
			}
		}
		if !withdrawn && !expired && !c.UnpublishAfter.IsZero() && dateOf(c.UnpublishAfter) < today {
			lines = append(lines, line{Record: id, Version: version, Action: ActionExpire, SHA256: sum,
				Note: "unpublish_after = " + c.UnpublishAfter.Format("2006-01-02")})
		}
	}
	return lines, archives, ds
}

// archive adds the archive file name with data to archives, unless it is
// there already with the same bytes (left by an interrupted publish). One
// with other bytes is an error: archives are never overwritten.
func archive(fsys fs.FS, archives []archiveFile, name string, data []byte, ds *diag.List) []archiveFile {
	old, err := fs.ReadFile(fsys, name)
	switch {
	case err == nil && !bytes.Equal(old, data):
		ds.Add(diag.Errorf(diag.Position{File: name},
			"归档文件 %s 已存在且内容不同，gongkai 不会覆盖它", "the archive file %s already exists with different content; gongkai never overwrites it", name).
			WithHint("查明这个文件的来历；如果它不属于任何已登记的版本，把它移出 _archive 后重试",
				"find out where the file came from; if it belongs to no registered version, move it out of _archive and try again"))
	case err == nil:
		// Left by an interrupted publish with the same bytes: reuse it.
	case errors.Is(err, fs.ErrNotExist):
		archives = append(archives, archiveFile{name, data})
	default:
		ds.Add(diag.Sys(diag.Position{File: name}, "无法读取：", "cannot read: ", err))
	}
	return archives
}

// archiveOf adds the archive of the file name of record c as version n:
// the bytes read now from the record's folder, which must still be those
// whose hash c.Files holds (what was checked).
func archiveOf(fsys fs.FS, archives []archiveFile, c Current, n int, name string, ds *diag.List) []archiveFile {
	p := path.Join(path.Dir(c.File), name)
	data, err := fs.ReadFile(fsys, p)
	switch {
	case err != nil:
		ds.Add(Problem(diag.Position{File: p}, "无法读取：", "cannot read: ", err))
		return archives
	case Sum(data) != c.Files[name]:
		ds.Add(diag.Errorf(diag.Position{File: p}, "%s 在检查之后又被改动了", "%s changed after it was checked", p).
			WithHint("等文件保存好、不再改动后，重新运行 gongkai publish", "wait until the file is saved and no longer changing, then run gongkai publish again"))
		return archives
	}
	return archive(fsys, archives, ArchiveFilePath(c.ID, n, name), data, ds)
}

// planRemoved handles a record missing from the working tree.
func (l *Ledger) planRemoved(id string, last Version, registered, withdrawn, expired bool, reason string, withdrawing bool, ds *diag.List) []line {
	pos := diag.Position{File: FileName}
	if registered {
		pos.Line = int(last.Leaf) + 1
	}
	switch {
	case withdrawing && !registered:
		d := diag.Errorf(diag.Position{}, "--withdraw %s：没有这个已发布的记录", "--withdraw %s: there is no such published record", id)
		if s := diag.Suggest(id, l.Records()); s != "" {
			d = d.WithHint("是不是 %s？", "did you mean %s?", s)
		}
		ds.Add(d)
	case withdrawing && withdrawn:
		ds.Add(diag.Errorf(pos, "%s 已经撤回过了", "%s is already withdrawn", id))
	case withdrawing && strings.TrimSpace(reason) == "":
		ds.Add(diag.Errorf(diag.Position{}, "撤回 %s 必须写明理由", "withdrawing %s needs a reason", id).
			WithHint("gongkai publish --withdraw %s=\"撤回理由\"", "gongkai publish --withdraw %s=\"reason\"", id))
	case withdrawing:
		return []line{{Record: id, Version: last.N, Action: ActionWithdraw, SHA256: last.SHA256, Note: reason}}
	case withdrawn || expired:
		// Already off the public site; the archive keeps its versions.
	default:
		ds.Add(Removed(id, last))
	}
	return nil
}

// Removed is the error for a published record whose file is gone while
// the ledger has no withdrawal for it: its page, its versions and the QR
// codes on the wall would lead nowhere. It names the record, its last
// version and the command that records the reason.
func Removed(id string, last Version) diag.Diagnostic {
	return diag.Errorf(diag.Position{File: FileName, Line: int(last.Leaf) + 1},
		"已发布的记录 %s（第%d版，%s 登记）的文件不见了，但没有登记撤回：它的网页、各版本和公开栏上的二维码都会失效",
		"the file of published record %s (version %d, registered %s) is gone but no withdrawal is registered: its page, its versions and the QR codes on the wall would lead nowhere",
		id, last.N, last.At.Format("2006-01-02")).
		WithHint("要撤回它，运行 gongkai publish -m \"撤回 %[1]s\" --withdraw %[1]s=\"撤回理由\"（网站上保留它，标注“已撤回”和理由）；如果是误删，从 %[2]s 恢复文件",
			"to withdraw it, run gongkai publish -m \"withdraw %[1]s\" --withdraw %[1]s=\"reason\" (the site keeps it, marked withdrawn with the reason); if it was deleted by mistake, restore the file from %[2]s",
			id, ArchivePath(id, last.N))
}

// Lost returns an error when the content folder fsys has an archive but
// no ledger: the ledger was deleted, and with it the record of every
// published version.
func Lost(fsys fs.FS) *diag.Diagnostic {
	if _, err := fs.Stat(fsys, FileName); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	left := ""
	for _, dir := range []string{ArchiveDir, CheckpointDir} {
		if fi, err := fs.Stat(fsys, dir); err == nil && fi.IsDir() {
			left = dir
			break
		}
	}
	if left == "" {
		return nil
	}
	d := diag.Errorf(diag.Position{File: FileName}, "找不到账本 %[1]s，但%[2]s文件夹 %[3]s 还在：账本被删除了，已发布的各版本无法核验",
		"the ledger %[1]s is missing but the %[4]s folder %[3]s is there: the ledger was deleted and the published versions cannot be verified",
		FileName, map[string]string{ArchiveDir: "归档", CheckpointDir: "检查点"}[left], left, map[string]string{ArchiveDir: "archive", CheckpointDir: "checkpoint"}[left]).
		WithHint("从备份恢复 %s；账本只能由 gongkai publish 写出，不能删除或重建（如果是第一次发布时被中断，重新运行 gongkai publish 即可）",
			"restore %s from a backup; the ledger is written only by gongkai publish and must never be deleted or rebuilt (if the very first publish was cut off, run gongkai publish again)", FileName)
	return &d
}

// interruptedFirst reports whether the archive of fsys holds exactly what
// a first publish of cur that was cut off before writing the ledger
// leaves: only version 1 of records of cur, with their current bytes, and
// no stored checkpoint.
// Publishing again then registers those same bytes.
func interruptedFirst(fsys fs.FS, cur []Current) bool {
	if _, err := fs.Stat(fsys, CheckpointDir); err == nil {
		return false // checkpoints are written after the ledger
	}
	sumOf := make(map[string]string, len(cur))
	for _, c := range cur {
		sumOf[ArchivePath(c.ID, 1)] = Sum(c.Bytes)
		for name, h := range c.Files {
			sumOf[ArchiveFilePath(c.ID, 1, name)] = h
		}
	}
	ok := true
	err := fs.WalkDir(fsys, ArchiveDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), tempPrefix) {
			return nil
		}
		want, known := sumOf[p]
		b, rerr := fs.ReadFile(fsys, p)
		if !known || rerr != nil || Sum(b) != want {
			ok = false
			return fs.SkipAll
		}
		return nil
	})
	return ok && err == nil
}

// dateOf returns the calendar date of t in its own zone as yyyymmdd.
func dateOf(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

func containsStr(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// compactStr removes adjacent repeats from a sorted slice.
func compactStr(ss []string) []string {
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// write stores the archive files, then the new ledger content. On an error
// before the ledger is renamed into place it removes everything it wrote.
func write(disk Disk, fsys fs.FS, archives []archiveFile, content []byte) (err error) {
	var made []string // files and directories created, in order
	defer func() {
		if err == nil {
			return
		}
		for i := len(made) - 1; i >= 0; i-- {
			disk.Remove(made[i])
		}
	}()
	dirs := map[string]bool{}
	for _, a := range archives {
		dir := path.Dir(a.name)
		if err := mkdirs(disk, fsys, dir, dirs, &made); err != nil {
			return err
		}
		tmp, err := disk.WriteTemp(dir, a.data)
		if err != nil {
			return err
		}
		if err := disk.Rename(tmp, a.name); err != nil {
			disk.Remove(tmp)
			return err
		}
		made = append(made, a.name)
	}
	if len(archives) > 0 {
		dirs["."] = true
	}
	for _, dir := range sortedKeys(dirs) {
		if err := disk.SyncDir(dir); err != nil {
			return err
		}
	}
	tmp, err := disk.WriteTemp(".", content)
	if err != nil {
		return err
	}
	if err := disk.Rename(tmp, FileName); err != nil {
		disk.Remove(tmp)
		return err
	}
	// The new ledger is in place: from here on the release stands.
	disk.SyncDir(".")
	return nil
}

// mkdirs creates dir and its missing parents, recording what it created.
func mkdirs(disk Disk, fsys fs.FS, dir string, seen map[string]bool, made *[]string) error {
	if dir == "." || seen[dir] {
		return nil
	}
	if err := mkdirs(disk, fsys, path.Dir(dir), seen, made); err != nil {
		return err
	}
	seen[dir] = true
	if fi, err := fs.Stat(fsys, dir); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s is not a folder", dir)
		}
		return nil
	}
	if err := disk.Mkdir(dir); err != nil {
		return err
	}
	*made = append(*made, dir)
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
