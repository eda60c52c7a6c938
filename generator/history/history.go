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
	"sync"
	"time"

	"gongkai/generator/config"
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
	// BaseURL and Offline are the build's --base-url and --offline, which
	// /build.json records so that `gongkai verify --site` rebuilds alike.
	BaseURL string
	Offline bool
	loc     *time.Location

	// What the ledger's own files say, worked out once by New: the
	// ledger was deleted (lost), there is none yet (!hasFile), and the
	// errors of the ledger, the archive and the stored checkpoints.
	lost    *diag.Diagnostic
	hasFile bool
	fileDs  diag.List
	// archive holds the registered versions read back from the archive,
	// shared by the copies of this History.
	archive *sync.Map
}

// New reads the ledger of the content folder src for board, and the
// stored checkpoints that agree with it. The diagnostics are those of
// ledger.Read (malformed lines); Files and Check report the rest.
func New(src fs.FS, board *record.Board) (*History, diag.List) {
	var l *ledger.Ledger
	var ds diag.List
	if src != nil {
		l, ds = ledger.Read(src)
	} else {
		l, ds = ledger.Read(emptyFS{})
	}
	h := &History{Ledger: l, Board: board, Src: src, Stored: ledger.Stored{}, archive: &sync.Map{}}
	if board != nil {
		h.loc = board.Site.Zone()
		h.Keys = board.Site.Ledger
		l.Origin = h.Keys.Origin
	} else {
		h.loc = config.DefaultZone()
	}
	if src != nil {
		h.Stored, _ = l.ReadCheckpoints(src)
	}
	h.checkFiles()
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
			Files: r.Files,
		})
	}
	return out
}

// checkFiles works out what the ledger's own files say (see Files).
func (h *History) checkFiles() {
	src := h.Src
	if src == nil {
		return
	}
	if d := ledger.Lost(src); d != nil {
		l := d.WithCode(CodeLost)
		h.lost = &l
		return
	}
	if _, err := fs.Stat(src, ledger.FileName); err != nil {
		return
	}
	h.hasFile = true
	h.fileDs = ledger.Verify(src, nil)
	var keys ledger.Keys
	if h.Board != nil {
		keys = h.Board.Site.Ledger
	}
	_, cds := ledger.VerifyCheckpoints(src, keys, false)
	for _, d := range cds {
		h.fileDs.Add(d.WithCode(CodeCheckpoint))
	}
}

// Files returns what a build reports about the ledger's own files (SPEC
// §6): an error when the ledger was deleted beside its archive, else
// every error of the ledger, the archive and the stored checkpoints
// (ledger.Verify without the working tree, ledger.VerifyCheckpoints).
// They change only with those files, and New works them out once.
func (h *History) Files() diag.List {
	if h.lost != nil {
		return diag.List{*h.lost}
	}
	return h.fileDs
}

// Check is what a build reports about the board against the ledger (the
// published set), beside Files: an error for every published record whose
// file is gone without a withdrawal (Published); and a warning for every
// record whose bytes are not registered — changed since its last version,
// or never published — which the site shows as the next, not yet
// registered, version. --strict builds fail on those warnings. A folder
// without a ledger gives one warning that nothing is registered yet.
func (h *History) Check() diag.List {
	board := h.Board
	if h.Src == nil || board == nil || h.lost != nil {
		return nil
	}
	var ds diag.List
	if !h.hasFile {
		if n := len(board.Records); n > 0 {
			ds.Add(diag.Warnf(diag.Position{File: ledger.FileName}, "还没有发布过：%d 条记录都没有登记，网站上显示为“第1版（尚未登记）”",
				"nothing is published yet: none of the %d records is registered, and the site shows each as version 1 (not yet registered)", n).
				WithHint("检查无误后，运行 gongkai publish -m \"首次发布\" 登记它们", "once they are checked, register them with gongkai publish -m \"first release\"").WithCode(CodeNothingPublished))
		}
		return append(ds, h.ascii()...)
	}
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
				WithHint("删去记录 %s 里的 draft = true；要撤下它，删除文件后运行 gongkai publish -m \"撤回 %[1]s\" --withdraw %[1]s=\"撤回理由\"", "remove draft = true from %s; to take it down, delete the file and run gongkai publish -m \"withdraw %[1]s\" --withdraw %[1]s=\"reason\"", id).WithCode(CodeRemoved))
			continue
		}
		ds.Add(ledger.Removed(id, last).WithCode(CodeRemoved))
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
			WithHint("发布前把文件改名为字母和数字，如 %s/%s（可在日期后加拼音缩写）", "before publishing, rename the file with letters and digits, e.g. %s/%s (a pinyin abbreviation may follow the date)", r.Section, name).WithCode(CodeNonASCII))
	}
	return ds
}

// Codes of the ledger's warnings about the board.
const (
	// CodeUnregistered: a published record changed and its change_note
	// was not updated; gongkai publish refuses it.
	CodeUnregistered = "ledger.unregistered"
	// CodePending: a published record changed with a new change_note;
	// the next gongkai publish registers it.
	CodePending = "ledger.pending"
	// CodeNew: a record that was never published.
	CodeNew = "ledger.new"
	// CodeNothingPublished: there is no ledger yet.
	CodeNothingPublished = "ledger.nothing-published"
	// CodeRemoved: a published record gone without a withdrawal.
	CodeRemoved = "ledger.removed"
	// CodeNonASCII: a new address that is not plain ASCII.
	CodeNonASCII = "ledger.non-ascii"
	// CodeCheckpoint: what the stored checkpoints and their signatures
	// say as a build reports it (verify checks them more strictly).
	CodeCheckpoint = "ledger.checkpoint"
	// CodeLost: the ledger was deleted beside its archive.
	CodeLost = "ledger.lost"
)

