package opendata

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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

// Stage is the stage of the data files: Record writes a record's JSON
// and CSV files, Board records.json and the /data/ page.
func Stage() render.Stage { return render.Stage{Name: "data", Record: WriteRecord, Board: WriteIndex} }

// WriteRecord writes the data files of one record on the site, unless it
// is personal.
func WriteRecord(r render.Site, v *render.RecordView) error {
	if !render.Listed(v) {
		return nil
	}
	d, files := detail(r, v)
	for _, f := range files {
		if err := r.Write(f.Path, f.data); err != nil {
			return err
		}
	}
	b, err := marshal(d)
	if err != nil {
		return err
	}
	return r.Write(Dir+v.ID+".json", b)
}

// WriteIndex writes records.json, which lists every listed record, and
// the /data/ page.
func WriteIndex(r render.Site) error {
	site := r.Site()
	var listed []*render.RecordView
	for _, v := range r.Public() {
		if render.Listed(v) {
			listed = append(listed, v)
		}
	}
	sort.Slice(listed, func(i, j int) bool { return listed[i].ID < listed[j].ID })
	idx := Index{Site: Site{Title: site.Title, Community: site.Community, Issuer: site.Issuer, URL: site.BaseURL, Timezone: r.Board().Site.Zone().String()}}
	idx.Records = make([]Record, 0, len(listed))
	view := &View{Records: Dir + "records.json", Count: len(listed),
		Feeds: []render.Ref{{Title: "全部记录", Path: "feed.xml"}}}
	for _, sec := range record.Sections {
		if sec != "pages" {
			view.Feeds = append(view.Feeds, render.Ref{Title: record.SectionName(sec), Path: sec + "/feed.xml"})
		}
	}
	for _, v := range listed {
		h, refs := head(r, v)
		idx.Records = append(idx.Records, h)
		view.Files = append(view.Files, refs...)
	}
	b, err := indexJSON(idx)
	if err != nil {
		return err
	}
	if err := r.Write(view.Records, b); err != nil {
		return err
	}
	return r.Page("data", &render.Page{Path: Dir, Title: "开放数据",
		Desc: site.Title + "全部公开记录的 JSON 与 CSV 数据文件", Main: view})
}

// indexJSON writes records.json with one record per line: small enough to
// read, easy to diff between builds. The records are appended one after
// another to one buffer (appendRecord), as encoding/json writes them.
func indexJSON(idx Index) ([]byte, error) {
	// Made once at a size it does not outgrow: the index of a large
	// board is megabytes, and each doubling copies it into new memory.
	size := 512
	for i := range idx.Records {
		size += sizeHint(&idx.Records[i])
	}
	var b bytes.Buffer
	b.Grow(size)
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteString(`{"site":`)
	if err := enc.Encode(idx.Site); err != nil {
		return nil, err
	}
	b.Truncate(b.Len() - 1) // the encoder's line break
	b.WriteString(",\n\"records\":[")
	out := b.Bytes()
	for i := range idx.Records {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, '\n')
		out = appendRecord(out, &idx.Records[i])
	}
	return append(out, "\n]}\n"...), nil
}

// appendRecord appends r as compact JSON, byte for byte what encoding/json
// writes without HTML escaping (TestAppendRecord holds it to that): the
// encoder's reflection was most of the time of records.json.
func appendRecord(b []byte, r *Record) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, r.ID)
	b = appendField(b, "section", r.Section, false)
	b = appendField(b, "url", r.URL, false)
	b = appendField(b, "title", r.Title, false)
	b = appendField(b, "number", r.Number, true)
	b = appendField(b, "date", r.Date, false)
	b = appendField(b, "category", r.Category, true)
	b = appendField(b, "kind", r.Kind, true)
	b = appendField(b, "meeting", r.Meeting, true)
	b = appendField(b, "period", r.Period, true)
	if r.Notice != nil {
		b = append(b, `,"notice":{"from":`...)
		b = appendString(b, r.Notice.From)
		b = appendField(b, "to", r.Notice.To, false)
		b = append(b, '}')
	}
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(r.Version), 10)
	b = appendField(b, "sha256", r.SHA256, false)
	b = appendField(b, "issuer", r.Issuer, true)
	b = appendField(b, "summary", r.Summary, true)
	b = appendList(b, "tags", r.Tags)
	b = appendField(b, "data", r.Data, false)
	b = appendList(b, "files", r.Files)
	return append(b, '}')
}

