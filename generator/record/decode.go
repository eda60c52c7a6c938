package record

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/generator/calendar"
	"gongkai/generator/config"
	"gongkai/generator/diag"
	"gongkai/generator/fields"
	"gongkai/generator/folder"
	"gongkai/generator/money"
)

// MaxFileSize is the largest record file read; larger ones are an error.
const MaxFileSize = 4 << 20

// Source is one record file as read from the content folder.
type Source struct {
	File    string // content-relative path
	ID      string
	Section string
	Slug    string
	Bundle  bool
	Text    string // decoded text: UTF-8, LF, no BOM
	// Outline reads the body as Markdown (markdown.Converter.Outline);
	// without it the body's links and anchors are not checked.
	Outline func(body string) Outline
}

// IDFromPath returns the record id of a content-relative .md path, or ok
// false when the path is not a record (site.toml, attachments, _archive).
func IDFromPath(p string) (src Source, ok bool) {
	if !strings.HasSuffix(p, ".md") || strings.HasPrefix(p, "_") {
		return src, false
	}
	parts := strings.Split(p, "/")
	switch {
	case len(parts) == 2:
		src = Source{File: p, Section: parts[0], Slug: strings.TrimSuffix(parts[1], ".md")}
	case len(parts) == 3 && parts[2] == "index.md":
		src = Source{File: p, Section: parts[0], Slug: parts[1], Bundle: true}
	default:
		return src, false
	}
	src.ID = src.Section + "/" + src.Slug
	return src, true
}

// IsSection reports whether name is one of the five sections.
func IsSection(name string) bool {
	for _, s := range Sections {
		if s == name {
			return true
		}
	}
	return false
}

// Decode reads one record: its front matter, the fields of its section and
// the checks that need only this record. fsys is the content folder, for
// attachments and CSV tables. A Decoder does the same for many records.
func Decode(site *config.Site, fsys fs.FS, src Source) (*Record, diag.List) {
	r, ds, _ := decode(site, fsys, src, nil)
	return r, ds
}

// Decoder decodes the records of one site. It holds what every record of
// a section shares (the declaration of its front matter, from Schema),
// made once; its Decode may be called from several goroutines at once.
type Decoder struct {
	site  *config.Site
	decls map[string]*fields.Decl
}

// NewDecoder returns the decoder of the records of site.
func NewDecoder(site *config.Site) *Decoder {
	d := &Decoder{site: site, decls: make(map[string]*fields.Decl, len(Sections))}
	for _, s := range Sections {
		d.decls[s] = declare(site, s)
	}
	return d
}

// Decode is the package's Decode with the decoder's site.
func (d *Decoder) Decode(fsys fs.FS, src Source) (*Record, diag.List) {
	r, ds, _ := decode(d.site, fsys, src, d.decls[src.Section])
	return r, ds
}

// declare returns the declaration of the front matter of section.
func declare(site *config.Site, section string) *fields.Decl {
	return fields.NewDecl(Keys(Schema(site, section)))
}

