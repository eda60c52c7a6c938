package sheet

import (
	"fmt"
	"strconv"
	"strings"
)

// RunningCSS is the name of the stylesheet written beside each sheet
// document: the record's title in the top margin of every page after the
// first (the page numbers come from print.css). A margin box can only
// show text its page's CSS holds, and the policy admits no inline style,
// so each document gets a small file of its own.
const RunningCSS = "running.css"

// pageRules are the size and margins of the theme's named pages (those
// of print.css), which the board repeats for each of its sheets.
var pageRules = map[string]string{
	"a4":  "size: A4 portrait; margin: 37mm 26mm 35mm 28mm;",
	"a4l": "size: A4 landscape; margin: 28mm 37mm 26mm 35mm;",
	"a3":  "size: A3 portrait; margin: 37mm 26mm 35mm 28mm;",
	"a3l": "size: A3 landscape; margin: 28mm 37mm 26mm 35mm;",
}

// runningCSS returns the stylesheet of a document's running titles. A
// single sheet shows its title from the second page on; the board gives
// each of its sheets a named page with that sheet's title on every page
// (CSS has no "first page of this sheet").
func runningCSS(d *Doc) []byte {
	if len(d.Sheets) == 0 {
		return nil
	}
	var b strings.Builder
	if !d.Board {
		fmt.Fprintf(&b, "@page{@top-center{content:%s}}\n@page :first{@top-center{content:none}}\n", cssString(d.Sheets[0].Record.Title))
		return []byte(b.String())
	}
	for _, s := range d.Sheets {
		rule := pageRules[s.PageName]
		if rule == "" {
			rule = pageRules["a4"]
		}
		fmt.Fprintf(&b, "#%s{page:%s}\n@page %s{%s@top-center{content:%s}}\n", s.Name, s.Name, s.Name, rule, cssString(s.Record.Title))
	}
	return []byte(b.String())
}

// cssString quotes s as a CSS string: quotes, backslashes and control
// characters are escaped, and "<" too, so the text can never close a
// style element it might be placed in.
func cssString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '<' || r < 0x20 || r == 0x7f:
			b.WriteString(`\` + strconv.FormatInt(int64(r), 16) + " ")
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
