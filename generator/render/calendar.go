package render

import (
	"time"

	"gongkai/generator/calendar"
)

// calendar returns the home page's rows from Options.Calendar: the last
// four periods of each
// scheduled category that are due or have their own record. A period
// whose deadline has not come is shown only when a record names it with
// `period`: a notice dated inside a running quarter is not that
// quarter's report, though the calendar counts it once the quarter is
// over (SPEC §10, by date), and nothing is overdue before its deadline.
func (r *Renderer) calendar() []CalendarRow {
	sched := r.board.Site.Schedule
	if len(sched) == 0 {
		return nil
	}
	st := r.opt.Calendar
	var rows []CalendarRow
	for _, s := range sched {
		row := CalendarRow{Category: s.Category}
		var cells []CalendarCell
		for _, x := range st {
			if x.Category != s.Category || !r.shownPeriod(x) {
				continue
			}
			c := CalendarCell{Period: x.Period.String(), Label: periodLabel(x.Period), State: x.State.Label("zh"), Due: x.Due.Format("2006-01-02"), Record: x.Record}
			if v := r.views[x.Record]; v != nil {
				c.Path = v.Path
			}
			switch x.State {
			case calendar.OnTime:
				c.Class = "ok"
			case calendar.Late:
				c.Class = "late"
			case calendar.Missing:
				c.Class = "missing"
			default:
				c.Class = "pending"
			}
			cells = append(cells, c)
		}
		if len(cells) > 4 {
			cells = cells[len(cells)-4:]
		}
		if len(cells) == 0 {
			continue
		}
		row.Cells = cells
		rows = append(rows, row)
	}
	return rows
}

// shownPeriod reports whether the home page's calendar shows a period:
// its deadline has passed, or a record names it with `period`.
func (r *Renderer) shownPeriod(x calendar.Status) bool {
	today := r.opt.Today.Format(time.DateOnly)
	if x.Due.Format(time.DateOnly) < today {
		return true
	}
	if x.Record == "" {
		return false
	}
	rec := r.board.Get(x.Record)
	return rec != nil && rec.Disclosure != nil && rec.Disclosure.Period != nil && rec.Disclosure.Period.Overlaps(x.Period)
}

// periodLabel names a period as residents write it, short enough for a
// phone: 2026年三季度, 2026年上半年, 2026年10月, 2026年度.
func periodLabel(p calendar.Period) string {
	w := p.Written()
	switch {
	case len(w) == 0:
		return p.String()
	case p.Unit == calendar.Quarter:
		return w[1]
	}
	return w[0]
}
