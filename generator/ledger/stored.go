package ledger

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"

	"gongkai/generator/diag"
)

// CheckpointDir is the folder of the content folder that keeps the
// checkpoint of every release as a signed note, _checkpoints/<size>.txt:
// publish writes it and signs it with the board's key, cosign adds the
// witnesses' signatures. The site publishes these files.
const CheckpointDir = "_checkpoints"

// CheckpointFile returns the content-relative name of the stored
// checkpoint of a ledger of size lines.
func CheckpointFile(size int64) string {
	return path.Join(CheckpointDir, strconv.FormatInt(size, 10)+".txt")
}

// Stored are the checkpoint files of a content folder, by size.
type Stored map[int64]*Note

// Sizes returns the sizes of the stored checkpoints, smallest first.
func (s Stored) Sizes() []int64 {
	out := make([]int64, 0, len(s))
	for n := range s {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Note returns the checkpoint of the first size lines of the ledger as
// the content folder keeps it: the stored note when there is one, else
// the bare, unsigned checkpoint.
func (l *Ledger) Note(s Stored, size int64) (*Note, error) {
	if n := s[size]; n != nil {
		return n, nil
	}
	c, err := l.CheckpointAt(size)
	if err != nil {
		return nil, err
	}
	return &Note{Checkpoint: c}, nil
}

// ReadCheckpoints reads the stored checkpoints of the content folder fsys
// and checks each against the ledger: its name, origin, size and root
// hash. A checkpoint beyond the end of the ledger, or whose root is not
// that of the ledger's first lines, means history was rewritten after it
// was signed. Only the checkpoints that agree with the ledger are
// returned.
func (l *Ledger) ReadCheckpoints(fsys fs.FS) (Stored, diag.List) {
	out := Stored{}
	var ds diag.List
	entries, err := fs.ReadDir(fsys, CheckpointDir)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return out, diag.List{Problem(diag.Position{File: CheckpointDir}, "无法读取检查点文件夹：", "cannot read the checkpoint folder: ", err)}
	}
	for _, e := range entries {
		name := path.Join(CheckpointDir, e.Name())
		pos := diag.Position{File: name}
		if strings.HasPrefix(e.Name(), tempPrefix) {
			ds.Add(diag.Warnf(pos, "%s 是一次中断的发布留下的临时文件", "%s is a temporary file left by an interrupted publish", name).
				WithHint("可以删除它", "it can be deleted"))
			continue
		}
		size, err := strconv.ParseInt(strings.TrimSuffix(e.Name(), ".txt"), 10, 64)
		if e.IsDir() || err != nil || size < 0 || CheckpointFile(size) != name {
			ds.Add(diag.Errorf(pos, "%s 不是检查点文件：这个文件夹里只能有 gongkai 写的“条数.txt”",
				"%s is not a checkpoint file: this folder holds only the <size>.txt files gongkai writes", name).
				WithHint("把它移出 %s", "move it out of %s", CheckpointDir))
			continue
		}
		n, d, ok := l.LoadCheckpoint(fsys, name, size)
		if !ok {
			ds.Add(d)
			continue
		}
		out[size] = n
	}
	return out, ds
}

// LoadCheckpoint reads the checkpoint file name of fsys, which should
// hold the checkpoint of the first size lines, and checks it against the
// ledger: its origin, size and root hash.
func (l *Ledger) LoadCheckpoint(fsys fs.FS, name string, size int64) (*Note, diag.Diagnostic, bool) {
	pos := diag.Position{File: name}
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, Problem(pos, "无法读取检查点：", "cannot read the checkpoint: ", err), false
	}
	n, err := ParseNote(b)
	if err != nil {
		return nil, Problem(pos, "检查点文件格式错误：", "the checkpoint file is malformed: ", err).
			WithHint("检查点文件由 gongkai publish 和 gongkai cosign 写出，不能手工修改；请从网站或备份恢复它",
				"checkpoint files are written by gongkai publish and gongkai cosign and must not be edited; restore it from the site or a backup"), false
	}
	if d, ok := l.agrees(n, size, pos); !ok {
		return nil, d, false
	}
	return n, diag.Diagnostic{}, true
}

// agrees checks a checkpoint against the ledger.
func (l *Ledger) agrees(n *Note, size int64, pos diag.Position) (diag.Diagnostic, bool) {
	switch {
	case n.Origin != l.origin():
		return diag.Errorf(pos, "检查点的来源是 %q，而本账本的来源是 %q",
			"the checkpoint's origin is %q but this ledger's origin is %q", n.Origin, l.origin()).
			WithHint("base_url 改过时，请在 site.toml 的 [ledger] 里写 origin = %q，让账本保持原来的名字",
				"when base_url has changed, write origin = %q under [ledger] in site.toml so the ledger keeps its name", n.Origin), false
	case n.Size != size:
		return diag.Errorf(pos, "检查点文件名说有 %d 条，内容却写着 %d 条", "the file name says %d lines but the checkpoint says %d", size, n.Size).
			WithHint(hintNoEditZh, hintNoEditEn), false
	case size > l.Size():
		return diag.Errorf(pos, "这个检查点记录了 %d 条，而账本现在只有 %d 条：账本被删减，历史被改写",
			"this checkpoint covers %d lines but the ledger now has only %d: lines were removed and history rewritten", size, l.Size()).
			WithHint(hintNoEditZh, hintNoEditEn), false
	}
	c, _ := l.CheckpointAt(size)
	if c.Hash != n.Hash {
		return diag.Errorf(pos, "账本的前 %d 条与这个检查点的根哈希不符：检查点签署后账本被改动，历史被改写",
			"the first %d lines of the ledger do not match this checkpoint's root hash: the ledger was changed after the checkpoint was signed", size).
			WithHint(hintNoEditZh, hintNoEditEn), false
	}
	return diag.Diagnostic{}, true
}

