package record

import (
	"path"
	"sort"
	"strings"

	"gongkai/generator/calendar"
	"gongkai/generator/config"
	"gongkai/generator/diag"
)

// Board is every record of a build, checked together.
type Board struct {
	Site    *config.Site
	Records []*Record // sorted by id
	byID    map[string]*Record
	// Outcome maps a decision id to the resolution that decided it.
	outcome map[string]*Resolution
	// Unread are the disclosure files that could not be decoded, as far
	// as the calendar can read them (see Unread); set by the loader.
	Unread []calendar.Publication
	other  Elsewhere
}

// Elsewhere names the record ids that are not on a board but are not
// missing either, so that links to them are not reported as links to
// records that do not exist.
type Elsewhere struct {
	// Broken are records whose files have errors of their own.
	Broken map[string]bool
	// Drafts are records with draft = true, left out of this build.
	Drafts map[string]bool
	// Withdrawn are records withdrawn in the ledger whose files are gone:
	// the site keeps their pages, marked 已撤回.
	Withdrawn map[string]bool
	// Removed are published records whose files are gone without a
	// withdrawal yet: the ledger check reports them, and links to them
	// are not reported again, so that withdrawing a record never needs
	// an edit of the records that link to it first.
	Removed map[string]bool
}

// Get returns the record with id.
func (b *Board) Get(id string) *Record { return b.byID[id] }

// Elsewhere returns what the board knows about records not on it.
func (b *Board) Elsewhere() Elsewhere { return b.other }

// Linkable reports whether the site has a page for record id: a record of
// the board or a withdrawn one.
func (b *Board) Linkable(id string) bool { return b.byID[id] != nil || b.other.Withdrawn[id] }

// Outcome returns the resolution that decided a decision, read from the
// minutes linked to its 决议 step, or nil.
func (b *Board) Outcome(decisionID string) *Resolution { return b.outcome[decisionID] }

// CodeLinkMissing is the code of a link to a record that does not exist.
const CodeLinkMissing = "record.link-missing"

// NewBoard checks what needs every record at once: unique numbers, links
// between records, and decisions against the votes of their minutes.
// other names the records that exist but are not on the board: links to
// broken records are not reported again (their files have their own
// errors), links to drafts are errors, and links to withdrawn records are
// warnings on the linking record (their pages stay, marked 已撤回).
func NewBoard(site *config.Site, recs []*Record, other Elsewhere) (*Board, diag.List) {
	var ds diag.List
	sort.Slice(recs, func(i, j int) bool { return recs[i].ID < recs[j].ID })
	b := &Board{Site: site, Records: recs, byID: make(map[string]*Record, len(recs)), outcome: map[string]*Resolution{}, other: other}
	for _, r := range recs {
		b.byID[r.ID] = r
	}
	numbers := map[string]*Record{}
	for _, r := range recs {
		if r.Number == "" {
			continue
		}
		if o, dup := numbers[r.Number]; dup {
			pos := r.NumberPos
			if pos.File == "" {
				pos = diag.Position{File: r.File}
			}
			ds.Add(diag.Errorf(pos, "文号 %q 与 %s 重复", "document number %q is also used by %s", r.Number, o.File).
				WithHint("每个文号只能用一次", "each document number may be used once"))
			continue
		}
		numbers[r.Number] = r
	}
	files := map[string]bool{}
	for _, r := range recs {
		for _, a := range r.Attachments {
			files[path.Join(path.Dir(r.File), a)] = true
		}
	}
	for _, r := range recs {
		for _, l := range r.Links {
			if d := b.checkLink(l, files); d != nil {
				ds.Add(*d)
			}
		}
	}
	for _, r := range recs {
		if r.Decision != nil {
			ds.Add(b.checkDecision(r)...)
		}
	}
	return b, ds
}

