package sheet

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"rsc.io/qr"
)

// Quiet is the width of the white border around a QR code, in modules,
// as ISO/IEC 18004 asks.
const Quiet = 4

// QRSVG encodes text as a QR code (error correction level M) and returns
// it as an inline SVG element. The SVG is drawn in modules (viewBox), so
// CSS sets its printed size; title names it for screen readers. Dark
// modules are one path of unit squares, merged along each row.
func QRSVG(text, title string) (template.HTML, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", fmt.Errorf("sheet: QR code of %q: %w", text, err)
	}
	return template.HTML(svgOf(code, title)), nil
}

// svgOf draws the modules of code.
func svgOf(code *qr.Code, title string) string {
	n := code.Size + 2*Quiet
	var b strings.Builder
	b.Grow(code.Size * code.Size * 3)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges">`, n, n, template.HTMLEscapeString(title))
	b.WriteString(`<title>` + template.HTMLEscapeString(title) + `</title>`)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; {
			if !code.Black(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < code.Size && code.Black(x+run, y) {
				run++
			}
			b.WriteString("M" + strconv.Itoa(x+Quiet) + " " + strconv.Itoa(y+Quiet) + "h" + strconv.Itoa(run) + "v1h-" + strconv.Itoa(run) + "z")
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String()
}