// decode is Decode, also returning the decoded front matter (nil when it
// could not be parsed). decl is the declaration of the section's keys,
// made from its Schema when nil.
func decode(site *config.Site, fsys fs.FS, src Source, decl *fields.Decl) (*Record, diag.List, *fields.Doc) {
	var ds diag.List
	file := src.File
	if strings.TrimSpace(src.Text) == "" {
		ds.Add(diag.Errorf(diag.Position{File: file}, "文件是空的", "the file is empty").
			WithHint("一条记录以 +++ 开头，写标题和日期，再以 +++ 结束，后面是正文；可用 gongkai new 生成模板", "a record starts with +++, title and date, +++, then the body; `gongkai new` writes a template"))
		return nil, ds, nil
	}
	fm, body, fmLine, bodyLine, d := splitFrontMatter(file, src.Text)
	if d != nil {
		ds.Add(*d)
		return nil, ds, nil
	}
	doc, t, pds := fields.Parse(file, fm, fmLine, site.Location)
	if doc == nil {
		ds.Add(pds...)
		return nil, ds, nil
	}
	// The schema's keys: unknown, missing and mistyped keys are reported
	// from it.
	if decl != nil {
		t.Use(decl)
	} else {
		t.Declare(Keys(Schema(site, src.Section)))
	}
	r := &Record{
		ID: src.ID, Section: src.Section, Slug: src.Slug, File: file, Bundle: src.Bundle,
		Text: src.Text, TextSum: TextSum(src.Text), Body: body, BodyLine: bodyLine,
	}
	dec := &decoder{site: site, fsys: fsys, r: r, t: t, doc: doc}
	dec.common()
	switch src.Section {
	case "conventions":
		dec.convention()
	case "disclosures":
		dec.disclosure()
	case "decisions":
		dec.decision()
	case "minutes":
		dec.minutes()
	}
	t.Done()
	if src.Outline != nil {
		dec.bodyLinks(src.Outline(body))
	}
	if site.UnsafeHTML {
		if loc := rawHTMLRE.FindStringIndex(body); loc != nil {
			line := bodyLine + strings.Count(body[:loc[0]], "\n")
			dec.extra.Add(diag.Warnf(diag.Position{File: file, Line: line}, "正文含有原始 HTML，因 site.toml 设置了 unsafe_html = true 而原样发布",
				"the body contains raw HTML, published as is because site.toml sets unsafe_html = true").
				WithHint("请确认其中没有脚本或外部链接；不需要时把 unsafe_html 改回 false", "make sure it holds no scripts; set unsafe_html = false when not needed"))
		}
	}
	pds, lines := placeholders(r, doc)
	// An error on a placeholder's line (a placeholder where a number or a
	// known value belongs) is the placeholder's.
	for _, d := range append(doc.Diags, dec.extra...) {
		if d.Severity != diag.Error || d.Pos.File != file || !lines[d.Pos.Line] {
			ds.Add(d)
		}
	}
	ds.Add(pds...)
	return r, ds, doc
}

// splitFrontMatter cuts the TOML between the +++ lines from the body.
func splitFrontMatter(file, text string) (fm, body string, fmLine, bodyLine int, d *diag.Diagnostic) {
	first, rest, _ := strings.Cut(text, "\n")
	if strings.TrimRight(first, " \t") != "+++" {
		e := diag.Errorf(diag.Position{File: file, Line: 1, Col: 1}, "第一行应为 +++（记录开头的设置区）", "the first line must be +++ (the start of the front matter)").
			WithHint("在文件开头加一行 +++，写 title = \"…\" 和 date = 2026-07-08，再加一行 +++", "start the file with +++, title and date lines, and another +++")
		if strings.TrimSpace(first) == "---" {
			e = e.WithHint("设置区以一行 +++ 开始、以一行 +++ 结束，不用 ---：把这两行 --- 改成 +++，键和值之间用 =（title = \"…\"）", "gongkai uses +++ (TOML) front matter, not --- (YAML): change both --- lines to +++ and write key = value")
		}
		return "", "", 0, 0, &e
	}
	// Find the closing line.
	off, line := 0, 2
	for off <= len(rest) {
		end := strings.IndexByte(rest[off:], '\n')
		var l string
		if end < 0 {
			l = rest[off:]
		} else {
			l = rest[off : off+end]
		}
		if strings.TrimRight(l, " \t") == "+++" {
			fm = rest[:off]
			if end < 0 {
				body = ""
			} else {
				body = rest[off+end+1:]
			}
			return fm, body, 2, line + 1, nil
		}
		if end < 0 {
			break
		}
		off += end + 1
		line++
	}
	e := diag.Errorf(diag.Position{File: file, Line: 1, Col: 1}, "设置区没有结束：找不到第二个 +++", "the front matter is not closed: no second +++ line").
		WithHint("在设置（title、date 等）之后、正文之前加一行 +++", "add a +++ line after the settings, before the body")
	return "", "", 0, 0, &e
}

type decoder struct {
	site  *config.Site
	fsys  fs.FS
	r     *Record
	t     *fields.Table
	doc   *fields.Doc
	extra diag.List
}

func (d *decoder) errf(pos diag.Position, zh, en string, args ...any) fields.Issue {
	d.extra.Add(diag.Errorf(pos, zh, en, args...))
	return fields.Added(d.extra)
}

