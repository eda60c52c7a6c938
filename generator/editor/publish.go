package editor

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/ledger"
	"gongkai/generator/record"
	"gongkai/generator/tomledit"
)

// pending is what a publish would register now.
type pending struct {
	New     []pendingRecord
	Amended []pendingRecord
	Removed []pendingRecord
	Expired []pendingRecord
	// Problems are the content's errors: publish refuses while there
	// are any.
	Problems []string
}

// pendingRecord is one record a publish would register.
type pendingRecord struct {
	ID, File, Title string
	Version         int    // the last registered version
	Note            string // its change_note now
	LastNote        string // the change_note of the last version
	// NeedNote: the change_note is empty or the last version's, so a
	// new one must be written.
	NeedNote bool
}

// Empty reports whether there is nothing to publish.
func (p pending) Empty() bool {
	return len(p.New)+len(p.Amended)+len(p.Removed)+len(p.Expired) == 0
}

// today returns the day of the checks: --date, else today in the site's
// zone.
func (e *Editor) today(board *record.Board) time.Time {
	return build.Today(e.opt.Build, board)
}

// pending works out what `gongkai publish` would register now.
func (e *Editor) pending() pending {
	var p pending
	snap := build.Check(e.publishOptions())
	if ds, blocked := snap.PublishBlocked(); blocked {
		for _, d := range ds {
			if d.Severity == diag.Error {
				p.Problems = append(p.Problems, d.Format(e.opt.Lang))
			}
		}
	}
	board := snap.Board
	if board == nil {
		return p
	}
	l, _ := ledger.Read(e.fsys)
	today := e.today(board).Format("2006-01-02")
	for _, r := range board.Records {
		last, ok := l.Last(r.ID)
		pr := pendingRecord{ID: r.ID, File: r.File, Title: r.Title, Version: last.N, Note: r.ChangeNote, LastNote: last.Note}
		_, _, expired := l.State(r.ID)
		switch {
		case !ok:
			p.New = append(p.New, pr)
		case r.Sum() != last.SHA256:
			pr.NeedNote = strings.TrimSpace(r.ChangeNote) == "" || r.ChangeNote == last.Note
			p.Amended = append(p.Amended, pr)
		case !expired && !r.UnpublishAfter.IsZero() && r.UnpublishAfter.Format("2006-01-02") < today:
			p.Expired = append(p.Expired, pr)
		}
	}
	var removed []string
	for id := range board.Elsewhere().Removed {
		removed = append(removed, id)
	}
	sort.Strings(removed)
	for _, id := range removed {
		last, _ := l.Last(id)
		p.Removed = append(p.Removed, pendingRecord{ID: id, Version: last.N, LastNote: last.Note})
	}
	return p
}

// publishRequest is what the publish dialog sends.
type publishRequest struct {
	Message  string            `json:"message"`
	Notes    map[string]string `json:"notes"`    // record id → change_note
	Withdraw map[string]string `json:"withdraw"` // record id → reason
}

