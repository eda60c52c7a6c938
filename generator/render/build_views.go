package render

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"gongkai/generator/internal/par"
	"html/template"
	"strconv"
	"strings"

	"gongkai/generator/link"
	"gongkai/generator/markdown"
	"gongkai/generator/record"
	"gongkai/generator/zh"
)

// Visible reports whether a record is on the public site on the render
// date: not past its unpublish_after.
func (r *Renderer) Visible(rec *record.Record) bool {
	if rec.UnpublishAfter.IsZero() {
		return true
	}
	return r.opt.Today.Format("2006-01-02") <= rec.UnpublishAfter.Format("2006-01-02")
}

// Listed reports whether a record on the site appears in search, feeds
// and data files: every one but the personal ones.
func Listed(v *RecordView) bool { return !v.Personal }

func (r *Renderer) buildViews() error {
	recs := r.board.Records
	views := make([]*RecordView, len(recs))
	err := par.Each(len(recs), func(i int) error {
		v, err := r.reuseView(recs[i])
		views[i] = v
		return err
	})
	if err != nil {
		return err
	}
	r.views = make(map[string]*RecordView, len(views))
	for i, v := range views {
		if !r.Visible(recs[i]) {
			continue
		}
		r.views[v.ID] = v
		r.public = append(r.public, v)
	}
	sortNewest(r.public)
	// Backlinks: minutes resolutions that decided a decision, decisions
	// that cite minutes.
	for _, v := range r.public {
		if v.Dec != nil {
			for _, s := range v.Dec.Steps {
				if s.Minutes != nil {
					if m := r.views[strings.TrimSuffix(s.Minutes.Path, "/")]; m != nil {
						m.Backlinks = append(m.Backlinks, Ref{Title: v.Title, Path: v.Path, Note: s.Stage})
					}
				}
			}
		}
	}
	return nil
}

// body renders a record's body for the page at dir, or takes it from
// Options.Bodies.
func (r *Renderer) body(rec *record.Record, dir string, exists func(string) bool) (RenderedBody, error) {
	var key [32]byte
	if r.opt.Bodies != nil {
		key = r.bodyKey(rec, dir, exists)
		if b, ok := r.opt.Bodies.Body(key); ok {
			return b, nil
		}
	}
	res, err := r.kit.md.Convert(rec.Body, markdown.Page{
		Dir: dir, File: rec.File, Offline: r.opt.Offline, Articles: rec.Convention != nil,
		Exists: exists,
	})
	if err != nil {
		return RenderedBody{}, fmt.Errorf("render: %s: %w", rec.File, err)
	}
	html := string(r.Fragment(noBreaks(res.HTML)))
	b := RenderedBody{HTML: html, Summary: res.Summary, Plain: PlainText(html)}
	r.bodies.Add(1)
	if r.opt.Bodies != nil {
		r.opt.Bodies.KeepBody(key, b)
	}
	return b, nil
}

// BodiesRendered returns the number of record bodies rendered from
// Markdown so far (not taken from Options.Bodies).
func (r *Renderer) BodiesRendered() int { return int(r.bodies.Load()) }

// bodyKeyFormat changes whenever what a body renders to depends on
// something bodyKey does not hash (the executable is hashed by the
// cache itself).
const bodyKeyFormat = "body 2"

