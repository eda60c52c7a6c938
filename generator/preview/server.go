package preview

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"gongkai/generator/diag"
)

// ReloadScript is served at /_gongkai/reload.js: it reloads the page when
// the server announces a new build.
const ReloadScript = `(function(){if(!window.EventSource)return;var s=new EventSource("/_gongkai/events");s.addEventListener("reload",function(){location.reload()});})();
`

// Server serves a Builder's files over HTTP: the last good build, with
// the current errors over every HTML page, and live reload.
type Server struct {
	B   *Builder
	hub hub
}

// NewServer returns a Server for b.
func NewServer(b *Builder) *Server { return &Server{B: b} }

// Reload tells every open browser to reload.
func (s *Server) Reload() { s.hub.broadcast() }

// Clients returns how many browsers are listening for reloads.
func (s *Server) Clients() int {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return len(s.hub.clients)
}

// ServeHTTP serves one request. Paths are cleaned and looked up only in
// the in-memory files, so nothing outside the built site can be served.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	switch r.URL.Path {
	case "/_gongkai/reload.js":
		h.Set("Content-Type", "application/javascript; charset=utf-8")
		_, _ = w.Write([]byte(ReloadScript))
		return
	case "/_gongkai/events":
		s.events(w, r)
		return
	}
	name, dir := Clean(r.URL.Path)
	data, ok := s.B.Get(name)
	if !ok && !dir && name != "index.html" {
		if _, isDir := s.B.Get(name + "/index.html"); isDir {
			http.Redirect(w, r, "/"+name+"/", http.StatusMovedPermanently)
			return
		}
	}
	if !ok {
		// The 404 page links from the base URL's path (/qingshi/…),
		// which the preview serves at its root.
		if alt, found := s.underBase(r.URL.Path); found {
			name, ok = alt, true
			data, _ = s.B.Get(name)
		}
	}
	status := http.StatusOK
	if !ok {
		status = http.StatusNotFound
		name = "404.html"
		if data, ok = s.B.Get(name); !ok {
			data = s.placeholder()
		}
	}
	ct := ContentType(name)
	if strings.HasPrefix(ct, "text/html") {
		if probs := s.B.Problems(); len(probs) > 0 {
			data = Inject(data, Overlay(probs))
		}
	}
	h.Set("Content-Type", ct)
	w.WriteHeader(status)
	if r.Method == http.MethodGet {
		_, _ = w.Write(data)
	}
}

// underBase returns the served file for a path under the site's base
// URL path ("/qingshi/assets/style.css" → "assets/style.css"), as the 404
// page links them.
func (s *Server) underBase(p string) (string, bool) {
	b := s.B.Board()
	if b == nil || b.Site == nil {
		return "", false
	}
	u, err := url.Parse(b.Site.BaseURL)
	if err != nil || u.Path == "" || u.Path == "/" {
		return "", false
	}
	base := strings.TrimSuffix(u.Path, "/") + "/"
	rest, cut := strings.CutPrefix(p, base)
	if !cut {
		return "", false
	}
	name, _ := Clean("/" + rest)
	if _, ok := s.B.Get(name); !ok {
		return "", false
	}
	return name, true
}

