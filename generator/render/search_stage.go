package render

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"gongkai/generator/internal/par"
	"gongkai/generator/search"
)

// searchTextRunes caps the text indexed per record: enough for every
// word of a notice, small enough that the postings of a 10,000-record
// board stay within one query's download budget.
const searchTextRunes = 6000

// SearchView is the model of the /search/ page.
type SearchView struct {
	Script   string // site-relative path of the hashed search script
	Sections []NavItem
}

// SearchStage is the stage of the /search/ page and its index: the page,
// its script as a hashed asset, and the index (search/idx/) of every
// listed record (personal records and records past unpublish_after are
// left out). The index an earlier build kept in store (nil: none) is
// patched when few records changed, and this one kept there.
func SearchStage(store search.Store) Stage {
	return Stage{Name: "search", Board: func(s Site) error { return searchPage(s, store) }}
}

func searchPage(s Site, store search.Store) error {
	var listed []*RecordView
	for _, v := range s.Public() {
		if Listed(v) {
			listed = append(listed, v)
		}
	}
	docs := make([]search.Doc, len(listed))
	issuer := s.Site().Issuer
	_ = par.Each(len(listed), func(i int) error { docs[i] = listed[i].searchDoc(issuer); return nil }) // cannot fail
	files, _, err := search.BuildKept(docs, store)
	if err != nil {
		return err
	}
	for name, b := range files {
		if err := s.Write(name, b); err != nil {
			return err
		}
	}
	js := s.Minify("application/javascript", search.Script())
	sum := sha256.Sum256(js)
	script := "assets/search." + hex.EncodeToString(sum[:4]) + ".js"
	if err := s.Write(script, js); err != nil {
		return err
	}
	var secs []NavItem
	for _, n := range s.Site().Nav {
		if n.Section != "pages" {
			secs = append(secs, n)
		}
	}
	return s.Page("search", &Page{Path: "search/", Title: "搜索", Section: "search",
		Desc: "在" + s.Site().Title + "的全部公开记录中搜索",
		Main: &SearchView{Script: script, Sections: secs}})
}

// searchDoc returns SearchDoc(v, issuer), made once per view: a view
// reused by a later render keeps it, so a rebuild indexes again only what
// changed. A view is reused only within one site.toml, so issuer is the
// same each time.
func (v *RecordView) searchDoc(issuer string) search.Doc {
	if v.memo == nil {
		return SearchDoc(v, issuer)
	}
	v.memo.once.Do(func() { v.memo.doc = SearchDoc(v, issuer) })
	return v.memo.doc
}

// viewMemo holds what is worked out from a view on first use and shared
// by its copies.
type viewMemo struct {
	once sync.Once
	doc  search.Doc
}

// SearchDoc is what the search index holds of a record: its title and
// number; its section and category (or kind, or meeting), and the fields
// it is described by — tags, period as people write it, issuer (when not
// the site's issuer, which every record has), meeting place, decision stages
// reached and origin, who adopted a convention; its notice period and
// lead; its account items, agenda and resolutions as lines; and as text
// the body without Markdown, decision notes, table cells and vouchers.
func SearchDoc(v *RecordView, issuer string) search.Doc {
	d := search.Doc{
		URL: v.Path, Title: v.Title, Number: v.Number, Section: v.Section, SectionName: v.SectionName,
		Category: v.Category, Date: v.DateISO, Lead: v.Summary,
	}
	d.Facets = append(d.Facets, v.Tags...)
	if n := v.Record.Notice; n != nil {
		d.NoticeFrom, d.NoticeTo = n.From.Format(time.DateOnly), n.To.Format(time.DateOnly)
	}
	if dis := v.Disclosure; dis != nil && dis.Period != nil {
		d.Facets = append(d.Facets, dis.Period.Written()...)
	}
	if v.Issuer != issuer {
		d.Facets = append(d.Facets, v.Issuer)
	}
	t := newCapped(searchTextRunes)
	plain := v.plain
	if plain == "" {
		plain = PlainText(string(v.Body))
	}
	t.add(plain)
	if v.Min != nil {
		d.Facets = append(d.Facets, v.Min.Place)
		d.Lines = append(d.Lines, v.Min.Agenda...)
		for _, res := range v.Min.Resolutions {
			d.Lines = append(d.Lines, res.Text)
		}
	}
	if v.Dec != nil {
		d.Facets = append(d.Facets, v.Dec.Origin)
		for _, s := range v.Dec.Steps {
			if s.Done {
				d.Facets = append(d.Facets, s.Stage)
			}
			t.add(s.Body)
			t.add(s.Note)
		}
	}
	if c := v.Conv; c != nil {
		d.Facets = append(d.Facets, c.AdoptedBy, c.FiledWith)
	}
	if v.Finance != nil {
		// What the money paid for first: a result shows the line that
		// holds the query, and the snippet has room for some lines only.
		for _, ls := range [][]LineView{v.Finance.Expense, v.Finance.Income} {
			for _, l := range ls {
				d.Lines = append(d.Lines, l.Item)
				t.add(l.Voucher)
			}
		}
	}
	for _, tv := range v.Tables {
		t.add(tv.Title)
		t.add(strings.Join(tv.Header, " "))
		for _, row := range tv.Rows {
			t.add(strings.Join(row, " "))
		}
	}
	d.Text = t.String()
	return d
}

