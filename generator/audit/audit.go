// Package audit verifies a board's ledger as its website publishes it,
// without the content folder: what a supervisor or any resident can check
// with the public site (a folder or a web address, read through sitefs),
// a checkpoint saved earlier and the board's key from a wall sheet. The
// method it follows is docs/verify.md; the reference script verify.py
// checks the same, except the signatures.
package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"golang.org/x/mod/sumdb/tlog"

	"gongkai/generator/diag"
	"gongkai/generator/history"
	"gongkai/generator/ledger"
)

// Options are the choices of one audit.
type Options struct {
	// Since is a checkpoint saved earlier; nil for none.
	Since []byte
	// Key is the board's verifier key as printed on a wall sheet; the
	// site's key must be this one. "" takes the key the site publishes.
	Key string
}

// Report is what an audit found besides its diagnostics.
type Report struct {
	Keys        ledger.Keys
	Size        int64 // lines of the ledger
	Releases    int
	Checkpoints []ledger.CheckpointStatus
	// Versions are the version pages whose inclusion proof was checked;
	// Sources the published sources whose hash was checked; Withheld the
	// versions whose source is withheld (personal records); Files the
	// published copies of the files registered with those versions
	// (attachments, tables) whose hash was checked.
	Versions, Sources, Withheld, Files int
	// Since is the saved checkpoint, when one was given and parsed.
	Since *ledger.Note
}

// SiteKeys returns the keys a site publishes in build.json.
func SiteKeys(site fs.FS) (ledger.Keys, error) {
	info, err := buildInfo(site)
	if err != nil {
		return ledger.Keys{}, err
	}
	k, err := info.Ledger.Keys()
	if err != nil {
		return k, fmt.Errorf("audit: build.json: %w", err)
	}
	return k, nil
}

// buildInfo reads build.json.
func buildInfo(site fs.FS) (*history.BuildInfo, error) {
	b, err := fs.ReadFile(site, history.BuildJSON)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	var info history.BuildInfo
	if err := json.Unmarshal(b, &info); err != nil {
		return nil, fmt.Errorf("audit: build.json: %w", err)
	}
	return &info, nil
}

// Latest returns the latest checkpoint a site publishes.
func Latest(site fs.FS) (*ledger.Note, error) {
	b, err := fs.ReadFile(site, history.CheckpointPath)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return ledger.ParseNote(b)
}

