package witness

import (
	"io/fs"
	"os"

	"golang.org/x/mod/sumdb/note"

	"gongkai/generator/audit"
	"gongkai/generator/diag"
	"gongkai/generator/history"
	"gongkai/generator/ledger"
)

// FromSite asks to cosign the latest checkpoint a published site shows
// (/ledger/checkpoint.txt), with the ledger and keys it publishes; where
// is the site's address, for messages.
func FromSite(site fs.FS, where string) (Request, diag.List) {
	keys, err := audit.SiteKeys(site)
	if err != nil {
		return Request{}, diag.List{ledger.Problem(diag.Position{File: where}, "读不到网站公布的公钥：", "cannot read the keys the site publishes: ", err).
			WithHint("核对网址；网站要由 gongkai build 生成并完整上传", "check the address; the site must be built by gongkai and uploaded completely").Wrap(err)}
	}
	n, err := audit.Latest(site)
	if err != nil {
		return Request{}, diag.List{ledger.Problem(diag.Position{File: where + " " + history.CheckpointPath}, "读不到最新检查点：", "cannot read the latest checkpoint: ", err)}
	}
	return Request{Ledger: site, Note: n, Keys: keys, Where: where}, nil
}

// FromContent asks to cosign the latest checkpoint stored in a board's
// content folder src, with its ledger and the keys of its site.toml: the
// witness sits at the board's computer.
func FromContent(src fs.FS, keys ledger.Keys, where string) (Request, diag.List) {
	l, _ := ledger.Read(src)
	l.Origin = keys.Origin
	stored, ds := l.ReadCheckpoints(src)
	if ds.HasErrors() {
		return Request{}, ds
	}
	rels := l.Releases()
	if len(rels) == 0 {
		return Request{}, diag.List{diag.Errorf(diag.Position{File: ledger.FileName}, "还没有发布过，没有可以副署的检查点", "nothing was published yet; there is no checkpoint to cosign")}
	}
	n, err := l.Note(stored, rels[len(rels)-1].Checkpoint.Size)
	if err != nil {
		return Request{}, diag.List{ledger.Problem(diag.Position{File: ledger.FileName}, "", "", err)}
	}
	return Request{Ledger: src, Note: n, Keys: keys, Where: where}, nil
}

// CosignContent cosigns, at the board's computer, the latest checkpoint
// stored in the content folder src (whose site.toml gives keys) and adds
// the signature to it there, reading and writing only through src.
func CosignContent(src *os.Root, keys ledger.Keys, signer note.Signer, opt Options) (*Result, diag.List) {
	if !listed(keys, signer) {
		return nil, diag.List{diag.Errorf(diag.Position{File: "site.toml"}, "%s 的公钥不在 site.toml 的 [ledger] witnesses 里，副署不能放进公开栏",
			"the key of %s is not under witnesses in [ledger] of site.toml, so its cosignature cannot go on the board", signer.Name()).
			WithHint("先把 gongkai key show --witness 显示的公钥写进 site.toml 的 witnesses", "first put the key gongkai key show --witness prints under witnesses in site.toml")}
	}
	req, ds := FromContent(src.FS(), keys, src.Name())
	if ds.HasErrors() {
		return nil, ds
	}
	res, more := Cosign(req, signer, opt)
	ds.Add(more...)
	if res == nil {
		return nil, ds
	}
	_, more = ledger.AddSignatures(src, keys, res.Note.Bytes(), nil)
	ds.Add(more...)
	if more.HasErrors() {
		return nil, ds
	}
	return res, ds
}

// listed reports whether signer's key is one of the board's witnesses.
func listed(keys ledger.Keys, signer note.Signer) bool {
	for _, w := range keys.Witnesses {
		if w.Name == signer.Name() && w.Hash == signer.KeyHash() {
			return true
		}
	}
	return false
}
