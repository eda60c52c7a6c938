package history

import (
	"strings"
	"time"

	"gongkai/generator/diag"
	"gongkai/generator/record"
)

// Reposting warns about every record of the board amended (its bytes not yet
// registered) after its notice period ended on today, while keeping that
// period: the corrected text would be registered without ever being on
// notice. The hint suggests a new period from today, as long as the
// site's notice_min_days, which the page then shows as a re-posting.
func (h *History) Reposting(today time.Time) diag.List {
	board := h.Board
	if h.Src == nil || board == nil {
		return nil
	}
	day := today.Format(time.DateOnly)
	var ds diag.List
	for _, r := range board.Records {
		n := r.Notice
		if n == nil || n.To.Format(time.DateOnly) >= day {
			continue
		}
		last, ok := h.Ledger.Last(r.ID)
		if !ok || r.Sum() == last.SHA256 || h.renotice(r, last.N) {
			continue
		}
		days := max(board.Site.NoticeMinDays, 1)
		from := today
		to := from.AddDate(0, 0, days-1)
		ds.Add(diag.Warnf(noticePos(r),
			"%s 的公示期（%s至%s）已经结束，这次修改后的内容没有经过公示",
			"the notice period of %s (%s to %s) has ended, and this change would be registered without being on notice",
			r.ID, n.From.Format("2006年1月2日"), n.To.Format("2006年1月2日")).
			WithHint("更正公示内容的，应重新公示：把 notice 改为新的公示期，如 notice = { from = %s, to = %s }，网页和打印版会注明“重新公示”",
				"a corrected notice should be posted again: set a new period, e.g. notice = { from = %s, to = %s }; the page and the sheet then say it is posted anew",
				from.Format(time.DateOnly), to.Format(time.DateOnly)))
	}
	return ds
}

// noticePos returns the position of a record's notice line, or of the
// file when it cannot be found.
func noticePos(r *record.Record) diag.Position {
	p := diag.Position{File: r.File}
	for i, l := range strings.Split(r.Text, "\n") {
		t := strings.TrimSpace(l)
		if i > 0 && t == "+++" {
			break
		}
		if k, _, ok := strings.Cut(t, "="); ok && strings.TrimSpace(k) == "notice" || t == "[notice]" {
			p.Line, p.Col = i+1, 1
			break
		}
	}
	return p
}
