// Package sitefs reads a published site — a folder on this computer or a
// web address — as an fs.FS, so that verification reads a copy on a USB
// stick and the live website in the same way.
//
// A web site cannot be listed: its fs.FS opens files by name only, and
// ReadDir fails. Folders are opened through os.Root, so a symbolic link in
// a copied site never leads outside it.
package sitefs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"time"
)

// MaxFile is the largest file read from a web site; a larger one is an
// error rather than a reason to fill the memory.
const MaxFile = 256 << 20

// IsURL reports whether loc names a web site (http:// or https://).
func IsURL(loc string) bool {
	l := strings.ToLower(loc)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// Open returns the site at loc: a web address (see HTTP) or a folder.
func Open(loc string) (fs.FS, error) {
	if IsURL(loc) {
		return HTTP(loc, nil)
	}
	root, err := os.OpenRoot(loc)
	if err != nil {
		return nil, err
	}
	return root.FS(), nil
}

// HTTP returns the web site under base as an fs.FS: Open("a/b.html")
// fetches base + "a/b.html". client nil uses a client with a one-minute
// timeout per file. A 404 or 410 answer is fs.ErrNotExist.
func HTTP(base string, client *http.Client) (fs.FS, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("sitefs: %q is not an http(s) address", base)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawQuery, u.Fragment = "", ""
	if client == nil {
		client = &http.Client{Timeout: time.Minute}
	}
	return &httpFS{base: u, client: client}, nil
}

type httpFS struct {
	base   *url.URL
	client *http.Client
}

// URL returns the address of name on the site.
func (h *httpFS) URL(name string) string {
	u := *h.base
	u.Path = path.Join(h.base.Path, name)
	if name == "." {
		u.Path = h.base.Path
	}
	return u.String()
}

func (h *httpFS) Open(name string) (fs.File, error) {
	b, err := h.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return &file{name: path.Base(name), data: b}, nil
}

// ReadFile fetches one file.
func (h *httpFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) || name == "." {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, h.URL(name), nil)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	// Compare what the server stores, not a transformed copy.
	req.Header.Set("Cache-Control", "no-cache")
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	case resp.StatusCode != http.StatusOK:
		return nil, &fs.PathError{Op: "read", Path: name, Err: &StatusError{Code: resp.StatusCode, Status: resp.Status}}
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxFile+1))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	if len(b) > MaxFile {
		return nil, &fs.PathError{Op: "read", Path: name, Err: ErrTooLarge}
	}
	return b, nil
}

// ErrTooLarge is returned for a file above MaxFile.
var ErrTooLarge = errors.New("sitefs: file too large")

// StatusError is an HTTP answer other than 200, 404 and 410.
type StatusError struct {
	Code   int
	Status string
}

func (e *StatusError) Error() string { return "HTTP " + e.Status }

// file is one fetched file.
type file struct {
	name string
	data []byte
	off  int
}

func (f *file) Stat() (fs.FileInfo, error) { return info{f.name, int64(len(f.data))}, nil }
func (f *file) Close() error               { return nil }
func (f *file) Read(p []byte) (int, error) {
	if f.off >= len(f.data) {
		return 0, io.EOF
	}
	n := copy(p, f.data[f.off:])
	f.off += n
	return n, nil
}

type info struct {
	name string
	size int64
}

func (i info) Name() string       { return i.name }
func (i info) Size() int64        { return i.size }
func (i info) Mode() fs.FileMode  { return 0o444 }
func (i info) ModTime() time.Time { return time.Time{} }
func (i info) IsDir() bool        { return false }
func (i info) Sys() any           { return nil }