// enum checks v against allowed values, with a suggestion.
func (d *decoder) enum(t *fields.Table, key, v string, allowed []string) bool {
	if v == "" {
		return false
	}
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	e := t.Errorf(key, "%s 的值 %q 不在可选范围内", "%s: %q is not one of the allowed values", key, v)
	if s := diag.Suggest(v, allowed); s != "" {
		e.Hint = diag.T("是不是想写 %q？可选：%s", "did you mean %q? allowed: %s", s, strings.Join(allowed, "、"))
	} else {
		e.Hint = diag.T("可选：%s", "allowed: %s", strings.Join(allowed, "、"))
	}
	return false
}

func (d *decoder) common() {
	r, t := d.r, d.t
	r.Title = strings.TrimSpace(t.String("title", true))
	if t.Has("title") && r.Title == "" {
		t.Errorf("title", "标题不能为空", "the title must not be empty").
			WithHint("在引号里写上标题，如 title = \"关于……的公示\"", "write the title in the quotes, e.g. title = \"关于……的公示\"")
	} else if n := utf8.RuneCountInString(r.Title); n > 100 {
		t.Errorf("title", "标题太长（%d 字），最多 100 字", "the title is too long (%d characters, at most 100)", n).
			WithHint("缩短标题，详细内容写进正文或 summary", "shorten the title; put the details into the body or summary")
	}
	r.Date, r.HasTime, _ = t.Date("date", true)
	r.Issuer = t.String("issuer", false)
	if r.Issuer == "" {
		r.Issuer = d.site.Issuer
	}
	r.Number = strings.TrimSpace(t.String("number", false))
	r.NumberPos = t.Pos("number")
	r.Summary = t.String("summary", false)
	r.Tags = t.Strings("tags")
	if n := t.Table("notice"); n != nil {
		from, _, okF := n.Date("from", true)
		to, _, okT := n.Date("to", true)
		n.Done()
		if okF && okT {
			nt := &Notice{From: from, To: to}
			switch {
			case to.Before(from):
				n.Errorf("to", "公示期结束日期早于开始日期", "the notice period ends before it starts").
					WithHint("to 应不早于 from", "to must not be before from")
			case nt.Days() < d.site.NoticeMinDays:
				n.Errorf("to", "公示期只有 %d 天，至少要 %d 天（含首尾两天）", "the notice period is %d days; at least %d days are required (both ends included)", nt.Days(), d.site.NoticeMinDays).
					WithHint("把 to 改为 %s 或更晚", "set to to %s or later", from.AddDate(0, 0, d.site.NoticeMinDays-1).Format("2006-01-02"))
			}
			r.Notice = nt
		}
	}
	if t.Has("unpublish_after") {
		var ok bool
		r.UnpublishAfter, _, ok = t.Date("unpublish_after", false)
		switch {
		case !ok || r.Date.IsZero():
		case !day(r.UnpublishAfter).After(day(r.Date)):
			t.Errorf("unpublish_after", "unpublish_after（%s）不晚于 date（%s）：记录一发布就会从网站上消失", "unpublish_after (%s) is not after date (%s): the record would leave the site as soon as it is published",
				r.UnpublishAfter.Format("2006-01-02"), r.Date.Format("2006-01-02")).
				WithHint("unpublish_after 是记录从网站撤下的日期，应晚于 date；不需要撤下就删去这一行", "unpublish_after is the day the record leaves the site and must be after date; delete the line if it should stay")
		case r.Notice != nil && day(r.UnpublishAfter).Before(day(r.Notice.To)):
			t.Errorf("unpublish_after", "unpublish_after（%s）早于公示期结束（%s）：公示期还没结束，记录就会从网站上消失", "unpublish_after (%s) is before the notice period ends (%s): the record would leave the site while still on notice",
				r.UnpublishAfter.Format("2006-01-02"), r.Notice.To.Format("2006-01-02")).
				WithHint("把 unpublish_after 改为 %s 或更晚", "set unpublish_after to %s or later", r.Notice.To.Format("2006-01-02"))
		}
	}
	r.ChangeNote = strings.TrimSpace(t.String("change_note", false))
	seen := map[string]int{}
	for i, a := range t.Strings("attachments") {
		pos := t.Pos("attachments")
		if a == "" || strings.Contains(a, "\\") || path.IsAbs(a) || strings.HasPrefix(path.Clean(a), "..") || strings.Contains(a, "..") {
			d.errf(pos, "附件 %q 的路径不允许：只能是记录文件夹里的文件，不能含 ..", "attachment %q is not allowed: only files in the record's folder, no ..", a).
				WithHint("把附件复制到 %s/ 里，只写文件名", "copy the file into %s/ and write its name only", path.Dir(r.File))
			continue
		}
		clean := path.Clean(a)
		if first, dup := seen[clean]; dup {
			d.errf(pos, "附件 %q 写了两次（第 %d 项和第 %d 项）", "attachment %q is listed twice (items %d and %d)", a, first, i+1).
				WithHint("删去重复的一项", "delete the repeated item")
			continue
		}
		seen[clean] = i + 1
		p := path.Join(path.Dir(r.File), clean)
		st, err := fs.Stat(d.fsys, p)
		switch {
		case folder.Outside(d.fsys, p, err):
			d.extra.Add(folder.Problem(pos, d.fsys, p, err))
			continue
		case err != nil || st.IsDir():
			d.errf(pos, "附件 %q 不存在（第 %d 项）", "attachment %q does not exist (item %d)", a, i+1).
				WithHint("把文件放到 %s/ 里，或改正文件名", "put the file into %s/ or correct its name", path.Dir(r.File))
			continue
		}
		if !r.Bundle {
			d.errf(pos, "只有“文件夹式记录”（<名称>/index.md）才能带附件", "only a bundle (<slug>/index.md) can have attachments").
				WithHint("把 %s 改为 %s/index.md，附件放在同一文件夹", "move %s to %s/index.md and put the attachments beside it", r.File, r.ID)
			continue
		}
		b, err := fs.ReadFile(d.fsys, p)
		if err != nil {
			d.extra.Add(folder.Problem(pos, d.fsys, p, err))
			continue
		}
		d.file(p, b)
		r.Attachments = append(r.Attachments, clean)
	}
	r.Personal = t.Bool("personal")
	r.Draft = t.Bool("draft")
	r.Paper, r.Orientation = d.site.Print.Paper, d.site.Print.Orientation
	if p := t.Table("print"); p != nil {
		r.Paper = config.Paper(p, "paper", r.Paper)
		r.Orientation = config.Orientation(p, "orientation", r.Orientation)
		p.Done()
	}
}

