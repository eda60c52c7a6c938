package render

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"

	"gongkai/generator/record"
)

// Hash returns the hex SHA-256 of b.
func Hash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Home writes the board's front page.
func (r *Renderer) Home() error {
	hv := &HomeView{}
	for _, v := range r.Public {
		if v.OnNotice {
			hv.OnNotice = append(hv.OnNotice, v)
		}
	}
	for _, sec := range record.Sections {
		if sec == "pages" {
			continue
		}
		g := Group{Title: record.SectionName(sec)}
		for _, v := range r.Public {
			if v.Section == sec && len(g.Records) < 5 {
				g.Records = append(g.Records, v)
			}
		}
		if len(g.Records) > 0 {
			hv.Latest = append(hv.Latest, g)
		}
	}
	hv.Calendar = r.calendar()
	return r.Page("home", &Page{Path: "", Title: r.Site.Title, Main: hv})
}

// Lists writes a section's list, its year lists and category lists.
func (r *Renderer) Lists(sec string) error {
	var recs []*RecordView
	for _, v := range r.Public {
		if v.Section == sec {
			recs = append(recs, v)
		}
	}
	name := record.SectionName(sec)
	lv := &ListView{Heading: name, Groups: byYear(recs)}
	years := map[int]bool{}
	cats := map[string][]*RecordView{}
	for _, v := range recs {
		years[v.Date.Year()] = true
		if v.Category != "" && (sec == "disclosures" || sec == "decisions") {
			cats[v.Category] = append(cats[v.Category], v)
		}
	}
	ys := make([]int, 0, len(years))
	for y := range years {
		ys = append(ys, y)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ys)))
	for _, y := range ys {
		lv.Years = append(lv.Years, Ref{Title: strconv.Itoa(y) + "年", Path: sec + "/" + strconv.Itoa(y) + "/"})
	}
	cs := make([]string, 0, len(cats))
	for c := range cats {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	for _, c := range cs {
		lv.Cats = append(lv.Cats, Ref{Title: c, Path: sec + "/category/" + c + "/", Note: strconv.Itoa(len(cats[c]))})
	}
	crumbs := []Crumb{{name, sec + "/"}}
	if err := r.Page("list", &Page{Path: sec + "/", Title: name, Section: sec, Main: lv}); err != nil {
		return err
	}
	for _, y := range ys {
		var in []*RecordView
		for _, v := range recs {
			if v.Date.Year() == y {
				in = append(in, v)
			}
		}
		title := strconv.Itoa(y) + "年" + name
		yl := &ListView{Heading: title, Groups: []Group{{Title: "", Records: in}}}
		if err := r.Page("list", &Page{Path: sec + "/" + strconv.Itoa(y) + "/", Title: title, Section: sec, Main: yl, Crumbs: crumbs}); err != nil {
			return err
		}
	}
	for _, c := range cs {
		cl := &ListView{Heading: c, Groups: byYear(cats[c])}
		if err := r.Page("list", &Page{Path: sec + "/category/" + c + "/", Title: c + " · " + name, Section: sec, Main: cl, Crumbs: crumbs}); err != nil {
			return err
		}
	}
	return nil
}

func byYear(recs []*RecordView) []Group {
	var gs []Group
	for _, v := range recs {
		y := strconv.Itoa(v.Date.Year()) + "年"
		if len(gs) == 0 || gs[len(gs)-1].Title != y {
			gs = append(gs, Group{Title: y})
		}
		gs[len(gs)-1].Records = append(gs[len(gs)-1].Records, v)
	}
	return gs
}
