package render

import (
	"html/template"
	"strings"

	"gongkai/generator/link"
)

// Items renders the list items of records as seen from the page at from.
// Lists hold thousands of records, so the item markup is written in Go
// rather than through a template call per record.
func (r *Renderer) Items(from string, recs []*RecordView) []template.HTML {
	out := make([]template.HTML, len(recs))
	var b strings.Builder
	for i, v := range recs {
		b.Reset()
		b.WriteString(`<li class="item"><a href="`)
		b.WriteString(template.HTMLEscapeString(link.Rel(from, v.Path, r.opt.Offline)))
		b.WriteString(`">`)
		b.WriteString(template.HTMLEscapeString(v.Title))
		b.WriteString(`</a><span class="meta"><time datetime="`)
		b.WriteString(v.Date.Format("2006-01-02"))
		b.WriteString(`">`)
		b.WriteString(v.DateText)
		b.WriteString(`</time>`)
		for _, s := range []string{v.Category, v.Number} {
			if s != "" {
				b.WriteString(" · ")
				b.WriteString(template.HTMLEscapeString(s))
			}
		}
		if v.NoticeFrom != "" && v.NoticeState != "公示期已结束" {
			// The status script turns the badge to the reader's day.
			b.WriteString(` · <span class="badge" data-from="`)
			b.WriteString(v.NoticeFrom)
			b.WriteString(`" data-to="`)
			b.WriteString(v.NoticeTo)
			b.WriteString(`">`)
			b.WriteString(v.NoticeState)
			b.WriteString(`</span>`)
		}
		if v.Withdrawn != "" {
			b.WriteString(` · <span class="badge withdrawn">已撤回</span>`)
		}
		b.WriteString(`</span></li>`)
		out[i] = template.HTML(b.String())
	}
	return out
}

// group makes a Group with its items for the page at from.
func (r *Renderer) group(from, title string, recs []*RecordView) Group {
	return Group{Title: title, Records: recs, Items: r.Items(from, recs)}
}