// placeholder is the page served while there has never been a good build.
func (s *Server) placeholder() []byte {
	return []byte(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>gongkai</title></head><body><main><h1>还没有生成成功的页面</h1><p>请修改下面列出的错误，保存后页面会自动刷新。</p></main><script src="/_gongkai/reload.js"></script></body></html>`)
}

// Clean turns a request path into the name of a served file. dir reports
// that the path named a folder (its index.html is served). ".." never
// leaves the site: the path is cleaned as if rooted.
func Clean(p string) (name string, dir bool) {
	dir = p == "" || strings.HasSuffix(p, "/")
	name = strings.TrimPrefix(path.Clean("/"+p), "/")
	if name == "" {
		return "index.html", true
	}
	if dir {
		name += "/index.html"
	}
	return name, dir
}

// ContentType returns the Content-Type of a served file by its extension.
func ContentType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "application/javascript; charset=utf-8"
	case ".json":
		return "application/json; charset=utf-8"
	case ".xml":
		if path.Base(name) == "feed.xml" || strings.HasSuffix(name, "/feed.xml") {
			return "application/atom+xml; charset=utf-8"
		}
		return "application/xml; charset=utf-8"
	case ".txt", ".md":
		return "text/plain; charset=utf-8"
	case ".csv":
		return "text/csv; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".pdf":
		return "application/pdf"
	case ".woff2":
		return "font/woff2"
	}
	return "application/octet-stream"
}

// MaxOverlay is how many diagnostics the overlay lists.
const MaxOverlay = 50

// Overlay returns the HTML of the error overlay for ds.
func Overlay(ds diag.List) []byte {
	var b bytes.Buffer
	b.WriteString(`<div class="overlay wrap" id="gongkai-overlay" role="alert"><h2>内容有错误，以下是上一次成功生成的页面</h2><p>Content has errors; this is the last good build.</p><ul>`)
	for i, d := range ds {
		if i == MaxOverlay {
			fmt.Fprintf(&b, "<li>…（还有 %d 条）</li>", len(ds)-i)
			break
		}
		b.WriteString("<li><pre>")
		template.HTMLEscape(&b, []byte(d.Format(diag.Zh)))
		b.WriteString("</pre></li>")
	}
	b.WriteString("</ul></div>")
	return b.Bytes()
}

// Inject inserts overlay right after the page's <body> tag (attributes
// and minified markup allowed), or at the start when there is none.
func Inject(page, overlay []byte) []byte {
	at := bodyEnd(page)
	out := make([]byte, 0, len(page)+len(overlay))
	out = append(out, page[:at]...)
	out = append(out, overlay...)
	return append(out, page[at:]...)
}

// bodyEnd returns the offset just after the <body …> start tag, or 0.
func bodyEnd(page []byte) int {
	lower := bytes.ToLower(page)
	for from := 0; ; {
		i := bytes.Index(lower[from:], []byte("<body"))
		if i < 0 {
			return 0
		}
		i += from
		j := i + len("<body")
		if j < len(lower) && (lower[j] == '>' || lower[j] == ' ' || lower[j] == '\t' || lower[j] == '\n' || lower[j] == '\r' || lower[j] == '/') {
			quote := byte(0)
			for k := j; k < len(lower); k++ {
				c := lower[k]
				switch {
				case quote != 0:
					if c == quote {
						quote = 0
					}
				case c == '"' || c == '\'':
					quote = c
				case c == '>':
					return k + 1
				}
			}
			return 0
		}
		from = j
	}
}

// events streams "reload" events to one browser.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	ch := s.hub.subscribe()
	defer s.hub.unsubscribe(ch)
	_, _ = w.Write([]byte("retry: 500\n\n"))
	fl.Flush()
	tick := time.NewTicker(20 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ch:
			if _, err := w.Write([]byte("event: reload\ndata: 1\n\n")); err != nil {
				return
			}
		case <-tick.C:
			if _, err := w.Write([]byte(": ping\n\n")); err != nil {
				return
			}
		}
		fl.Flush()
	}
}

// hub is the set of browsers waiting for reloads.
type hub struct {
	mu      sync.Mutex
	clients map[chan struct{}]bool
}

func (h *hub) subscribe() chan struct{} {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.clients == nil {
		h.clients = map[chan struct{}]bool{}
	}
	h.clients[ch] = true
	h.mu.Unlock()
	return ch
}

func (h *hub) unsubscribe(ch chan struct{}) {
	h.mu.Lock()
	delete(h.clients, ch)
	h.mu.Unlock()
}

func (h *hub) broadcast() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.clients {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
