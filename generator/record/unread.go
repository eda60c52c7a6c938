package record

import (
	"regexp"
	"strings"
	"time"

	"gongkai/generator/calendar"

	"github.com/BurntSushi/toml"
)

// Publications returns the disclosures the calendar counts: every
// disclosure record, then the disclosure files that could not be decoded
// (Board.Unread).
func (b *Board) Publications() []calendar.Publication {
	var pubs []calendar.Publication
	for _, r := range b.Records {
		if r.Disclosure != nil {
			pubs = append(pubs, calendar.Publication{Category: r.Disclosure.Category, Record: r.ID, Period: r.Disclosure.Period, Date: r.Date})
		}
	}
	return append(pubs, b.Unread...)
}

// calendarLine matches a top-level line of the keys the calendar reads.
var calendarLine = regexp.MustCompile(`^\s*(category|period|date)\s*=`)

// Unread returns what the calendar can make out of a disclosure that could
// not be decoded (src.Text holds the file's text): its category, period
// and date when their lines can be read on their own, nothing when they
// cannot. The result is marked Unread.
func Unread(src Source) calendar.Publication {
	pub := calendar.Publication{Record: src.ID, Unread: true}
	fm, _, _, _, bad := splitFrontMatter(src.File, src.Text)
	if bad != nil {
		return pub
	}
	for _, line := range strings.Split(fm, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "[") {
			break // the top-level keys come before the first table
		}
		if !calendarLine.MatchString(line) {
			continue
		}
		var m map[string]any
		if _, err := toml.Decode(line, &m); err != nil {
			continue
		}
		for k, v := range m {
			switch x := v.(type) {
			case string:
				if k == "category" {
					pub.Category = x
				} else if p, ok := calendar.ParsePeriod(x); ok && k == "period" {
					pub.Period = &p
				}
			case time.Time:
				if k == "date" {
					pub.Date = x
				}
			}
		}
	}
	return pub
}