// bodyKey hashes what the rendering of rec's body at dir reads: see
// BodyCache. Of the board, only whether each record the body links to
// exists: resolve asks nothing else.
func (r *Renderer) bodyKey(rec *record.Record, dir string, exists func(string) bool) [32]byte {
	h := sha256.New()
	put := func(s string) {
		var n [binary.MaxVarintLen64]byte
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		h.Write([]byte(s))
	}
	flag := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	put(bodyKeyFormat)
	put(flag(r.kit.UnsafeHTML()))
	put(flag(r.opt.Offline))
	put(flag(rec.Convention != nil))
	put(dir)
	put(rec.File)
	if strings.HasSuffix(rec.Text, rec.Body) {
		// The body is the end of the text, whose hash the record holds:
		// hashing that and the body's length spares hashing every body
		// of the board (and a front matter changed renders the body
		// again, which is rare and cheap).
		put("text")
		put(rec.Sum())
		put(strconv.Itoa(len(rec.Body)))
	} else {
		put("body")
		put(rec.Body)
	}
	for _, l := range rec.Links {
		if l.Field == "body" && !l.File {
			put(l.Target)
			put(flag(exists != nil && exists(l.Target)))
		}
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

func (r *Renderer) view(rec *record.Record) (*RecordView, error) {
	return r.viewAt(rec, link.Page(rec.ID), r.board.Linkable)
}

// viewAt builds the view of rec for the page at dir (the record page, or
// one of its version pages); exists tells which record ids its links may
// resolve to.
func (r *Renderer) viewAt(rec *record.Record, dir string, exists func(string) bool) (*RecordView, error) {
	v := &RecordView{
		Record: rec, Title: rec.Title, Number: rec.Number, Issuer: rec.Issuer,
		Date: rec.Date, DateISO: rec.Date.Format("2006-01-02"),
		Path: dir, SectionName: record.SectionName(rec.Section), DateText: dateText(rec.Date),
	}
	if r.opt.Again {
		v.memo = &viewMemo{}
	}
	if rec.Section != "pages" {
		// The site's own pages (关于) are not notices and get no sheet.
		v.PrintPath = link.Print(rec.ID)
	}
	body, err := r.body(rec, v.Path, exists)
	if err != nil {
		return nil, err
	}
	v.Body, v.plain = template.HTML(body.HTML), body.Plain
	v.Summary = rec.Summary
	if v.Summary == "" {
		v.Summary = body.Summary
	}
	if rec.Notice != nil {
		n := rec.Notice
		v.NoticeText = fmt.Sprintf("%s至%s（共%d天）", dateText(n.From), dateText(n.To), n.Days())
		v.NoticeFrom, v.NoticeTo = n.From.Format("2006-01-02"), n.To.Format("2006-01-02")
		today := r.opt.Today.Format("2006-01-02")
		switch {
		case n.On(r.opt.Today):
			v.OnNotice, v.NoticeState = true, "公示中"
		case today < n.From.Format("2006-01-02"):
			v.NoticeState = "未开始"
		default:
			v.NoticeState = "公示期已结束"
		}
	}
	for _, a := range rec.Attachments {
		v.Attachments = append(v.Attachments, AttachmentView{Name: a, Path: v.Path + a})
	}
	switch {
	case rec.Disclosure != nil:
		v.Category = rec.Disclosure.Category
		if f := rec.Disclosure.Finance; f != nil {
			v.Finance = financeView(f)
			if !rec.Personal { // personal records have no data files
				v.Finance.CSVPath = link.FinanceCSV(rec.ID)
			}
		}
		for i, t := range rec.Disclosure.Tables {
			tv := tableView(t)
			if !rec.Personal && t.Data != nil {
				tv.CSVPath = link.TableCSV(rec.ID, i+1)
			}
			v.Tables = append(v.Tables, tv)
		}
	case rec.Decision != nil:
		v.Category = rec.Decision.Category
		v.Dec = r.decisionView(rec)
	case rec.Minutes != nil:
		v.Category = rec.Minutes.Meeting
		v.Min = r.minutesView(rec)
	case rec.Convention != nil:
		v.Category = rec.Convention.Kind
		v.Conv = conventionView(rec)
	}
	if vs, ok := r.opt.Versions[rec.ID]; ok {
		v.Version, v.History, v.Renotice = vs.Current, vs.History, vs.Renotice
		v.Withdraw(vs.Withdrawn)
	} else {
		v.Version = PendingVersion(rec, 1)
		v.History = []VersionInfo{v.Version}
	}
	return v, nil
}

// PendingVersion describes the working-tree bytes of a record as version
// n, not yet registered.
func PendingVersion(rec *record.Record, n int) VersionInfo {
	h := rec.Sum()
	return VersionInfo{N: n, Hash: h, Short: h[:8], Note: rec.ChangeNote, Pending: true, Path: link.Page(rec.ID), Current: true}
}

func financeView(f *record.Finance) *FinanceView {
	fv := &FinanceView{
		Opening: f.Opening.Grouped(), Closing: f.Closing.Grouped(),
		TotalIncome: f.TotalIncome().Grouped(), TotalExpense: f.TotalExpense().Grouped(),
		IncomeDaxie: f.TotalIncome().Daxie(), ExpenseDaxie: f.TotalExpense().Daxie(),
		OpeningDaxie: f.Opening.Daxie(), ClosingDaxie: f.Closing.Daxie(),
	}
	lines := func(ls []record.Line) []LineView {
		out := make([]LineView, len(ls))
		for i, l := range ls {
			out[i] = LineView{Date: dateText(l.Date), Item: l.Item, Amount: l.Amount.Grouped(), Voucher: l.Voucher}
		}
		return out
	}
	fv.Income, fv.Expense = lines(f.Income), lines(f.Expense)
	return fv
}

func tableView(t record.TableRef) TableView {
	tv := TableView{Title: t.Title}
	if t.Data == nil {
		return tv
	}
	tv.Header = t.Data.Header
	for _, row := range t.Data.Rows {
		tv.Rows = append(tv.Rows, row.Cells)
	}
	tv.Num, tv.Cells = numberCells(t.Data)
	if len(t.Data.Sums) > 0 {
		tv.HasSums = true
		tv.Totals = make([]string, len(tv.Header))
		if len(tv.Totals) > 0 {
			tv.Totals[0] = "合计"
		}
		for _, s := range t.Data.Sums {
			if s.Index >= 0 && s.Index < len(tv.Totals) {
				tv.Totals[s.Index] = s.Total.Grouped()
			}
			tv.Daxie = append(tv.Daxie, s.Column+"合计（大写）："+s.Total.Daxie())
		}
	}
	return tv
}

func (r *Renderer) decisionView(rec *record.Record) *DecisionView {
	d := rec.Decision
	dv := &DecisionView{Category: d.Category, Origin: d.Origin, Status: r.board.Status(rec)}
	if d.HasAmount {
		dv.Amount, dv.AmountDaxie = d.Amount.Grouped(), d.Amount.Daxie()
	}
	out := r.board.Outcome(rec.ID)
	dv.Failed = out != nil && !out.Passed
	resStage := record.ResolutionStage(r.board.Site.Procedure)
	reached := map[int]record.Step{}
	for _, s := range d.Steps {
		reached[s.Index] = s
	}
	last := -1
	if n := len(d.Steps); n > 0 {
		last = d.Steps[n-1].Index
	}
	for i, stage := range r.board.Site.Procedure {
		sv := StepView{Stage: stage}
		if s, ok := reached[i]; ok {
			sv.Done, sv.Date, sv.Body, sv.Note = true, dateText(s.Date), s.Body, s.Note
			sv.Current = i == last
			if s.Minutes != "" {
				if m := r.board.Get(s.Minutes); m != nil {
					sv.Minutes = &Ref{Title: m.Title, Path: link.Page(m.ID)}
					sv.Votes = stepVotes(rec.ID, m, i == resStage, out)
				}
			}
		}
		dv.Steps = append(dv.Steps, sv)
	}
	return dv
}

// stepVotes returns the votes a step's meeting took on decision id: at
// the resolution stage the outcome the board counts, at any other stage
// (a 党员大会 that 审议) the first counted resolution of the minutes m
// that names the decision; with the meeting's attendance. Nil when the
// meeting voted on nothing of it.
func stepVotes(id string, m *record.Record, resolution bool, out *record.Resolution) *VoteView {
	mm := m.Minutes
	if mm == nil {
		return nil
	}
	res := out
	if !resolution {
		res = nil
		for i := range mm.Resolutions {
			if x := &mm.Resolutions[i]; x.Decision == id && x.Counted {
				res = x
				break
			}
		}
	}
	if res == nil {
		return nil
	}
	v := &VoteView{For: res.For, Against: res.Against, Abstain: res.Abstain, Present: mm.Present, Result: res.Result(), Passed: res.Passed}
	if mm.HasCounts {
		v.Expected = mm.Expected
	}
	return v
}

func (r *Renderer) minutesView(rec *record.Record) *MinutesView {
	m := rec.Minutes
	mv := &MinutesView{Meeting: m.Meeting, Place: m.Place, Chair: m.Chair, Recorder: m.Recorder,
		Expected: m.Expected, Present: m.Present, HasCounts: m.HasCounts, Quorum: m.Quorum,
		Absent: m.Absent, Agenda: m.Agenda}
	mv.When = dateText(rec.Date)
	if rec.HasTime {
		mv.When += " " + rec.Date.Format("15:04")
	}
	rule := r.board.Site.RuleFor(m.Meeting)
	if m.HasCounts && m.Expected > 0 {
		mv.Ratio = strconv.FormatFloat(float64(m.Present)*100/float64(m.Expected), 'f', 1, 64) + "%"
		if m.Quorum {
			mv.QuorumText = fmt.Sprintf("到会人数符合规定（须%s，即至少 %d 人）", rule.Quorum.Words(), m.QuorumNeed)
		} else {
			mv.QuorumText = fmt.Sprintf("未达到法定人数（须%s，即至少 %d 人），会议不能作出决议", rule.Quorum.Words(), m.QuorumNeed)
		}
	}
	for i, res := range m.Resolutions {
		rv := ResolutionView{N: i + 1, Text: res.Text,
			Votes: VoteView{For: res.For, Against: res.Against, Abstain: res.Abstain, Present: m.Present, Result: res.Result(), Passed: res.Passed},
			Rule:  "须实到人数" + rule.Pass.Words() + "赞成"}
		if res.Decision != "" {
			if d := r.board.Get(res.Decision); d != nil {
				rv.Decision = &Ref{Title: d.Title, Path: link.Page(d.ID)}
			}
		}
		mv.Resolutions = append(mv.Resolutions, rv)
	}
	return mv
}

func conventionView(rec *record.Record) *ConventionView {
	c := rec.Convention
	cv := &ConventionView{Kind: c.Kind, AdoptedOn: dateText(c.AdoptedOn), AdoptedBy: c.AdoptedBy, FiledWith: c.FiledWith, FiledOn: dateText(c.FiledOn)}
	for _, a := range record.SplitArticles(rec.Body, rec.BodyLine) {
		if len(cv.Chapters) == 0 || cv.Chapters[len(cv.Chapters)-1].Title != a.Chapter {
			cv.Chapters = append(cv.Chapters, ChapterView{Title: a.Chapter})
		}
		ch := &cv.Chapters[len(cv.Chapters)-1]
		ch.Articles = append(ch.Articles, ArticleRef{Title: "第" + zh.Numeral(a.N) + "条", Anchor: a.Anchor()})
	}
	return cv
}
