package history

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"gongkai/generator/ledger"
	"gongkai/generator/link"
	"gongkai/generator/record"
	"gongkai/generator/render"
)

// Paths of the files the stage writes besides record pages.
const (
	ChangesPath    = "changes/"
	LedgerJSON     = "ledger.json"
	CheckpointPath = "ledger/checkpoint.txt"
	BuildJSON      = "build.json"
)

// CheckpointFile returns the path of the checkpoint of a ledger of size
// lines: ledger/checkpoints/<size>.txt.
func CheckpointFile(size int64) string { return fmt.Sprintf("ledger/checkpoints/%d.txt", size) }

// DiffView is the page comparing two consecutive versions of a record.
type DiffView struct {
	ID, Title  string
	RecordPath string // the record's current page
	From, To   render.VersionInfo
	Diff       Diff
	Pending    bool // To is the working tree, not yet registered
	// Files are the attachments and table files that differ between the
	// two versions.
	Files []FileChange
}

// ChangesView is the release log.
type ChangesView struct {
	Releases   []ReleaseView // newest first
	Pending    []ChangeView  // changes of the working tree not yet registered
	Checkpoint string        // text of the latest checkpoint, with its signatures
	Size       int64
	LedgerPath string // the page of the ledger and its keys
}

// ReleaseView is one release of the log.
type ReleaseView struct {
	Number         int
	Date           string // "2026年7月8日 09:00"
	Message        string
	Changes        []ChangeView
	Size           int64 // ledger lines after the release
	Root           string
	CheckpointPath string
}

// ChangeView is one change of a release.
type ChangeView struct {
	ID, Title string
	Path      string // the version page, "" when not on the site
	Action    string // 发布, 更正, 修订, 更新, 撤回, 下架 (Verb)
	Version   int
	Note      string
}

// BuildInfo is /build.json: the build date and the ledger checkpoint the
// site was built from. `gongkai verify --site` rebuilds with them.
type BuildInfo struct {
	Date       string            `json:"date"` // YYYY-MM-DD
	Checkpoint CheckpointJSON    `json:"checkpoint"`
	Ledger     ledger.PublicKeys `json:"ledger"`
	Generator  string            `json:"generator"`
	BaseURL    string            `json:"base_url,omitempty"` // --base-url, when given
	Offline    bool              `json:"offline,omitempty"`
}

// CheckpointJSON is a checkpoint in build.json.
type CheckpointJSON struct {
	Size int64  `json:"size"`
	Hash string `json:"hash"` // base64, as in the text form
}

// Stage is the build stage of what the ledger makes public. Record writes
// the version pages and diffs of a record on the site, and its pending
// diff; Board the pages of withdrawn records whose files are gone, the
// release log, /ledger.json, the checkpoints and /build.json.
func (h *History) Stage() render.Stage {
	return render.Stage{Name: "history", Record: h.writeRecord, Board: h.writeBoard}
}

// writeRecord writes the version pages of a record on the site and the
// diff of its pending version.
func (h *History) writeRecord(r render.Site, v *render.RecordView) error {
	if err := h.recordPages(r, v.ID, v); err != nil {
		return err
	}
	if !v.Version.Pending || v.Version.N < 2 {
		return nil
	}
	old, err := h.Ledger.Archived(h.Src, v.ID, v.Version.N-1)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	from := v.History[len(v.History)-2]
	return h.diffPage(r, v.ID, v.Title, v.Convention != nil, from, v.Version, string(old), v.Text, true, h.pendingFiles(v.ID))
}

// writeBoard writes what belongs to the ledger as a whole, and the pages
// of the records that are no longer on the board.
func (h *History) writeBoard(r render.Site) error {
	ids := h.Ledger.Records()
	sort.Strings(ids)
	for _, id := range ids {
		if h.Board.Get(id) != nil {
			continue // on the site (writeRecord), or past its unpublish_after
		}
		if err := h.recordPages(r, id, nil); err != nil {
			return err
		}
	}
	if err := h.changes(r); err != nil {
		return err
	}
	if err := h.pages(r); err != nil {
		return err
	}
	return h.files(r)
}

