package editor

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"reflect"
	"sort"
	"strings"
	"time"

	"gongkai/generator/config"
	"gongkai/generator/diag"
	"gongkai/generator/record"
	"gongkai/generator/scaffold"
)

// submission is what a form sends: the file it edits, the hash of the
// bytes it was opened with, and its values.
type submission struct {
	File string `json:"file"`
	Base string `json:"base"`
	// Fields is the model of the front matter; Raw, when set, is the
	// front matter's text instead (a front matter that does not parse is
	// edited as text).
	Fields model   `json:"fields"`
	Raw    *string `json:"raw"`
	// Body is the body as the form has it, nil when the clerk has not
	// touched it: the file's body, as it is on disk now, is kept. So a
	// form saved over a file changed elsewhere keeps the other change
	// to the body unless it changed the body too.
	Body *string `json:"body"`
}

// maxRecord bounds what a form may send: a record file is at most
// record.MaxFileSize.
const maxRecord = 2 * record.MaxFileSize

// recordName checks that name is the file of a record in a section.
func recordName(name string) (record.Source, bool) {
	src, ok := record.IDFromPath(name)
	if !ok || !record.IsSection(src.Section) || !fs.ValidPath(name) || strings.Contains(name, "\\") {
		return src, false
	}
	return src, true
}

// problem answers with a message for the clerk.
func problem(w http.ResponseWriter, status int, zh string, args ...any) {
	writeJSON(w, status, map[string]any{"error": fmt.Sprintf(zh, args...)})
}

// site reads site.toml; the schema's site-configured values come from it.
func (e *Editor) site() *config.Site {
	site, ds := config.Load(e.fsys)
	if site == nil || ds.HasErrors() {
		return nil
	}
	return site
}

// candidate returns the bytes the record file f would have with the
// form's values s, and the file cut anew.
func (e *Editor) candidate(f *file, s *submission) ([]byte, *file, error) {
	src, _ := recordName(f.Name)
	var fm string
	switch {
	case s.Raw != nil:
		fm = withEOL(*s.Raw, f.EOL)
		if fm != "" && !strings.HasSuffix(fm, f.EOL) {
			fm += f.EOL
		}
	case !f.Split:
		return nil, nil, errors.New("设置区（两个 +++ 之间）找不到，只能在原文里修改")
	default:
		var err error
		fm, err = edit(f.FM, record.Schema(e.site(), src.Section), s.Fields)
		if err != nil {
			return nil, nil, fmt.Errorf("设置区写法有误，只能在原文里修改：%v", err)
		}
	}
	body := f.Body
	if s.Body != nil {
		body = *s.Body
	}
	data := f.compose(fm, body)
	nf, err := parseFile(f.Name, data)
	if err != nil {
		return nil, nil, err
	}
	return data, nf, nil
}

// result is the answer to a check or a save.
type result struct {
	Diags    []diagView `json:"diags"`
	Errors   int        `json:"errors"`
	Warnings int        `json:"warnings"`
	Preview  string     `json:"preview"`
	// After a save:
	Saved  bool   `json:"saved"`
	Base   string `json:"base,omitempty"`
	File   string `json:"file,omitempty"`
	Model  model  `json:"model,omitempty"`
	Reload bool   `json:"reload,omitempty"`
}

func (e *Editor) checked(nf *file, data []byte) result {
	board, ds := e.checkText(nf.Name, data)
	errs, warns := ds.Count()
	return result{Diags: e.views(nf, ds), Errors: errs, Warnings: warns, Preview: preview(board, nf.Name, nf.Body)}
}

