// Package calendar owns the disclosure calendar: the periods a disclosure
// covers (2026, 2026-H1, 2026-Q3, 2026-10), the schedules a board declares
// in site.toml, and the evaluation of which periods were disclosed on time,
// late, or not at all.
package calendar

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"gongkai/generator/diag"
	"gongkai/generator/zh"
)

// Unit is the length of a period.
type Unit int

const (
	// Month is a calendar month: 2026-10.
	Month Unit = iota + 1
	// Quarter is three months: 2026-Q3.
	Quarter
	// Half is six months: 2026-H1.
	Half
	// Year is a calendar year: 2026.
	Year
)

// months returns how many months the unit spans, or 0 for no unit.
func (u Unit) months() int {
	switch u {
	case Month:
		return 1
	case Quarter:
		return 3
	case Half:
		return 6
	case Year:
		return 12
	}
	return 0
}

// String returns the unit as written in site.toml: month, quarter, half
// or year.
func (u Unit) String() string {
	switch u {
	case Month:
		return "month"
	case Quarter:
		return "quarter"
	case Half:
		return "half"
	case Year:
		return "year"
	}
	return fmt.Sprintf("Unit(%d)", int(u))
}

// ParseEvery parses a schedule's every: month, quarter, half or year.
func ParseEvery(s string) (Unit, bool) {
	for _, u := range []Unit{Month, Quarter, Half, Year} {
		if s == u.String() {
			return u, true
		}
	}
	return 0, false
}

// Period is one month, quarter, half year or year. N counts from 1 within
// the year (the month, quarter or half); it is 1 for a Year.
type Period struct {
	Year int
	Unit Unit
	N    int
}

