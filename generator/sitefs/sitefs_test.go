package sitefs

import (
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHTTP(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/board/ledger.json", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("[]\n")) })
	mux.HandleFunc("/board/broken", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusForbidden) })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	site, err := Open(srv.URL + "/board")
	if err != nil {
		t.Fatal(err)
	}
	b, err := fs.ReadFile(site, "ledger.json")
	if err != nil || string(b) != "[]\n" {
		t.Fatalf("ReadFile = %q, %v", b, err)
	}
	f, err := site.Open("ledger.json")
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := f.Stat(); st.Size() != 3 || st.Name() != "ledger.json" {
		t.Errorf("Stat = %v", st)
	}
	if _, err := fs.ReadFile(site, "nope.html"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want ErrNotExist", err)
	}
	var se *StatusError
	if _, err := fs.ReadFile(site, "broken"); !errors.As(err, &se) || se.Code != 403 {
		t.Errorf("forbidden file: %v, want a 403 StatusError", err)
	}
	if _, err := fs.ReadFile(site, "../etc/passwd"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("a path out of the site: %v, want ErrInvalid", err)
	}
}

func TestBadURL(t *testing.T) {
	for _, u := range []string{"ftp://x/", "http://", "https:///a"} {
		if _, err := HTTP(u, nil); err == nil {
			t.Errorf("HTTP(%q) accepted", u)
		}
	}
	if !IsURL("HTTPS://example.org/") || IsURL("public") {
		t.Error("IsURL")
	}
}

func TestFolderStaysInside(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(outside, []byte("secret"), 0o644)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<p>hi"), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "leak.html")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	site, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := fs.ReadFile(site, "index.html"); err != nil || string(b) != "<p>hi" {
		t.Fatalf("index.html = %q, %v", b, err)
	}
	if b, err := fs.ReadFile(site, "leak.html"); err == nil || strings.Contains(string(b), "secret") {
		t.Errorf("a symlink out of the site was read: %q", b)
	}
}
