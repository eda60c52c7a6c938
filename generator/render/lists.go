package render

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"gongkai/generator/record"
)

// Home writes the board's front page.
func (w *Writer) Home() error {
	r := w.Renderer
	hv := &HomeView{}
	for _, v := range r.public {
		switch {
		case v.OnNotice:
			hv.OnNotice = append(hv.OnNotice, v)
		case v.NoticeFrom != "" && v.NoticeState == "未开始":
			hv.Upcoming = append(hv.Upcoming, v)
		}
	}
	for _, sec := range record.Sections {
		if sec == "pages" {
			continue
		}
		var latest []*RecordView
		for _, v := range r.public {
			if v.Section == sec && len(latest) < 5 {
				latest = append(latest, v)
			}
		}
		if len(latest) > 0 {
			hv.Latest = append(hv.Latest, Group{Title: record.SectionName(sec), Records: latest})
		}
	}
	hv.Calendar = r.calendar()
	return w.Page("home", &Page{Path: "", Title: r.site.Title, Main: hv})
}

// section is what the lists of a section are made of.
type section struct {
	recs []*RecordView            // newest first
	ys   []int                    // years with records, latest first
	cs   []string                 // categories, sorted
	cats map[string][]*RecordView // records by category
}

// section returns the lists of sec, worked out once per render.
func (r *Renderer) section(sec string) *section {
	if s, ok := r.sections.Load(sec); ok {
		return s.(*section)
	}
	s := &section{}
	for _, v := range r.public {
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
	got, _ := r.sections.LoadOrStore(sec, s)
	return got.(*section)
}

// ListPages returns the year and category pages of a section (folders,
// sorted), as ListPage writes them.
func (r *Renderer) ListPages(sec string) []string {
	s := r.section(sec)
	var out []string
	for _, y := range s.ys {
		out = append(out, YearPage(sec, y))
	}
	for _, c := range s.cs {
		out = append(out, CategoryPage(sec, c))
	}
	sort.Strings(out)
	return out
}

// YearPage returns the folder of a section's list of one year.
func YearPage(sec string, year int) string { return sec + "/" + strconv.Itoa(year) + "/" }

// CategoryPage returns the folder of a section's list of one category.
func CategoryPage(sec, category string) string { return sec + "/category/" + category + "/" }

// Lists writes a section's list, its year lists and category lists.
func (w *Writer) Lists(sec string) error {
	if err := w.ListPage(sec + "/"); err != nil {
		return err
	}
	for _, dir := range w.ListPages(sec) {
		if err := w.ListPage(dir); err != nil {
			return err
		}
	}
	return nil
}

// ListPage writes one list page by its folder: a section's own page
// ("disclosures/"), a year page or a category page. A year or category
// without records has no page: nothing is written.
func (w *Writer) ListPage(dir string) error {
	r := w.Renderer
	sec, rest, _ := strings.Cut(strings.TrimSuffix(dir, "/"), "/")
	s := r.section(sec)
	name := record.SectionName(sec)
	crumbs := []Crumb{{name, sec + "/"}}
	switch {
	case rest == "":
		// The section page shows the latest records; the year and
		// category pages list everything.
		latest := s.recs
		if len(latest) > SectionLatest {
			latest = latest[:SectionLatest]
		}
		lv := &ListView{Heading: name, Groups: r.byYear(sec+"/", latest), More: len(s.recs) > len(latest), Total: len(s.recs)}
		for _, y := range s.ys {
			lv.Years = append(lv.Years, Ref{Title: strconv.Itoa(y) + "年", Path: YearPage(sec, y)})
		}
		for _, c := range s.cs {
			lv.Cats = append(lv.Cats, Ref{Title: c, Path: CategoryPage(sec, c), Note: strconv.Itoa(len(s.cats[c]))})
		}
		return w.Page("list", &Page{Path: sec + "/", Title: name, Section: sec, Main: lv})
	case strings.HasPrefix(rest, "category/"):
		c := strings.TrimPrefix(rest, "category/")
		recs := s.cats[c]
		if len(recs) == 0 {
			return nil
		}
		cp := CategoryPage(sec, c)
		cl := &ListView{Heading: c, Groups: r.byYear(cp, recs), Total: len(recs)}
		return w.Page("list", &Page{Path: cp, Title: c + " · " + name, Section: sec, Main: cl, Crumbs: crumbs})
	default:
		y, err := strconv.Atoi(rest)
		if err != nil {
			return fmt.Errorf("render: no list page %s", dir)
		}
		var in []*RecordView
		for _, v := range s.recs {
			if v.Date.Year() == y {
				in = append(in, v)
			}
		}
		if len(in) == 0 {
			return nil
		}
		title := strconv.Itoa(y) + "年" + name
		yp := YearPage(sec, y)
		yl := &ListView{Heading: title, Groups: []Group{{Records: in}}, Total: len(in)}
		return w.Page("list", &Page{Path: yp, Title: title, Section: sec, Main: yl, Crumbs: crumbs})
	}
}

// SectionLatest is how many records a section's own page lists; its year
// pages list the rest.
const SectionLatest = 50

func (r *Renderer) byYear(from string, recs []*RecordView) []Group {
	var gs []Group
	start := 0
	for i := 1; i <= len(recs); i++ {
		if i == len(recs) || recs[i].Date.Year() != recs[start].Date.Year() {
			gs = append(gs, Group{Title: strconv.Itoa(recs[start].Date.Year()) + "年", Records: recs[start:i]})
			start = i
		}
	}
	return gs
}