// checkLink checks one link of a record: its target exists and is of the
// kind the field asks for, a file is a published attachment, and an
// anchor is on the target's page. files holds the attachments of the
// board.
func (b *Board) checkLink(l Link, files map[string]bool) *diag.Diagnostic {
	var d diag.Diagnostic
	if l.File {
		if files[l.Target] {
			return nil
		}
		d = diag.Errorf(l.Pos, "链接的文件 %s 不在网站上", "the linked file %s is not on the site", l.Target).
			WithHint("附件放在记录的文件夹里并写进 attachments；链接其他记录写“栏目/文件名”，如 decisions/2026-02", "put an attachment into the record's folder and list it in attachments; link another record as section/name, e.g. decisions/2026-02")
		return &d
	}
	t := b.byID[l.Target]
	switch {
	case t == nil && (b.other.Broken[l.Target] || b.other.Removed[l.Target]):
		// The target's own errors are reported.
		return nil
	case t == nil && b.other.Withdrawn[l.Target]:
		d = diag.Warnf(l.Pos, "链接的记录 %s 已撤回：链接仍然有效，它的页面标注“已撤回”和撤回理由", "linked record %s was withdrawn: the link still works and its page is marked withdrawn, with the reason", l.Target).
			WithHint("确认这里仍要引用已撤回的记录；不需要时删去链接或改为链接其他记录", "make sure the withdrawn record is still meant here; otherwise remove the link or link another record")
	case t == nil && b.other.Drafts[l.Target]:
		d = diag.Errorf(l.Pos, "链接的记录 %s 是草稿（draft = true），不会发布", "linked record %s is a draft (draft = true) and is not published", l.Target).
			WithHint("先发布 %s（删去 draft = true），或删去这个链接", "publish %s first (remove draft = true), or remove the link", l.Target)
	case t == nil:
		d = diag.Errorf(l.Pos, "链接的记录 %s 不存在", "linked record %s does not exist", l.Target).WithCode(CodeLinkMissing)
		ids := make([]string, 0, len(b.Records))
		sec, _, _ := strings.Cut(l.Target, "/")
		for _, x := range b.Records {
			if x.Section == sec {
				ids = append(ids, x.ID)
			}
		}
		if s := diag.Suggest(l.Target, ids); s != "" {
			d = d.WithHint("是不是想写 %s？", "did you mean %s?", s)
		} else {
			d = d.WithHint("记录编号写成“栏目/文件名”，如 minutes/2026-03-18-daibiao", "write a record id as section/slug, e.g. minutes/2026-03-18-daibiao")
		}
	case strings.HasSuffix(l.Field, ".minutes") && t.Section != "minutes":
		d = diag.Errorf(l.Pos, "minutes 应链接到会议记录（minutes/…），%s 不是会议记录", "minutes must link to a minutes record; %s is not one", l.Target).
			WithHint("写这一步所开会议的记录编号，如 minutes/2026-03-18-daibiao", "write the id of the meeting's minutes, e.g. minutes/2026-03-18-daibiao")
	case strings.HasSuffix(l.Field, ".decision") && t.Section != "decisions":
		d = diag.Errorf(l.Pos, "decision 应链接到三重一大决策（decisions/…），%s 不是", "decision must link to a decisions record; %s is not one", l.Target).
			WithHint("写这项决议所属决策的编号，如 decisions/2026-02", "write the id of the decision, e.g. decisions/2026-02")
	case l.Frag != "" && !t.HasAnchor(l.Frag):
		d = diag.Errorf(l.Pos, "链接的锚点 #%s 在 %s 的页面上不存在", "the anchor #%s is not on the page of %s", l.Frag, l.Target)
		switch {
		case len(t.Anchors) == 0:
			d = d.WithHint("%s 没有条款或小标题可以链接；删去 #%s", "%s has no articles or headings to link to; remove #%s", l.Target, l.Frag)
		default:
			shown := t.Anchors
			if len(shown) > 8 {
				shown = shown[:8]
			}
			hint := diag.T("可以链接的有：#%s", "the anchors are: #%s", strings.Join(shown, "、#"))
			if s := diag.Suggest(l.Frag, t.Anchors); s != "" {
				hint = diag.T("是不是想写 #%s？", "did you mean #%s?", s)
			}
			d.Hint = hint
		}
	default:
		return nil
	}
	return &d
}

// ResolutionStage returns the index of the 决议 stage in the procedure.
func ResolutionStage(stages []string) int {
	for i, s := range stages {
		if strings.HasSuffix(s, "决议") && !strings.Contains(s, "公开") {
			return i
		}
	}
	return -1
}

func (b *Board) checkDecision(r *Record) diag.List {
	var ds diag.List
	resStage := ResolutionStage(b.Site.Procedure)
	failed := false
	for _, s := range r.Decision.Steps {
		if s.Index == resStage && s.Minutes != "" {
			m := b.byID[s.Minutes]
			if m == nil || m.Minutes == nil {
				continue
			}
			var res *Resolution
			for i := range m.Minutes.Resolutions {
				if m.Minutes.Resolutions[i].Decision == r.ID {
					res = &m.Minutes.Resolutions[i]
				}
			}
			if res == nil && len(m.Minutes.Resolutions) == 1 {
				res = &m.Minutes.Resolutions[0]
			}
			if res != nil && res.Counted {
				b.outcome[r.ID] = res
				failed = !res.Passed
			}
			continue
		}
		if failed && s.Index > resStage {
			ds.Add(diag.Errorf(s.Pos, "决议未通过，不能进入“%s”步骤", "the resolution failed; the stage %q cannot follow", s.Stage).
				WithHint("%s 的表决未通过；删除此后的步骤，或核对会议记录的票数", "the vote in %s failed; delete the later steps or check the minutes", b.outcome[r.ID].Text))
		}
	}
	return ds
}

// Status returns the derived status of a decision: the last stage reached,
// or 未通过 when its vote failed.
func (b *Board) Status(r *Record) string {
	if r.Decision == nil || len(r.Decision.Steps) == 0 {
		return "待提议"
	}
	if res := b.outcome[r.ID]; res != nil && !res.Passed {
		return "未通过"
	}
	return r.Decision.Steps[len(r.Decision.Steps)-1].Stage
}