// capped is a text builder that stops at a number of characters.
type capped struct {
	parts []string
	left  int
}

func newCapped(n int) *capped { return &capped{left: n} }

func (c *capped) add(s string) {
	s = strings.TrimSpace(s)
	if s == "" || c.left <= 0 {
		return
	}
	n := utf8.RuneCountInString(s)
	if n > c.left {
		i, k := 0, 0
		for i = range s {
			if k == c.left {
				break
			}
			k++
		}
		s = s[:i]
		n = c.left
	}
	c.parts = append(c.parts, s)
	c.left -= n
}

// String returns the texts added, one a line: the text itself when there
// is one (most records have only their body), without a copy.
func (c *capped) String() string {
	if len(c.parts) == 1 {
		return c.parts[0]
	}
	return strings.Join(c.parts, "\n")
}

// PlainText returns the text of an HTML fragment: tags dropped, block
// ends turned into line breaks, entities decoded, blank runs collapsed.
func PlainText(h string) string {
	var b strings.Builder
	b.Grow(len(h))
	for i := 0; i < len(h); {
		c := h[i]
		if c != '<' {
			j := strings.IndexByte(h[i:], '<')
			if j < 0 {
				j = len(h) - i
			}
			b.WriteString(html.UnescapeString(h[i : i+j]))
			i += j
			continue
		}
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			break
		}
		tag := h[i+1 : i+j]
		if blockTag(tag) {
			b.WriteByte('\n')
		}
		i += j + 1
	}
	return collapse(b.String())
}

func blockTag(tag string) bool {
	tag = strings.TrimPrefix(tag, "/")
	if k := strings.IndexAny(tag, " \t\n/"); k >= 0 {
		tag = tag[:k]
	}
	switch strings.ToLower(tag) {
	case "p", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "blockquote", "pre", "caption", "section", "table", "ul", "ol", "dt", "dd":
		return true
	}
	return false
}

// collapse trims each line, joins runs of spaces and drops empty lines,
// in one pass (the reference, with strings.Fields, is in
// search_stage_test.go).
func collapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for rest, more := s, true; more; {
		var line string
		line, rest, more = strings.Cut(rest, "\n")
		first := true
		for i := 0; i < len(line); {
			// A word: the characters up to the next blank, as
			// strings.Fields finds them.
			for i < len(line) {
				r, w := utf8.DecodeRuneInString(line[i:])
				if !unicode.IsSpace(r) {
					break
				}
				i += w
			}
			j := i
			for j < len(line) {
				r, w := utf8.DecodeRuneInString(line[j:])
				if unicode.IsSpace(r) {
					break
				}
				j += w
			}
			if j == i {
				break
			}
			switch {
			case !first:
				b.WriteByte(' ')
			case b.Len() > 0:
				b.WriteByte('\n')
			}
			b.WriteString(line[i:j])
			first, i = false, j
		}
	}
	return b.String()
}