func (d *decoder) convention() {
	t := d.t
	c := &Convention{Kind: t.String("kind", true)}
	d.enum(t, "kind", c.Kind, ConventionKinds)
	c.AdoptedOn, _, _ = t.Date("adopted_on", false)
	c.AdoptedBy = t.String("adopted_by", false)
	c.FiledWith = t.String("filed_with", false)
	c.FiledOn, _, _ = t.Date("filed_on", false)
	if !c.FiledOn.IsZero() && !c.AdoptedOn.IsZero() && c.FiledOn.Before(c.AdoptedOn) {
		t.Errorf("filed_on", "备案日期早于通过日期", "filed_on is before adopted_on")
	}
	d.r.Convention = c
	d.extra.Add(CheckArticles(d.r.File, d.r.Body, d.r.BodyLine)...)
}

func (d *decoder) disclosure() {
	t := d.t
	x := &Disclosure{Category: t.String("category", true)}
	d.enum(t, "category", x.Category, d.site.DisclosureCategories)
	if p := t.String("period", false); p != "" {
		if per, ok := calendar.ParsePeriod(p); ok {
			x.Period = &per
		} else {
			t.Errorf("period", "period 写法不对：%q", "period %q is not valid", p).
				WithHint("可写 \"2026\"、\"2026-Q3\"、\"2026-10\" 或 \"2026-H1\"", "write \"2026\", \"2026-Q3\", \"2026-10\" or \"2026-H1\"")
		}
	}
	if f := t.Table("finance"); f != nil {
		x.Finance = d.finance(f)
	}
	for _, tt := range t.Tables("tables") {
		ref := TableRef{Title: tt.String("title", true), File: tt.String("file", true), Sheet: tt.String("sheet", false), Sum: tt.Strings("sum"), Pos: tt.Pos("file")}
		tt.Done()
		if ref.File == "" {
			continue
		}
		if strings.Contains(ref.File, "..") || strings.Contains(ref.File, "\\") || path.IsAbs(ref.File) {
			tt.Errorf("file", "表格文件 %q 的路径不允许", "table file %q is not allowed", ref.File)
			continue
		}
		ref.Path = path.Join(path.Dir(d.r.File), ref.File)
		b, err := fs.ReadFile(d.fsys, ref.Path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			tt.Errorf("file", "表格文件 %q 不存在", "table file %q does not exist", ref.File).
				WithHint("把表格文件（.csv 或 .xlsx）放在 %s/ 里，文件名要和这里写的完全一样", "put the table file (.csv or .xlsx) into %s/ under exactly this name", path.Dir(d.r.File))
			continue
		case err != nil:
			d.extra.Add(folder.Problem(tt.Pos("file"), d.fsys, ref.Path, err))
			continue
		}
		d.file(ref.Path, b)
		data, tds := d.readTable(ref, b, tt)
		d.extra.Add(tds...)
		if data != nil {
			ref.Data = data
		}
		x.Tables = append(x.Tables, ref)
	}
	d.r.Disclosure = x
}