// apiPublish writes each amended record's change note into its file and
// then publishes, as `gongkai publish -m … --withdraw id=…` does.
func (e *Editor) apiPublish(w http.ResponseWriter, r *http.Request) {
	var req publishRequest
	if !readJSON(w, r, &req, 1<<20) {
		return
	}
	req.Message = strings.TrimSpace(req.Message)
	if req.Message == "" {
		problem(w, http.StatusUnprocessableEntity, "请写明本次发布的说明，例如“公布第三季度财务”")
		return
	}
	e.write.Lock()
	defer e.write.Unlock()
	if len(req.Notes) > 0 {
		board := build.Check(e.publishOptions()).Board
		if board == nil {
			problem(w, http.StatusUnprocessableEntity, "site.toml 有错误，没有发布")
			return
		}
		for id, note := range req.Notes {
			note = strings.TrimSpace(note)
			rec := board.Get(id)
			if rec == nil {
				problem(w, http.StatusUnprocessableEntity, "没有记录 %s", id)
				return
			}
			if note == "" {
				problem(w, http.StatusUnprocessableEntity, "请写明 %s 的修改说明", id)
				return
			}
			if err := e.setChangeNote(rec, note); err != nil {
				problem(w, http.StatusInternalServerError, "无法把修改说明写进 %s：%v", rec.File, err)
				return
			}
		}
	}
	rel, ds := e.publish(req.Message, req.Withdraw)
	var msgs []string
	for _, d := range ds.Sorted() {
		msgs = append(msgs, d.Format(e.opt.Lang))
	}
	if rel == nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": "没有发布，账本和归档保持原样。", "diags": msgs})
		return
	}
	var lines []string
	for _, l := range rel.Lines {
		switch l.Action {
		case ledger.ActionPublish:
			lines = append(lines, fmt.Sprintf("首次发布 %s 第%d版", l.Record, l.Version))
		case ledger.ActionAmend:
			lines = append(lines, fmt.Sprintf("修订 %s 为第%d版：%s", l.Record, l.Version, l.Note))
		case ledger.ActionWithdraw:
			lines = append(lines, fmt.Sprintf("撤回 %s（第%d版）：%s", l.Record, l.Version, l.Note))
		case ledger.ActionExpire:
			lines = append(lines, fmt.Sprintf("到期下架 %s（第%d版，%s）", l.Record, l.Version, l.Note))
		}
	}
	fmt.Fprintln(e.opt.Log, diag.T("编辑器已登记第 %d 次发布：%s", "the editor registered release %d: %s", rel.Number, req.Message).In(e.opt.Lang))
	writeJSON(w, http.StatusOK, map[string]any{"number": rel.Number, "lines": lines, "checkpoint": rel.File, "size": rel.Checkpoint.Size, "diags": msgs})
}

// setChangeNote writes change_note = note into the record's file, where
// the schema puts it, unless it is already so.
func (e *Editor) setChangeNote(rec *record.Record, note string) error {
	f, err := readFile(e.fsys, rec.File)
	if err != nil {
		return err
	}
	if !f.Split {
		return fmt.Errorf("%s has no front matter", rec.File)
	}
	doc, err := tomledit.Parse(f.FM)
	if err != nil {
		return err
	}
	if doc.Has("change_note") {
		err = doc.Set("change_note", tomledit.String(note))
	} else {
		err = doc.Insert("", "change_note", tomledit.String(note), keys(record.Schema(nil, rec.Section)))
	}
	if err != nil {
		return err
	}
	fm, err := doc.Text()
	if err != nil {
		return err
	}
	data := f.compose(fm, f.Body)
	if f.same(data) {
		return nil
	}
	return writeAtomic(e.root, rec.File, data)
}

// publishOptions are the options of `gongkai publish`: the content folder
// and --date, without serve's drafts.
func (e *Editor) publishOptions() build.Options {
	return build.Options{Src: e.fsys, Today: e.opt.Build.Today}
}

// publish registers a release as `gongkai publish` does: the content is
// loaded and checked, the board's key read when site.toml names one, and
// the ledger written through the content folder's os.Root.
func (e *Editor) publish(message string, withdraw map[string]string) (*ledger.Release, diag.List) {
	opt := e.publishOptions()
	snap := build.Check(opt)
	if ds, blocked := snap.PublishBlocked(); blocked {
		return nil, ds
	}
	ds := snap.Content
	now := build.ReleaseTime(opt, snap)
	keys := snap.Board.Site.Ledger
	signer, _, kds := ledger.BoardSigner(keys, e.opt.KeyFile, e.opt.Folder.Dir())
	if kds.HasErrors() {
		return nil, append(ds, kds...)
	}
	if withdraw == nil {
		withdraw = map[string]string{}
	}
	rel, pds := build.Publish(snap, e.root, ledger.PublishOptions{
		Message: message, Withdraw: withdraw, Now: now, Keys: keys, Signer: signer,
	})
	ds.Add(pds...)
	if rel != nil && rel.Number == 0 {
		return nil, ds
	}
	return rel, ds
}
