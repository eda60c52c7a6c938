package editor

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"

	"gongkai/generator/build"
	"gongkai/generator/content"
	"gongkai/generator/diag"
	"gongkai/generator/ledger"
	"gongkai/generator/record"
	"gongkai/generator/textenc"
)

// files are the editor's own templates and assets: apart from the site's
// theme, since the editor is no part of the public site.
//
//go:embed templates assets
var files embed.FS

// pageData is what every page template gets.
type pageData struct {
	Title string
	Token string
	Nav   string // the current page of the navigation
	Data  any
}

// render writes page name with data.
func (e *Editor) render(w http.ResponseWriter, status int, name, title string, data any) {
	t, err := template.New("").Funcs(template.FuncMap{
		"sectionName": record.SectionName,
		"json": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
	}).ParseFS(files, "templates/layout.html", "templates/form.html", "templates/"+name+".html")
	if err != nil {
		http.Error(w, "editor: "+err.Error(), http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", pageData{Title: title, Token: e.token, Nav: name, Data: data}); err != nil {
		http.Error(w, "editor: "+err.Error(), http.StatusInternalServerError)
		return
	}
	e.setToken(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// asset serves a file of assets/.
func (e *Editor) asset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	b, err := fs.ReadFile(files, "assets/"+name)
	if err != nil || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	ct := "application/octet-stream"
	switch path.Ext(name) {
	case ".js":
		ct = "application/javascript; charset=utf-8"
	case ".css":
		ct = "text/css; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	_, _ = w.Write(b)
}

// recordRow is a record in the list of the index page.
type recordRow struct {
	ID, File, Title, Date string
	State                 string
	Notice                bool
	Errors, Warnings      int
}

// sectionRows are the records of a section.
type sectionRows struct {
	Key, Name string
	Rows      []recordRow
}

type indexData struct {
	Sections  []sectionRows
	Removed   []pendingRecord
	Withdrawn []string
	Problems  []string // of site.toml and the ledger
}

// state describes where a record stands: a draft, never published,
// changed since its last version, or published as version N.
func state(l *ledger.Ledger, r *record.Record) string {
	last, ok := l.Last(r.ID)
	switch {
	case r.Draft:
		return "草稿"
	case !ok:
		return "未发布"
	case r.Sum() != last.SHA256:
		return fmt.Sprintf("有修改（第%d版之后，未发布）", last.N)
	}
	return fmt.Sprintf("已发布第%d版", last.N)
}

// index lists every record by section with its state.
func (e *Editor) index(w http.ResponseWriter, r *http.Request) {
	opt := e.opt.Build
	opt.Drafts = true
	board, ds := e.load(opt.Drafts)
	var data indexData
	perFile := map[string][2]int{}
	for _, d := range ds {
		c := perFile[d.Pos.File]
		if d.Severity == diag.Error {
			c[0]++
		} else {
			c[1]++
		}
		perFile[d.Pos.File] = c
		if d.Severity == diag.Error && (d.Pos.File == "site.toml" || d.Pos.File == ledger.FileName) {
			data.Problems = append(data.Problems, d.Format(e.opt.Lang))
		}
	}
	srcs, _ := content.Sources(e.fsys)
	l, _ := ledger.Read(e.fsys)
	bySection := map[string][]recordRow{}
	for _, s := range srcs {
		row := recordRow{ID: s.ID, File: s.File, Title: s.Slug, State: "有错误"}
		if board != nil {
			if rec := board.Get(s.ID); rec != nil {
				row.Title, row.State = rec.Title, state(l, rec)
				if !rec.Date.IsZero() {
					row.Date = rec.Date.Format("2006-01-02")
				}
				row.Notice = rec.Notice != nil && rec.Notice.On(e.today(board))
			}
		}
		c := perFile[s.File]
		row.Errors, row.Warnings = c[0], c[1]
		bySection[s.Section] = append(bySection[s.Section], row)
	}
	for _, sec := range record.Sections {
		rows := bySection[sec]
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Date > rows[j].Date })
		data.Sections = append(data.Sections, sectionRows{Key: sec, Name: record.SectionName(sec), Rows: rows})
	}
	if board != nil {
		for id := range board.Elsewhere().Removed {
			last, _ := l.Last(id)
			data.Removed = append(data.Removed, pendingRecord{ID: id, Version: last.N})
		}
		sort.Slice(data.Removed, func(i, j int) bool { return data.Removed[i].ID < data.Removed[j].ID })
		for id := range board.Elsewhere().Withdrawn {
			data.Withdrawn = append(data.Withdrawn, id)
		}
		sort.Strings(data.Withdrawn)
	}
	e.render(w, http.StatusOK, "index", "全部记录", data)
}

// load runs the checks over the content folder as it is.
func (e *Editor) load(drafts bool) (*record.Board, diag.List) {
	e.check <- struct{}{}
	defer func() { <-e.check }()
	opt := e.opt.Build
	opt.Drafts = drafts
	return build.Load(opt)
}

// newData is what the page of a new record shows.
type newData struct {
	Sections []sectionRows
	Section  string
	Slug     string
}

// newPage asks for the section and the name of a new record.
func (e *Editor) newPage(w http.ResponseWriter, r *http.Request) {
	d := newData{Section: r.URL.Query().Get("section")}
	if !record.IsSection(d.Section) {
		d.Section = "disclosures"
	}
	for _, s := range record.Sections {
		d.Sections = append(d.Sections, sectionRows{Key: s, Name: record.SectionName(s)})
	}
	day := e.today(nil)
	if site := e.site(); site != nil {
		day = e.today(&record.Board{Site: site})
	}
	d.Slug = day.Format("2006-01-02")
	e.render(w, http.StatusOK, "new", "新建记录", d)
}

// recordData is what the page of a record shows.
type recordData struct {
	ID, File, Section, SectionName, Title string
	Base                                  string
	State                                 string
	Bundle, Recoded, Raw                  bool
	Fields                                []fieldView
	FM                                    string
	Body                                  string
	Preview                               template.HTML
	Initial                               result
	Published                             bool
	Articles                              bool
}

// recordPage shows the form of one record.
func (e *Editor) recordPage(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	src, ok := recordName(name)
	if !ok {
		e.render(w, http.StatusNotFound, "missing", "找不到记录", name)
		return
	}
	f, err := readFile(e.fsys, name)
	if err != nil {
		e.render(w, http.StatusNotFound, "missing", "找不到记录", name)
		return
	}
	board, ds := e.checkText(name, f.Bytes)
	site := e.site()
	if board != nil {
		site = board.Site
	}
	schema := record.Schema(site, src.Section)
	d := recordData{ID: src.ID, File: name, Section: src.Section, SectionName: record.SectionName(src.Section), Title: src.ID,
		Base: f.Sum, Bundle: src.Bundle, Recoded: f.Recoded, Articles: src.Section == "conventions"}
	d.Body, _ = f.shownBody()
	d.Initial = result{Diags: e.views(f, ds)}
	d.Initial.Errors, d.Initial.Warnings = ds.Count()
	d.Preview = template.HTML(preview(board, name, f.Body))
	var raw map[string]any
	if f.Split {
		raw, err = decodeFM(f.FM)
	}
	if !f.Split || err != nil {
		d.Raw, d.FM = true, normal(f.FM)
		if !f.Split {
			d.Body = normal(f.Text)
		}
	} else {
		if t, ok := raw["title"].(string); ok && strings.TrimSpace(t) != "" {
			d.Title = t
		}
		v := &viewer{e: e, board: board, file: name, bundle: bundleFiles(e.fsys, name), isBundle: src.Bundle}
		d.Fields = v.fields("", schema, derive(schema, raw))
	}
	l, _ := ledger.Read(e.fsys)
	text, _ := textenc.Decode(name, f.Bytes)
	last, published := l.Last(src.ID)
	d.Published = published
	switch {
	case !published:
		d.State = "未发布"
	case ledger.Sum([]byte(text)) != last.SHA256:
		d.State = fmt.Sprintf("有修改（第%d版之后，未发布）", last.N)
	default:
		d.State = fmt.Sprintf("已发布第%d版", last.N)
	}
	e.render(w, http.StatusOK, "record", d.Title, d)
}

// publishData is what the publish page shows.
type publishData struct {
	pending
	Today string
}

// publishPage lists what a publish would register and asks, in a dialog,
// for the release's message, each amended record's change note and each
// withdrawal's reason.
func (e *Editor) publishPage(w http.ResponseWriter, r *http.Request) {
	p := e.pending()
	e.render(w, http.StatusOK, "publish", "发布", publishData{pending: p})
}
