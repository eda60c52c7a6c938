// Package sheet makes the print sheets of the board: one standalone A4
// (or A3, landscape) page per record after GB/T 9704-2012, with the
// header line, title, document number, body, finance and CSV tables with
// totals in 大写金额, and a foot with the issuer, the date, the 公示期, the
// 监督电话, a QR code to the exact version online, the version hash, and
// the ledger's checkpoint size and the board's verifier key.
//
// Stage writes them into the site at /print/<section>/<slug>/ and all
// records on notice at /print/board/; Printer turns them into PDF files
// through headless Chromium.
package sheet

import (
	"fmt"
	"gongkai/generator/internal/par"
	"html/template"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"gongkai/generator/link"
	"gongkai/generator/markdown"
	"gongkai/generator/render"
	"gongkai/generator/zh"
)

// BoardPath is the site-relative page with every record on notice.
const BoardPath = "print/board/"

// Template is the theme template of sheets (themes/default/templates/sheet.html).
const Template = "sheet"

// Doc is one printable document: a single record's sheet, or the board
// with one sheet per record on notice.
type Doc struct {
	Title  string
	Board  bool
	Today  string // the build date, for the board
	Sheets []*Sheet
	// Style is the document's own stylesheet (RunningCSS, beside it),
	// holding its running titles.
	Style string
}

// Sheet is one record laid out for paper: the record's view, as every
// template sees a record, and what only the sheet has.
type Sheet struct {
	Record *render.RecordView

	// Name is the sheet's id and CSS page name on the board ("s1"), ""
	// on a sheet of its own.
	Name string

	Header   string        // site print.header
	Kicker   string        // 财务公开 · 2026-Q2
	Body     template.HTML // the body, its links resolved from the sheet's page
	Facts    []Fact        // decision and convention facts under the title
	Money    []MoneyRow    // finance: opening, income, expense, closing
	PageName string        // CSS page name: "a4", "a4l", "a3", "a3l"
	// SignIssuer and SignDate are the 落款: the issuer (the site's when
	// the record names none) and the date in the site's print.date_style.
	SignIssuer, SignDate string
	Notice               string // "2026年7月8日至2026年7月14日", "" without a 公示期
	// NoticeFrom and NoticeTo are the two ends of the 公示期.
	NoticeFrom, NoticeTo string
	Phone                string        // 监督电话
	VersionURL           string        // absolute URL of this exact version
	QR                   template.HTML // inline SVG of VersionURL
	Back                 string        // relative link to the record's web page
	// LedgerSize is the size of the ledger checkpoint the site was built
	// from and LedgerKey the board's verifier key ("" when none): on the
	// wall, they pin the log that later checkpoints must extend.
	LedgerSize int64
	LedgerKey  string
}

// VersionLine is the version as the foot of the sheet names it:
// "第1版 · 1a2b3c4d · 2026年7月8日登记".
func (s *Sheet) VersionLine() string {
	v := s.Record.Version
	line := "第" + strconv.Itoa(max(v.N, 1)) + "版 · " + v.Short
	if v.Pending {
		line += "（尚未登记）"
	} else if v.Date != "" {
		line += " · " + v.Date + "登记"
	}
	return line
}

// Fact is a labelled value under the title; a Wide one takes the whole
// line.
type Fact struct {
	Label, Value string
	Wide         bool
}

// MoneyRow is one line of an account's summary, with its 大写.
type MoneyRow struct {
	Label, Amount, Daxie string
	Strong               bool
}

// PageName returns the CSS named page for a paper size and orientation.
func PageName(paper, orientation string) string {
	name := "a4"
	if strings.EqualFold(paper, "A3") {
		name = "a3"
	}
	if orientation == "landscape" {
		name += "l"
	}
	return name
}

// VersionURL returns the absolute URL of version n of a record.
func VersionURL(base, id string, n int) string {
	if n < 1 {
		n = 1
	}
	return base + link.Version(id, n)
}

// tools are what every sheet of a build shares.
type tools struct {
	qr QR
}

// newSheet lays out one record view as a sheet for the page at path (a
// site-relative directory).
func newSheet(r render.Reader, t *tools, v *render.RecordView, path string) (*Sheet, error) {
	site := r.Board().Site
	style := site.Print.DateStyle
	s := &Sheet{
		Record:     v,
		Header:     site.Print.Header,
		Kicker:     v.SectionName,
		PageName:   PageName(v.Paper, v.Orientation),
		SignIssuer: v.Issuer,
		SignDate:   zh.FormatDate(v.Date, style),
		Phone:      r.Site().SupervisePhone,
		VersionURL: VersionURL(r.Site().BaseURL, v.ID, v.Version.N),
		Back:       link.Rel(path, v.Path, r.Offline()),

		LedgerSize: r.Site().LedgerSize,
	}
	if k := site.Ledger.Board; k != nil {
		s.LedgerKey = k.Text
	}
	if s.Header == "" {
		s.Header = site.Title
	}
	if s.SignIssuer == "" {
		s.SignIssuer = site.Issuer
	}
	if v.Category != "" {
		s.Kicker += " · " + v.Category
	}
	if v.Disclosure != nil && v.Disclosure.Period != nil {
		s.Kicker += " · " + v.Disclosure.Period.String()
	}
	if n := v.Notice; n != nil {
		s.NoticeFrom, s.NoticeTo = zh.FormatDate(n.From, style), zh.FormatDate(n.To, style)
		s.Notice = s.NoticeFrom + "至" + s.NoticeTo
	}
	qr, err := t.qr.SVG(s.VersionURL, "二维码：扫码查看本版网页 "+s.VersionURL)
	if err != nil {
		return nil, err
	}
	s.QR = qr
	// The body as the record page shows it, its links made relative to
	// the sheet.
	s.Body = template.HTML(markdown.Rebase([]byte(v.Body), v.Path, path))
	s.Facts = facts(v)
	if f := v.Finance; f != nil {
		s.Money = []MoneyRow{
			{Label: "期初余额", Amount: f.Opening, Daxie: f.OpeningDaxie},
			{Label: "本期收入", Amount: f.TotalIncome, Daxie: f.IncomeDaxie},
			{Label: "本期支出", Amount: f.TotalExpense, Daxie: f.ExpenseDaxie},
			{Label: "期末余额", Amount: f.Closing, Daxie: f.ClosingDaxie, Strong: true},
		}
	}
	return s, nil
}

