package render

import (
	"sort"
	"strconv"

	"gongkai/generator/record"
)

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
		var latest []*RecordView
		for _, v := range r.Public {
			if v.Section == sec && len(latest) < 5 {
				latest = append(latest, v)
			}
		}
		if len(latest) > 0 {
			hv.Latest = append(hv.Latest, r.group("", record.SectionName(sec), latest))
		}
	}
	hv.Calendar = r.calendar()
	return r.Page("home", &Page{Path: "", Title: r.Site.Title, Main: hv})
}

// Lists writes a section's list, its year lists and category lists.
func (r *Renderer) Lists(sec string) error { return r.lists(sec, nil, nil) }

// ListsOf writes a section's own page and only the given year and
// category pages: what an edit that moves no record between lists
// changes (the preview server).
func (r *Renderer) ListsOf(sec string, years map[int]bool, cats map[string]bool) error {
	if years == nil {
		years = map[int]bool{}
	}
	if cats == nil {
		cats = map[string]bool{}
	}
	return r.lists(sec, years, cats)
}

// lists writes the section page and the year and category pages in
// onlyYears and onlyCats; nil sets mean all of them.
// section is what the lists of a section are made of.
type section struct {
	recs []*RecordView            // newest first
	ys   []int                    // years with records, latest first
	cs   []string                 // categories, sorted
	cats map[string][]*RecordView // records by category
}

func (r *Renderer) section(sec string) section {
	var s section
	for _, v := range r.Public {
		if v.Section == sec {
			s.recs = append(s.recs, v)
		}
	}
	years := map[int]bool{}
	s.cats = map[string][]*RecordView{}
	for _, v := range s.recs {
		years[v.Date.Year()] = true
		if v.Category != "" && (sec == "disclosures" || sec == "decisions") {
			s.cats[v.Category] = append(s.cats[v.Category], v)
		}
	}
	for y := range years {
		s.ys = append(s.ys, y)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(s.ys)))
	for c := range s.cats {
		s.cs = append(s.cs, c)
	}
	sort.Strings(s.cs)
	return s
}

// ListPages returns the year and category pages of a section (folders,
// sorted), as Lists writes them.
func (r *Renderer) ListPages(sec string) []string {
	s := r.section(sec)
	var out []string
	for _, y := range s.ys {
		out = append(out, sec+"/"+strconv.Itoa(y)+"/")
	}
	for _, c := range s.cs {
		out = append(out, sec+"/category/"+c+"/")
	}
	sort.Strings(out)
	return out
}

func (r *Renderer) lists(sec string, onlyYears map[int]bool, onlyCats map[string]bool) error {
	s := r.section(sec)
	recs, ys, cs, cats := s.recs, s.ys, s.cs, s.cats
	name := record.SectionName(sec)
	// The section page shows the latest records; the year and category
	// pages list everything.
	latest := recs
	if len(latest) > SectionLatest {
		latest = latest[:SectionLatest]
	}
	lv := &ListView{Heading: name, Groups: r.byYear(sec+"/", latest), More: len(recs) > len(latest), Total: len(recs)}
	for _, y := range ys {
		lv.Years = append(lv.Years, Ref{Title: strconv.Itoa(y) + "年", Path: sec + "/" + strconv.Itoa(y) + "/"})
	}
	for _, c := range cs {
		lv.Cats = append(lv.Cats, Ref{Title: c, Path: sec + "/category/" + c + "/", Note: strconv.Itoa(len(cats[c]))})
	}
	crumbs := []Crumb{{name, sec + "/"}}
	if err := r.Page("list", &Page{Path: sec + "/", Title: name, Section: sec, Main: lv}); err != nil {
		return err
	}
	for _, y := range ys {
		if onlyYears != nil && !onlyYears[y] {
			continue
		}
		var in []*RecordView
		for _, v := range recs {
			if v.Date.Year() == y {
				in = append(in, v)
			}
		}
		title := strconv.Itoa(y) + "年" + name
		yp := sec + "/" + strconv.Itoa(y) + "/"
		yl := &ListView{Heading: title, Groups: []Group{r.group(yp, "", in)}, Total: len(in)}
		if err := r.Page("list", &Page{Path: yp, Title: title, Section: sec, Main: yl, Crumbs: crumbs}); err != nil {
			return err
		}
	}
	for _, c := range cs {
		if onlyCats != nil && !onlyCats[c] {
			continue
		}
		cp := sec + "/category/" + c + "/"
		cl := &ListView{Heading: c, Groups: r.byYear(cp, cats[c]), Total: len(cats[c])}
		if err := r.Page("list", &Page{Path: cp, Title: c + " · " + name, Section: sec, Main: cl, Crumbs: crumbs}); err != nil {
			return err
		}
	}
	return nil
}

// SectionLatest is how many records a section's own page lists; its year
// pages list the rest.
const SectionLatest = 50

func (r *Renderer) byYear(from string, recs []*RecordView) []Group {
	var gs []Group
	start := 0
	for i := 1; i <= len(recs); i++ {
		if i == len(recs) || recs[i].Date.Year() != recs[start].Date.Year() {
			gs = append(gs, r.group(from, strconv.Itoa(recs[start].Date.Year())+"年", recs[start:i]))
			start = i
		}
	}
	return gs
}
