package editor

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"unicode/utf8"

	"gongkai/generator/ledger"
	"gongkai/generator/textenc"
)

// bom is the UTF-8 byte-order mark.
var bom = []byte("\xEF\xBB\xBF")

// file is a record file as the editor reads it: its bytes as they are on
// disk and its text cut into the front matter and the body, each as
// written (line endings kept).
type file struct {
	Name  string // content-relative
	Bytes []byte // as on disk
	Sum   string // SHA-256 of Bytes, hex
	BOM   bool
	// Recoded is true when the file is not UTF-8 (GB18030): its text is
	// the decoded one, and saving writes UTF-8.
	Recoded bool
	EOL     string // "\r\n" when most lines end so, else "\n"
	// Split tells whether the front matter was found: the file starts
	// with a +++ line and has a closing one. Open and Close are those
	// lines with their line breaks, FM the text between them, Body the
	// rest. Without it, Body is the whole text.
	Split             bool
	Open, FM, Close   string
	Body              string
	BodyLine, FMLines int
	// Text is the whole text (without the BOM).
	Text string
}

// same reports whether data, the bytes a form would write, are the file
// as it is: byte for byte, or, for a file that is not UTF-8, the same text.
func (f *file) same(data []byte) bool {
	return bytes.Equal(data, f.Bytes) || f.Recoded && string(data) == f.Text
}

// sum returns the SHA-256 of b in hex.
func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// readFile reads the record file name from fsys.
func readFile(fsys fs.FS, name string) (*file, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return parseFile(name, b)
}

// errNotText is returned for a file that is neither UTF-8 nor GB18030.
var errNotText = errors.New("editor: the file is not text")

// parseFile cuts the bytes of a record file.
func parseFile(name string, b []byte) (*file, error) {
	f := &file{Name: name, Bytes: b, Sum: sum(b), BOM: bytes.HasPrefix(b, bom)}
	raw := bytes.TrimPrefix(b, bom)
	var text string
	if utf8.Valid(raw) {
		text = string(raw)
	} else {
		t, ds := textenc.Decode(name, b)
		if ds.HasErrors() {
			return nil, errNotText
		}
		text, f.Recoded = t, true
	}
	f.Text = text
	f.EOL = "\n"
	if n := strings.Count(text, "\r\n"); n > 0 && 2*n >= strings.Count(text, "\n") {
		f.EOL = "\r\n"
	}
	f.split(text)
	return f, nil
}

// split finds the +++ lines of text.
func (f *file) split(text string) {
	f.Body = text
	first := lineAt(text, 0)
	if strings.TrimRight(first, " \t\r\n") != "+++" {
		return
	}
	off := len(first)
	lines := 1
	for off < len(text) {
		l := lineAt(text, off)
		if strings.TrimRight(l, " \t\r\n") == "+++" {
			f.Split = true
			f.Open, f.FM, f.Close, f.Body = first, text[len(first):off], l, text[off+len(l):]
			f.FMLines = lines - 1
			f.BodyLine = lines + 2
			return
		}
		off += len(l)
		lines++
	}
}

// lineAt returns the line of text starting at off, with its line break.
func lineAt(text string, off int) string {
	if i := strings.IndexByte(text[off:], '\n'); i >= 0 {
		return text[off : off+i+1]
	}
	return text[off:]
}

// shownBody returns the body as the form shows it: LF line endings,
// without the blank lines after the front matter; lead is how many lines
// were left out.
func (f *file) shownBody() (body string, lead int) {
	b := normal(f.Body)
	if !f.Split {
		return b, 0
	}
	t := strings.TrimLeft(b, "\n")
	return t, len(b) - len(t)
}

// normal returns s with LF line endings.
func normal(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// withEOL returns s, whose lines end in LF, with the line ending eol.
func withEOL(s, eol string) string {
	s = normal(s)
	if eol == "\n" {
		return s
	}
	return strings.ReplaceAll(s, "\n", eol)
}

// compose returns the bytes of f with fm as its front matter (as written)
// and body as its body (LF or as written): an unchanged body keeps its
// bytes, a changed one takes the file's line ending.
//
// The form shows the body without the blank lines that part it from the
// front matter (see shownBody); a changed body is written with the
// file's own blank lines there (one when it had none) and ends with a
// line break.
func (f *file) compose(fm, body string) []byte {
	if strings.Trim(normal(body), "\n") == strings.Trim(normal(f.Body), "\n") {
		body = f.Body
	} else {
		lead := f.Body[:len(f.Body)-len(strings.TrimLeft(f.Body, "\r\n"))]
		switch {
		case !f.Split:
			lead = ""
		case lead == "":
			lead = f.EOL
		}
		body = strings.TrimLeft(normal(body), "\n")
		if body != "" && !strings.HasSuffix(body, "\n") {
			body += "\n"
		}
		body = lead + withEOL(body, f.EOL)
	}
	var b bytes.Buffer
	if f.BOM {
		b.Write(bom)
	}
	if f.Split {
		b.WriteString(f.Open)
		b.WriteString(fm)
		b.WriteString(f.Close)
	} else if fm != "" {
		b.WriteString("+++" + f.EOL + fm + "+++" + f.EOL)
	}
	b.WriteString(body)
	return b.Bytes()
}

// writeAtomic replaces name in the content folder root by data: written
// to a temporary file beside it, flushed, and renamed over it, so a
// killed process or a full disk leaves the old file or the new one, never
// half of either. Nothing outside root is touched, not even through a
// link.
func writeAtomic(root *os.Root, name string, data []byte) error {
	disk := ledger.RootDisk(root)
	dir := path.Dir(name)
	tmp, err := disk.WriteTemp(dir, data)
	if err != nil {
		return fmt.Errorf("editor: write %s: %w", name, err)
	}
	if err := disk.Rename(tmp, name); err != nil {
		disk.Remove(tmp)
		return fmt.Errorf("editor: write %s: %w", name, err)
	}
	if err := disk.SyncDir(dir); err != nil {
		return fmt.Errorf("editor: write %s: %w", name, err)
	}
	return nil
}
