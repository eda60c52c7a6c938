package editor

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/folder"
)

// Prefix is the path the editor is served under.
const Prefix = "/_edit/"

// Options are the settings of an Editor.
type Options struct {
	// Folder is the content folder: read through its FS, written only
	// through its os.Root.
	Folder *folder.Folder
	// Build are the options of the checks (Today, Drafts); Src is set to
	// the folder.
	Build build.Options
	// Addr is the host:port the server listens on; only requests to it
	// are answered.
	Addr string
	// Lang is the language of the diagnostics.
	Lang diag.Lang
	// KeyFile is the board's private key file for publishing; "" looks
	// in the usual place, as `gongkai publish` does.
	KeyFile string
	// Log receives a line for every file the editor writes; nil: none.
	Log io.Writer
}

// Editor serves the editor's pages and the requests of its forms. It
// keeps no state per request or per page: what it knows of an open form
// (the file and the hash of the bytes it was opened with) comes back with
// every request.
type Editor struct {
	opt   Options
	root  *os.Root
	fsys  fs.FS
	token string
	mux   *http.ServeMux
	hosts map[string]bool

	write sync.Mutex    // one write at a time
	check chan struct{} // one check at a time
}

// New returns the editor of opt.Folder.
func New(opt Options) (*Editor, error) {
	if opt.Folder == nil {
		return nil, errors.New("editor: no content folder")
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	var rnd [24]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return nil, err
	}
	e := &Editor{opt: opt, root: opt.Folder.Root(), fsys: opt.Folder.FS(), token: hex.EncodeToString(rnd[:]), check: make(chan struct{}, 1)}
	e.opt.Build.Src = e.fsys
	e.hosts = map[string]bool{}
	if _, port, err := net.SplitHostPort(opt.Addr); err == nil {
		for _, h := range []string{"127.0.0.1", "localhost"} {
			e.hosts[net.JoinHostPort(h, port)] = true
		}
	}
	e.routes()
	return e, nil
}

// Wrap returns a handler that serves the editor under Prefix and passes
// every other request to next. Every request, the editor's or not, must
// name the local address as its Host: a page of another site whose name
// was made to point at 127.0.0.1 (DNS rebinding) gets nothing.
func (e *Editor) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !e.hosts[strings.ToLower(r.Host)] {
			http.Error(w, "forbidden: this server answers only to its local address", http.StatusForbidden)
			return
		}
		if r.URL.Path == strings.TrimSuffix(Prefix, "/") {
			http.Redirect(w, r, Prefix, http.StatusFound)
			return
		}
		if strings.HasPrefix(r.URL.Path, Prefix) {
			e.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// csp is the Content-Security-Policy of every editor response: the
// editor's own script and styles only, no inline script, no frames, no
// form posting elsewhere.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// ServeHTTP serves one request of the editor.
func (e *Editor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if !e.hosts[strings.ToLower(r.Host)] {
		http.Error(w, "forbidden: this server answers only to its local address", http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if why := e.refuseWrite(r); why != "" {
			writeJSON(w, http.StatusForbidden, map[string]any{"error": why})
			return
		}
	}
	e.mux.ServeHTTP(w, r)
}

// tokenHeader and tokenCookie carry the editor's token with every write.
const (
	tokenHeader = "X-Gongkai-Token"
	tokenCookie = "gongkai_edit"
)

// refuseWrite says why a request that writes is refused: it must come
// from one of the editor's own pages — its Origin the local address, the
// browser's Sec-Fetch-Site (when sent) same-origin, and the token both in
// the header the page's script sets and in the cookie (SameSite=Strict)
// the page set.
func (e *Editor) refuseWrite(r *http.Request) string {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return "refused: no Origin"
	}
	if !e.hosts[strings.ToLower(strings.TrimPrefix(origin, "http://"))] || !strings.HasPrefix(origin, "http://") {
		return "refused: request from another site (" + origin + ")"
	}
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" && s != "same-origin" {
		return "refused: Sec-Fetch-Site " + s
	}
	c, err := r.Cookie(tokenCookie)
	if err != nil || !e.validToken(c.Value) || !e.validToken(r.Header.Get(tokenHeader)) {
		return "refused: the page's token is missing or wrong; reload the page"
	}
	return ""
}

func (e *Editor) validToken(t string) bool {
	return len(t) == len(e.token) && subtle.ConstantTimeCompare([]byte(t), []byte(e.token)) == 1
}

// setToken gives the browser the token cookie of this server's session.
func (e *Editor) setToken(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: e.token, Path: Prefix, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// readJSON decodes the body of r into v, at most max bytes.
func readJSON(w http.ResponseWriter, r *http.Request, v any, max int64) bool {
	r.Body = http.MaxBytesReader(w, r.Body, max)
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "bad request: " + err.Error()})
		return false
	}
	return true
}

func (e *Editor) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET "+Prefix+"{$}", e.index)
	m.HandleFunc("GET "+Prefix+"new", e.newPage)
	m.HandleFunc("GET "+Prefix+"r/{file...}", e.recordPage)
	m.HandleFunc("GET "+Prefix+"publish", e.publishPage)
	m.HandleFunc("GET "+Prefix+"assets/{name}", e.asset)
	m.HandleFunc("POST "+Prefix+"api/new", e.apiNew)
	m.HandleFunc("POST "+Prefix+"api/check", e.apiCheck)
	m.HandleFunc("POST "+Prefix+"api/save", e.apiSave)
	m.HandleFunc("POST "+Prefix+"api/upload", e.apiUpload)
	m.HandleFunc("POST "+Prefix+"api/remove", e.apiRemove)
	m.HandleFunc("POST "+Prefix+"api/publish", e.apiPublish)
	e.mux = m
}
