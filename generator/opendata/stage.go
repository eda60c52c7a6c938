package opendata

import (
	"bytes"
	"gongkai/generator/internal/par"
	"sort"
	"strings"
	"time"

	"gongkai/generator/feed"
	"gongkai/generator/link"
	"gongkai/generator/record"
	"gongkai/generator/render"
)

// View is the model of the /data/ page.
type View struct {
	Records string // site-relative path of records.json
	Count   int
	Files   []FileRef
	Feeds   []render.Ref
}

// FileRef is a CSV file listed on the /data/ page.
type FileRef struct {
	Record, Title, Path string
}

// Stage writes the data files of every listed record and the /data/ page.
func Stage(r *render.Renderer) error {
	base := r.Site.BaseURL
	var listed []*render.RecordView
	for _, v := range r.Public {
		if r.Listed(v) {
			listed = append(listed, v)
		}
	}
	sort.Slice(listed, func(i, j int) bool { return listed[i].ID < listed[j].ID })
	tz := ""
	if loc := r.Board.Site.Location; loc != nil {
		tz = loc.String()
	}
	idx := Index{Site: Site{Title: r.Site.Title, Community: r.Site.Community, Issuer: r.Site.Issuer, URL: base, Timezone: tz}}
	view := &View{Records: Dir + "records.json", Count: len(listed),
		Feeds: []render.Ref{{Title: "全部记录", Path: "feed.xml"}}}
	for _, sec := range record.Sections {
		if sec != "pages" {
			view.Feeds = append(view.Feeds, render.Ref{Title: record.SectionName(sec), Path: sec + "/feed.xml"})
		}
	}
	// Each record's files are made and written in parallel; the index
	// keeps the id order.
	records := make([]Record, len(listed))
	refs := make([][]FileRef, len(listed))
	err := par.Each(len(listed), func(i int) error {
		v := listed[i]
		d, files := detail(r, v)
		for _, f := range files {
			if err := r.Write(f.Path, f.data); err != nil {
				return err
			}
			refs[i] = append(refs[i], FileRef{Record: v.Title, Title: f.Title, Path: f.Path})
		}
		b, err := marshal(d)
		if err != nil {
			return err
		}
		records[i] = d.Record // the index needs only the head
		return r.Write(Dir+v.ID+".json", b)
	})
	if err != nil {
		return err
	}
	for i := range records {
		idx.Records = append(idx.Records, records[i])
		view.Files = append(view.Files, refs[i]...)
	}
	b, err := indexJSON(idx)
	if err != nil {
		return err
	}
	if err := r.Write(view.Records, b); err != nil {
		return err
	}
	return r.Page("data", &render.Page{Path: Dir, Title: "开放数据",
		Desc: r.Site.Title + "全部公开记录的 JSON 与 CSV 数据文件", Main: view})
}

