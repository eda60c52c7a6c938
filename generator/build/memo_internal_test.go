package build

import (
	"bytes"
	"encoding/gob"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongkai/generator/internal/testboard"
)

// A note altered after it was written is no note either, even when it
// still reads as one: here it says that a page edited by hand is the page
// the build left, which would keep the edit if the build believed it.
func TestAlteredNote(t *testing.T) {
	src := t.TempDir()
	for name, f := range testboard.Demo(t, nil) {
		p := filepath.Join(src, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	root := t.TempDir()
	cache, out := filepath.Join(root, "cache"), filepath.Join(root, "public")
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	opt := Options{Src: os.DirFS(src), Today: today, Cache: cache}
	if _, _, err := ToDir(opt, out); err != nil {
		t.Fatal(err)
	}
	file, err := memoPath(cache, out)
	if err != nil {
		t.Fatal(err)
	}
	m := readMemo(file)
	if m == nil || m.Files["index.html"].Sum == (Sum{}) {
		t.Fatal("no note, or no hash of index.html in it")
	}
	// The same number of bytes, another text.
	page := filepath.Join(out, "index.html")
	b, _ := os.ReadFile(page)
	if !bytes.Contains(b, []byte("</html>")) {
		t.Fatal("index.html has no </html>")
	}
	os.WriteFile(page, bytes.Replace(b, []byte("</html>"), []byte("</HTML>"), 1), 0o644)
	fi, _ := os.Stat(page)
	f := m.Files["index.html"]
	f.MTime = fi.ModTime().UnixNano()
	m.Files["index.html"] = f
	var body bytes.Buffer
	if err := gob.NewEncoder(&body).Encode(m); err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(file)
	head, _, _ := bytes.Cut(old, []byte("\n"))
	if err := os.WriteFile(file, append(append(head, '\n'), body.Bytes()...), 0o644); err != nil {
		t.Fatal(err)
	}
	if readMemo(file) != nil {
		t.Fatal("the altered note was read as a note")
	}
	if res, ds, err := ToDir(opt, out); err != nil || res == nil {
		t.Fatalf("%v %v", err, ds)
	}
	if b, _ := os.ReadFile(page); !bytes.Contains(b, []byte("</html>")) || strings.Contains(string(b), "</HTML>") {
		t.Error("the page edited by hand was kept")
	}
}
