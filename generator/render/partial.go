package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"
)

// partials are the partial functions of one render: clones of the
// theme's page sets whose partialCached makes each partial once per key
// and keeps it for the rest of the render.
type partials struct {
	set   *template.Template // the shared templates and partials
	pages map[string]*template.Template
	mu    sync.Mutex
	made  sync.Map // partialKey → template.HTML
	bufs  *sync.Pool
}

// partialKey names a partial made for the keys a template gave.
type partialKey struct {
	name, key string
}

// newPartials clones the page sets of ts for one render.
func newPartials(ts *Templates, bufs *sync.Pool) (*partials, error) {
	p := &partials{pages: make(map[string]*template.Template, len(ts.pages)), bufs: bufs}
	fm := templateFuncs(p)
	for name, t := range ts.pages {
		c, err := t.Clone()
		if err != nil {
			return nil, err
		}
		c.Funcs(fm)
		p.pages[name] = c
	}
	p.set = p.pages[""]
	return p, nil
}

// cached runs the partial templates/partials/<name>.html with ctx the
// first time it is asked for with these keys, and returns what it made
// then every later time. The keys must tell apart everything the partial
// shows: a partial that links other pages needs the depth of the page it
// is on (.Depth), since links are relative.
func (p *partials) cached(name string, ctx any, keys ...any) (template.HTML, error) {
	k := partialKey{name, cacheKey(keys)}
	if h, ok := p.made.Load(k); ok {
		return h.(template.HTML), nil
	}
	buf, _ := p.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer p.bufs.Put(buf)
	buf.Reset()
	if err := p.set.ExecuteTemplate(buf, "partials/"+name+".html", ctx); err != nil {
		return "", err
	}
	h, _ := p.made.LoadOrStore(k, template.HTML(buf.String()))
	return h.(template.HTML), nil
}

// cacheKey writes keys as one string that tells any two lists of keys
// apart.
func cacheKey(keys []any) string {
	if len(keys) == 1 {
		if s, ok := keys[0].(string); ok {
			return s
		}
	}
	var b strings.Builder
	b.WriteByte(1) // never one plain string
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			b.WriteString(strconv.Quote(k))
		case int:
			b.WriteString(strconv.Itoa(k))
		case bool:
			b.WriteString(strconv.FormatBool(k))
		default:
			fmt.Fprintf(&b, "%#v", k)
		}
		b.WriteByte(0)
	}
	return b.String()
}
