package build

import (
	"gongkai/generator/diag"
	"gongkai/generator/history"
	"gongkai/generator/ledger"
)

// Verified is what Verify found in a content folder.
type Verified struct {
	Snapshot *Snapshot
	// Diags are the snapshot's, with the stored checkpoints checked as
	// verify checks them (a signature site.toml asks for and the latest
	// checkpoint lacks is an error, not a warning), a --key that is not
	// the board's, and what --since found; sorted.
	Diags diag.List
	// Checkpoints are the signers of every release's checkpoint, oldest
	// first; Tally counts the ledger's records as they stand.
	Checkpoints []ledger.CheckpointStatus
	Tally       history.Tally
	// Since reports that the ledger extends the saved checkpoint.
	Since bool
	// Failed: the verification failed (as FailedCheck, or any error).
	Failed bool
}

// Verify is `gongkai verify` of the content folder opt.Src: the checks
// of the pipeline (the ledger's chain, the archive and the stored
// checkpoints, the published set, records changed without a registered
// version), the signatures of the checkpoints as a supervisor checks
// them, key (the board's key as printed on the wall sheets; "" for none)
// against site.toml, and, when saved holds a checkpoint kept earlier,
// that the ledger extends it.
func Verify(opt Options, key string, saved []byte) *Verified {
	s := Check(opt)
	v := &Verified{Snapshot: s}
	if s.Board == nil {
		v.Diags, v.Failed = s.Diags, true
		return v
	}
	var ds diag.List
	for _, d := range s.Diags {
		if d.Code != history.CodeCheckpoint {
			ds.Add(d)
		}
	}
	keys := s.Board.Site.Ledger
	if key != "" {
		if k, err := ledger.ParseKey(key); err != nil || keys.Board == nil || k.Text != keys.Board.Text {
			ds.Add(diag.Errorf(diag.Position{File: "site.toml"}, "site.toml 里的公钥不是 --key 给出的公钥", "site.toml does not name the key given with --key").
				WithHint("照公开单上印的公钥整行抄写，并核对 site.toml 的 [ledger] key", "copy the whole key as printed on the wall sheet and check key under [ledger] in site.toml"))
		}
	}
	st, cds := ledger.VerifyCheckpoints(opt.Src, keys, true)
	ds.Add(cds...)
	v.Checkpoints = st
	if saved != nil {
		sds := ledger.VerifySince(opt.Src, keys, saved)
		ds.Add(sds...)
		v.Since = !sds.HasErrors()
	}
	v.Diags = ds.Sorted()
	v.Tally = s.History.Tally()
	v.Failed = s.FailedCheck(false) || ds.HasErrors()
	return v
}
