package render

import (
	"bytes"
	"io/fs"
	"strconv"
	"strings"

	"gongkai/generator/link"
	"gongkai/themes"
)

// The partials of the longest lists — list items, a decision's timeline,
// the votes of a meeting, the lines of an account — run for every record
// of a large board, and html/template pays a reflective call and an
// escaper call for every action: together they were a fifth of a cold
// build. For these partials the default theme's markup is also written
// here, in Go, and used only while the theme's file is the default's byte
// for byte; a theme that changes one gets its own template. The fuzz test
// FuzzFastPartials holds each to what html/template makes of the default
// partial, byte for byte, and escape to html/template's escaper.

// fastPartial writes the default markup of a partial for ctx, or reports
// false when ctx is not what it expects (the template then runs).
type fastPartial func(b *strings.Builder, ctx any) bool

var fastPartials = map[string]fastPartial{
	"item":           fastItem,
	"timeline":       fastTimeline,
	"votes":          fastVotes,
	"account":        fastAccount,
	"sheet-timeline": fastSheetTimeline,
	"sheet-votes":    fastSheetVotes,
	"sheet-account":  fastSheetAccount,
}

// defaultPartials returns the names of the partials of theme that are the
// default theme's byte for byte, for which the Go markup may be used.
func defaultPartials(theme fs.FS) map[string]bool {
	out := map[string]bool{}
	def := themes.Default()
	for name := range fastPartials {
		file := "templates/partials/" + name + ".html"
		a, err := fs.ReadFile(theme, file)
		if err != nil {
			continue
		}
		if b, err := fs.ReadFile(def, file); err == nil && bytes.Equal(a, b) {
			out[name] = true
		}
	}
	return out
}

func fastItem(b *strings.Builder, ctx any) bool {
	it, ok := ctx.(Item)
	if !ok || it.Page == nil || it.Record == nil {
		return false
	}
	v := it.Record
	b.WriteString(`<li class="item"><a href="`)
	escapeURL(b, link.Rel(it.Page.Path, v.Path, it.Page.Offline))
	b.WriteString(`">`)
	escape(b, v.Title)
	b.WriteString(`</a><span class="meta"><time datetime="`)
	escape(b, v.DateISO)
	b.WriteString(`">`)
	escape(b, v.DateText)
	b.WriteString(`</time>`)
	for _, s := range []string{v.Category, v.Number} {
		if s != "" {
			b.WriteString(" · ")
			escape(b, s)
		}
	}
	if v.NoticeFrom != "" && v.NoticeState != "公示期已结束" {
		// The status script turns the badge to the reader's day.
		b.WriteString(` · <span class="badge" data-from="`)
		escape(b, v.NoticeFrom)
		b.WriteString(`" data-to="`)
		escape(b, v.NoticeTo)
		b.WriteString(`">`)
		escape(b, v.NoticeState)
		b.WriteString(`</span>`)
	}
	if v.Withdrawn != "" {
		b.WriteString(` · <span class="badge withdrawn">已撤回</span>`)
	}
	b.WriteString(`</span></li>`)
	return true
}

// recordPage returns the page and the record of a record page.
func recordPage(ctx any) (*Page, *RecordView, bool) {
	p, ok := ctx.(*Page)
	if !ok {
		return nil, nil, false
	}
	v, ok := p.Main.(*RecordView)
	return p, v, ok && v != nil
}