// recordPages writes the version pages and diffs of one record of the
// ledger, cur its view on the site or nil; and its record page when it was
// withdrawn and its file is gone.
func (h *History) recordPages(r render.Site, id string, cur *render.RecordView) error {
	withdrawn, reason, expired := h.Ledger.State(id)
	if cur == nil && (!withdrawn || expired) {
		return nil
	}
	vs := h.Ledger.Versions(id)
	if len(vs) == 0 {
		return nil
	}
	hist := h.history(id)
	if cur != nil {
		hist = cur.History
	}
	texts := make([]string, len(vs))
	recs := make([]*record.Record, len(vs))
	for i, v := range vs {
		a, err := h.archived(id, v.N)
		if err != nil {
			return err
		}
		texts[i], recs[i] = a.text, a.rec
	}
	latest := link.Page(id)
	if cur == nil {
		// Withdrawn: the record page shows its last version, marked.
		rec := recs[len(recs)-1]
		if rec == nil {
			return nil
		}
		hist[len(hist)-1].Current = true
		v, err := r.ViewOf(rec, latest)
		if err != nil {
			return err
		}
		v.Version, v.History, v.Attachments = hist[len(hist)-1], hist, nil
		v.Withdraw(reason)
		if v.Finance != nil { // a withdrawn record has no data files
			v.Finance.CSVPath = ""
		}
		for i := range v.Tables {
			v.Tables[i].CSVPath = ""
		}
		if err := r.RecordPage(v); err != nil {
			return err
		}
	}
	convention := strings.HasPrefix(id, "conventions/")
	for i, v := range vs {
		rec := recs[i]
		if rec == nil {
			continue
		}
		if err := h.versionPage(r, rec, cur, hist, v, i == len(vs)-1, reason, []byte(texts[i])); err != nil {
			return err
		}
		if i > 0 {
			files := fileChanges(vs[i-1], v.SHA256, v.Files)
			if err := h.diffPage(r, id, rec.Title, convention, h.info(id, vs[i-1]), h.info(id, v), texts[i-1], texts[i], false, files); err != nil {
				return err
			}
		}
	}
	return nil
}

// decode decodes the archived text of version v of record id, nil when
// it no longer decodes (say site.toml changed since). The files v
// registered are read from the archive (versionFS); a version registered
// before files were reads today's.
func (h *History) decode(id, text string, v ledger.Version) *record.Record {
	src := record.Source{ID: id, File: id + ".md", Text: text}
	if b := h.Board.Get(id); b != nil {
		src.File, src.Bundle = b.File, b.Bundle
	} else if len(v.Files) > 0 {
		src.File, src.Bundle = id+"/index.md", true
	}
	src.Section, src.Slug, _ = strings.Cut(id, "/")
	rec, _ := record.Decode(h.Board.Site, h.versionFS(id, path.Dir(src.File), v), src)
	return rec
}

// version returns registered version n of record id, or the zero Version
// (today's files) when n is not registered yet.
func (h *History) version(id string, n int) ledger.Version {
	for _, v := range h.Ledger.Versions(id) {
		if v.N == n {
			return v
		}
	}
	return ledger.Version{}
}

// archivedVersion is a registered version read back from the archive:
// its text, and its record (nil when it no longer decodes).
type archivedVersion struct {
	once sync.Once
	text string
	rec  *record.Record
	err  error
}

// archived returns version n of record id from the archive, read and
// decoded once for the pages of the record and once for proofs.json,
// which are written side by side, and kept for later renders of the same
// ledger. The key holds the record's file as the board has it now, which
// decoding depends on.
func (h *History) archived(id string, n int) (*archivedVersion, error) {
	key := fmt.Sprintf("%s\x00%d", id, n)
	if b := h.Board.Get(id); b != nil {
		// A version registered before files were reads today's files.
		key += fmt.Sprintf("\x00%s\x00%v\x00%v", b.File, b.Bundle, b.Files)
	}
	if h.archive == nil {
		h.archive = &sync.Map{}
	}
	e, _ := h.archive.LoadOrStore(key, &archivedVersion{})
	a := e.(*archivedVersion)
	a.once.Do(func() {
		b, err := h.Ledger.Archived(h.Src, id, n)
		if err != nil {
			a.err = fmt.Errorf("history: %w", err)
			return
		}
		a.text = string(b)
		for _, v := range h.Ledger.Versions(id) {
			if v.N == n {
				a.rec = h.decode(id, a.text, v)
			}
		}
	})
	return a, a.err
}

