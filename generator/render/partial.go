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
	fast  map[string]bool // partials that are the default's: Go writes them
	made  sync.Map        // partialKey → template.HTML
	bufs  *sync.Pool
}

// partialKey names a partial made for the keys a template gave: up to
// three keys of a comparable kind as they are, the rest written out.
type partialKey struct {
	name    string
	a, b, c any
	more    string
}

// newPartials clones the page sets of ts for one render.
func newPartials(ts *Templates, bufs *sync.Pool) (*partials, error) {
	if bufs == nil {
		bufs = new(sync.Pool)
	}
	p := &partials{pages: make(map[string]*template.Template, len(ts.pages)), fast: ts.fast, bufs: bufs}
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
	k := cacheKey(name, keys)
	if h, ok := p.made.Load(k); ok {
		return h.(template.HTML), nil
	}
	h, err := p.run(name, ctx)
	if err != nil {
		return "", err
	}
	made, _ := p.made.LoadOrStore(k, h)
	return made.(template.HTML), nil
}

// run runs the partial templates/partials/<name>.html with ctx.
func (p *partials) run(name string, ctx any) (template.HTML, error) {
	if p.fast[name] {
		var b strings.Builder
		if fastPartials[name](&b, ctx) {
			return template.HTML(b.String()), nil
		}
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
	return template.HTML(buf.String()), nil
}

// cacheKey returns the key of a partial made with keys.
func cacheKey(name string, keys []any) partialKey {
	k := partialKey{name: name}
	var more strings.Builder
	for i, key := range keys {
		switch key := key.(type) {
		case string, int, int64, bool:
			switch i {
			case 0:
				k.a = key
				continue
			case 1:
				k.b = key
				continue
			case 2:
				k.c = key
				continue
			}
		case []Crumb:
			// A trail, written with the length of every part so that
			// two trails read apart.
			more.WriteString(strconv.Itoa(i) + "c")
			for _, c := range key {
				more.WriteString(strconv.Itoa(len(c.Name)) + ":" + c.Name + strconv.Itoa(len(c.Path)) + ":" + c.Path)
			}
			more.WriteByte(0)
			continue
		}
		// Anything else is written out in full, with its type and every
		// string quoted.
		fmt.Fprintf(&more, "%d:%#v\x00", i, key)
	}
	k.more = more.String()
	return k
}