// Pending returns one warning per board record whose bytes are not
// registered: CodeNew when it was never published; CodeUnregistered when
// its text or its files changed since its last version and its
// change_note is not new, CodePending when it is, or when its last
// version predates the registration of files and the next publish
// registers them (ledger.FilesUnregistered).
func (h *History) Pending() diag.List {
	var ds diag.List
	for _, r := range h.Board.Records {
		last, ok := h.Ledger.Last(r.ID)
		if !ok {
			ds.Add(diag.Warnf(diag.Position{File: r.File}, "%s 还没有登记发布，网站上显示为“第1版（尚未登记）”",
				"%s is not registered yet and the site shows it as version 1 (not yet registered)", r.ID).
				WithHint("检查无误后运行 gongkai publish -m \"说明\" 登记它", "once it is checked, register it with gongkai publish -m \"what this release is\"").WithCode(CodeNew))
			continue
		}
		sum := r.Sum()
		if last.Matches(sum, r.Files) {
			continue
		}
		if last.Registers(sum, r.Files) {
			ds.Add(ledger.FilesUnregistered(r.ID, r.File, last, r.Files).WithCode(CodePending))
			continue
		}
		pos := diag.Position{File: r.File}
		if strings.TrimSpace(r.ChangeNote) == "" || r.ChangeNote == last.ChangeNote {
			d := diag.Warnf(pos,
				"%s 有未登记的修改，将显示为第%d版（尚未登记）；发布前请运行 gongkai publish",
				"%s has an unregistered change and is shown as version %d (not yet registered); run gongkai publish to register it",
				r.ID, last.N+1).
				WithHint("发布前先在设置区（两个 +++ 之间）写明 change_note = \"修改原因\"（与第%d版的说明不同），否则 gongkai publish 会拒绝；如果是误改，请把文件恢复成 %s 的内容",
					"first add change_note = \"why it changed\" to the front matter (different from the note of version %d), or gongkai publish refuses; if the change was a mistake, restore the file from %s",
					last.N, ledger.ArchivePath(r.ID, last.N)).
				WithCode(CodeUnregistered)
			if sum == last.SHA256 {
				d = filesChanged(d, last, r.Files)
			}
			ds.Add(d)
			continue
		}
		ds.Add(diag.Warnf(pos,
			"%s 已修改（%s），将显示为第%d版（尚未登记）；运行 gongkai publish 登记",
			"%s was amended (%s) and is shown as version %d (not yet registered); run gongkai publish to register it",
			r.ID, r.ChangeNote, last.N+1).WithCode(CodePending))
	}
	return ds
}

// info describes registered version v of record id.
func (h *History) info(id string, v ledger.Version) render.VersionInfo {
	vi := render.VersionInfo{
		N: v.N, Date: v.At.In(h.loc).Format("2006年1月2日"), Hash: v.SHA256, Short: v.SHA256[:8],
		Note: v.Note, Path: link.Version(id, v.N), Action: v.Action, Leaf: v.Leaf, Verb: Verb(id, v.Action),
	}
	if v.N > 1 {
		vi.DiffPath = DiffPath(id, v.N)
	}
	return vi
}

// Verb names a ledger action on record id for residents: 发布 for the
// first version, 更正 for an amendment (修订 for a convention, which is
// amended by a vote; 更新 for a decision, whose later versions add the
// steps taken since), 撤回 and 下架.
func Verb(id, action string) string {
	switch action {
	case ledger.ActionPublish:
		return "发布"
	case ledger.ActionAmend:
		switch {
		case strings.HasPrefix(id, "conventions/"):
			return "修订"
		case strings.HasPrefix(id, "decisions/"):
			return "更新"
		}
		return "更正"
	case ledger.ActionWithdraw:
		return "撤回"
	case ledger.ActionExpire:
		return "下架"
	}
	return action
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

// renotice reports whether rec sets a notice period that registered
// version n of it did not have.
func (h *History) renotice(rec *record.Record, n int) bool {
	b, err := h.Ledger.Archived(h.Src, rec.ID, n)
	if err != nil {
		return false
	}
	prev := h.decode(rec.ID, string(b), h.version(rec.ID, n))
	if prev == nil {
		return false
	}
	return prev.Notice == nil || !prev.Notice.From.Equal(rec.Notice.From) || !prev.Notice.To.Equal(rec.Notice.To)
}

// Versions gives a board record its versions: v1…vN as registered, plus a
// pending vN+1 when its bytes differ from the last entry (the current one
// then).
func (h *History) Versions(rec *record.Record) render.Versions {
	hist := h.history(rec.ID)
	var out render.Versions
	n := len(hist)
	switch {
	case n == 0:
		p := render.PendingVersion(rec, 1)
		p.Verb = Verb(rec.ID, ledger.ActionPublish)
		hist = []render.VersionInfo{p}
	case !h.Ledger.Versions(rec.ID)[n-1].Matches(rec.Sum(), rec.Files):
		p := render.PendingVersion(rec, hist[n-1].N+1)
		p.DiffPath = DiffPath(rec.ID, p.N)
		p.Verb = Verb(rec.ID, ledger.ActionAmend)
		hist = append(hist, p)
	default:
		hist[n-1].Current = true
	}
	out.History = hist
	out.Current = hist[len(hist)-1]
	if out.Current.N > 1 && rec.Notice != nil {
		out.Renotice = h.renotice(rec, out.Current.N-1)
	}
	withdrawn, reason, expired := h.Ledger.State(rec.ID)
	if withdrawn {
		out.Withdrawn = reason
	}
	out.Expired = expired
	return out
}