// apiCheck checks the form's values as if they were saved.
func (e *Editor) apiCheck(w http.ResponseWriter, r *http.Request) {
	var s submission
	if !readJSON(w, r, &s, maxRecord) {
		return
	}
	if _, ok := recordName(s.File); !ok {
		problem(w, http.StatusBadRequest, "不是记录文件：%s", s.File)
		return
	}
	f, err := readFile(e.fsys, s.File)
	if err != nil {
		problem(w, http.StatusNotFound, "无法读取 %s：%v", s.File, err)
		return
	}
	data, nf, err := e.candidate(f, &s)
	if err != nil {
		problem(w, http.StatusUnprocessableEntity, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, e.checked(nf, data))
}

// conflict is the answer to a save of a file that changed on disk since
// the form opened it: both versions, for the clerk to choose.
type conflict struct {
	Error string `json:"error"`
	Disk  string `json:"disk"`     // the file as it is now
	Mine  string `json:"mine"`     // the file as the form would write it
	Sum   string `json:"diskBase"` // send it as base to write over the disk's version
}

// apiSave writes the form's values into the record file.
func (e *Editor) apiSave(w http.ResponseWriter, r *http.Request) {
	var s submission
	if !readJSON(w, r, &s, maxRecord) {
		return
	}
	if _, ok := recordName(s.File); !ok {
		problem(w, http.StatusBadRequest, "不是记录文件：%s", s.File)
		return
	}
	e.write.Lock()
	defer e.write.Unlock()
	f, err := readFile(e.fsys, s.File)
	if err != nil {
		problem(w, http.StatusNotFound, "无法读取 %s：%v", s.File, err)
		return
	}
	data, nf, err := e.candidate(f, &s)
	if err != nil {
		problem(w, http.StatusUnprocessableEntity, "%v", err)
		return
	}
	if f.Sum != s.Base {
		writeJSON(w, http.StatusConflict, conflict{
			Error: "这个文件在打开之后被改过（可能是别的程序或另一个窗口），没有保存。请比较两个版本再决定。",
			Disk:  string(bytes.TrimPrefix(f.Bytes, bom)), Mine: string(bytes.TrimPrefix(data, bom)), Sum: f.Sum,
		})
		return
	}
	saved := !f.same(data)
	if saved {
		if err := writeAtomic(e.root, s.File, data); err != nil {
			msg, hint := diag.SysError(err)
			problem(w, http.StatusInternalServerError, "保存失败，文件保持原样：%s；%s", msg.In(e.opt.Lang), hint.In(e.opt.Lang))
			return
		}
		fmt.Fprintln(e.opt.Log, diag.T("编辑器已保存 %s", "the editor saved %s", s.File).In(e.opt.Lang))
	}
	res := e.checked(nf, data)
	res.Saved, res.Base, res.File = saved, sum(data), s.File
	raw, err := decodeFM(nf.FM)
	switch {
	case err != nil || !nf.Split:
		res.Reload = s.Raw == nil
	case s.Raw != nil:
		res.Reload = true // the front matter reads again: back to the form
	default:
		src, _ := recordName(s.File)
		res.Model = derive(record.Schema(e.site(), src.Section), raw)
	}
	writeJSON(w, http.StatusOK, res)
}

// apiNew writes a new record from its section's template, as `gongkai
// new` does.
func (e *Editor) apiNew(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Section string `json:"section"`
		Slug    string `json:"slug"`
		Bundle  bool   `json:"bundle"`
	}
	if !readJSON(w, r, &req, 4096) {
		return
	}
	rec := scaffold.Record{Section: req.Section, Slug: strings.TrimSuffix(strings.TrimSpace(req.Slug), ".md"), Bundle: req.Bundle, Today: e.opt.Build.Today}
	e.write.Lock()
	defer e.write.Unlock()
	ds := scaffold.New(e.root, rec)
	var msgs []string
	for _, d := range ds.Sorted() {
		msgs = append(msgs, d.Format(e.opt.Lang))
	}
	if ds.HasErrors() {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": strings.Join(msgs, "\n")})
		return
	}
	if err := e.tidy(rec.File(), req.Section); err != nil {
		msgs = append(msgs, err.Error())
	}
	fmt.Fprintln(e.opt.Log, diag.T("编辑器已新建 %s", "the editor wrote %s", rec.File()).In(e.opt.Lang))
	writeJSON(w, http.StatusOK, map[string]any{"file": rec.File(), "warnings": msgs})
}

// tidy rewrites the front matter of the record name, just written from
// its section's template by `gongkai new`, without the template's
// comments: they tell a person with a text editor how to write TOML,
// while the form shows each field's hint itself. The values, their
// documented order and the body stay as the template has them.
func (e *Editor) tidy(name, section string) error {
	f, err := readFile(e.fsys, name)
	if err != nil || !f.Split {
		return err
	}
	raw, err := decodeFM(f.FM)
	if err != nil {
		return err
	}
	fs := record.Schema(e.site(), section)
	fm, err := edit("", fs, derive(fs, raw))
	if err != nil {
		return err
	}
	if again, err := decodeFM(fm); err != nil || !reflect.DeepEqual(again, raw) {
		return nil // the template has keys the form does not know: kept as written
	}
	return writeAtomic(e.root, name, f.compose(withEOL(fm, f.EOL), f.Body))
}

// maxUpload bounds an uploaded attachment or table.
const maxUpload = 64 << 20