// versionPage writes /<id>/v<N>/ from the archived bytes of version v.
func (h *History) versionPage(r render.Site, rec *record.Record, cur *render.RecordView, hist []render.VersionInfo, v ledger.Version, latest bool, withdrawn string, text []byte) error {
	dir := link.Version(rec.ID, v.N)
	view, err := r.ViewOf(rec, dir)
	if err != nil {
		return err
	}
	own := make([]render.VersionInfo, len(hist))
	copy(own, hist)
	for i := range own {
		own[i].Current = own[i].N == v.N && !own[i].Pending
	}
	view.Version = h.info(rec.ID, v)
	view.History = own
	view.Withdraw(withdrawn)
	view.Renotice = view.Renotice && latest
	all := view.Attachments
	// Attachments are published once, beside the current page; the
	// registered files of a version also under ledger/sources/.
	var atts []render.AttachmentView
	if cur != nil {
		have := map[string]bool{}
		for _, a := range cur.Attachments {
			have[a.Name] = true
		}
		for _, a := range view.Attachments {
			if have[a.Name] {
				a.Path = link.Page(rec.ID) + a.Name
				atts = append(atts, a)
			}
		}
	}
	view.Attachments = atts
	note := &render.VersionNote{
		N: v.N, Latest: latest, Current: link.Page(rec.ID), Seq: v.Seq, Leaf: v.Leaf, SHA256: v.SHA256,
		LedgerPath: LedgerPage, VerifyPath: VerifyPage,
	}
	if v.N > 1 {
		note.DiffPath = DiffPath(rec.ID, v.N)
	}
	if e := h.entry(v.Leaf); e != nil {
		note.Line = string(e.Raw)
	}
	cp := h.Ledger.Checkpoint()
	note.TreeSize, note.Root, note.CheckpointPath = cp.Size, cp.Hash.String(), CheckpointFile(cp.Size)
	if proof, err := h.Ledger.InclusionProof(v.Leaf); err == nil {
		for _, p := range proof {
			note.Proof = append(note.Proof, p.String())
		}
	}
	pv := h.proofVersion(rec, cur, v, note.Proof)
	note.Source = pv.Source
	if pv.Withheld != "" {
		note.Withheld = withheldNote
	} else if err := r.Write(note.Source, text); err != nil {
		return err
	}
	if err := h.versionFiles(r, view, all, note, v, pv.Withheld != ""); err != nil {
		return err
	}
	view.Note = note
	sec := rec.Section
	return r.Page("record", &render.Page{
		Path: dir, Title: fmt.Sprintf("%s（第%d版）", rec.Title, v.N), Desc: view.Summary, Section: sec,
		Main: view, NoIndex: view.Personal,
		Crumbs: []render.Crumb{{Name: record.SectionName(sec), Path: sec + "/"}, {Name: rec.Title, Path: link.Page(rec.ID)}},
	})
}

// proofVersion is version v of rec as proofs.json lists it, with its
// inclusion proof; cur is the record's view on the site, or nil.
func (h *History) proofVersion(rec *record.Record, cur *render.RecordView, v ledger.Version, proof []string) ProofVersion {
	pv := ProofVersion{Seq: v.Seq, Record: rec.ID, Version: v.N, SHA256: v.SHA256, Page: link.Version(rec.ID, v.N), Proof: proof}
	if h.personal(rec, cur) {
		pv.Withheld = WithheldPersonal
	} else {
		pv.Source = SourcePath(rec.ID, v.N)
	}
	return pv
}

// personal reports whether a version's bytes are withheld: the version,
// the record's current version or the board's record is personal.
func (h *History) personal(rec *record.Record, cur *render.RecordView) bool {
	if rec.Personal || cur != nil && cur.Personal {
		return true
	}
	b := h.Board.Get(rec.ID)
	return b != nil && b.Personal
}

// entry returns the ledger entry of a leaf.
func (h *History) entry(leaf int64) *ledger.Entry {
	for i := range h.Ledger.Entries {
		if h.Ledger.Entries[i].Leaf() == leaf {
			return &h.Ledger.Entries[i]
		}
	}
	return nil
}

// diffPage writes the comparison of two consecutive versions.
func (h *History) diffPage(r render.Site, id, title string, convention bool, from, to render.VersionInfo, old, cur string, pending bool, files []FileChange) error {
	sec, _, _ := strings.Cut(id, "/")
	d, err := h.compare(r, id, old, cur, to.N, convention)
	if err != nil {
		return err
	}
	dv := &DiffView{ID: id, Title: title, RecordPath: link.Page(id), From: from, To: to, Pending: pending, Diff: d, Files: files}
	return r.Page("diff", &render.Page{
		Path: DiffPath(id, to.N), Title: fmt.Sprintf("%s：第%d版与第%d版的比较", title, to.N, from.N),
		Section: sec, Main: dv, NoIndex: true,
		Crumbs: []render.Crumb{{Name: record.SectionName(sec), Path: sec + "/"}, {Name: title, Path: link.Page(id)}},
	})
}