// indexJSON writes records.json with one record per line: small enough to
// read, easy to diff between builds.
func indexJSON(idx Index) ([]byte, error) {
	site, err := marshal(idx.Site)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"site":`)
	b.Write(bytes.TrimSpace(site))
	b.WriteString(",\n\"records\":[")
	for i, rec := range idx.Records {
		if i > 0 {
			b.WriteByte(',')
		}
		line, err := marshal(rec)
		if err != nil {
			return nil, err
		}
		b.WriteByte('\n')
		b.Write(bytes.TrimSpace(line))
	}
	b.WriteString("\n]}\n")
	return b.Bytes(), nil
}

type file struct {
	Title, Path string
	data        []byte
}

// detail makes a record's file and its CSV files.
func detail(r *render.Renderer, v *render.RecordView) (*Detail, []file) {
	base := r.Site.BaseURL
	loc := r.Board.Site.Location
	if loc == nil {
		loc = time.UTC
	}
	stem := Dir + v.ID
	d := &Detail{Record: Record{
		ID: v.ID, Section: v.Section, URL: feed.Abs(base, v.Path), Title: v.Title, Number: v.Number,
		Date: when(v.Date, v.HasTime, loc), Version: v.Version.N, SHA256: v.Version.Hash,
		Issuer: v.Issuer, Summary: v.Summary, Tags: v.Tags, Data: feed.Abs(base, stem+".json"),
	}, Body: v.Record.Body}
	if v.Notice != nil {
		d.Notice = &Notice{From: day(v.Notice.From), To: day(v.Notice.To)}
	}
	var files []file
	switch {
	case v.Disclosure != nil:
		x := v.Disclosure
		d.Category = x.Category
		if x.Period != nil {
			d.Period = x.Period.String()
		}
		if f := x.Finance; f != nil {
			p := link.FinanceCSV(v.ID)
			files = append(files, file{Title: "收支明细", Path: p, data: FinanceCSV(f)})
			d.Finance = finance(f, feed.Abs(base, p))
		}
		for i, t := range x.Tables {
			if t.Data == nil {
				continue
			}
			p := link.TableCSV(v.ID, i+1)
			files = append(files, file{Title: t.Title, Path: p, data: TableCSV(t.Data)})
			tb := Table{Title: t.Title, Columns: t.Data.Header, Rows: [][]string{}, CSV: feed.Abs(base, p)}
			for _, row := range t.Data.Rows {
				tb.Rows = append(tb.Rows, row.Cells)
			}
			for _, s := range t.Data.Sums {
				if tb.Totals == nil {
					tb.Totals = map[string]string{}
				}
				tb.Totals[s.Column] = s.Total.String()
			}
			d.Tables = append(d.Tables, tb)
		}
	case v.Decision != nil:
		d.Category = v.Decision.Category
		d.Decision = decision(r, v, loc)
	case v.Minutes != nil:
		d.Meeting = v.Minutes.Meeting
		minutes(d, v.Record, loc)
	case v.Convention != nil:
		d.Kind = v.Convention.Kind
		d.Convention = convention(v, feed.Abs(base, v.Path))
	}
	for _, f := range files {
		d.Files = append(d.Files, feed.Abs(base, f.Path))
	}
	return d, files
}

func finance(f *record.Finance, csvURL string) *Finance {
	lines := func(ls []record.Line) []Line {
		out := []Line{}
		for _, l := range ls {
			out = append(out, Line{Date: day(l.Date), Item: l.Item, Amount: l.Amount.String(), Voucher: l.Voucher})
		}
		return out
	}
	return &Finance{Opening: f.Opening.String(), Closing: f.Closing.String(),
		Income: lines(f.Income), Expense: lines(f.Expense),
		TotalIncome: f.TotalIncome().String(), TotalExpense: f.TotalExpense().String(), CSV: csvURL}
}

func decision(r *render.Renderer, v *render.RecordView, loc *time.Location) *Decision {
	x := v.Decision
	d := &Decision{Category: x.Category, Origin: x.Origin, Status: r.Board.Status(v.Record), Steps: []Step{}}
	if x.HasAmount {
		d.Amount = x.Amount.String()
	}
	resStage := record.ResolutionStage(r.Board.Site.Procedure)
	out := r.Board.Outcome(v.ID)
	for _, s := range x.Steps {
		st := Step{Stage: s.Stage, Date: day(s.Date), Body: s.Body, Note: s.Note}
		if m := r.Board.Get(s.Minutes); s.Minutes != "" && m != nil && m.Minutes != nil && visible(r, m) {
			st.Minutes, st.MinutesURL = m.ID, feed.Abs(r.Site.BaseURL, m.ID+"/")
			for i, res := range m.Minutes.Resolutions {
				linked := res.Decision == v.ID
				if !linked && s.Index == resStage && out != nil && res.Text == out.Text && res.Pos == out.Pos {
					linked = true
				}
				if linked {
					st.Motions = append(st.Motions, motion(m, i, res, loc))
				}
			}
		}
		d.Steps = append(d.Steps, st)
	}
	return d
}

// visible reports whether a linked record is itself in the data files.
func visible(r *render.Renderer, rec *record.Record) bool {
	v := r.Views[rec.ID]
	return v != nil && r.Listed(v)
}

func minutes(d *Detail, rec *record.Record, loc *time.Location) {
	m := rec.Minutes
	org := &Organization{Name: m.Meeting, Classification: "meeting body"}
	d.Organization = org
	d.Event = &Event{Name: rec.Title, Classification: "meeting", StartDate: when(rec.Date, rec.HasTime, loc),
		Location: m.Place, Organization: org, Chair: m.Chair, Recorder: m.Recorder}
	if m.HasCounts {
		a := &Attendance{Expected: m.Expected, Present: m.Present, Quorum: m.Quorum}
		for _, x := range m.Absent {
			a.Absent = append(a.Absent, Absence{Name: x.Name, Reason: x.Reason})
		}
		d.Attendance = a
	}
	d.Agenda = m.Agenda
	for i, res := range m.Resolutions {
		d.Motions = append(d.Motions, motion(rec, i, res, loc))
	}
}

func motion(m *record.Record, i int, res record.Resolution, loc *time.Location) Motion {
	result := "fail"
	if res.Passed {
		result = "pass"
	}
	return Motion{ID: m.ID + "#motion-" + itoa(i+1), Text: res.Text, Result: result, ResultZh: res.Result(),
		Decision: res.Decision,
		VoteEvent: VoteEvent{StartDate: when(m.Date, m.HasTime, loc), Result: result, Counts: []Count{
			{Option: "yes", Value: res.For}, {Option: "no", Value: res.Against}, {Option: "abstain", Value: res.Abstain},
		}}}
}

func convention(v *render.RecordView, pageURL string) *Convention {
	c := v.Convention
	cv := &Convention{Kind: c.Kind, AdoptedOn: day(c.AdoptedOn), AdoptedBy: c.AdoptedBy, FiledWith: c.FiledWith, FiledOn: day(c.FiledOn)}
	for _, a := range record.SplitArticles(v.Record.Body, v.BodyLine) {
		cv.Articles = append(cv.Articles, Article{Number: a.N, Anchor: a.Anchor(), URL: pageURL + "#" + a.Anchor(),
			Chapter: a.Chapter, Text: strings.TrimSpace(a.Text)})
	}
	return cv
}

// when is a date, or an RFC 3339 time when the record gives the hour.
func when(t time.Time, hasTime bool, loc *time.Location) string {
	if hasTime {
		return t.In(loc).Format(time.RFC3339)
	}
	return day(t)
}
