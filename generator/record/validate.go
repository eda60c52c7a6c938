package record

import (
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
}

// Get returns the record with id.
func (b *Board) Get(id string) *Record { return b.byID[id] }

// Outcome returns the resolution that decided a decision, read from the
// minutes linked to its 决议 step, or nil.
func (b *Board) Outcome(decisionID string) *Resolution { return b.outcome[decisionID] }

// NewBoard checks what needs every record at once: unique numbers, links
// between records, and decisions against the votes of their minutes.
// broken names the ids of record files that exist but could not be
// decoded: they have their own errors, so links to them are not reported
// as links to missing records.
func NewBoard(site *config.Site, recs []*Record, broken ...string) (*Board, diag.List) {
	var ds diag.List
	isBroken := map[string]bool{}
	for _, id := range broken {
		isBroken[id] = true
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].ID < recs[j].ID })
	b := &Board{Site: site, Records: recs, byID: make(map[string]*Record, len(recs)), outcome: map[string]*Resolution{}}
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
	for _, r := range recs {
		for _, l := range r.Links {
			t := b.byID[l.Target]
			switch {
			case t == nil && isBroken[l.Target]:
				// The target's own errors are reported.
			case t == nil:
				d := diag.Errorf(l.Pos, "链接的记录 %s 不存在", "linked record %s does not exist", l.Target)
				ids := make([]string, 0, len(recs))
				sec, _, _ := strings.Cut(l.Target, "/")
				for _, x := range recs {
					if x.Section == sec {
						ids = append(ids, x.ID)
					}
				}
				if s := diag.Suggest(l.Target, ids); s != "" {
					d = d.WithHint("是不是想写 %s？", "did you mean %s?", s)
				} else {
					d = d.WithHint("记录编号写成“栏目/文件名”，如 minutes/2026-03-18-daibiao", "write a record id as section/slug, e.g. minutes/2026-03-18-daibiao")
				}
				ds.Add(d)
			case strings.HasSuffix(l.Field, ".minutes") && t.Section != "minutes":
				ds.Add(diag.Errorf(l.Pos, "minutes 应链接到会议记录（minutes/…），%s 不是会议记录", "minutes must link to a minutes record; %s is not one", l.Target).
					WithHint("写这一步所开会议的记录编号，如 minutes/2026-03-18-daibiao", "write the id of the meeting's minutes, e.g. minutes/2026-03-18-daibiao"))
			case strings.HasSuffix(l.Field, ".decision") && t.Section != "decisions":
				ds.Add(diag.Errorf(l.Pos, "decision 应链接到三重一大决策（decisions/…），%s 不是", "decision must link to a decisions record; %s is not one", l.Target).
					WithHint("写这项决议所属决策的编号，如 decisions/2026-02", "write the id of the decision, e.g. decisions/2026-02"))
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
			if res != nil {
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
