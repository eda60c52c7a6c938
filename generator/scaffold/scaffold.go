package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"

	"gongkai/generator/config"
	"gongkai/generator/diag"
	"gongkai/generator/folder"
	"gongkai/generator/record"
	"gongkai/generator/theme"
	"gongkai/themes"
)

// Record names a new record.
type Record struct {
	Section string
	Slug    string // without .md
	Bundle  bool   // <slug>/index.md, with room for attachments
	// Today is the date written into the record; zero means today in
	// the site's time zone.
	Today time.Time
	// Theme holds archetypes/<section>.md; nil means the board's theme
	// (site.toml theme) over the default.
	Theme fs.FS
}

// File returns the content-relative path of the record file.
func (r Record) File() string {
	if r.Bundle {
		return r.Section + "/" + r.Slug + "/index.md"
	}
	return r.Section + "/" + r.Slug + ".md"
}

// Check reports what is wrong with the section and the name of r before
// anything is read: an unknown section, or a name that cannot be an
// address on every system (errors), or one that is not plain ASCII (a
// warning with a suggestion).
func Check(r Record) diag.List {
	var ds diag.List
	if !record.IsSection(r.Section) {
		d := diag.Errorf(diag.Position{}, "没有栏目 %q", "there is no section %q", r.Section)
		if s := diag.Suggest(r.Section, record.Sections); s != "" {
			d = d.WithHint("是不是想写 %s？栏目有：%s", "did you mean %s? the sections are: %s", s, strings.Join(record.Sections, ", "))
		} else {
			d = d.WithHint("栏目有：%s", "the sections are: %s", strings.Join(record.Sections, ", "))
		}
		return append(ds, d)
	}
	file := r.File()
	if strings.ContainsAny(r.Slug, "/.") {
		return append(ds, diag.Errorf(diag.Position{File: file}, "名称 %q 不能含 / 或 .", "the name %q must not contain / or .", r.Slug).
			WithHint("只写名称，不写栏目和扩展名，如 gongkai new %s 2026-q3-caiwu", "write the name alone, without section or extension, e.g. gongkai new %s 2026-q3-caiwu", r.Section))
	}
	if d := record.CheckSlug(file, r.Slug); d != nil {
		return append(ds, *d)
	}
	if !record.ASCII(r.Slug) {
		s := record.SuggestSlug(r.Slug, r.Today)
		ds.Add(diag.Warnf(diag.Position{File: file}, "名称 %q 含有汉字或其他非英文字符：网址很长，二维码很密，手机不好扫", "the name %q is not plain ASCII: the address is long and its QR code dense", r.Slug).
			WithHint("建议用字母和数字，如 gongkai new %s %s（可在日期后加拼音缩写，如 %s-dibao）", "letters and digits are better, e.g. gongkai new %s %s (a pinyin abbreviation may follow the date, e.g. %s-dibao)", r.Section, s, s))
	}
	return ds
}

// New writes the record r into the content folder root from its section's
// template and returns the diagnostics: errors when nothing was written
// (site.toml does not load, the record or one whose name differs only in
// case exists, the section folder is a link that leads outside, the disk
// refuses). It never overwrites a file.
func New(root *os.Root, r Record) diag.List {
	ds := Check(r)
	if ds.HasErrors() {
		return ds
	}
	fsys := root.FS()
	site, sds := config.Load(fsys)
	if site == nil || sds.HasErrors() {
		return append(ds, sds...)
	}
	if r.Today.IsZero() {
		r.Today = time.Now().In(site.Location)
	}
	file := r.File()
	if d := exists(fsys, r); d != nil {
		return append(ds, *d)
	}
	th := r.Theme
	if th == nil {
		// The board's theme, whose archetypes take the default's place.
		if t, err := theme.Open(fsys, site); err == nil {
			th = t
		} else {
			th = themes.Default()
		}
	}
	tmpl, err := fs.ReadFile(th, "archetypes/"+r.Section+".md")
	if err != nil {
		return append(ds, diag.Errorf(diag.Position{}, "主题里没有 %s 的模板", "the theme has no template for %s", r.Section).
			WithHint("检查主题的 archetypes 文件夹", "check the theme's archetypes folder").Wrap(err))
	}
	text := fill(string(tmpl), site, r.Today)
	if d := folderLink(fsys, path.Dir(file)); d != nil {
		return append(ds, *d)
	}
	if err := root.MkdirAll(path.Dir(file), 0o755); err != nil {
		return append(ds, writeProblem(fsys, path.Dir(file), err))
	}
	f, err := root.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return append(ds, writeProblem(fsys, file, err))
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		root.Remove(file)
		return append(ds, diag.Errorf(diag.Position{File: file}, "无法写入 %s：%v", "cannot write %s: %v", file, err).
			WithHint("检查磁盘空间和文件夹权限", "check the free disk space and the folder's permissions").Wrap(err))
	}
	return ds
}