// amount reads an amount; a missing one is reported by the schema when
// it is required.
func (d *decoder) amount(t *fields.Table, key string) (money.Amount, bool) {
	v, ok := t.Raw(key)
	if !ok {
		return 0, false
	}
	switch x := v.(type) {
	case int64, float64:
		n := fmt.Sprint(x)
		if f, ok := x.(float64); ok {
			n = strconv.FormatFloat(f, 'f', -1, 64)
		}
		t.Errorf(key, "%s 是金额，要加英文双引号", "%s is an amount and is written in double quotes", key).
			WithHint("写成 %s = \"%s\"，最多两位小数", "write %s = \"%s\", with at most two decimals", key, n)
		return 0, false
	}
	a, err := money.FromTOML(v)
	if err != nil {
		e := t.Errorf(key, "%s 不是有效金额：%v", "%s is not a valid amount: %v", key, err)
		e.Hint = diag.T("金额写成 \"1234.50\"：只写数字，最多两位小数，不带“元”", "write amounts as \"1234.50\": digits only, at most two decimals, no unit")
		if pe, ok := err.(*money.ParseError); ok {
			e.Msg = diag.T("%s 不是有效金额：%s", "%s is not a valid amount: %s", key, pe.Reason.Zh)
			e.Msg.En = key + " is not a valid amount: " + pe.Reason.En
		}
		return 0, false
	}
	return a, true
}

func (d *decoder) finance(f *fields.Table) *Finance {
	fin := &Finance{}
	var okO, okC bool
	fin.Opening, okO = d.amount(f, "opening")
	fin.Closing, okC = d.amount(f, "closing")
	allOK := okO && okC
	for _, kind := range []string{"income", "expense"} {
		for _, lt := range f.Tables(kind) {
			l := Line{Item: lt.String("item", true), Voucher: lt.String("voucher", false)}
			l.Date, _, _ = lt.Date("date", true)
			var ok bool
			l.Amount, ok = d.amount(lt, "amount")
			allOK = allOK && ok
			if ok && l.Amount < 0 {
				lt.Errorf("amount", "金额不能为负数", "amounts must not be negative").
					WithHint("收入写在 [[finance.income]]，支出写在 [[finance.expense]]", "put income under [[finance.income]] and expense under [[finance.expense]]")
			}
			lt.Done()
			if kind == "income" {
				fin.Income = append(fin.Income, l)
			} else {
				fin.Expense = append(fin.Expense, l)
			}
		}
	}
	allOK = d.workbookLines(f, fin) && allOK
	f.Done()
	if !allOK {
		return fin
	}
	income, okI := d.total(f, "income", fin.Income)
	expense, okE := d.total(f, "expense", fin.Expense)
	if !okI || !okE {
		return fin
	}
	want, ok := fin.Opening.Add(income)
	if ok {
		want, ok = want.Sub(expense)
	}
	switch {
	case !ok:
		f.Errorf("closing", "期初 %s + 收入 %s − 支出 %s 超出可以计算的范围", "opening %s + income %s − expense %s is out of range", fin.Opening, income, expense).
			WithHint("请核对金额：金额最多 9999999999999.99 元", "check the amounts: at most 9999999999999.99 yuan")
	case want != fin.Closing:
		diff, _ := want.Sub(fin.Closing)
		f.Errorf("closing", "账目不平：期初 %s + 收入 %s − 支出 %s = %s，但期末余额写的是 %s（相差 %s）",
			"the account does not balance: opening %s + income %s − expense %s = %s, but closing is %s (off by %s)",
			fin.Opening, income, expense, want, fin.Closing, diff).
			WithHint("请核对每一笔收支和期初、期末余额", "check every line and the opening and closing balances")
	}
	return fin
}