// CheckpointStatus is what verify found about the checkpoint of one
// release.
type CheckpointStatus struct {
	Release int
	Size    int64
	Stored  bool // kept in _checkpoints (else made from the ledger, unsigned)
	Signers Signers
}

// CheckSignatures checks the signatures of the checkpoint of every
// release against keys. A signature that claims a known key but does not
// verify is an error. When the board has a key, a release checkpoint
// without its valid signature is an error for verify (forVerify) and a
// warning for a build, which publish fixes by signing. verify also warns
// about every witness whose cosignature the latest checkpoint lacks (a
// cosignature of a later checkpoint vouches for the earlier ones: it was
// given after checking that the ledger extends them). file names
// the checkpoint of a size in messages; nil means CheckpointFile.
func (l *Ledger) CheckSignatures(stored Stored, keys Keys, forVerify bool, file func(int64) string) ([]CheckpointStatus, diag.List) {
	if file == nil {
		file = CheckpointFile
	}
	var ds diag.List
	var out []CheckpointStatus
	rels := l.Releases()
	for i, rel := range rels {
		size := rel.Checkpoint.Size
		n, err := l.Note(stored, size)
		if err != nil {
			continue
		}
		st := CheckpointStatus{Release: rel.Number, Size: size, Stored: stored[size] != nil, Signers: n.Check(keys)}
		out = append(out, st)
		pos := diag.Position{File: file(size)}
		for _, name := range st.Signers.Invalid {
			ds.Add(diag.Errorf(pos, "检查点（第 %d 条）上 %s 的签名无效：检查点或签名被改动", "the signature of %[2]s on the checkpoint of %[1]d lines does not verify: the checkpoint or the signature was altered", size, name).
				WithHint(hintNoEditZh, hintNoEditEn))
		}
		if keys.Board != nil && !st.Signers.Board && len(st.Signers.Invalid) == 0 {
			d := diag.Warnf(pos, "第 %d 次发布的检查点（第 %d 条）没有本居委会的签名", "the checkpoint of release %d (%d lines) is not signed with the board's key", rel.Number, size).
				WithHint("运行 gongkai publish 为所有检查点补签（需要本居委会的私钥）", "run gongkai publish to sign every checkpoint (it needs the board's private key)")
			if forVerify {
				d.Severity = diag.Error
			}
			ds.Add(d)
		}
		if forVerify && len(st.Signers.Missing) > 0 && i == len(rels)-1 {
			ds.Add(diag.Warnf(pos, "第 %d 次发布的检查点（第 %d 条）尚未由 %s 副署", "the checkpoint of release %d (%d lines) is not yet cosigned by %s", rel.Number, size, strings.Join(st.Signers.Missing, "、")).
				WithHint("请对方运行 gongkai cosign 副署，再用 gongkai cosign --add 放进公开栏", "ask them to run gongkai cosign, then add their signature with gongkai cosign --add"))
		}
	}
	return out, ds
}

// signStored signs with signer every release checkpoint of l that lacks
// its signature (and, with no signer, makes the bare checkpoint of the
// last release when none is stored), and writes the files that changed.
// It returns the sizes it wrote.
func (l *Ledger) signStored(disk Disk, fsys fs.FS, stored Stored, opt PublishOptions) ([]int64, error) {
	var todo []*Note
	rels := l.Releases()
	for i, rel := range rels {
		size := rel.Checkpoint.Size
		n, err := l.Note(stored, size)
		if err != nil {
			return nil, err
		}
		switch {
		case opt.Signer != nil && !n.Signed(opt.Signer.Name(), opt.Signer.KeyHash()):
			c := *n
			c.Sigs = append([]Signature(nil), n.Sigs...)
			if err := c.Sign(opt.Signer); err != nil {
				return nil, err
			}
			todo = append(todo, &c)
		case stored[size] == nil && i == len(rels)-1:
			todo = append(todo, n)
		}
	}
	if len(todo) == 0 {
		return nil, nil
	}
	if fi, err := fs.Stat(fsys, CheckpointDir); err != nil {
		if err := disk.Mkdir(CheckpointDir); err != nil {
			return nil, err
		}
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", CheckpointDir)
	}
	var wrote []int64
	for _, n := range todo {
		tmp, err := disk.WriteTemp(CheckpointDir, n.Bytes())
		if err != nil {
			return wrote, err
		}
		if err := disk.Rename(tmp, CheckpointFile(n.Size)); err != nil {
			disk.Remove(tmp)
			return wrote, err
		}
		stored[n.Size] = n
		wrote = append(wrote, n.Size)
	}
	disk.SyncDir(CheckpointDir)
	return wrote, nil
}

