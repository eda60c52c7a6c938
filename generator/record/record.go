// Package record holds the typed records of a board — conventions,
// disclosures, decisions, minutes and pages — and their validation
// (SPEC §2). A record is decoded from its front matter and body once,
// checked once, and never changed afterwards, so every later stage can read
// it from many goroutines.
package record

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"gongkai/generator/calendar"
	"gongkai/generator/diag"
	"gongkai/generator/money"
	"gongkai/generator/table"
)

// Sections in the order the site shows them.
var Sections = []string{"conventions", "disclosures", "decisions", "minutes", "pages"}

// SectionName returns the Chinese name of a section.
func SectionName(section string) string {
	switch section {
	case "conventions":
		return "村规民约与居民公约"
	case "disclosures":
		return "公开事项"
	case "decisions":
		return "三重一大"
	case "minutes":
		return "会议记录"
	case "pages":
		return "关于本栏"
	}
	return section
}

// Record is one validated record.
type Record struct {
	ID      string // "<section>/<slug>"
	Section string
	Slug    string
	File    string // path relative to the content folder
	Bundle  bool   // <slug>/index.md with attachments beside it
	Text    string // the whole file, normalised (UTF-8, LF, no BOM): what the ledger hashes
	// TextSum is Sum, worked out once when the record is decoded: the
	// ledger, the versions, the views and the build's note all ask.
	TextSum string
	Body    string // Markdown after the front matter
	// BodyLine is the line of the file where Body starts.
	BodyLine int

	Title          string
	Date           time.Time
	HasTime        bool
	Issuer         string
	Number         string
	NumberPos      diag.Position // where number is written
	Summary        string
	Tags           []string
	Notice         *Notice
	UnpublishAfter time.Time // zero when not set
	ChangeNote     string
	Attachments    []string
	Personal       bool
	Draft          bool
	Paper          string // A4 or A3
	Orientation    string // portrait or landscape

	Convention *Convention
	Disclosure *Disclosure
	Decision   *Decision
	Minutes    *Minutes

	// Links are the record ids this record's fields point at, with their
	// positions, checked once every record is loaded.
	Links []Link
	// Anchors are the anchors of the record's page that its body makes:
	// articles (tiao-3) and headings, sorted.
	Anchors []string
	// Files are the files the record publishes besides its text — its
	// attachments, the CSV and Excel files of its tables and the workbook
	// of its accounts — by their names relative to the record's folder,
	// each with the SHA-256 of the bytes that were read (lower-case hex).
	// A version of the record is its text and these files; nil when it
	// has none.
	Files map[string]string
}

// Sum returns the SHA-256 of the record's normalised text in lower-case
// hex: the hash the ledger registers for a version.
func (r *Record) Sum() string {
	if r.TextSum != "" {
		return r.TextSum
	}
	return TextSum(r.Text)
}

// TextSum returns the SHA-256 of text in lower-case hex.
func TextSum(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

// Link is a reference from one record to another, or from its body to a
// file or an anchor.
type Link struct {
	Target string // a record id; with File, a content-relative path
	Frag   string // the anchor after #, if any
	Pos    diag.Position
	Field  string // "steps[3].minutes", "body", …
	File   bool   // Target is a file (an attachment), not a record
}

// Notice is a 公示期, both days included.
type Notice struct {
	From, To time.Time
}

// Days returns the length of the notice period, both days counted.
func (n Notice) Days() int {
	return int(n.To.Sub(n.From).Hours()/24+0.5) + 1
}

// On reports whether day lies within the notice period.
func (n Notice) On(day time.Time) bool {
	d := day.Format("2006-01-02")
	return d >= n.From.Format("2006-01-02") && d <= n.To.Format("2006-01-02")
}

// Convention is a 村规民约, 居民公约, 自治章程 or 议事规则.
type Convention struct {
	Kind      string
	Articles  []Article
	AdoptedOn time.Time
	AdoptedBy string
	FiledWith string
	FiledOn   time.Time
}

// ConventionKinds are the allowed `kind` values.
var ConventionKinds = []string{"村规民约", "居民公约", "自治章程", "议事规则", "其他"}

// Disclosure is a 居务/村务/党务/财务公开 record.
type Disclosure struct {
	Category string
	Period   *calendar.Period
	Finance  *Finance
	Tables   []TableRef
}

// TableRef names a table of a disclosure: a CSV file or a sheet of an
// Excel workbook.
type TableRef struct {
	Title string
	File  string // bundle-relative
	Sheet string // the worksheet of a workbook; "" for the first
	Path  string // content-relative
	Sum   []string
	Pos   diag.Position
	Data  *table.Table
}

// Finance is a structured account.
type Finance struct {
	Opening, Closing money.Amount
	Income, Expense  []Line
	// File is the workbook the lines were read from (content-relative),
	// "" when they are written in the record.
	File string
}

// Line is one income or expense line.
type Line struct {
	Date    time.Time
	Item    string
	Amount  money.Amount
	Voucher string
	// Pos is the cell of the line's 摘要 when it comes from a workbook.
	Pos diag.Position
}

// TotalIncome returns Σincome.
func (f *Finance) TotalIncome() money.Amount { return sum(f.Income) }

// TotalExpense returns Σexpense.
func (f *Finance) TotalExpense() money.Amount { return sum(f.Expense) }

func sum(ls []Line) money.Amount {
	var t money.Amount
	for _, l := range ls {
		t += l.Amount
	}
	return t
}

// DecisionCategories are the four kinds of 三重一大 matters.
var DecisionCategories = []string{"重大事项决策", "重要干部任免", "重大项目安排", "大额资金使用"}

// Origins are the allowed 动议事由.
var Origins = []string{"党员群众建议", "干部提议", "上级安排", "其他"}

// Decision is a 三重一大 decision.
type Decision struct {
	Category  string
	Origin    string
	Amount    money.Amount
	HasAmount bool
	Steps     []Step
}

// Step is one stage of the procedure.
type Step struct {
	Stage   string
	Index   int // position of Stage in the site's procedure
	Date    time.Time
	Body    string
	Minutes string // minutes record id
	Note    string
	Pos     diag.Position
}

// Minutes is a meeting record.
type Minutes struct {
	Meeting     string
	Place       string
	Chair       string
	Recorder    string
	Expected    int
	Present     int
	HasCounts   bool
	Absent      []Absent
	Agenda      []string
	Resolutions []Resolution
	// Quorum tells whether enough members attended.
	Quorum bool
	// QuorumNeed is the attendance the rule required.
	QuorumNeed int
}

// Absent is a member who did not attend.
type Absent struct {
	Name, Reason string
}

// Resolution is one vote of a meeting.
type Resolution struct {
	Text                  string
	For, Against, Abstain int
	Passed                bool
	// Counted tells whether the votes could be read: an outcome is only
	// taken from a resolution whose votes were counted.
	Counted  bool
	Decision string // decisions record id
	Pos      diag.Position
}

// Result returns 通过 or 未通过.
func (r Resolution) Result() string {
	if r.Passed {
		return "通过"
	}
	return "未通过"
}
