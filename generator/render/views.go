package render

import (
	"html/template"
	"time"

	"gongkai/generator/link"
	"gongkai/generator/record"
)

// Page is what every template sees: the page's place in the site, its
// title and the site-wide parts; Main is the page kind's own model.
type Page struct {
	Site      *SiteView
	Path      string // site-relative: "decisions/2026-02/", "404.html"
	Title     string
	Desc      string
	Canonical string // absolute URL
	NoIndex   bool
	Section   string // current section for the nav
	Crumbs    []Crumb
	Main      any
	Offline   bool
	// Depth is the number of folders from the site root to the page
	// ("decisions/2026-02/" has 2): the relative links of two pages at
	// one depth are the same, so a partial that links other pages is made
	// once per depth (partialCached "header" . .Section .Depth).
	Depth int
	// Root, when set, makes the page's links root-relative from it
	// ("/qingshi/") instead of relative to the page: the 404 page is served
	// at any depth of the site.
	Root   string
	Reload bool // serve: live-reload script
	// Withdrawn is the reason a record shown on a free page (pages/) was
	// withdrawn, "" when it was not: the page template marks it 已撤回.
	Withdrawn string
}

// rel is link.Rel, or root + target for a page served at any depth.
func rel(root, from, target string, offline bool) string {
	if root != "" {
		return root + target
	}
	return link.Rel(from, target, offline)
}

// Crumb is a breadcrumb link.
type Crumb struct {
	Name, Path string
}

// Item is a record in a list, as the partial "item" sees it: the page
// that lists it and the record.
type Item struct {
	Page   *Page
	Record *RecordView
}

// Item returns the list item of v on this page.
func (p *Page) Item(v *RecordView) Item { return Item{p, v} }

// URL returns the relative URL of a site-relative target from this page.
func (p *Page) URL(target string) string { return rel(p.Root, p.Path, target, p.Offline) }

// Asset returns the relative URL of a hashed asset by its logical name.
func (p *Page) Asset(name string) string { return rel(p.Root, p.Path, p.Site.Assets[name], false) }

// SiteView is the site-wide data of every page.
type SiteView struct {
	Title, Community, Issuer, Parent string
	Phone, SupervisePhone, Address   string
	BaseURL                          string
	Lang                             string
	Nav                              []NavItem
	Assets                           map[string]string // logical name → hashed path
	Today                            string            // "2026年11月27日"
	// CSP is the policy as the content attribute of its meta element,
	// written as is (html/template would escape its quotes).
	CSP template.HTMLAttr
	// LedgerSize is the number of ledger lines the site is built from:
	// the size of its latest checkpoint, printed on the wall sheets.
	LedgerSize int64
}

// NavItem is a section in the navigation.
type NavItem struct {
	Section, Name, Path string
}

// RecordView is a record prepared for its page.
type RecordView struct {
	*record.Record
	// Title, Number, Issuer and Date are the record's own, repeated here
	// because html/template finds a promoted field only by searching the
	// embedded structs, on every use; a field of the view itself is found
	// at once. Every field the default theme reads is the view's own.
	Title, Number, Issuer string
	Date                  time.Time
	DateISO               string // "2026-07-08", for <time datetime>

	Path        string // "decisions/2026-02/"
	SectionName string
	DateText    string
	Body        template.HTML
	plain       string // the text of Body, when known (RenderedBody.Plain)
	Summary     string
	OnNotice    bool
	NoticeText  string // "2026年7月8日至2026年7月14日（共7天）"
	NoticeState string // 公示中 / 公示期已结束 / 未开始 / 已撤回
	// NoticeFrom and NoticeTo are the notice period as YYYY-MM-DD, for
	// the page's status script, which turns the badge to the reader's
	// day; both "" when the record has no period or was withdrawn (its
	// badge then never changes).
	NoticeFrom, NoticeTo string
	Category             string // category, kind or meeting: what groups it
	Version              VersionInfo
	History              []VersionInfo
	Withdrawn            string       // the reason, when withdrawn
	Renotice             bool         // Versions.Renotice of the version shown
	Note                 *VersionNote // on the page of one registered version
	Finance              *FinanceView
	Tables               []TableView
	Dec                  *DecisionView
	Min                  *MinutesView
	Conv                 *ConventionView
	Attachments          []AttachmentView
	Backlinks            []Ref
	PrintPath            string // "" when the record gets no print sheet

	memo *viewMemo
}

// Withdraw marks the view withdrawn for reason: its notice period, if
// any, is over for good, and no page shows it as running.
func (v *RecordView) Withdraw(reason string) {
	v.Withdrawn = reason
	if reason == "" {
		return
	}
	v.OnNotice, v.NoticeFrom, v.NoticeTo = false, "", ""
	if v.NoticeText != "" {
		v.NoticeState = "已撤回"
	}
}

// CorrectionView is what the top of an amended record's page and sheet
// say: which version this is, when and why it was corrected, and where
// the comparison is.
type CorrectionView struct {
	Verb     string // 更正, 修订 (a convention) or 更新 (a decision)
	N        int
	Date     string // registered, "" while pending
	Pending  bool
	Reason   string
	DiffPath string
	// Reposted is the new notice period the correction is posted for,
	// "" when it keeps the old one.
	Reposted string
}