// VerifyCheckpoints reads the ledger and the stored checkpoints of the
// content folder fsys and checks them against each other and against
// keys: what ReadCheckpoints and CheckSignatures report.
func VerifyCheckpoints(fsys fs.FS, keys Keys, forVerify bool) ([]CheckpointStatus, diag.List) {
	l, _ := Read(fsys)
	l.Origin = keys.Origin
	stored, ds := l.ReadCheckpoints(fsys)
	st, more := l.CheckSignatures(stored, keys, forVerify, nil)
	return st, append(ds, more...)
}

// AddSignatures adds to the stored checkpoint of the content folder src
// the signatures of text, a copy of that checkpoint signed by a witness
// (gongkai cosign) or by the board. The checkpoint must agree with the
// ledger and every signature must verify against keys: a signature by a
// key site.toml does not list is refused, since the site would publish
// it. It returns the names whose signatures were added. It reads and
// writes the folder only through src; disk nil means RootDisk(src).
func AddSignatures(src *os.Root, keys Keys, text []byte, disk Disk) ([]string, diag.List) {
	if disk == nil {
		disk = RootDisk(src)
	}
	pos := diag.Position{}
	n, err := ParseNote(text)
	if err != nil {
		return nil, diag.List{Problem(pos, "这不是检查点：", "this is not a checkpoint: ", err).
			WithHint("请把 gongkai cosign 生成的文件原样拿来", "use the file gongkai cosign made, as it is")}
	}
	if err := disk.CreateExclusive(LockName, []byte("cosign\n")); err != nil {
		return nil, diag.List{diag.Errorf(diag.Position{File: LockName}, "gongkai publish 正在进行（锁文件 %s 已存在）", "a gongkai publish is running (the lock file %s exists)", LockName).
			WithHint("等它结束后再试", "try again when it has finished").Wrap(err)}
	}
	defer disk.Remove(LockName)
	fsys := src.FS()
	l, _ := Read(fsys)
	l.Origin = keys.Origin
	if d, ok := l.agrees(n, n.Size, diag.Position{File: CheckpointFile(n.Size)}); !ok {
		return nil, diag.List{d}
	}
	stored, _ := l.ReadCheckpoints(fsys)
	cur, err := l.Note(stored, n.Size)
	if err != nil {
		return nil, diag.List{Problem(pos, "", "", err)}
	}
	// Only the signatures the stored checkpoint lacks are checked: it may
	// keep signatures by keys site.toml no longer lists.
	fresh := &Note{Checkpoint: n.Checkpoint}
	for _, sig := range n.Sigs {
		if !cur.Signed(sig.Name, sig.Hash) {
			fresh.Sigs = append(fresh.Sigs, sig)
		}
	}
	s := fresh.Check(keys)
	var ds diag.List
	for _, name := range s.Invalid {
		ds.Add(diag.Errorf(pos, "%s 的签名无效：检查点或签名在传递中被改动", "the signature of %s does not verify: the checkpoint or the signature was altered on the way", name).
			WithHint("请对方重新运行 gongkai cosign，把生成的文件原样发来", "ask them to run gongkai cosign again and send the file as it is"))
	}
	for _, name := range s.Unknown {
		ds.Add(diag.Errorf(diag.Position{File: "site.toml"}, "%s 的公钥不在 site.toml 里，不能加上它的签名", "the key of %s is not in site.toml, so its signature cannot be added", name).
			WithHint("先把对方用 gongkai key new --witness 生成的公钥写进 site.toml 的 [ledger] witnesses", "first put the key they made with gongkai key new --witness into witnesses under [ledger] in site.toml"))
	}
	if ds.HasErrors() {
		return nil, ds
	}
	merged := *cur
	merged.Sigs = append([]Signature(nil), cur.Sigs...)
	before := len(merged.Sigs)
	if err := merged.Merge(fresh); err != nil {
		return nil, diag.List{Problem(pos, "", "", err)}
	}
	var added []string
	for _, sig := range merged.Sigs[before:] {
		added = append(added, sig.Name)
	}
	if len(added) == 0 {
		return nil, nil
	}
	if _, err := fs.Stat(fsys, CheckpointDir); err != nil {
		if err := disk.Mkdir(CheckpointDir); err != nil {
			return nil, diag.List{Problem(diag.Position{File: CheckpointDir}, "无法创建检查点文件夹：", "cannot create the checkpoint folder: ", err)}
		}
	}
	tmp, err := disk.WriteTemp(CheckpointDir, merged.Bytes())
	if err == nil {
		if err = disk.Rename(tmp, CheckpointFile(n.Size)); err != nil {
			disk.Remove(tmp)
		}
	}
	if err != nil {
		return nil, diag.List{Problem(diag.Position{File: CheckpointFile(n.Size)}, "写入检查点失败：", "writing the checkpoint failed: ", err)}
	}
	disk.SyncDir(CheckpointDir)
	return added, nil
}
