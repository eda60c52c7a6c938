package render

import (
	"gongkai/generator/calendar"
)

// calendar returns the home page's rows from Options.Calendar: the last
// four periods of each scheduled category.
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
			if x.Category != s.Category {
				continue
			}
			c := CalendarCell{Period: x.Period.String(), State: x.State.Label("zh"), Due: x.Due.Format("2006-01-02"), Record: x.Record}
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
		row.Cells = cells
		rows = append(rows, row)
	}
	return rows
}
