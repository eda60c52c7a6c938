package sheet

import (
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"sync"

	"rsc.io/qr"
	"rsc.io/qr/coding"
)

// Quiet is the width of the white border around a QR code, in modules,
// as ISO/IEC 18004 asks.
const Quiet = 4

// QR draws QR codes (error correction level M, as rsc.io/qr.Encode does)
// and keeps the layout plan of each size it has drawn: making the plan is
// most of the work of a code, and the sheets of a site use one or two
// sizes. A QR is safe for concurrent use; the zero value is ready.
type QR struct {
	mu    sync.Mutex
	plans map[coding.Version]*coding.Plan
}

// QRSVG draws one code; see QR.SVG.
func QRSVG(text, title string) (template.HTML, error) { return new(QR).SVG(text, title) }

// SVG encodes text and returns it as an inline SVG element. The SVG is
// drawn in modules (viewBox), so CSS sets its printed size; title names
// it for screen readers. Dark modules are one path of unit squares,
// merged along each row.
func (q *QR) SVG(text, title string) (template.HTML, error) {
	code, err := q.encode(text)
	if err != nil {
		return "", fmt.Errorf("sheet: QR code of %q: %w", text, err)
	}
	return template.HTML(svgOf(code, title)), nil
}

// encode is rsc.io/qr.Encode with the plan kept.
func (q *QR) encode(text string) (*qr.Code, error) {
	var enc coding.Encoding
	switch {
	case coding.Num(text).Check() == nil:
		enc = coding.Num(text)
	case coding.Alpha(text).Check() == nil:
		enc = coding.Alpha(text)
	default:
		enc = coding.String(text)
	}
	const level = coding.M
	v := coding.Version(coding.MinVersion)
	for ; enc.Bits(v) > v.DataBytes(level)*8; v++ {
		if v == coding.MaxVersion {
			return nil, errors.New("text too long to encode as QR")
		}
	}
	q.mu.Lock()
	p := q.plans[v]
	q.mu.Unlock()
	if p == nil {
		var err error
		if p, err = coding.NewPlan(v, level, 0); err != nil {
			return nil, err
		}
		q.mu.Lock()
		if q.plans == nil {
			q.plans = map[coding.Version]*coding.Plan{}
		}
		q.plans[v] = p
		q.mu.Unlock()
	}
	c, err := p.Encode(enc)
	if err != nil {
		return nil, err
	}
	return &qr.Code{Bitmap: c.Bitmap, Size: c.Size, Stride: c.Stride, Scale: 8}, nil
}

// svgOf draws the modules of code.
func svgOf(code *qr.Code, title string) string {
	n := strconv.Itoa(code.Size + 2*Quiet)
	t := template.HTMLEscapeString(title)
	// About one run of dark modules in three modules, each "Mx yhNv1h-Nz".
	b := make([]byte, 0, 300+2*len(t)+4*code.Size*code.Size)
	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 `+n+` `+n+`" role="img" aria-label="`+t+`" shape-rendering="crispEdges"><title>`+t+`</title><rect width="`+n+`" height="`+n+`" fill="#fff"/><path fill="#000" d="`...)
	for y := 0; y < code.Size; y++ {
		row := code.Bitmap[y*code.Stride:]
		for x := 0; x < code.Size; {
			if row[x>>3]&(0x80>>(x&7)) == 0 {
				x++
				continue
			}
			run := 1
			for x+run < code.Size && row[(x+run)>>3]&(0x80>>((x+run)&7)) != 0 {
				run++
			}
			b = append(b, 'M')
			b = appendNum(b, x+Quiet)
			b = append(b, ' ')
			b = appendNum(b, y+Quiet)
			b = append(b, 'h')
			b = appendNum(b, run)
			b = append(b, "v1h-"...)
			b = appendNum(b, run)
			b = append(b, 'z')
			x += run
		}
	}
	b = append(b, `"/></svg>`...)
	return string(b)
}

// appendNum appends the decimal digits of v ≥ 0: a coordinate or a run,
// below 200 in a QR code.
func appendNum(b []byte, v int) []byte {
	switch {
	case v < 10:
		return append(b, byte('0'+v))
	case v < 100:
		return append(b, byte('0'+v/10), byte('0'+v%10))
	}
	return strconv.AppendInt(b, int64(v), 10)
}