// total adds the lines of one side of an account, reporting a sum beyond
// money.Max at the line that took it there.
func (d *decoder) total(f *fields.Table, kind string, lines []Line) (money.Amount, bool) {
	as := make([]money.Amount, len(lines))
	for i, l := range lines {
		as[i] = l.Amount
	}
	t, at, ok := money.Sum(as)
	if !ok {
		name := map[string]string{"income": "收入", "expense": "支出"}[kind]
		d.extra.Add(diag.Errorf(f.Tables(kind)[at].Pos("amount"), "%[1]s合计超出可以计算的范围（最多 9999999999999.99 元）", "the total %[2]s is out of range (at most 9999999999999.99 yuan)", name, kind).
			WithHint("请核对这一笔和前面各笔的金额", "check this amount and the ones before it"))
	}
	return t, ok
}

// day returns t's calendar date, at midnight in its zone.
func day(t time.Time) time.Time {
	y, m, dd := t.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, t.Location())
}

func (d *decoder) decision() {
	t := d.t
	x := &Decision{Category: t.String("category", true), Origin: t.String("origin", false)}
	d.enum(t, "category", x.Category, DecisionCategories)
	if x.Origin != "" {
		d.enum(t, "origin", x.Origin, Origins)
	}
	x.Amount, x.HasAmount = d.amount(t, "amount")
	major := d.site.MajorAmount
	switch {
	case x.Category == "大额资金使用" && !t.Has("amount"):
		t.Errorf("category", "“大额资金使用”必须写明金额 amount", "a 大额资金使用 decision must state its amount").
			WithHint("加一行 amount = \"128000.00\"", "add amount = \"128000.00\"")
	case x.Category == "大额资金使用" && x.HasAmount && x.Amount < major:
		t.Errorf("amount", "金额 %s 元低于大额标准 %s 元，不属于“大额资金使用”", "%s is below the major amount %s", x.Amount.Grouped(), major.Grouped()).
			WithHint("核对金额，或改用其他类别", "check the amount or choose another category")
	}
	prev := -1
	var prevDate string
	for i, st := range t.Tables("steps") {
		s := Step{Stage: st.String("stage", true), Body: st.String("body", false), Note: st.String("note", false), Pos: st.Pos("stage"), Index: -1}
		s.Date, _, _ = st.Date("date", true)
		s.Minutes = strings.Trim(st.String("minutes", false), "/")
		st.Done()
		for k, name := range d.site.Procedure {
			if name == s.Stage {
				s.Index = k
			}
		}
		if s.Stage != "" && s.Index < 0 {
			e := st.Errorf("stage", "程序步骤 %q 不在本站的程序里", "stage %q is not in the site's procedure", s.Stage)
			if sug := diag.Suggest(s.Stage, d.site.Procedure); sug != "" {
				e.Hint = diag.T("是不是想写 %q？步骤依次为：%s", "did you mean %q? the stages are: %s", sug, strings.Join(d.site.Procedure, " → "))
			} else {
				e.Hint = diag.T("步骤依次为：%s", "the stages are: %s", strings.Join(d.site.Procedure, " → "))
			}
		}
		if s.Index >= 0 {
			switch {
			case s.Index == prev:
				st.Errorf("stage", "步骤 %q 重复了", "stage %q is repeated", s.Stage).
					WithHint("每个步骤只写一次；步骤依次为：%s", "write each stage once; the stages are: %s", strings.Join(d.site.Procedure, " → "))
			case s.Index < prev:
				st.Errorf("stage", "步骤顺序不对：%q 应在 %q 之前", "stages out of order: %q comes before %q", s.Stage, d.site.Procedure[prev]).
					WithHint("按程序顺序排列：%s", "follow the procedure: %s", strings.Join(d.site.Procedure, " → "))
			}
			prev = max(prev, s.Index)
		}
		if !s.Date.IsZero() {
			ds := s.Date.Format("2006-01-02")
			if i > 0 && prevDate != "" && ds < prevDate {
				st.Errorf("date", "第 %d 步的日期 %s 早于上一步的 %s", "step %d is dated %s, before the previous step (%s)", i+1, ds, prevDate).
					WithHint("各步骤的日期不能倒退", "step dates must not go backwards")
			}
			prevDate = ds
		}
		if s.Minutes != "" && !HasPlaceholder(s.Minutes) {
			d.r.Links = append(d.r.Links, Link{Target: s.Minutes, Pos: st.Pos("minutes"), Field: st.Path() + ".minutes"})
		}
		x.Steps = append(x.Steps, s)
	}
	d.r.Decision = x
}

