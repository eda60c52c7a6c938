package build

import (
	"os"
	"time"

	"gongkai/generator/diag"
	"gongkai/generator/history"
	"gongkai/generator/ledger"
)

// Publish is `gongkai publish` once the snapshot s of the content folder
// root (the pipeline's Check) has no errors: it registers every new,
// amended, withdrawn and expired record as one release of the ledger.
// po.Now, when zero, is ReleaseTime. The release is nil when nothing was
// published; the diagnostics then say why.
func Publish(s *Snapshot, root *os.Root, po ledger.PublishOptions) (*ledger.Release, diag.List) {
	if po.Now.IsZero() {
		po.Now = time.Now().In(s.Today.Location())
	}
	return ledger.Publish(root, history.Current(s.Board), po)
}

// ReleaseTime returns the time a release made now is registered at:
// --date at noon, else now, in the site's zone.
func ReleaseTime(opt Options, s *Snapshot) time.Time {
	loc := s.Today.Location()
	if d := opt.Today; !d.IsZero() {
		return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, loc)
	}
	return time.Now().In(loc)
}