// Verify checks the ledger a site publishes: the chain of ledger.jsonl and
// that ledger.json holds the same lines; the checkpoint of every release
// and the latest one against the Merkle tree, and their signatures
// against the keys of build.json (which must include opt.Key); every
// inclusion proof of proofs.json and the hash of every published source;
// and, with opt.Since, that the ledger extends the saved checkpoint and
// that the saved checkpoint's signatures hold with the site's keys.
func Verify(site fs.FS, opt Options) (*Report, diag.List) {
	rep := &Report{}
	var ds diag.List
	keys, err := SiteKeys(site)
	if err != nil {
		return rep, diag.List{ledger.Problem(diag.Position{File: history.BuildJSON}, "读不到网站公布的公钥：", "cannot read the keys the site publishes: ", err).
			WithHint("这不像 gongkai 生成的网站，或者网站没有完整上传", "this does not look like a site built by gongkai, or it was not uploaded completely").Wrap(err)}
	}
	rep.Keys = keys
	if opt.Key != "" {
		want, err := ledger.ParseKey(opt.Key)
		switch {
		case err != nil:
			return rep, diag.List{ledger.Problem(diag.Position{}, "--key 不是有效的公钥：", "--key is not a valid verifier key: ", err).
				WithHint("照公开单上印的公钥整行抄写", "copy the whole key as printed on the wall sheet")}
		case keys.Board == nil || keys.Board.Text != want.Text:
			got := "（无）"
			if keys.Board != nil {
				got = keys.Board.Text
			}
			ds.Add(diag.Errorf(diag.Position{File: history.BuildJSON}, "网站公布的公钥 %s 不是你给的 %s：网站被替换，或本居委会换了密钥",
				"the site publishes the key %s, not %s that you gave: the site was replaced or the board changed its key", got, want.Text).
				WithHint("核对公开单上印的公钥，向居委会和街道核实", "compare with the key on the wall sheet and ask the board and the 街道"))
			keys.Board = want
		}
	}
	l, lds := ledger.Read(site)
	l.Origin = keys.Origin
	ds.Add(lds...)
	ds.Add(l.CheckChain()...)
	rep.Size, rep.Releases = l.Size(), len(l.Releases())
	if rep.Size == 0 {
		ds.Add(diag.Errorf(diag.Position{File: ledger.FileName}, "网站上没有账本（ledger.jsonl 不存在或是空的）", "the site has no ledger (ledger.jsonl is missing or empty)"))
	}
	ds.Add(sameJSON(site, l)...)
	if info, err := buildInfo(site); err == nil {
		cp := l.Checkpoint()
		if h, err := ledger.ParseHash(info.Checkpoint.Hash); err != nil || h != cp.Hash || info.Checkpoint.Size != cp.Size {
			ds.Add(diag.Errorf(diag.Position{File: history.BuildJSON}, "build.json 里的检查点（%d 条）不是 ledger.jsonl 的检查点（%d 条）",
				"the checkpoint in build.json (%d lines) is not that of ledger.jsonl (%d lines)", info.Checkpoint.Size, cp.Size))
		}
	}

	stored := ledger.Stored{}
	failed := map[string]bool{}
	for _, rel := range l.Releases() {
		size := rel.Checkpoint.Size
		n, d, ok := l.LoadCheckpoint(site, history.CheckpointFile(size), size)
		if !ok {
			ds.Add(d)
			failed[d.Pos.File] = true
			continue
		}
		stored[size] = n
	}
	if n, d, ok := l.LoadCheckpoint(site, history.CheckpointPath, l.Size()); !ok {
		ds.Add(d)
	} else if s := stored[n.Size]; s != nil && !bytes.Equal(s.Bytes(), n.Bytes()) {
		ds.Add(diag.Errorf(diag.Position{File: history.CheckpointPath}, "最新检查点与 %s 不同", "the latest checkpoint differs from %s", history.CheckpointFile(n.Size)))
	}
	var sds diag.List
	rep.Checkpoints, sds = l.CheckSignatures(stored, keys, true, history.CheckpointFile)
	for _, d := range sds {
		if !failed[d.Pos.File] { // already reported as unreadable
			ds.Add(d)
		}
	}
	ds.Add(proofs(site, l, rep)...)
	if opt.Since != nil {
		if n, err := ledger.ParseNote(opt.Since); err == nil {
			rep.Since = n
		}
		ds.Add(ledger.VerifySince(site, keys, opt.Since)...)
	}
	return rep, ds
}

// sameJSON checks that ledger.json holds the lines of ledger.jsonl.
func sameJSON(site fs.FS, l *ledger.Ledger) diag.List {
	pos := diag.Position{File: history.LedgerJSON}
	b, err := fs.ReadFile(site, history.LedgerJSON)
	if err != nil {
		return diag.List{ledger.Problem(pos, "无法读取：", "cannot read: ", err)}
	}
	if !bytes.Equal(b, history.JSONArray(l)) {
		return diag.List{diag.Errorf(pos, "ledger.json 与 ledger.jsonl 的内容不一致", "ledger.json does not hold the lines of ledger.jsonl").
			WithHint("两个文件是同一个账本，只能一起生成；有人单独改动了其中一个", "both are the same ledger, written together; one of them was changed on its own")}
	}
	return nil
}