// compare compares two versions of record id as their pages show them
// (CompareViews), or as text when one of them no longer reads as a record.
func (h *History) compare(r render.Site, id, old, cur string, n int, convention bool) (Diff, error) {
	if old == cur {
		return Diff{Same: true}, nil
	}
	orec, crec := h.decode(id, old, h.version(id, n-1)), h.decode(id, cur, h.version(id, n))
	if orec == nil || crec == nil {
		return Compare(old, cur, convention), nil
	}
	dir := DiffPath(id, n)
	ov, err := r.ViewOf(orec, dir)
	if err != nil {
		return Diff{}, err
	}
	cv, err := r.ViewOf(crec, dir)
	if err != nil {
		return Diff{}, err
	}
	d := CompareViews(ov, cv)
	if d.Same {
		// Only what the page does not show changed: the reason itself, a
		// comment, the layout of the file.
		d.Same, d.NoteOnly = false, true
	}
	return d, nil
}

// title returns the title of record id: from the board, else from its last
// archived version, else the id.
func (h *History) title(id string) string {
	if b := h.Board.Get(id); b != nil {
		return b.Title
	}
	if last, ok := h.Ledger.Last(id); ok {
		if b, err := h.Ledger.Archived(h.Src, id, last.N); err == nil {
			if rec := h.decode(id, string(b), last); rec != nil {
				return rec.Title
			}
		}
	}
	return id
}

// plainNote returns the note of a ledger line in residents' words: an
// expiry's note names the setting it came from (unpublish_after =
// 2026-06-30), which the log says as 按规定于2026年6月30日后下架.
func plainNote(action, note string) string {
	if action != ledger.ActionExpire {
		return note
	}
	if d, ok := strings.CutPrefix(note, "unpublish_after = "); ok {
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			return "按规定的公开期限，" + t.Format("2006年1月2日") + "后下架"
		}
	}
	return note
}

// changes writes the release log.
func (h *History) changes(r render.Site) error {
	cv := &ChangesView{}
	titles := map[string]string{}
	titleOf := func(id string) string {
		t, ok := titles[id]
		if !ok {
			t = h.title(id)
			titles[id] = t
		}
		return t
	}
	onSite := func(id string) bool {
		if r.View(id) != nil {
			return true
		}
		withdrawn, _, expired := h.Ledger.State(id)
		return h.Board.Get(id) == nil && withdrawn && !expired
	}
	for _, rel := range h.Ledger.Releases() {
		rv := ReleaseView{
			Number: rel.Number, Date: rel.At.In(h.loc).Format("2006年1月2日 15:04"), Message: rel.Message,
			Size: rel.Checkpoint.Size, Root: rel.Checkpoint.Hash.String(), CheckpointPath: CheckpointFile(rel.Checkpoint.Size),
		}
		for _, e := range rel.Lines {
			c := ChangeView{ID: e.Record, Title: titleOf(e.Record), Action: Verb(e.Record, e.Action), Version: e.Version, Note: plainNote(e.Action, e.Note)}
			if onSite(e.Record) {
				c.Path = link.Version(e.Record, e.Version)
			}
			rv.Changes = append(rv.Changes, c)
		}
		cv.Releases = append([]ReleaseView{rv}, cv.Releases...)
	}
	pending := 0
	for _, v := range r.Public() {
		if v.Version.Pending {
			pending++
		}
	}
	cv.Pending = make([]ChangeView, 0, pending)
	for _, v := range r.Public() {
		if v.Version.Pending {
			action := Verb(v.ID, ledger.ActionAmend)
			if v.Version.N == 1 {
				action = Verb(v.ID, ledger.ActionPublish)
			}
			cv.Pending = append(cv.Pending, ChangeView{ID: v.ID, Title: v.Title, Path: v.Path, Action: action, Version: v.Version.N, Note: v.Version.Note})
		}
	}
	sort.Slice(cv.Pending, func(i, j int) bool { return cv.Pending[i].ID < cv.Pending[j].ID })
	_, latest := h.notes()
	cv.Checkpoint, cv.Size, cv.LedgerPath = string(latest.Bytes()), latest.Size, LedgerPage
	return r.Page("changes", &render.Page{Path: ChangesPath, Title: "发布记录", Main: cv})
}