// apiUpload puts a file into a record's folder. A record that is one file
// (section/slug.md) becomes a folder (section/slug/index.md) first: its
// address, its id in the ledger and its bytes stay the same.
func (e *Editor) apiUpload(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	src, ok := recordName(name)
	if !ok {
		problem(w, http.StatusBadRequest, "不是记录文件：%s", name)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload+1<<20)
	part, hdr, err := r.FormFile("upload")
	if err != nil {
		problem(w, http.StatusBadRequest, "没有收到文件（最大 %d MB）：%v", maxUpload>>20, err)
		return
	}
	defer part.Close()
	base := path.Base(strings.ReplaceAll(hdr.Filename, "\\", "/"))
	if d := uploadName(base); d != "" {
		problem(w, http.StatusUnprocessableEntity, "%s", d)
		return
	}
	data, err := io.ReadAll(io.LimitReader(part, maxUpload+1))
	if err != nil || len(data) > maxUpload {
		problem(w, http.StatusRequestEntityTooLarge, "文件太大：最大 %d MB", maxUpload>>20)
		return
	}
	e.write.Lock()
	defer e.write.Unlock()
	if !src.Bundle {
		dir := src.Section + "/" + src.Slug
		if _, err := fs.Lstat(e.fsys, dir); err == nil {
			problem(w, http.StatusConflict, "无法把 %s 变成文件夹式记录：%s/ 已经存在", name, dir)
			return
		}
		if err := e.root.Mkdir(dir, 0o755); err != nil {
			problem(w, http.StatusInternalServerError, "无法新建文件夹 %s：%v", dir, err)
			return
		}
		if err := e.root.Rename(name, dir+"/index.md"); err != nil {
			e.root.Remove(dir)
			problem(w, http.StatusInternalServerError, "无法把 %s 移进 %s/：%v", name, dir, err)
			return
		}
		fmt.Fprintln(e.opt.Log, diag.T("编辑器把 %s 改成了文件夹式记录 %s/index.md（地址不变）", "the editor made %s the bundle %s/index.md (same address)", name, dir).In(e.opt.Lang))
		name = dir + "/index.md"
	}
	target := path.Dir(name) + "/" + base
	if fi, err := fs.Lstat(e.fsys, target); err == nil && (!fi.Mode().IsRegular() || r.URL.Query().Get("replace") != "1") {
		writeJSON(w, http.StatusConflict, map[string]any{"error": fmt.Sprintf("记录文件夹里已经有 %s", base), "exists": true, "file": name})
		return
	}
	for _, other := range bundleFiles(e.fsys, name) {
		if record.FoldKey(other) == record.FoldKey(base) && other != base {
			problem(w, http.StatusConflict, "记录文件夹里已经有 %s，与 %s 只差大小写，在 Windows 上是同一个文件", other, base)
			return
		}
	}
	if err := writeAtomic(e.root, target, data); err != nil {
		problem(w, http.StatusInternalServerError, "保存 %s 失败：%v", base, err)
		return
	}
	fmt.Fprintln(e.opt.Log, diag.T("编辑器已保存附件 %s", "the editor saved the attachment %s", target).In(e.opt.Lang))
	writeJSON(w, http.StatusOK, map[string]any{"file": name, "name": base, "files": bundleFiles(e.fsys, name)})
}

// uploadName says what is wrong with the name of an uploaded file, or "".
func uploadName(name string) string {
	switch {
	case name == "" || name == "." || name == "/":
		return "文件没有名字"
	case strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$"):
		return fmt.Sprintf("%s 是隐藏文件或临时文件，不能作为附件", name)
	case strings.EqualFold(name, "index.md"):
		return "附件不能叫 index.md：这是记录本身的文件名"
	case len(name) > 200:
		return "文件名太长"
	}
	if d := record.CheckName(name, name); d != nil {
		return d.Msg.Zh + "；" + d.Hint.Zh
	}
	return ""
}

// bundleFiles lists the files beside the record file name in its folder
// (none for a record that is one file), sorted.
func bundleFiles(fsys fs.FS, name string) []string {
	src, ok := record.IDFromPath(name)
	if !ok || !src.Bundle {
		return nil
	}
	var out []string
	dir := path.Dir(name)
	_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return nil
		}
		base := d.Name()
		if strings.HasPrefix(base, ".") || strings.HasPrefix(base, "~$") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && p != name {
			out = append(out, strings.TrimPrefix(p, dir+"/"))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// Trash is the folder of the content folder that removed records are
// moved into. Its name starts with a dot: gongkai neither reads nor
// publishes it.
const Trash = ".gongkai-trash"

// apiRemove moves a record (its file, or its whole folder) into Trash:
// a published one is then withdrawn at the next publish, with its reason.
func (e *Editor) apiRemove(w http.ResponseWriter, r *http.Request) {
	var req struct {
		File string `json:"file"`
		Base string `json:"base"`
	}
	if !readJSON(w, r, &req, 4096) {
		return
	}
	src, ok := recordName(req.File)
	if !ok {
		problem(w, http.StatusBadRequest, "不是记录文件：%s", req.File)
		return
	}
	e.write.Lock()
	defer e.write.Unlock()
	f, err := readFile(e.fsys, req.File)
	if err != nil {
		problem(w, http.StatusNotFound, "无法读取 %s：%v", req.File, err)
		return
	}
	if f.Sum != req.Base {
		problem(w, http.StatusConflict, "这个文件在打开之后被改过，没有删除；请重新打开再试")
		return
	}
	from := req.File
	if src.Bundle {
		from = path.Dir(req.File)
	}
	if err := e.root.MkdirAll(Trash, 0o755); err != nil {
		problem(w, http.StatusInternalServerError, "无法新建 %s：%v", Trash, err)
		return
	}
	to := Trash + "/" + time.Now().Format("20060102-150405") + "-" + src.Section + "-" + path.Base(from)
	if err := e.root.Rename(from, to); err != nil {
		problem(w, http.StatusInternalServerError, "无法移走 %s：%v", from, err)
		return
	}
	fmt.Fprintln(e.opt.Log, diag.T("编辑器把 %s 移到了 %s", "the editor moved %s to %s", from, to).In(e.opt.Lang))
	writeJSON(w, http.StatusOK, map[string]any{"moved": to})
}