// MaxCount bounds every count of people and votes of a meeting: a
// village assembly of 100,000 is far beyond any real one.
const MaxCount = 100000

// count reads a count of people or votes: a whole number from 0 to
// MaxCount. A negative or larger number is an error at its key; the count
// is then not used (ok false).
func count(t *fields.Table, key string, required bool, zh, en string) (int, bool) {
	n, ok := t.Int(key, required)
	switch {
	case !ok:
		return 0, false
	case n < 0:
		t.Errorf(key, "%[1]s不能为负数", "%[2]s must not be negative", zh, en).
			WithHint("没有时写 0", "write 0 when there are none")
		return 0, false
	case n > MaxCount:
		t.Errorf(key, "%[1]s %[3]d 太大：最多 %[4]d", "%[2]s %[3]d is too large: at most %[4]d", zh, en, n, MaxCount).
			WithHint("核对这个数字", "check the number")
		return 0, false
	}
	return n, true
}

func (d *decoder) minutes() {
	t := d.t
	m := &Minutes{
		Meeting: t.String("meeting", true), Place: t.String("place", false),
		Chair: t.String("chair", false), Recorder: t.String("recorder", false),
	}
	exp, okE := count(t, "expected", false, "应到人数", "expected")
	pre, okP := count(t, "present", false, "实到人数", "present")
	m.Expected, m.Present = exp, pre
	m.HasCounts = okE && okP
	// A template leaves its counts at 0: a meeting expects someone, and
	// one that voted had someone there.
	if okE && exp == 0 {
		t.Errorf("expected", "应到人数是 0", "expected is 0").
			WithHint("写上这次会议应到的人数", "write the number of members expected at this meeting")
		m.HasCounts = false
	}
	if okP && pre == 0 && t.Has("resolutions") {
		t.Errorf("present", "实到人数是 0，会议却有表决事项", "present is 0 but the meeting voted").
			WithHint("写上实到的人数", "write the number of members present")
		m.HasCounts = false
	}
	rule := d.site.RuleFor(m.Meeting)
	m.Quorum = true
	if m.HasCounts {
		if pre > exp {
			t.Errorf("present", "实到人数 %d 超过应到人数 %d", "present (%d) exceeds expected (%d)", pre, exp).
				WithHint("核对应到、实到人数", "check the expected and present counts")
			m.HasCounts = false
		} else {
			m.QuorumNeed = rule.Quorum.Need(exp)
			m.Quorum = rule.Quorum.Met(pre, exp)
		}
	}
	for _, a := range t.Tables("absent") {
		m.Absent = append(m.Absent, Absent{Name: a.String("name", true), Reason: a.String("reason", false)})
		a.Done()
	}
	for _, a := range t.Tables("agenda") {
		m.Agenda = append(m.Agenda, a.String("item", true))
		a.Done()
	}
	if m.HasCounts && len(m.Absent) > 0 && len(m.Absent) > m.Expected-m.Present {
		t.Errorf("absent", "缺席名单有 %d 人，但应到 %d 人、实到 %d 人，最多缺席 %d 人", "%d absentees listed, but expected %d − present %d = %d", len(m.Absent), m.Expected, m.Present, m.Expected-m.Present)
	}
	for _, rt := range t.Tables("resolutions") {
		res := Resolution{Text: rt.String("text", true), Pos: rt.Pos("text")}
		var ok1, ok2, ok3 bool
		res.For, ok1 = count(rt, "for", true, "赞成票数", "votes for")
		res.Against, ok2 = count(rt, "against", false, "反对票数", "votes against")
		res.Abstain, ok3 = count(rt, "abstain", false, "弃权票数", "abstentions")
		ok1 = ok1 && (ok2 || !rt.Has("against")) && (ok3 || !rt.Has("abstain"))
		res.Counted = ok1
		res.Decision = strings.Trim(rt.String("decision", false), "/")
		result := rt.String("result", false)
		rt.Done()
		total := res.For + res.Against + res.Abstain
		if ok1 && total == 0 {
			rt.Errorf("for", "这项表决没有票数：赞成、反对、弃权都是 0", "this resolution has no votes: for, against and abstain are all 0").
				WithHint("写上赞成、反对和弃权的票数", "write the votes for, against and abstaining")
			res.Counted = false
		}
		if m.HasCounts && total > m.Present {
			rt.Errorf("for", "赞成 %d + 反对 %d + 弃权 %d = %d 票，超过实到人数 %d", "for %d + against %d + abstain %d = %d votes, more than the %d present",
				res.For, res.Against, res.Abstain, total, m.Present).
				WithHint("票数合计不能超过实到人数", "the votes cannot exceed the members present")
		}
		res.Passed = ok1 && m.Quorum && rule.Pass.Met(res.For, m.Present)
		if !m.HasCounts {
			res.Passed = ok1 && res.For > res.Against
		}
		switch result {
		case "":
		case "通过", "未通过":
			if (result == "通过") != res.Passed {
				e := rt.Errorf("result", "表决结果写的是“%s”，但按票数应为“%s”", "result says %q but the votes give %q", result, res.Result())
				if !m.Quorum {
					e.Hint = diag.T("实到 %d 人，未达到法定人数（%s，需 %d 人），会议不能通过任何事项", "%d present, below the quorum (%s, %d needed): the meeting can pass nothing", m.Present, rule.Quorum.Words(), m.QuorumNeed)
				} else {
					e.Hint = diag.T("%s须经实到人数%s赞成：实到 %d 人，赞成 %d 票；删去 result 由系统计算即可", "a resolution of %[1]s needs %[2]s of those present; present %[3]d, for %[4]d; delete result and it is computed", m.Meeting, rule.Pass.Words(), m.Present, res.For)
				}
			}
		default:
			rt.Errorf("result", "result 只能是“通过”或“未通过”", "result must be 通过 or 未通过").
				WithHint("也可以删去 result，由票数计算", "or delete result: it is computed from the votes")
		}
		if res.Decision != "" && !HasPlaceholder(res.Decision) {
			d.r.Links = append(d.r.Links, Link{Target: res.Decision, Pos: rt.Pos("decision"), Field: rt.Path() + ".decision"})
		}
		m.Resolutions = append(m.Resolutions, res)
	}
	if m.HasCounts && !m.Quorum {
		for i, res := range m.Resolutions {
			if res.For > 0 && rule.Pass.Met(res.For, m.Present) {
				t.Errorf("present", "未达到法定人数：%s须%s到会（应到 %d 人，需 %d 人），实到 %d 人，会议不能作出决议", "no quorum: a %s needs %s present (%d expected, %d needed), %d present: it can pass nothing",
					m.Meeting, rule.Quorum.Words(), m.Expected, m.QuorumNeed, m.Present).
					WithHint("核对实到人数；如确未达到，第 %d 项决议应写 result = \"未通过\"", "check the count; if so, mark resolution %d result = \"未通过\"", i+1)
				break
			}
		}
	}
	d.r.Minutes = m
}

var rawHTMLRE = regexp.MustCompile(`<(?:[a-zA-Z][a-zA-Z0-9-]*[\s>/]|/[a-zA-Z]|!--)`)

// file notes that the record publishes the file at the content-relative
// path p, whose bytes are data: Record.Files keeps its SHA-256 under its
// name relative to the record's folder.
func (d *decoder) file(p string, data []byte) {
	name := strings.TrimPrefix(p, path.Dir(d.r.File)+"/")
	if d.r.Files == nil {
		d.r.Files = map[string]string{}
	}
	h := sha256.Sum256(data)
	d.r.Files[name] = hex.EncodeToString(h[:])
}