func fastTimeline(b *strings.Builder, ctx any) bool {
	p, v, ok := recordPage(ctx)
	if !ok || v.Dec == nil {
		return false
	}
	for _, s := range v.Dec.Steps {
		b.WriteString(`<li class="`)
		if s.Done {
			b.WriteString("done")
		} else {
			b.WriteString("todo")
		}
		if s.Current {
			b.WriteString(" current")
		}
		b.WriteString(`"><p class="stage"><strong>`)
		escape(b, s.Stage)
		b.WriteString(`</strong>`)
		if s.Done {
			b.WriteString(` · <span>`)
			escape(b, s.Date)
			b.WriteString(`</span>`)
		} else {
			b.WriteString(` · <span>尚未进行</span>`)
		}
		b.WriteString(`</p>`)
		if s.Body != "" {
			b.WriteString(`<p>`)
			escape(b, s.Body)
			b.WriteString(`</p>`)
		}
		if v := s.Votes; v != nil {
			b.WriteString(`<p class="votes">`)
			attendance(b, v)
			b.WriteString(`：赞成 `)
			b.WriteString(strconv.Itoa(v.For))
			b.WriteString(`，反对 `)
			b.WriteString(strconv.Itoa(v.Against))
			b.WriteString(`，弃权 `)
			b.WriteString(strconv.Itoa(v.Abstain))
			b.WriteString(` —— <strong>`)
			escape(b, v.Result)
			b.WriteString(`</strong></p>`)
		}
		if m := s.Minutes; m != nil {
			b.WriteString(`<p>会议记录：<a href="`)
			escapeURL(b, p.URL(m.Path))
			b.WriteString(`">`)
			escape(b, m.Title)
			b.WriteString(`</a></p>`)
		}
		if s.Note != "" {
			b.WriteString(`<p class="note">`)
			escape(b, s.Note)
			b.WriteString(`</p>`)
		}
		b.WriteString(`</li>`)
	}
	return true
}

func fastVotes(b *strings.Builder, ctx any) bool {
	p, v, ok := recordPage(ctx)
	if !ok || v.Min == nil {
		return false
	}
	for _, r := range v.Min.Resolutions {
		b.WriteString(`<tr><th scope="row">`)
		escape(b, r.Text)
		if d := r.Decision; d != nil {
			b.WriteString(`<br><a href="`)
			escapeURL(b, p.URL(d.Path))
			b.WriteString(`">`)
			escape(b, d.Title)
			b.WriteString(`</a>`)
		}
		b.WriteString(`</th>`)
		voteCells(b, r.Votes, "<td>")
		b.WriteString(`</tr>`)
	}
	return true
}

func fastSheetTimeline(b *strings.Builder, ctx any) bool {
	d, ok := ctx.(*DecisionView)
	if !ok || d == nil {
		return false
	}
	for _, s := range d.Steps {
		if s.Done {
			b.WriteString(`<tr class="done"><th scope="row">`)
		} else {
			b.WriteString(`<tr class="todo"><th scope="row">`)
		}
		escape(b, s.Stage)
		b.WriteString(`</th><td class="date">`)
		if s.Done {
			escape(b, s.Date)
		} else {
			b.WriteString(`尚未进行`)
		}
		b.WriteString(`</td><td>`)
		escape(b, s.Body)
		if v := s.Votes; v != nil {
			b.WriteString(` `)
			attendance(b, v)
			b.WriteString(`，赞成 `)
			b.WriteString(strconv.Itoa(v.For))
			b.WriteString(`，反对 `)
			b.WriteString(strconv.Itoa(v.Against))
			b.WriteString(`，弃权 `)
			b.WriteString(strconv.Itoa(v.Abstain))
			b.WriteString(`：<strong>`)
			escape(b, v.Result)
			b.WriteString(`</strong>。`)
		}
		if m := s.Minutes; m != nil {
			b.WriteString(` 会议记录：`)
			escape(b, m.Title)
			b.WriteString(`。`)
		}
		if s.Note != "" {
			b.WriteString(` `)
			escape(b, s.Note)
		}
		b.WriteString(`</td></tr>`)
	}
	return true
}

func fastSheetVotes(b *strings.Builder, ctx any) bool {
	m, ok := ctx.(*MinutesView)
	if !ok || m == nil {
		return false
	}
	for _, r := range m.Resolutions {
		b.WriteString(`<tr><th scope="row">`)
		escape(b, r.Text)
		if d := r.Decision; d != nil {
			b.WriteString(`（`)
			escape(b, d.Title)
			b.WriteString(`）`)
		}
		b.WriteString(`</th>`)
		voteCells(b, r.Votes, `<td class="num">`)
		b.WriteString(`</tr>`)
	}
	return true
}