// proofs checks every inclusion proof of proofs.json against the latest
// checkpoint and every published source against its hash.
func proofs(site fs.FS, l *ledger.Ledger, rep *Report) diag.List {
	pos := diag.Position{File: history.ProofsJSON}
	b, err := fs.ReadFile(site, history.ProofsJSON)
	if err != nil {
		return diag.List{ledger.Problem(pos, "无法读取：", "cannot read: ", err)}
	}
	var p history.Proofs
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return diag.List{diag.Errorf(pos, "%s 格式错误，不是 gongkai 写出的样子", "%s is malformed (%v)", history.ProofsJSON, err).Wrap(err)}
	}
	cp := l.Checkpoint()
	root, err := ledger.ParseHash(p.Root)
	if err != nil || p.Size != cp.Size || root != cp.Hash || p.Origin != cp.Origin {
		return diag.List{diag.Errorf(pos, "%s 不是对最新检查点（%d 条）的证明", "%s does not prove against the latest checkpoint (%d lines)", history.ProofsJSON, cp.Size)}
	}
	var ds diag.List
	seen := map[int]bool{}
	for _, v := range p.Versions {
		bad := func(zh, en string, args ...any) {
			ds.Add(diag.Errorf(pos, "第 %[1]d 条（seq %[1]d）："+zh, "entry %[1]d (seq %[1]d): "+en, append([]any{v.Seq}, args...)...))
		}
		e, ok := entry(l, v.Seq)
		switch {
		case seen[v.Seq]:
			bad("在 proofs.json 里出现了两次", "listed twice in proofs.json")
			continue
		case !ok || e.Record != v.Record || e.Version != v.Version || e.SHA256 != v.SHA256 ||
			(e.Action != ledger.ActionPublish && e.Action != ledger.ActionAmend):
			bad("proofs.json 说的版本与账本不符", "proofs.json names another version than the ledger")
			continue
		}
		seen[v.Seq] = true
		var proof tlog.RecordProof
		for _, s := range v.Proof {
			h, err := ledger.ParseHash(s)
			if err != nil {
				bad("包含证明里的哈希 %q 不是规范的 base64", "the proof hash %q is not canonical base64", s)
				break
			}
			proof = append(proof, h)
		}
		if len(proof) != len(v.Proof) {
			continue
		}
		if err := ledger.CheckInclusion(cp, e.Leaf(), e.Raw, proof); err != nil {
			bad("包含证明不成立", "the inclusion proof fails (%v)", err)
			continue
		}
		rep.Versions++
		switch {
		case v.Source == "" && v.Withheld == history.WithheldPersonal:
			rep.Withheld++
		case v.Source != history.SourcePath(v.Record, v.Version):
			bad("原文位置 %q 不对，应为 %s", "the source %q should be %s", v.Source, history.SourcePath(v.Record, v.Version))
		default:
			src, err := fs.ReadFile(site, v.Source)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				bad("公开的原文 %s 不见了", "the published source %s is missing", v.Source)
			case err != nil:
				ds.Add(ledger.Problem(pos, fmt.Sprintf("第 %d 条（seq %d）：无法读取 %s：", v.Seq, v.Seq, v.Source), fmt.Sprintf("entry %d (seq %d): cannot read %s: ", v.Seq, v.Seq, v.Source), err))
			case ledger.Sum(src) != e.SHA256:
				bad("公开的原文 %s 与登记的哈希不符：原文被改动", "the published source %s does not match its registered hash: it was altered", v.Source)
			default:
				rep.Sources++
			}
			for _, name := range sortedNames(e.Files) {
				p := history.FileSourcePath(v.Record, v.Version, name)
				b, err := fs.ReadFile(site, p)
				switch {
				case errors.Is(err, fs.ErrNotExist):
					bad("这一版登记的文件 %s 不见了", "the registered file %s of this version is missing", p)
				case err != nil:
					ds.Add(ledger.Problem(pos, fmt.Sprintf("第 %d 条（seq %d）：无法读取 %s：", v.Seq, v.Seq, p), fmt.Sprintf("entry %d (seq %d): cannot read %s: ", v.Seq, v.Seq, p), err))
				case ledger.Sum(b) != e.Files[name]:
					bad("公开的文件 %s 与登记的哈希不符：文件被改动", "the published file %s does not match its registered hash: it was altered", p)
				default:
					rep.Files++
				}
			}
		}
	}
	return ds
}

// sortedNames returns the names of files, sorted.
func sortedNames(files map[string]string) []string {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// entry returns the ledger entry with sequence number seq.
func entry(l *ledger.Ledger, seq int) (ledger.Entry, bool) {
	if i := seq - 1; i >= 0 && i < len(l.Entries) && l.Entries[i].Line == seq && l.Entries[i].Seq == seq {
		return l.Entries[i], true
	}
	for _, e := range l.Entries {
		if e.Seq == seq && e.Line == seq {
			return e, true
		}
	}
	return ledger.Entry{}, false
}