// exists reports a record of the same address, or one that Windows or
// macOS would take for it.
func exists(fsys fs.FS, r Record) *diag.Diagnostic {
	want := record.FoldKey(r.Slug)
	entries, err := fs.ReadDir(fsys, r.Section)
	if err != nil {
		return nil // no section folder yet: MkdirAll makes it, or says why not
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".md")
		if record.FoldKey(name) != want {
			continue
		}
		other := r.Section + "/" + e.Name()
		var d diag.Diagnostic
		if name == r.Slug {
			d = diag.Errorf(diag.Position{File: other}, "%s 已经存在，没有覆盖", "%s already exists; nothing was written", other).
				WithHint("换一个名称，或直接编辑 %s", "choose another name, or edit %s", other)
		} else {
			d = diag.Errorf(diag.Position{File: other}, "%s 已经存在，与 %s 只差大小写或字符写法，在 Windows 和苹果电脑上是同一个文件", "%s exists and differs from %s only in case or Unicode form: on Windows and macOS they are one file", other, r.File()).
				WithHint("换一个名称", "choose another name")
		}
		return &d
	}
	return nil
}

// folderLink refuses a folder on the way to dir that is a link: one that
// leads outside is never written through, and one that stays inside is
// not read by build either, so a record written there would not be
// published.
func folderLink(fsys fs.FS, dir string) *diag.Diagnostic {
	var parts []string
	for p := dir; p != "."; p = path.Dir(p) {
		parts = append([]string{p}, parts...)
	}
	for _, p := range parts {
		fi, err := fs.Lstat(fsys, p)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		if _, err := fs.Stat(fsys, p); err != nil {
			d := folder.Problem(diag.Position{File: p}, fsys, p, err)
			return &d
		}
		d := diag.Errorf(diag.Position{File: p}, "%s 是指向文件夹的链接：gongkai 不进入这样的文件夹，新建的记录不会发布", "%s is a link to a folder: gongkai does not follow it, so a record written there would not be published", p).
			WithHint("把文件夹本身移到这里，再删除这个链接", "move the folder itself here and delete the link")
		return &d
	}
	return nil
}

// writeProblem explains why name could not be made.
func writeProblem(fsys fs.FS, name string, err error) diag.Diagnostic {
	pos := diag.Position{File: name}
	if folder.Outside(fsys, name, err) {
		return folder.Problem(pos, fsys, name, err)
	}
	if errors.Is(err, fs.ErrExist) {
		return diag.Errorf(pos, "%s 已经存在，没有覆盖", "%s already exists; nothing was written", name).
			WithHint("换一个名称", "choose another name")
	}
	return diag.Errorf(pos, "无法新建 %s", "cannot create %s", name).
		WithHint("检查磁盘空间和文件夹权限", "check the free disk space and the folder's permissions").Wrap(err)
}

// fill puts the date and the site's defaults into a template.
func fill(tmpl string, site *config.Site, today time.Time) string {
	q := (int(today.Month())-1)/3 + 1
	first := ""
	if len(site.Procedure) > 0 {
		first = site.Procedure[0]
	}
	return strings.NewReplacer(
		"{{.Date}}", today.Format("2006-01-02"),
		"{{.NoticeTo}}", today.AddDate(0, 0, max(site.NoticeMinDays, 7)-1).Format("2006-01-02"),
		"{{.Issuer}}", site.Issuer, "{{.Parent}}", site.Parent, "{{.SupervisePhone}}", site.Contact.SupervisePhone,
		"{{.Quarter}}", fmt.Sprintf("%d-Q%d", today.Year(), q), "{{.FirstStage}}", first,
	).Replace(tmpl)
}
