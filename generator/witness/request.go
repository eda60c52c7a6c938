package witness

import (
	"io/fs"

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
		return Request{}, diag.List{diag.Errorf(diag.Position{File: where}, "读不到网站公布的公钥：%v", "cannot read the keys the site publishes: %v", err).
			WithHint("核对网址；网站要由 gongkai build 生成并完整上传", "check the address; the site must be built by gongkai and uploaded completely").Wrap(err)}
	}
	n, err := audit.Latest(site)
	if err != nil {
		return Request{}, diag.List{diag.Errorf(diag.Position{File: where + " " + history.CheckpointPath}, "读不到最新检查点：%v", "cannot read the latest checkpoint: %v", err).Wrap(err)}
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
		return Request{}, diag.List{diag.Errorf(diag.Position{File: ledger.FileName}, "%v", "%v", err)}
	}
	return Request{Ledger: src, Note: n, Keys: keys, Where: where}, nil
}