// ParsePeriod parses 2026, 2026-H1, 2026-Q3 (or q3) and 2026-10 (or
// 2026-1). The year has four digits.
func ParsePeriod(s string) (Period, bool) {
	if len(s) < 4 || !digits(s[:4]) || s[0] == '0' {
		return Period{}, false
	}
	p := Period{Year: atoi(s[:4])}
	rest := s[4:]
	if rest == "" {
		p.Unit, p.N = Year, 1
		return p, true
	}
	if rest[0] != '-' || len(rest) < 2 {
		return Period{}, false
	}
	rest = rest[1:]
	switch rest[0] {
	case 'Q', 'q':
		p.Unit, rest = Quarter, rest[1:]
	case 'H', 'h':
		p.Unit, rest = Half, rest[1:]
	default:
		p.Unit = Month
	}
	if len(rest) < 1 || len(rest) > 2 || !digits(rest) || p.Unit != Month && len(rest) != 1 {
		return Period{}, false
	}
	p.N = atoi(rest)
	if p.N < 1 || p.N > 12/p.Unit.months() {
		return Period{}, false
	}
	return p, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// Valid reports whether p is a period ParsePeriod could return.
func (p Period) Valid() bool {
	m := p.Unit.months()
	return m > 0 && p.Year >= 1000 && p.Year <= 9999 && p.N >= 1 && p.N <= 12/m
}

// String formats p as ParsePeriod reads it: 2026, 2026-H1, 2026-Q3, 2026-10.
func (p Period) String() string {
	switch p.Unit {
	case Year:
		return fmt.Sprintf("%04d", p.Year)
	case Half:
		return fmt.Sprintf("%04d-H%d", p.Year, p.N)
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	case Month:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	}
	return fmt.Sprintf("%04d-?%d", p.Year, p.N)
}

// Written returns p as residents write it, the usual form first:
// 2026-Q3 gives 2026年第三季度, 2026年三季度, 2026年第3季度 and 2026年3季度;
// 2026-H1 gives 2026年上半年; 2026-10 gives 2026年10月, 2026年10月份,
// 2026年十月 and 2026年十月份; 2026 gives 2026年度. Shorter forms (第三季度,
// 三季度, 十月份) are parts of these. It returns nil for an invalid p.
func (p Period) Written() []string {
	if !p.Valid() {
		return nil
	}
	y := strconv.Itoa(p.Year) + "年"
	n, cn := strconv.Itoa(p.N), zh.Numeral(p.N)
	switch p.Unit {
	case Quarter:
		return []string{y + "第" + cn + "季度", y + cn + "季度", y + "第" + n + "季度", y + n + "季度"}
	case Half:
		return []string{y + [...]string{"上", "下"}[p.N-1] + "半年"}
	case Month:
		return []string{y + n + "月", y + n + "月份", y + cn + "月", y + cn + "月份"}
	}
	return []string{y + "度"}
}

// firstMonth is the first month of p.
func (p Period) firstMonth() time.Month {
	return time.Month((p.N-1)*p.Unit.months() + 1)
}

// Start returns the first day of p at 00:00 in loc (nil means UTC).
func (p Period) Start(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(p.Year, p.firstMonth(), 1, 0, 0, 0, 0, loc)
}

// End returns the last day of p at 00:00 in loc (nil means UTC).
func (p Period) End(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(p.Year, p.firstMonth()+time.Month(p.Unit.months()), 0, 0, 0, 0, 0, loc)
}

// Contains reports whether the calendar date of t (in t's own location)
// falls in p.
func (p Period) Contains(t time.Time) bool {
	return p.Unit.months() > 0 && Of(p.Unit, t) == p
}

// Overlaps reports whether p and q share a day. Periods nest (a month lies
// in one quarter, a quarter in one half), so this is also whether one
// contains the other.
func (p Period) Overlaps(q Period) bool {
	if !p.Valid() || !q.Valid() {
		return false
	}
	return p.index(Month) <= q.lastMonth() && q.index(Month) <= p.lastMonth()
}

// index numbers periods of unit u consecutively, using p's first month.
func (p Period) index(u Unit) int {
	return (p.Year*12 + int(p.firstMonth()) - 1) / u.months()
}

// lastMonth is the month index of p's last month.
func (p Period) lastMonth() int {
	return p.index(Month) + p.Unit.months() - 1
}

// Next returns the period of the same unit after p.
func (p Period) Next() Period {
	n := p.N + 1
	if n > 12/p.Unit.months() {
		return Period{Year: p.Year + 1, Unit: p.Unit, N: 1}
	}
	return Period{Year: p.Year, Unit: p.Unit, N: n}
}

// Of returns the period of unit u containing the calendar date of t.
func Of(u Unit, t time.Time) Period {
	m := u.months()
	if m == 0 {
		return Period{}
	}
	return Period{Year: t.Year(), Unit: u, N: (int(t.Month())-1)/m + 1}
}

// Schedule is one [[schedule]] of site.toml: a category that must be
// disclosed every period, at the latest DueDays days after the period
// ends, starting with the period containing Since.
type Schedule struct {
	Category string
	Every    Unit
	DueDays  int
	Since    Period
	Pos      diag.Position // the [[schedule]] table, for diagnostics
}

// Publication is one disclosure record as the calendar sees it. A nil
// Period means the period of the schedule's unit containing Date.
type Publication struct {
	Category, Record string
	Period           *Period
	Date             time.Time
	// Unread marks a record file that could not be decoded: it has errors
	// of its own, and Category, Period and Date are only what could be
	// made out of it (empty when nothing could). A period it may cover is
	// Unknown rather than Missing, so that one mistake is not reported
	// twice.
	Unread bool
}

// State is how a period of a schedule was kept.
type State int

const (
	// OnTime means published on or before the due date (按时).
	OnTime State = iota
	// Late means published after the due date (逾期).
	Late
	// Missing means the due date has passed and nothing was published (未公开).
	Missing
	// Pending means not yet due and nothing published yet (未到期).
	Pending
	// Unknown means the due date has passed and nothing readable covers
	// the period, but a disclosure file that could not be read may
	// (待核实): its own errors are reported instead of a missing period.
	Unknown
)

// Label returns the state as shown on the home page calendar.
func (s State) Label(lang diag.Lang) string {
	var t diag.Text
	switch s {
	case OnTime:
		t = diag.Text{Zh: "按时", En: "on time"}
	case Late:
		t = diag.Text{Zh: "逾期", En: "late"}
	case Missing:
		t = diag.Text{Zh: "未公开", En: "not disclosed"}
	case Pending:
		t = diag.Text{Zh: "未到期", En: "not yet due"}
	case Unknown:
		t = diag.Text{Zh: "待核实", En: "unknown"}
	}
	return t.In(lang)
}

// Status is one period of one schedule. Record and PublishedOn are those
// of the earliest publication counted for the period, empty when none.
type Status struct {
	Category    string
	Period      Period
	Due         time.Time // the last day allowed
	State       State
	Record      string
	PublishedOn time.Time
	Pos         diag.Position // the schedule's position
}

// Evaluate returns, for each schedule in order, one Status per period from
// the one containing Since up to the one containing today, oldest first.
// Due dates are in today's location. A publication counts for a period
// when it has the schedule's category and its period (or, without one,
// the schedule-unit period of its date) overlaps it; a monthly record thus
// counts for its quarter, a quarterly record for each of its months. The
// earliest such publication decides the state. Schedules with no valid
// unit are skipped; a schedule without a valid Since starts at today's
// period.
func Evaluate(scheds []Schedule, pubs []Publication, today time.Time) []Status {
	loc := today.Location()
	todayDate := dateOf(today, loc)
	var out []Status
	for _, sc := range scheds {
		if sc.Every.months() == 0 {
			continue
		}
		last := Of(sc.Every, today)
		first := last
		if sc.Since.Valid() {
			first = Of(sc.Every, sc.Since.Start(loc))
		}
		var mine, unread []Publication
		for _, p := range pubs {
			switch {
			case p.Unread && (p.Category == "" || p.Category == sc.Category):
				unread = append(unread, p)
			case !p.Unread && p.Category == sc.Category:
				mine = append(mine, p)
			}
		}
		sort.SliceStable(mine, func(i, j int) bool {
			a, b := mine[i], mine[j]
			if !a.Date.Equal(b.Date) {
				return a.Date.Before(b.Date)
			}
			return a.Record < b.Record
		})
		for p := first; p.index(sc.Every) <= last.index(sc.Every); p = p.Next() {
			st := Status{Category: sc.Category, Period: p, Due: p.End(loc).AddDate(0, 0, sc.DueDays), Pos: sc.Pos}
			found := false
			for _, pub := range mine {
				pp := Of(sc.Every, pub.Date)
				if pub.Period != nil && pub.Period.Valid() {
					pp = *pub.Period
				}
				if pp.Overlaps(p) {
					st.Record, st.PublishedOn, found = pub.Record, pub.Date, true
					break
				}
			}
			switch {
			case found && dateOf(st.PublishedOn, loc).After(st.Due):
				st.State = Late
			case found:
				st.State = OnTime
			case todayDate.After(st.Due) && mayCover(unread, sc.Every, p):
				st.State = Unknown
			case todayDate.After(st.Due):
				st.State = Missing
			default:
				st.State = Pending
			}
			out = append(out, st)
		}
	}
	return out
}

// mayCover reports whether one of the unread publications may be the
// disclosure of period p: its period (or the period of its date) overlaps
// p, or nothing of it could be read.
func mayCover(unread []Publication, unit Unit, p Period) bool {
	for _, u := range unread {
		switch {
		case u.Period != nil && u.Period.Valid():
			if u.Period.Overlaps(p) {
				return true
			}
		case !u.Date.IsZero():
			if Of(unit, u.Date).Overlaps(p) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// dateOf returns the calendar date of t at 00:00 in loc, keeping t's own
// year, month and day.
func dateOf(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// Codes of the calendar's diagnostics.
const (
	CodeMissing = "calendar.missing" // a period with no record after its deadline
	CodeLate    = "calendar.late"    // a period disclosed after its deadline
)

// Diagnostics returns a warning at the schedule's position for each
// Missing and each Late period.
func Diagnostics(st []Status) diag.List {
	var ds diag.List
	for _, s := range st {
		due := s.Due.Format(time.DateOnly)
		switch s.State {
		case Missing:
			ds.Add(diag.Warnf(s.Pos,
				"%s %s 未公开：应于 %s 前公开",
				"%s %s not disclosed: due by %s",
				s.Category, s.Period, due).
				WithHint("请补发类别为“%s”、period = \"%s\" 的公开记录",
					"publish a disclosure with category = \"%s\" and period = \"%s\"",
					s.Category, s.Period).WithCode(CodeMissing))
		case Late:
			ds.Add(diag.Warnf(s.Pos,
				"%s %s 逾期公开：应于 %s 前公开，实际 %s 公开（%s）",
				"%s %s disclosed late: due by %s, published %s (%s)",
				s.Category, s.Period, due, s.PublishedOn.Format(time.DateOnly), s.Record).
				WithHint("如果该记录的 period 或 date 写错了，请更正；否则今后请在截止日前公开",
					"if the record's period or date is wrong, correct it; otherwise publish before the due date next time").WithCode(CodeLate))
		}
	}
	return ds
}
