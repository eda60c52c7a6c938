// Package history joins the ledger to the board: it gives every record its
// registered versions (render.Versions), warns about records changed since
// their last ledger entry, and is the build stage that writes what the
// ledger makes public (SPEC §5, §6): a page for every registered version
// (/<id>/v<N>/) with the inclusion proof of its ledger line, a diff between
// consecutive versions (/<id>/v<N>/diff/), the pages of withdrawn records,
// the release log /changes/, /ledger.json and the raw /ledger.jsonl, the
// signed checkpoints under /ledger/checkpoints/ with an index page, the
// registered bytes of every version under /ledger/sources/ (personal
// records: the hash only), the inclusion proofs /ledger/proofs.json, the
// /ledger/ page with the keys, the method /ledger/verify/ and its script
// /ledger/verify.py (from package docs), and /build.json.
package history

import (
	"io/fs"
	"strings"
	"time"

	"gongkai/generator/diag"
	"gongkai/generator/ledger"
	"gongkai/generator/link"
	"gongkai/generator/record"
	"gongkai/generator/render"
)

// History is the ledger of a content folder together with its board.
type History struct {
	Ledger *ledger.Ledger
	Board  *record.Board
	// Src is the content folder: the archive is read from it.
	Src fs.FS
	// Stored are the checkpoints of the content folder that agree with
	// the ledger, signed by the board and cosigned by its witnesses.
	Stored ledger.Stored
	// Keys are the board's keys from site.toml.
	Keys ledger.Keys
	loc  *time.Location
}

// New reads the ledger of the content folder src for board, and the
// stored checkpoints that agree with it. The diagnostics are those of
// ledger.Read (malformed lines); Check reports the rest.
func New(src fs.FS, board *record.Board) (*History, diag.List) {
	var l *ledger.Ledger
	var ds diag.List
	if src != nil {
		l, ds = ledger.Read(src)
	} else {
		l, ds = ledger.Read(emptyFS{})
	}
	h := &History{Ledger: l, Board: board, Src: src, loc: time.Local, Stored: ledger.Stored{}}
	if board != nil && board.Site != nil {
		if board.Site.Location != nil {
			h.loc = board.Site.Location
		}
		h.Keys = board.Site.Ledger
		l.Origin = h.Keys.Origin
	}
	if src != nil {
		h.Stored, _ = l.ReadCheckpoints(src)
	}
	return h, ds
}

// emptyFS is a content folder without files.
type emptyFS struct{}

func (emptyFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// Current returns the records of board as the ledger sees them.
func Current(board *record.Board) []ledger.Current {
	if board == nil {
		return nil
	}
	out := make([]ledger.Current, 0, len(board.Records))
	for _, r := range board.Records {
		out = append(out, ledger.Current{
			ID: r.ID, File: r.File, Bytes: []byte(r.Text), ChangeNote: r.ChangeNote, UnpublishAfter: r.UnpublishAfter,
		})
	}
	return out
}

// Check is what a build reports about the ledger of src: every error of
// the ledger, the archive and the stored checkpoints (ledger.Verify
// without the working tree, ledger.VerifyCheckpoints) and one warning per
// record changed since its last ledger entry, which the
// site shows as the next, not yet registered, version. --strict builds
// fail on those warnings. A folder without a ledger gives nothing.
func Check(src fs.FS, board *record.Board) diag.List {
	if src == nil || board == nil {
		return nil
	}
	if _, err := fs.Stat(src, ledger.FileName); err != nil {
		return nil
	}
	ds := ledger.Verify(src, nil)
	_, cds := ledger.VerifyCheckpoints(src, board.Site.Ledger, false)
	ds.Add(cds...)
	h, _ := New(src, board)
	ds.Add(h.Pending()...)
	return ds
}

// Pending returns one warning per board record whose bytes differ from its
// last registered version.
func (h *History) Pending() diag.List {
	var ds diag.List
	for _, r := range h.Board.Records {
		last, ok := h.Ledger.Last(r.ID)
		if !ok || r.Sum() == last.SHA256 {
			continue
		}
		d := diag.Warnf(diag.Position{File: r.File},
			"%s 有未登记的修改，将显示为第%d版（尚未登记）；发布前请运行 gongkai publish",
			"%s has an unregistered change and is shown as version %d (not yet registered); run gongkai publish to register it",
			r.ID, last.N+1)
		if strings.TrimSpace(r.ChangeNote) == "" || r.ChangeNote == last.Note {
			d = d.WithHint("发布前先在设置区（两个 +++ 之间）写明 change_note = \"修改原因\"（与第%d版的说明不同），否则 gongkai publish 会拒绝；如果是误改，请把文件恢复成 %s 的内容",
				"first add change_note = \"why it changed\" to the front matter (different from the note of version %d), or gongkai publish refuses; if the change was a mistake, restore the file from %s",
				last.N, ledger.ArchivePath(r.ID, last.N))
		}
		ds.Add(d)
	}
	return ds
}

// info describes registered version v of record id.
func (h *History) info(id string, v ledger.Version) render.VersionInfo {
	vi := render.VersionInfo{
		N: v.N, Date: v.At.In(h.loc).Format("2006年1月2日"), Hash: v.SHA256, Short: v.SHA256[:8],
		Note: v.Note, Path: link.Version(id, v.N), Action: v.Action, Leaf: v.Leaf,
	}
	if v.N > 1 {
		vi.DiffPath = DiffPath(id, v.N)
	}
	return vi
}

// DiffPath returns the site-relative path of the page comparing version n
// of record id with version n-1.
func DiffPath(id string, n int) string { return link.Version(id, n) + "diff/" }

// history returns the registered versions of id as VersionInfo, oldest
// first.
func (h *History) history(id string) []render.VersionInfo {
	var out []render.VersionInfo
	for _, v := range h.Ledger.Versions(id) {
		out = append(out, h.info(id, v))
	}
	return out
}

// Versions gives a board record its versions: v1…vN as registered, plus a
// pending vN+1 when its bytes differ from the last entry (the current one
// then). It is render.Options.Versions.
func (h *History) Versions(rec *record.Record) render.Versions {
	hist := h.history(rec.ID)
	var out render.Versions
	n := len(hist)
	switch {
	case n == 0:
		p := render.PendingVersion(rec, 1)
		hist = []render.VersionInfo{p}
	case rec.Sum() != hist[n-1].Hash:
		p := render.PendingVersion(rec, hist[n-1].N+1)
		p.DiffPath = DiffPath(rec.ID, p.N)
		hist = append(hist, p)
	default:
		hist[n-1].Current = true
	}
	out.History = hist
	out.Current = hist[len(hist)-1]
	withdrawn, reason, expired := h.Ledger.State(rec.ID)
	if withdrawn {
		out.Withdrawn = reason
	}
	out.Expired = expired
	return out
}
