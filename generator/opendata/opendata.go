// Package opendata writes the board's machine-readable files under
// /data/: records.json (every listed record with its metadata and version
// hash), one JSON file per record with its typed fields (minutes and
// decisions in the Popolo vocabulary: event, organization, motion,
// vote_event with counts), every finance account and CSV table as a CSV
// file in UTF-8 with a BOM, and the /data/ page that explains them.
// Personal records and records past unpublish_after are never written.
package opendata

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"gongkai/generator/link"
	"gongkai/generator/record"
	"gongkai/generator/table"
)

// Dir is the folder of the data files, relative to the site root.
const Dir = link.DataDir

// Index is records.json.
type Index struct {
	Site    Site     `json:"site"`
	Records []Record `json:"records"`
}

// Site names the board in records.json.
type Site struct {
	Title     string `json:"title"`
	Community string `json:"community,omitempty"`
	Issuer    string `json:"issuer,omitempty"`
	URL       string `json:"url"`
	Timezone  string `json:"timezone,omitempty"`
}

// Record is a record's metadata, as records.json lists it and as the
// head of its own file.
type Record struct {
	ID       string   `json:"id"`
	Section  string   `json:"section"`
	URL      string   `json:"url"`
	Title    string   `json:"title"`
	Number   string   `json:"number,omitempty"`
	Date     string   `json:"date"`
	Category string   `json:"category,omitempty"`
	Kind     string   `json:"kind,omitempty"`
	Meeting  string   `json:"meeting,omitempty"`
	Period   string   `json:"period,omitempty"`
	Notice   *Notice  `json:"notice,omitempty"`
	Version  int      `json:"version"`
	SHA256   string   `json:"sha256"`
	Issuer   string   `json:"issuer,omitempty"`
	Summary  string   `json:"summary,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	Data     string   `json:"data"`            // absolute URL of the record's JSON file
	Files    []string `json:"files,omitempty"` // absolute URLs of its CSV files
}

// Notice is a 公示期, both days included.
type Notice struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Detail is a record's own file: its metadata and its typed fields.
type Detail struct {
	Record
	Finance    *Finance    `json:"finance,omitempty"`
	Tables     []Table     `json:"tables,omitempty"`
	Decision   *Decision   `json:"decision,omitempty"`
	Convention *Convention `json:"convention,omitempty"`
	// Minutes, in Popolo's terms.
	Event        *Event        `json:"event,omitempty"`
	Organization *Organization `json:"organization,omitempty"`
	Attendance   *Attendance   `json:"attendance,omitempty"`
	Agenda       []string      `json:"agenda,omitempty"`
	Motions      []Motion      `json:"motions,omitempty"`
	Body         string        `json:"body_markdown,omitempty"`
}

// Finance is an account; amounts are yuan with two decimals, as strings,
// so they stay exact.
type Finance struct {
	Opening      string `json:"opening"`
	Closing      string `json:"closing"`
	Income       []Line `json:"income"`
	Expense      []Line `json:"expense"`
	TotalIncome  string `json:"total_income"`
	TotalExpense string `json:"total_expense"`
	CSV          string `json:"csv"`
}

// Line is one income or expense line.
type Line struct {
	Date    string `json:"date"`
	Item    string `json:"item"`
	Amount  string `json:"amount"`
	Voucher string `json:"voucher,omitempty"`
}

// Table is a disclosure's CSV table.
type Table struct {
	Title   string            `json:"title"`
	Columns []string          `json:"columns"`
	Rows    [][]string        `json:"rows"`
	Totals  map[string]string `json:"totals,omitempty"`
	CSV     string            `json:"csv"`
}

// Decision is a 三重一大 decision and its procedure.
type Decision struct {
	Category string `json:"category"`
	Origin   string `json:"origin,omitempty"`
	Amount   string `json:"amount,omitempty"`
	Status   string `json:"status"`
	Steps    []Step `json:"steps"`
}

// Step is one stage reached; Motions are the votes of its meeting that
// concern the decision.
type Step struct {
	Stage      string   `json:"stage"`
	Date       string   `json:"date"`
	Body       string   `json:"body,omitempty"`
	Note       string   `json:"note,omitempty"`
	Minutes    string   `json:"minutes,omitempty"`     // minutes record id
	MinutesURL string   `json:"minutes_url,omitempty"` // its page
	Motions    []Motion `json:"motions,omitempty"`
}

// Convention is a 村规民约 or 居民公约 with its articles.
type Convention struct {
	Kind      string    `json:"kind"`
	AdoptedOn string    `json:"adopted_on,omitempty"`
	AdoptedBy string    `json:"adopted_by,omitempty"`
	FiledWith string    `json:"filed_with,omitempty"`
	FiledOn   string    `json:"filed_on,omitempty"`
	Articles  []Article `json:"articles,omitempty"`
}

// Article is one 条 of a convention.
type Article struct {
	Number  int    `json:"number"`
	Anchor  string `json:"anchor"`
	URL     string `json:"url"`
	Chapter string `json:"chapter,omitempty"`
	Text    string `json:"text"`
}

// Event is a meeting (Popolo event).
type Event struct {
	Name           string        `json:"name"`
	Classification string        `json:"classification"`
	StartDate      string        `json:"start_date"`
	Location       string        `json:"location,omitempty"`
	Organization   *Organization `json:"organization"`
	Chair          string        `json:"chair,omitempty"`
	Recorder       string        `json:"recorder,omitempty"`
}

// Organization is the meeting body (Popolo organization).
type Organization struct {
	Name           string `json:"name"`
	Classification string `json:"classification,omitempty"`
}

// Attendance is 应到 / 实到 and who was absent.
type Attendance struct {
	Expected int       `json:"expected"`
	Present  int       `json:"present"`
	Quorum   bool      `json:"quorum"`
	Absent   []Absence `json:"absent,omitempty"`
}

// Absence is a member who did not attend.
type Absence struct {
	Name   string `json:"name"`
	Reason string `json:"reason,omitempty"`
}

// Motion is a resolution put to the vote (Popolo motion).
type Motion struct {
	ID        string    `json:"id"`
	Text      string    `json:"text"`
	Result    string    `json:"result"` // "pass" or "fail"
	ResultZh  string    `json:"result_zh"`
	Decision  string    `json:"decision,omitempty"` // decisions record id
	VoteEvent VoteEvent `json:"vote_event"`
}

// VoteEvent is the vote on a motion (Popolo vote_event).
type VoteEvent struct {
	StartDate string  `json:"start_date"`
	Result    string  `json:"result"`
	Counts    []Count `json:"counts"`
}

// Count is the number of votes of one option: yes, no or abstain.
type Count struct {
	Option string `json:"option"`
	Value  int    `json:"value"`
}

// FinanceHeader is the header row of an account's CSV file.
var financeHeader = []string{"类型", "日期", "事项", "金额", "凭证号"}

// FinanceCSV writes an account as CSV: one row per line, then the
// opening balance, the totals and the closing balance.
func FinanceCSV(f *record.Finance) []byte {
	rows := [][]string{financeHeader}
	for _, l := range f.Income {
		rows = append(rows, []string{"收入", day(l.Date), l.Item, l.Amount.String(), l.Voucher})
	}
	for _, l := range f.Expense {
		rows = append(rows, []string{"支出", day(l.Date), l.Item, l.Amount.String(), l.Voucher})
	}
	rows = append(rows,
		[]string{"期初余额", "", "", f.Opening.String(), ""},
		[]string{"收入合计", "", "", f.TotalIncome().String(), ""},
		[]string{"支出合计", "", "", f.TotalExpense().String(), ""},
		[]string{"期末余额", "", "", f.Closing.String(), ""},
	)
	return CSV(rows)
}

// TableCSV writes a disclosure table as CSV, with a 合计 row when the
// table sums columns.
func TableCSV(t *table.Table) []byte {
	rows := [][]string{t.Header}
	for _, r := range t.Rows {
		rows = append(rows, r.Cells)
	}
	if total := totalsRow(t); total != nil {
		rows = append(rows, total)
	}
	return CSV(rows)
}

// totalsRow is the 合计 row of a table, nil when it sums nothing.
func totalsRow(t *table.Table) []string {
	if len(t.Sums) == 0 || len(t.Header) == 0 {
		return nil
	}
	row := make([]string, len(t.Header))
	row[0] = "合计"
	for _, s := range t.Sums {
		if s.Index >= 0 && s.Index < len(row) {
			row[s.Index] = s.Total.String()
		}
	}
	return row
}

// CSV encodes rows as CSV in UTF-8 with a byte order mark and CRLF line
// ends, the form spreadsheet programs open without asking. Every cell goes
// through Cell, so that no text a clerk pasted runs as a formula when a
// resident opens the file.
func CSV(rows [][]string) []byte {
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	row := []string{}
	for _, r := range rows {
		row = row[:0]
		for _, c := range r {
			row = append(row, Cell(c))
		}
		_ = w.Write(row) // a bytes.Buffer never fails
	}
	w.Flush()
	return b.Bytes()
}

// Cell returns a text cell as a spreadsheet must read it. A cell that
// starts with = + - @, a tab or a carriage return is taken for a formula
// by spreadsheet programs (=HYPERLINK(…) sends a click anywhere, @SUM(…)
// and +1+1 compute), so it gets a leading ' that makes it text, as OWASP
// advises against CSV injection; a plain number such as -12.50 or
// +1,000 stays a number.
func Cell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) || number(s) {
		return s
	}
	return "'" + s
}

// number reports whether s is a plain decimal number with an optional
// sign, thousands commas and decimals.
func number(s string) bool {
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	digits, frac, dot := strings.Cut(s, ".")
	if digits == "" || dot && frac == "" {
		return false
	}
	for i, c := range digits {
		if (c < '0' || c > '9') && (c != ',' || i == 0) {
			return false
		}
	}
	for _, c := range frac {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// marshal encodes v as compact JSON without HTML escaping, ending in a
// line break.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func itoa(n int) string { return strconv.Itoa(n) }