// sizeHint is about the most appendRecord appends for r: its keys and
// punctuation, and its text with room for a few escapes.
func sizeHint(r *Record) int {
	n := 256
	for _, s := range []string{r.ID, r.Section, r.URL, r.Title, r.Number, r.Date, r.Category, r.Kind, r.Meeting, r.Period, r.SHA256, r.Issuer, r.Summary, r.Data} {
		n += len(s)
	}
	for _, list := range [][]string{r.Tags, r.Files} {
		for _, s := range list {
			n += len(s) + 3
		}
	}
	return n + n/8
}

// appendField appends ,"name":value, or nothing for an empty value that
// is omitted.
func appendField(b []byte, name, value string, omitEmpty bool) []byte {
	if omitEmpty && value == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, value)
}

// appendList appends ,"name":[…], or nothing for an empty list.
func appendList(b []byte, name string, list []string) []byte {
	if len(list) == 0 {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':', '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendString appends s as a JSON string. Text that needs no escape
// (valid UTF-8 without quotes, backslashes, control characters or the
// line separators U+2028 and U+2029) is copied; anything else goes
// through encoding/json.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			return appendEncoded(b, s)
		}
	}
	if !utf8.ValidString(s) || strings.ContainsRune(s, '\u2028') || strings.ContainsRune(s, '\u2029') {
		return appendEncoded(b, s)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendEncoded appends s as encoding/json writes it without HTML
// escaping.
func appendEncoded(b []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string: cannot fail
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

type file struct {
	Title, Path string
	data        []byte
}

// head returns a record's metadata, as records.json lists it, and its
// CSV files.
func head(r render.Site, v *render.RecordView) (Record, []FileRef) {
	base := r.Site().BaseURL
	h := Record{
		ID: v.ID, Section: v.Section, URL: feed.Abs(base, v.Path), Title: v.Title, Number: v.Number,
		Date: when(v.Date, v.HasTime, r.Board().Site.Zone()), Version: v.Version.N, SHA256: v.Version.Hash,
		Issuer: v.Issuer, Summary: v.Summary, Tags: v.Tags, Data: feed.Abs(base, Dir+v.ID+".json"),
	}
	if v.Notice != nil {
		h.Notice = &Notice{From: day(v.Notice.From), To: day(v.Notice.To)}
	}
	var refs []FileRef
	switch {
	case v.Disclosure != nil:
		x := v.Disclosure
		h.Category = x.Category
		if x.Period != nil {
			h.Period = x.Period.String()
		}
		if x.Finance != nil {
			refs = append(refs, FileRef{Record: v.Title, Title: "收支明细", Path: link.FinanceCSV(v.ID)})
		}
		for i, t := range x.Tables {
			if t.Data != nil {
				refs = append(refs, FileRef{Record: v.Title, Title: t.Title, Path: link.TableCSV(v.ID, i+1)})
			}
		}
	case v.Decision != nil:
		h.Category = v.Decision.Category
	case v.Minutes != nil:
		h.Meeting = v.Minutes.Meeting
	case v.Convention != nil:
		h.Kind = v.Convention.Kind
	}
	for _, f := range refs {
		h.Files = append(h.Files, feed.Abs(base, f.Path))
	}
	return h, refs
}

// detail makes a record's file and its CSV files.
func detail(r render.Site, v *render.RecordView) (*Detail, []file) {
	base := r.Site().BaseURL
	loc := r.Board().Site.Zone()
	h, _ := head(r, v)
	d := &Detail{Record: h, Body: v.Record.Body}
	var files []file
	switch {
	case v.Disclosure != nil:
		x := v.Disclosure
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
		d.Decision = decision(r, v, loc)
	case v.Minutes != nil:
		minutes(d, v.Record, loc)
	case v.Convention != nil:
		d.Convention = convention(v, feed.Abs(base, v.Path))
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

func decision(r render.Site, v *render.RecordView, loc *time.Location) *Decision {
	x := v.Decision
	board := r.Board()
	d := &Decision{Category: x.Category, Origin: x.Origin, Status: board.Status(v.Record), Steps: []Step{}}
	if x.HasAmount {
		d.Amount = x.Amount.String()
	}
	resStage := record.ResolutionStage(board.Site.Procedure)
	out := board.Outcome(v.ID)
	for _, s := range x.Steps {
		st := Step{Stage: s.Stage, Date: day(s.Date), Body: s.Body, Note: s.Note}
		if m := board.Get(s.Minutes); s.Minutes != "" && m != nil && m.Minutes != nil && visible(r, m) {
			st.Minutes, st.MinutesURL = m.ID, feed.Abs(r.Site().BaseURL, m.ID+"/")
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
func visible(r render.Site, rec *record.Record) bool {
	v := r.View(rec.ID)
	return v != nil && render.Listed(v)
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
