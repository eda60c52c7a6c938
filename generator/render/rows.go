package render

import (
	"html/template"
	"strconv"
	"strings"
)

// The rows of the long tables — a decision's timeline, the votes of a
// meeting, the lines of an account — are written here rather than by the
// templates: every template action is a reflective call, and these rows
// were a quarter of the time spent rendering a large board. The default
// theme places them with one action; a theme that wants other markup can
// still range over the same data (Steps, Resolutions, Lines) itself.
// Text is escaped as html/template escapes it, so the pages are the same
// byte for byte.

// TimelineItems returns the steps of a decision as the <li> items of the
// record page's timeline.
func (p *Page) TimelineItems(steps []StepView) template.HTML {
	var b strings.Builder
	b.Grow(len(steps) * 200)
	for _, s := range steps {
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
		escape(&b, s.Stage)
		b.WriteString(`</strong>`)
		if s.Done {
			b.WriteString(` · <span>`)
			escape(&b, s.Date)
			b.WriteString(`</span>`)
		} else {
			b.WriteString(` · <span>尚未进行</span>`)
		}
		b.WriteString(`</p>`)
		if s.Body != "" {
			b.WriteString(`<p>`)
			escape(&b, s.Body)
			b.WriteString(`</p>`)
		}
		if v := s.Votes; v != nil {
			b.WriteString(`<p class="votes">`)
			attendance(&b, v)
			b.WriteString(`：赞成 `)
			b.WriteString(strconv.Itoa(v.For))
			b.WriteString(`，反对 `)
			b.WriteString(strconv.Itoa(v.Against))
			b.WriteString(`，弃权 `)
			b.WriteString(strconv.Itoa(v.Abstain))
			b.WriteString(` —— <strong>`)
			escape(&b, v.Result)
			b.WriteString(`</strong></p>`)
		}
		if m := s.Minutes; m != nil {
			b.WriteString(`<p>会议记录：<a href="`)
			escapeURL(&b, p.URL(m.Path))
			b.WriteString(`">`)
			escape(&b, m.Title)
			b.WriteString(`</a></p>`)
		}
		if s.Note != "" {
			b.WriteString(`<p class="note">`)
			escape(&b, s.Note)
			b.WriteString(`</p>`)
		}
		b.WriteString(`</li>`)
	}
	return template.HTML(b.String())
}

// ResolutionRows returns the resolutions of a meeting as the rows of the
// record page's table of votes.
func (p *Page) ResolutionRows(rs []ResolutionView) template.HTML {
	var b strings.Builder
	b.Grow(len(rs) * 160)
	for _, r := range rs {
		b.WriteString(`<tr><th scope="row">`)
		escape(&b, r.Text)
		if d := r.Decision; d != nil {
			b.WriteString(`<br><a href="`)
			escapeURL(&b, p.URL(d.Path))
			b.WriteString(`">`)
			escape(&b, d.Title)
			b.WriteString(`</a>`)
		}
		b.WriteString(`</th>`)
		voteCells(&b, r.Votes, "<td>")
		b.WriteString(`</tr>`)
	}
	return template.HTML(b.String())
}

// SheetRows returns the steps of a decision as the rows of the print
// sheet's timeline table.
func (d *DecisionView) SheetRows() template.HTML {
	var b strings.Builder
	b.Grow(len(d.Steps) * 160)
	for _, s := range d.Steps {
		if s.Done {
			b.WriteString(`<tr class="done"><th scope="row">`)
		} else {
			b.WriteString(`<tr class="todo"><th scope="row">`)
		}
		escape(&b, s.Stage)
		b.WriteString(`</th><td class="date">`)
		if s.Done {
			escape(&b, s.Date)
		} else {
			b.WriteString(`尚未进行`)
		}
		b.WriteString(`</td><td>`)
		escape(&b, s.Body)
		if v := s.Votes; v != nil {
			b.WriteString(` `)
			attendance(&b, v)
			b.WriteString(`，赞成 `)
			b.WriteString(strconv.Itoa(v.For))
			b.WriteString(`，反对 `)
			b.WriteString(strconv.Itoa(v.Against))
			b.WriteString(`，弃权 `)
			b.WriteString(strconv.Itoa(v.Abstain))
			b.WriteString(`：<strong>`)
			escape(&b, v.Result)
			b.WriteString(`</strong>。`)
		}
		if m := s.Minutes; m != nil {
			b.WriteString(` 会议记录：`)
			escape(&b, m.Title)
			b.WriteString(`。`)
		}
		if s.Note != "" {
			b.WriteString(` `)
			escape(&b, s.Note)
		}
		b.WriteString(`</td></tr>`)
	}
	return template.HTML(b.String())
}

// SheetRows returns the resolutions of a meeting as the rows of the print
// sheet's table of votes.
func (m *MinutesView) SheetRows() template.HTML {
	var b strings.Builder
	b.Grow(len(m.Resolutions) * 160)
	for _, r := range m.Resolutions {
		b.WriteString(`<tr><th scope="row">`)
		escape(&b, r.Text)
		if d := r.Decision; d != nil {
			b.WriteString(`（`)
			escape(&b, d.Title)
			b.WriteString(`）`)
		}
		b.WriteString(`</th>`)
		voteCells(&b, r.Votes, `<td class="num">`)
		b.WriteString(`</tr>`)
	}
	return template.HTML(b.String())
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

// Rows returns the lines of an account as the rows of the record page's
// table.
func (c LinesCtx) Rows() template.HTML { return c.rows(`<tr><td>`) }

// SheetRows returns the lines of an account as the rows of the print
// sheet's table.
func (c LinesCtx) SheetRows() template.HTML { return c.rows(`<tr><td class="date">`) }

func (c LinesCtx) rows(open string) template.HTML {
	var b strings.Builder
	b.Grow(len(c.Lines) * 120)
	for _, l := range c.Lines {
		b.WriteString(open)
		escape(&b, l.Date)
		b.WriteString(`</td><td>`)
		escape(&b, l.Item)
		b.WriteString(`</td><td class="num">`)
		escape(&b, l.Amount)
		b.WriteString(`</td><td>`)
		escape(&b, l.Voucher)
		b.WriteString(`</td></tr>`)
	}
	return template.HTML(b.String())
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