// Correction returns what the top of the page says about the version
// shown when it amends an earlier one; nil for a first version.
func (v *RecordView) Correction() *CorrectionView {
	if v.Version.N < 2 || v.Withdrawn != "" {
		return nil
	}
	c := &CorrectionView{Verb: v.Version.Verb, N: v.Version.N, Pending: v.Version.Pending, Reason: v.Version.Note, DiffPath: v.Version.DiffPath}
	if !c.Pending {
		c.Date = v.Version.Date
	}
	if c.Verb == "" {
		c.Verb = "更正"
	}
	if v.Renotice {
		c.Reposted = v.NoticeText
	}
	return c
}

// HasOlder reports whether the record has versions before this one, so
// that its page links the history.
func (v *RecordView) HasOlder() bool { return len(v.History) > 1 }

// VersionInfo names one version of a record.
type VersionInfo struct {
	N        int
	Date     string // registered, "2026年7月8日"
	Hash     string // full SHA-256 hex
	Short    string // first 8 hex digits
	Note     string
	Pending  bool // changed since the last release: not yet registered
	Path     string
	DiffPath string // diff against the previous version
	Action   string
	// Verb names the action for residents: 发布, 更正 (修订 for a
	// convention, 更新 for a decision's progress), 撤回, 下架.
	Verb    string
	Leaf    int64
	Current bool
}

// Ref is a link to another record.
type Ref struct {
	Title, Path, Note string
}

// AttachmentView is a file published beside a record.
type AttachmentView struct {
	Name, Path, Size string
}

// FinanceView is an account with its totals.
type FinanceView struct {
	Opening, Closing           string
	Income, Expense            []LineView
	TotalIncome, TotalExpense  string
	IncomeDaxie, ExpenseDaxie  string
	OpeningDaxie, ClosingDaxie string
	CSVPath                    string
}

// LineView is one line of an account.
type LineView struct {
	Date, Item, Amount, Voucher string
}

// TableView is a CSV table with its totals row.
type TableView struct {
	Title  string
	Header []string
	// Rows are the cells as written in the file (what search indexes);
	// Cells the same cells as shown: amounts of summed columns with
	// thousands separators, and each cell marked when its column holds
	// numbers, to be right-aligned.
	Rows  [][]string
	Cells [][]Cell
	// Num marks the columns that hold numbers: summed columns, and
	// columns whose every cell is a number.
	Num     []bool
	Totals  []string // one cell per column; "" where nothing is summed
	Daxie   []string // 大写 of each summed column, "列：大写"
	HasSums bool
	CSVPath string
}

// Cell is one cell of a table as shown.
type Cell struct {
	Value string
	Num   bool
}

// DecisionView is a decision with its procedure as a timeline.
type DecisionView struct {
	Category, Origin, Status string
	Amount, AmountDaxie      string
	Steps                    []StepView
	Failed                   bool
}

// StepView is one stage of the timeline.
type StepView struct {
	Stage, Date, Body, Note string
	Done                    bool
	Minutes                 *Ref
	Votes                   *VoteView
	Current                 bool
}

// VoteView is the votes of a resolution.
type VoteView struct {
	For, Against, Abstain, Present int
	// Expected is how many members the meeting had (应到), 0 when the
	// minutes do not say.
	Expected int
	Result   string
	Passed   bool
}

// MinutesView is a meeting with attendance and votes.
type MinutesView struct {
	Meeting, Place, Chair, Recorder, When string
	Expected, Present                     int
	HasCounts                             bool
	Ratio                                 string // "84.6%"
	Quorum                                bool
	QuorumText                            string
	Absent                                []record.Absent
	Agenda                                []string
	Resolutions                           []ResolutionView
}

// ResolutionView is one resolution with its votes.
type ResolutionView struct {
	N        int
	Text     string
	Votes    VoteView
	Decision *Ref
	Rule     string
}

// ConventionView is a convention's facts and table of contents.
type ConventionView struct {
	Kind, AdoptedOn, AdoptedBy, FiledWith, FiledOn string
	Chapters                                       []ChapterView
}

// ChapterView is a chapter of the table of contents.
type ChapterView struct {
	Title    string
	Articles []ArticleRef
}

// ArticleRef links an article.
type ArticleRef struct {
	Title, Anchor string
}

// ListView is a section list, year list or category list.
type ListView struct {
	Heading string
	Intro   string
	Groups  []Group
	Years   []Ref // links to year pages
	Cats    []Ref // links to category pages
	More    bool  // the page lists only the latest; the year pages list all
	Total   int
}

// Group is a heading with its records.
type Group struct {
	Title   string
	Records []*RecordView
}

// HomeView is the board's front page.
type HomeView struct {
	OnNotice []*RecordView
	// Upcoming are the records whose notice period starts after the
	// build date: listed hidden, the status script shows them once their
	// period runs on the reader's day.
	Upcoming []*RecordView
	Latest   []Group
	Calendar []CalendarRow
	Pending  int
}

// CalendarRow is one category of the disclosure calendar.
type CalendarRow struct {
	Category string
	Cells    []CalendarCell
}

// CalendarCell is one period's state.
type CalendarCell struct {
	Period, State, Class, Due, Record string
	// Label is the period as residents write it (2026年三季度); Path the
	// page of the record that disclosed it, "" when none did.
	Label, Path string
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006年1月2日")
}
