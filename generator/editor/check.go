package editor

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/fields"
	"gongkai/generator/markdown"
	"gongkai/generator/record"
)

// overlay is the content folder with the bytes of one file replaced: what
// the folder would be if the form were saved.
type overlay struct {
	base fs.FS
	name string
	data []byte
}

func (o overlay) Open(name string) (fs.File, error) {
	if name == o.name {
		return &memFile{r: bytes.NewReader(o.data), info: memInfo{name: path.Base(name), size: int64(len(o.data))}}, nil
	}
	return o.base.Open(name)
}

// Lstat and ReadLink keep the folder's links visible through the overlay.
func (o overlay) Lstat(name string) (fs.FileInfo, error) {
	if name == o.name {
		return memInfo{name: path.Base(name), size: int64(len(o.data))}, nil
	}
	return fs.Lstat(o.base, name)
}

func (o overlay) ReadLink(name string) (string, error) { return fs.ReadLink(o.base, name) }

type memFile struct {
	r    *bytes.Reader
	info memInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *memFile) Close() error               { return nil }
func (f *memFile) Seek(off int64, whence int) (int64, error) {
	return f.r.Seek(off, whence)
}

var _ io.Seeker = (*memFile)(nil)

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o644 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

// diagView is a diagnostic as the form shows it.
type diagView struct {
	// Key is the form field it concerns ("finance.income[2].amount",
	// "body"), "" when none.
	Key string `json:"key"`
	// Code is the diagnostic's code, as `gongkai check --json` gives it.
	Code     string `json:"code,omitempty"`
	Error    bool   `json:"error"`
	Msg      string `json:"msg"`
	Hint     string `json:"hint,omitempty"`
	Where    string `json:"where"`
	Text     string `json:"text"`               // as `gongkai check` prints it
	BodyLine int    `json:"bodyLine,omitempty"` // the line in the body, for "body"
}

// checkText runs the checks of `gongkai check` over the content folder
// with data as the bytes of the record file name, and returns the board
// and the diagnostics of that record: of its file and of the files of its
// folder.
func (e *Editor) checkText(name string, data []byte) (*record.Board, diag.List) {
	e.check <- struct{}{}
	defer func() { <-e.check }()
	opt := e.opt.Build
	opt.Src = overlay{base: e.fsys, name: name, data: data}
	board, ds := build.Load(opt)
	src, _ := record.IDFromPath(name)
	var out diag.List
	for _, d := range ds {
		if d.Pos.File == name || src.Bundle && strings.HasPrefix(d.Pos.File, path.Dir(name)+"/") {
			out = append(out, d)
		}
	}
	return board, out.Sorted()
}

// views maps diagnostics to the fields of the form of f (whose text is
// the candidate's): by the key they carry, else by their place in the
// front matter, else the body.
func (e *Editor) views(f *file, ds diag.List) []diagView {
	var doc *fields.Doc
	if f.Split {
		doc, _, _ = fields.Parse(f.Name, normal(f.FM), 2, time.UTC)
	}
	_, lead := f.shownBody()
	out := make([]diagView, 0, len(ds))
	for _, d := range ds {
		v := diagView{Key: d.Key, Code: d.Code, Error: d.Severity == diag.Error, Msg: d.Msg.In(e.opt.Lang), Hint: d.Hint.In(e.opt.Lang), Where: d.Pos.String(), Text: d.Format(e.opt.Lang)}
		if v.Key == "" && d.Pos.File == f.Name && d.Pos.Line > 0 {
			switch {
			case f.Split && d.Pos.Line >= f.BodyLine:
				v.Key, v.BodyLine = "body", max(1, d.Pos.Line-f.BodyLine+1-lead)
			case !f.Split:
				v.Key, v.BodyLine = "body", d.Pos.Line
			case doc != nil:
				v.Key = doc.PathAt(d.Pos)
			}
		}
		out = append(out, v)
	}
	return out
}

// preview renders the body of record name as the site does.
func preview(board *record.Board, name, body string) string {
	src, ok := record.IDFromPath(name)
	if !ok {
		return ""
	}
	unsafe := board != nil && board.Site.UnsafeHTML
	md := markdown.New(unsafe)
	res, err := md.Convert(normal(body), markdown.Page{
		Dir: src.ID + "/", File: name, Articles: src.Section == "conventions",
		Exists: func(id string) bool { return board != nil && board.Linkable(id) },
	})
	if err != nil {
		return ""
	}
	return string(res.HTML)
}