// facts lists what a reader needs under the title of a decision or a
// convention; disclosures and minutes show theirs in their own tables.
func facts(v *render.RecordView) []Fact {
	var fs []Fact
	add := func(label, value string) {
		if value != "" {
			fs = append(fs, Fact{label, value, utf8.RuneCountInString(value) > 12})
		}
	}
	if d := v.Dec; d != nil {
		add("类别", d.Category)
		add("动议事由", d.Origin)
		if d.Amount != "" {
			add("金额", d.Amount+" 元（"+d.AmountDaxie+"）")
		}
		add("状态", d.Status)
	}
	if c := v.Conv; c != nil {
		add("类型", c.Kind)
		adopted := c.AdoptedOn
		if adopted != "" && c.AdoptedBy != "" {
			adopted += "，" + c.AdoptedBy
		}
		add("通过", adopted)
		filed := c.FiledWith
		if filed != "" && c.FiledOn != "" {
			filed += "，" + c.FiledOn
		}
		add("备案", filed)
	}
	return fs
}

// Printable reports whether a record gets a sheet: every public record
// but the site's own pages (关于), which are not notices (the view then
// has no print path).
func Printable(v *render.RecordView) bool { return v.PrintPath != "" }

// Docs returns every sheet document of the site by its page: one per
// printable record and the board of everything on notice.
func Docs(r render.Reader) (map[string]*Doc, error) {
	t := &tools{}
	docs := map[string]*Doc{}
	var mu sync.Mutex
	err := par.Each(len(r.Public()), func(i int) error {
		v := r.Public()[i]
		if !Printable(v) {
			return nil
		}
		d, err := recordDoc(r, t, v)
		mu.Lock()
		docs[link.Print(v.ID)] = d
		mu.Unlock()
		return err
	})
	if err != nil {
		return nil, err
	}
	board, err := boardDoc(r, t)
	docs[BoardPath] = board
	return docs, err
}

// Stage is the stage of the sheets: Record writes a record's sheet,
// Board the board of everything on notice. Each document is written as
// soon as it is made, so the sheets of a large board are never all in
// memory at once.
func Stage() render.Stage {
	t := &tools{}
	return render.Stage{
		Name: "sheet",
		Record: func(r render.Site, v *render.RecordView) error {
			if !Printable(v) {
				return nil
			}
			d, err := recordDoc(r, t, v)
			if err != nil {
				return err
			}
			return write(r, link.Print(v.ID), d)
		},
		Board: func(r render.Site) error {
			d, err := boardDoc(r, t)
			if err != nil {
				return err
			}
			return write(r, BoardPath, d)
		},
	}
}

// write writes a document through the theme's sheet template, with its
// running titles beside it.
func write(r render.Site, p string, d *Doc) error {
	if css := runningCSS(d); css != nil {
		if err := r.Write(p+RunningCSS, css); err != nil {
			return fmt.Errorf("sheet: %w", err)
		}
		d.Style = RunningCSS
	}
	page := &render.Page{Path: p, Title: d.Title, Main: d, NoIndex: true}
	if !d.Board {
		v := d.Sheets[0]
		page.Canonical = r.Site().BaseURL + v.Record.Path
		page.Desc = v.Record.Summary
	}
	if err := r.Page(Template, page); err != nil {
		return fmt.Errorf("sheet: %w", err)
	}
	return nil
}

// recordDoc makes the sheet document of one record.
func recordDoc(r render.Reader, t *tools, v *render.RecordView) (*Doc, error) {
	s, err := newSheet(r, t, v, link.Print(v.ID))
	if err != nil {
		return nil, err
	}
	return &Doc{Title: v.Title, Sheets: []*Sheet{s}}, nil
}

// OnBoard reports whether a record's sheet is on the print board: on
// notice and not withdrawn.
func OnBoard(v *render.RecordView) bool { return Printable(v) && v.OnNotice && v.Withdrawn == "" }

// boardDoc makes the board: one sheet for each record on notice, in the
// order of the site.
func boardDoc(r render.Reader, t *tools) (*Doc, error) {
	var on []*render.RecordView
	for _, v := range r.Public() {
		if OnBoard(v) {
			on = append(on, v)
		}
	}
	sheets := make([]*Sheet, len(on))
	err := par.Each(len(on), func(i int) error {
		var err error
		sheets[i], err = newSheet(r, t, on[i], BoardPath)
		return err
	})
	if err != nil {
		return nil, err
	}
	for i, s := range sheets {
		s.Name = "s" + strconv.Itoa(i+1)
	}
	return &Doc{Title: "公示中的事项", Board: true, Today: r.Site().Today, Sheets: sheets}, nil
}

// IDs returns the ids of the records that have sheets, in the order of
// the site (newest first), and those on notice.
func IDs(r render.Reader) (all, onNotice []string) {
	for _, v := range r.Public() {
		if !Printable(v) {
			continue
		}
		all = append(all, v.ID)
		if OnBoard(v) {
			onNotice = append(onNotice, v.ID)
		}
	}
	return all, onNotice
}