// attendance writes who attended a vote: 应到 62 人，实到 47 人 (实到 alone
// when the minutes give no 应到).
func attendance(b *strings.Builder, v *VoteView) {
	if v.Expected > 0 {
		b.WriteString(`应到 `)
		b.WriteString(strconv.Itoa(v.Expected))
		b.WriteString(` 人，`)
	}
	b.WriteString(`实到 `)
	b.WriteString(strconv.Itoa(v.Present))
	b.WriteString(` 人`)
}

// voteCells writes the for, against and abstain cells (each opened with
// td) and the outcome.
func voteCells(b *strings.Builder, v VoteView, td string) {
	for _, n := range []int{v.For, v.Against, v.Abstain} {
		b.WriteString(td)
		b.WriteString(strconv.Itoa(n))
		b.WriteString(`</td>`)
	}
	if v.Passed {
		b.WriteString(`<td>通过</td>`)
	} else {
		b.WriteString(`<td><strong>未通过</strong></td>`)
	}
}

func fastAccount(b *strings.Builder, ctx any) bool {
	c, ok := ctx.(LinesCtx)
	if !ok {
		return false
	}
	if len(c.Lines) == 0 {
		return true
	}
	b.WriteString(`<div class="scroll reflow" tabindex="0" role="region" aria-label="`)
	escape(b, c.Kind)
	b.WriteString(`明细"><table class="account"><caption>`)
	escape(b, c.Kind)
	b.WriteString(`明细</caption><thead><tr><th scope="col">日期</th><th scope="col">事项</th><th scope="col">金额（元）</th><th scope="col">凭证号</th></tr></thead><tbody>`)
	lineRows(b, c.Lines, `<tr><td>`)
	b.WriteString(`</tbody><tfoot><tr><th scope="row" colspan="2">`)
	escape(b, c.Kind)
	b.WriteString(`合计</th><td class="num">`)
	escape(b, c.Total)
	b.WriteString(`</td><td></td></tr></tfoot></table></div>`)
	return true
}

func fastSheetAccount(b *strings.Builder, ctx any) bool {
	c, ok := ctx.(LinesCtx)
	if !ok {
		return false
	}
	if len(c.Lines) == 0 {
		return true
	}
	b.WriteString(`<table class="grid account"><caption>`)
	escape(b, c.Kind)
	b.WriteString(`明细</caption><thead><tr><th scope="col">日期</th><th scope="col">事项</th><th scope="col" class="num">金额（元）</th><th scope="col">凭证号</th></tr></thead><tbody>`)
	lineRows(b, c.Lines, `<tr><td class="date">`)
	b.WriteString(`</tbody><tfoot><tr><th scope="row" colspan="2">`)
	escape(b, c.Kind)
	b.WriteString(`合计</th><td class="num">`)
	escape(b, c.Total)
	b.WriteString(`</td><td></td></tr></tfoot></table>`)
	return true
}

func lineRows(b *strings.Builder, lines []LineView, open string) {
	for _, l := range lines {
		b.WriteString(open)
		escape(b, l.Date)
		b.WriteString(`</td><td>`)
		escape(b, l.Item)
		b.WriteString(`</td><td class="num">`)
		escape(b, l.Amount)
		b.WriteString(`</td><td>`)
		escape(b, l.Voucher)
		b.WriteString(`</td></tr>`)
	}
}

// escape writes s as html/template writes text in an element or a quoted
// attribute value.
func escape(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// escapeURL writes a relative URL made by link.Rel into an href as
// html/template does: bytes a URL may not hold are percent-encoded (its
// normalizer), then the result is escaped as an attribute value.
func escapeURL(b *strings.Builder, u string) {
	const hex = "0123456789abcdef"
	var n strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~!#$&*+,/:;=?@[]", c) >= 0,
			c == '%' && i+2 < len(u) && isHex(u[i+1]) && isHex(u[i+2]):
			n.WriteByte(c)
		default:
			n.WriteByte('%')
			n.WriteByte(hex[c>>4])
			n.WriteByte(hex[c&15])
		}
	}
	escape(b, n.String())
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
