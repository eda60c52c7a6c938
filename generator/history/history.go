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

// Check is what a build reports about the ledger of src (SPEC §6 and the
// published set): every error of the ledger, the archive and the stored
// checkpoints (ledger.Verify without the working tree,
// ledger.VerifyCheckpoints); an error for every published record whose
// file is gone without a withdrawal (Published); and a warning for every
// record whose bytes are not registered — changed since its last version,
// or never published — which the site shows as the next, not yet
// registered, version. --strict builds fail on those warnings. A folder
// without a ledger gives one warning that nothing is registered yet, or an
// error when its archive is there: the ledger was deleted.
func Check(src fs.FS, board *record.Board) diag.List {
	if src == nil || board == nil {
		return nil
	}
	if d := ledger.Lost(src); d != nil {
		return diag.List{*d}
	}
	h, _ := New(src, board)
	var ds diag.List
	if _, err := fs.Stat(src, ledger.FileName); err != nil {
		if n := len(board.Records); n > 0 {
			ds.Add(diag.Warnf(diag.Position{File: ledger.FileName}, "还没有发布过：%d 条记录都没有登记，网站上显示为“第1版（尚未登记）”",
				"nothing is published yet: none of the %d records is registered, and the site shows each as version 1 (not yet registered)", n).
				WithHint("检查无误后，运行 gongkai publish -m \"首次发布\" 登记它们", "once they are checked, register them with gongkai publish -m \"first release\""))
		}
		return append(ds, h.ascii()...)
	}
	ds.Add(ledger.Verify(src, nil)...)
	_, cds := ledger.VerifyCheckpoints(src, board.Site.Ledger, false)
	ds.Add(cds...)
	ds.Add(h.Published()...)
	ds.Add(h.Pending()...)
	ds.Add(h.ascii()...)
	return ds
}

// Published returns an error for every record the ledger published that
// is neither on the board, nor withdrawn, nor expired: its file was
// deleted (or marked draft) without a stated reason, so its page, its
// versions and the QR codes on the wall would lead nowhere. A record whose
// file has errors of its own is not reported again.
func (h *History) Published() diag.List {
	var ds diag.List
	other := h.Board.Elsewhere()
	for _, id := range h.Ledger.Records() {
		if h.Board.Get(id) != nil || other.Broken[id] {
			continue
		}
		last, ok := h.Ledger.Last(id)
		if withdrawn, _, expired := h.Ledger.State(id); !ok || withdrawn || expired {
			continue
		}
		if other.Drafts[id] {
			ds.Add(diag.Errorf(diag.Position{File: ledger.FileName, Line: int(last.Leaf) + 1},
				"已发布的记录 %s（第%d版）被改成了草稿（draft = true），会从网站上消失", "published record %s (version %d) was made a draft (draft = true) and would vanish from the site", id, last.N).
				WithHint("删去记录 %s 里的 draft = true；要撤下它，删除文件后运行 gongkai publish -m \"撤回 %[1]s\" --withdraw %[1]s=\"撤回理由\"", "remove draft = true from %s; to take it down, delete the file and run gongkai publish -m \"withdraw %[1]s\" --withdraw %[1]s=\"reason\"", id))
			continue
		}
		ds.Add(ledger.Removed(id, last))
	}
	return ds
}

// Tally counts the records of the ledger as they stand: on the board,
// withdrawn (the site keeps their pages) and expired.
type Tally struct {
	Lines                   int64
	Records                 int // registered and on the board
	Withdrawn, Expired, All int
}

// Tally counts the ledger's records.
func (h *History) Tally() Tally {
	t := Tally{Lines: h.Ledger.Size()}
	for _, id := range h.Ledger.Records() {
		t.All++
		withdrawn, _, expired := h.Ledger.State(id)
		switch {
		case withdrawn:
			t.Withdrawn++
		case expired:
			t.Expired++
		case h.Board.Get(id) != nil:
			t.Records++
		}
	}
	return t
}

// ascii warns about every record not yet registered whose address is not
// plain ASCII: it makes long addresses and dense QR codes. Once published,
// an address stays as it is.
func (h *History) ascii() diag.List {
	var ds diag.List
	for _, r := range h.Board.Records {
		if record.ASCII(r.Slug) {
			continue
		}
		if _, ok := h.Ledger.Last(r.ID); ok {
			continue
		}
		s := record.SuggestSlug(r.Slug, r.Date)
		name := s + ".md"
		if r.Bundle {
			name = s + "/index.md"
		}
		ds.Add(diag.Warnf(diag.Position{File: r.File}, "网址 %s 含有汉字或其他非英文字符：网址很长，二维码很密，手机不好扫", "the address %s is not plain ASCII: it is long and makes a dense QR code that phones read badly", r.ID).
			WithHint("发布前把文件改名为字母和数字，如 %s/%s（可在日期后加拼音缩写）", "before publishing, rename the file with letters and digits, e.g. %s/%s (a pinyin abbreviation may follow the date)", r.Section, name))
	}
	return ds
}

// Pending returns one warning per board record whose bytes are not
// registered: changed since its last version, or never published.
func (h *History) Pending() diag.List {
	var ds diag.List
	for _, r := range h.Board.Records {
		last, ok := h.Ledger.Last(r.ID)
		if !ok {
			ds.Add(diag.Warnf(diag.Position{File: r.File}, "%s 还没有登记发布，网站上显示为“第1版（尚未登记）”",
				"%s is not registered yet and the site shows it as version 1 (not yet registered)", r.ID).
				WithHint("检查无误后运行 gongkai publish -m \"说明\" 登记它", "once it is checked, register it with gongkai publish -m \"what this release is\""))
			continue
		}
		if r.Sum() == last.SHA256 {
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
