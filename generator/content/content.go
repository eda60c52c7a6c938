// Package content walks the content folder (--src): it lists every file
// (Walk), and reads each record file, decodes its encoding, runs the
// personal-data lint over everything of it that will be public and decodes
// it into a typed record (DecodeEach). The pipeline (package build) builds
// the board from them and keeps them to read one file again after an
// edit; Unused and Other tell it about the files and records that are not
// on the board.
//
// The folder is read through an fs.FS that should come from folder.Open,
// so that no link leads out of it. Every file in it is accounted for: a
// record, a declared attachment or table, site.toml, the ledger with its
// archive and checkpoints, or reported with what to do about it. Names
// that Windows or macOS cannot hold, or that they take for one another
// (case, Unicode normalisation), are errors.
package content

import (
	"io/fs"
	"path"
	"sort"
	"strings"

	"gongkai/generator/config"
	"gongkai/generator/diag"
	"gongkai/generator/folder"
	"gongkai/generator/ledger"
	"gongkai/generator/markdown"
	"gongkai/generator/privacy"
	"gongkai/generator/record"
	"gongkai/generator/textenc"

	"golang.org/x/text/unicode/norm"
)

// Codes of the diagnostics of Walk and Unused.
const (
	CodeUnreadable = "content.unreadable"  // a file or folder that cannot be read
	CodeNotSection = "content.not-section" // a top-level folder that is no section
	CodeDuplicate  = "content.duplicate"   // two files of one record id
	CodeName       = "content.name"        // a name Windows or macOS cannot hold apart
	CodeFolderLink = "content.folder-link" // a link to a folder, not followed
	CodeUnused     = "content.unused"      // a file no record uses
)

// Other tells record.NewBoard about the records that are not on the
// board: srcs that could not be decoded (recs[i] nil), drafts unless
// drafts are kept, and the records the ledger published (standings, from
// ledger.Standings of fsys) whose files are gone, withdrawn or not yet.
func Other(fsys fs.FS, standings map[string]ledger.Standing, srcs []record.Source, recs []*record.Record, drafts bool) record.Elsewhere {
	other := record.Elsewhere{Broken: map[string]bool{}, Drafts: map[string]bool{}, Withdrawn: map[string]bool{}, Removed: map[string]bool{}}
	present := make(map[string]bool, len(srcs))
	for i, s := range srcs {
		present[s.ID] = true
		switch r := recs[i]; {
		case r == nil:
			other.Broken[s.ID] = true
		case r.Draft && !drafts:
			other.Drafts[s.ID] = true
		}
	}
	for id, st := range standings {
		switch {
		case present[id] || st.Expired:
		case behindLink(fsys, id):
			other.Broken[id] = true // the walk reported the link
		case st.Withdrawn:
			other.Withdrawn[id] = true
		default:
			other.Removed[id] = true
		}
	}
	return other
}

// Broken returns the ids of the sources that were not decoded into a
// record (recs[i] nil, or missing): their files have errors of their own.
func Broken(srcs []record.Source, recs []*record.Record) []string {
	ok := make(map[string]bool, len(recs))
	for _, r := range recs {
		if r != nil {
			ok[r.ID] = true
		}
	}
	var ids []string
	for _, s := range srcs {
		if !ok[s.ID] {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// behindLink reports whether the file of record id cannot be read because
// a link on its way leads outside the content folder.
func behindLink(fsys fs.FS, id string) bool {
	for _, name := range []string{id + ".md", id + "/index.md"} {
		if _, err := fs.Stat(fsys, name); folder.Outside(fsys, name, err) {
			return true
		}
	}
	return false
}

// Listing is what Walk found in the content folder.
type Listing struct {
	// Sources are the record files, sorted by path.
	Sources []record.Source
	// Files are every other file, sorted: site.toml, the ledger, and the
	// files records may use as attachments and tables.
	Files []string
	// Info is what the walk saw of each file and folder it listed (as
	// fs.Lstat does): reading a folder of an os.Root looks at every
	// entry already, so a build that checks files by their stamps need
	// not look again.
	Info map[string]fs.FileInfo
}

// Sources lists the record files of fsys (without reading them); see
// Walk.
func Sources(fsys fs.FS) ([]record.Source, diag.List) {
	l, ds := Walk(fsys)
	return l.Sources, ds
}

// housekeeping reports whether a file or folder is one the operating
// system, an editor or gongkai itself keeps beside the clerk's files:
// names starting with a dot (.DS_Store, .git, publish's lock and
// temporary files), Thumbs.db, desktop.ini and Office's ~$ lock files.
// They are neither published nor reported.
func housekeeping(name string) bool {
	switch strings.ToLower(name) {
	case "thumbs.db", "ehthumbs.db", "desktop.ini":
		return true
	}
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$")
}

// Walk lists every file of fsys. It reports, at the file: a link that
// leads outside the folder (never saying where), a link to a folder (not
// followed), a name Windows cannot hold, two names that Windows or macOS
// take for the same one, a top-level folder that is not a section, and two
// record files with the same address. The archive (_archive/) and the
// stored checkpoints (_checkpoints/) are the ledger's, and the board's
// themes (themes/) are read by the renderer: none of them is listed.
func Walk(fsys fs.FS) (Listing, diag.List) {
	var ds diag.List
	var files []string
	folded := map[string]string{}
	info := map[string]fs.FileInfo{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			ds.Add(folder.Problem(diag.Position{File: p}, fsys, p, err).WithCode(CodeUnreadable))
			return nil
		}
		if p == "." {
			return nil
		}
		name := d.Name()
		top := !strings.Contains(p, "/")
		skip := func() error {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if housekeeping(name) || top && d.IsDir() && (name == ledger.ArchiveDir || name == ledger.CheckpointDir || name == config.ThemeDir) {
			return skip()
		}
		if bad := record.CheckName(p, name); bad != nil {
			ds.Add(bad.WithCode(CodeName))
			return skip()
		}
		key := record.FoldKey(p)
		if other, dup := folded[key]; dup {
			// Both are kept, so that neither looks deleted; the error
			// stops the build.
			ds.Add(sameName(other, p).WithCode(CodeName))
		}
		folded[key] = p
		if d.Type()&fs.ModeSymlink != 0 {
			fi, err := fs.Stat(fsys, p)
			if err != nil {
				ds.Add(folder.Problem(diag.Position{File: p}, fsys, p, err).WithCode(CodeUnreadable))
				return nil
			}
			if fi.IsDir() {
				ds.Add(diag.Warnf(diag.Position{File: p}, "%s 是指向文件夹的链接，gongkai 不会进入它，其中的文件不会发布", "%s is a link to a folder; gongkai does not follow it and publishes none of its files", p).
					WithHint("把文件夹本身移到这里，再删除这个链接", "move the folder itself here and delete the link").WithCode(CodeFolderLink))
				return nil
			}
		}
		if fi, err := d.Info(); err == nil {
			info[p] = fi
		}
		if d.IsDir() {
			if top && !record.IsSection(name) {
				ds.Add(diag.Warnf(diag.Position{File: p}, "文件夹 %s 不是栏目，其中的文件不会发布", "folder %s is not a section; its files are not published", p).
					WithHint("栏目有：%s；不需要发布的文件请移出内容文件夹", "the sections are: %s; move files that are not to be published out of the content folder", strings.Join(record.Sections, ", ")).WithCode(CodeNotSection))
				return fs.SkipDir
			}
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		ds.Add(diag.Sys(diag.Position{}, "无法读取内容文件夹：", "cannot read the content folder: ", err).WithCode(CodeUnreadable))
	}
	sort.Strings(files)
	l := Listing{Info: info}
	seen := map[string]string{} // id → file
	ids := map[string]string{}  // folded id → file
	for _, p := range files {
		src, ok := record.IDFromPath(p)
		if !ok || !record.IsSection(src.Section) {
			l.Files = append(l.Files, p)
			continue
		}
		if d := record.CheckSlug(p, src.Slug); d != nil {
			ds.Add(d.WithCode(CodeName))
			continue
		}
		if other, dup := seen[src.ID]; dup {
			ds.Add(diag.Errorf(diag.Position{File: p}, "记录 %s 重复：%s 和 %s 是同一个网址", "duplicate record %s: %s and %s have the same URL", src.ID, other, p).
				WithHint("删除或改名其中一个", "delete or rename one of them").WithCode(CodeDuplicate))
			continue
		}
		seen[src.ID] = p
		if other, dup := ids[record.FoldKey(src.ID)]; dup && record.FoldKey(other) != record.FoldKey(p) {
			// pages/about.md beside pages/About/index.md: two folders
			// of the site that are one on Windows and macOS.
			ds.Add(sameName(other, p).WithCode(CodeName))
		}
		ids[record.FoldKey(src.ID)] = p
		l.Sources = append(l.Sources, src)
	}
	return l, ds
}

// sameName is the error for two paths that Windows and macOS take for
// one: they differ only in upper and lower case or in Unicode form.
func sameName(first, second string) diag.Diagnostic {
	if norm.NFC.String(first) == norm.NFC.String(second) {
		return diag.Errorf(diag.Position{File: second}, "%s 和 %s 看起来一样，但字符的写法（Unicode 形式）不同：在苹果电脑上是同一个文件，网站上会互相覆盖",
			"%s and %s look the same but are written with different Unicode forms: on macOS they are one file, and on the site one would overwrite the other", first, second).
			WithHint("删除其中一个，或重新输入文件名", "delete one of them, or type the file name anew")
	}
	return diag.Errorf(diag.Position{File: second}, "%s 和 %s 只差大小写或字符的写法（Unicode 形式），在 Windows 和苹果电脑上是同一个文件，网站上会互相覆盖",
		"%s and %s differ only in upper and lower case or in Unicode form: on Windows and macOS they are one file, and on the site one would overwrite the other", first, second).
		WithHint("删除或改名其中一个", "delete or rename one of them")
}

// Unused reports every file of l that no record uses: recs[i] is the
// decoded record of l.Sources[i] (nil when it has errors of its own; the
// files of its folder are then not reported). A file that looks like a
// record (.md, .markdown in any case) but is not one is an error, since a
// clerk meant it to be published; any other file a warning.
func Unused(l Listing, recs []*record.Record) diag.List {
	used := map[string]bool{config.File: true, ledger.FileName: true}
	bundles := map[string]string{} // folder → its index.md
	broken := map[string]bool{}
	for i, s := range l.Sources {
		if !s.Bundle {
			continue
		}
		dir := path.Dir(s.File)
		bundles[dir] = s.File
		r := recs[i]
		if r == nil {
			broken[dir] = true
			continue
		}
		for _, a := range r.Attachments {
			used[path.Join(dir, a)] = true
		}
		if r.Disclosure != nil {
			for _, t := range r.Disclosure.Tables {
				used[t.Path] = true
			}
			if f := r.Disclosure.Finance; f != nil && f.File != "" {
				used[f.File] = true
			}
		}
	}
	var ds diag.List
	for _, f := range l.Files {
		if used[f] {
			continue
		}
		bundle, index := "", ""
		for dir := path.Dir(f); dir != "."; dir = path.Dir(dir) {
			if idx, ok := bundles[dir]; ok {
				bundle, index = dir, idx
				break
			}
		}
		if broken[bundle] {
			continue
		}
		ds.Add(unused(f, bundle, index).WithCode(CodeUnused))
	}
	return ds
}

// markdownLike reports whether name looks like a record file: .md or
// .markdown in any case.
func markdownLike(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown", ".mdown", ".mkd":
		return true
	}
	return false
}

// unused explains why file f is not published; bundle and index name the
// record folder it is in, if any.
func unused(f, bundle, index string) diag.Diagnostic {
	pos := diag.Position{File: f}
	name := path.Base(f)
	parts := strings.Split(f, "/")
	stem := strings.TrimSuffix(name, path.Ext(name))
	switch {
	case bundle != "" && markdownLike(name) && path.Dir(f) == bundle && strings.EqualFold(stem, "index"):
		return diag.Errorf(pos, "%s 不会发布：记录文件夹里的记录文件必须叫 index.md（小写）", "%s is not published: the record file of a folder must be named index.md (lower case)", f).
			WithHint("改名为 %s", "rename it to %s", path.Join(bundle, "index.md"))
	case bundle != "" && markdownLike(name):
		return diag.Errorf(pos, "%s 在记录 %s 的文件夹里，但既不是记录，也没有写进 attachments，不会发布", "%s is in the folder of record %s but is neither a record nor listed in attachments, so it is not published", f, bundle).
			WithHint("作为附件：在 %[1]s 里写 attachments = [\"%[2]s\"]；作为一条记录：移到 %[3]s/%[4]s.md", "as an attachment: add attachments = [\"%[2]s\"] to %[1]s; as a record: move it to %[3]s/%[4]s.md", index, rel(f, bundle), parts[0], stem)
	case bundle != "":
		return diag.Warnf(pos, "%s 在记录 %s 的文件夹里，但没有写进 attachments 或 [[tables]]，不会发布", "%s is in the folder of record %s but is not listed in attachments or [[tables]], so it is not published", f, bundle).
			WithHint("要发布它，在 %[1]s 里写 attachments = [\"%[2]s\"]；不需要的文件请移出内容文件夹", "to publish it, add attachments = [\"%[2]s\"] to %[1]s; move files that are not needed out of the content folder", index, rel(f, bundle))
	case markdownLike(name) && len(parts) == 1:
		return diag.Errorf(pos, "%s 不在任何栏目里，不会发布", "%s is in no section, so it is not published", f).
			WithHint("记录要放在栏目文件夹里（%s），如 pages/%s.md；不需要的文件请移出内容文件夹", "a record goes into a section folder (%s), such as pages/%s.md; move files that are not needed out of the content folder", strings.Join(record.Sections, "、"), stem)
	case markdownLike(name) && len(parts) == 2:
		return diag.Errorf(pos, "%s 不会发布：记录文件的扩展名必须是小写的 .md", "%s is not published: a record file must end in lower-case .md", f).
			WithHint("改名为 %s", "rename it to %s", path.Join(parts[0], stem+".md"))
	case markdownLike(name):
		return diag.Errorf(pos, "%s 不会发布：记录只能是 <栏目>/<名称>.md 或 <栏目>/<名称>/index.md", "%s is not published: a record is either <section>/<name>.md or <section>/<name>/index.md", f).
			WithHint("移到 %s/%s.md", "move it to %s/%s.md", parts[0], stem)
	case len(parts) == 1:
		return diag.Warnf(pos, "%s 不属于任何记录，不会发布", "%s belongs to no record, so it is not published", f).
			WithHint("附件放在记录的文件夹里（<栏目>/<名称>/index.md 旁边）并写进 attachments；不需要的文件请移出内容文件夹", "put an attachment into the record's folder (beside <section>/<name>/index.md) and list it in attachments; move files that are not needed out of the content folder")
	}
	return diag.Warnf(pos, "%s 不属于任何记录，不会发布：附件要放在记录自己的文件夹里", "%s belongs to no record, so it is not published: attachments go into the record's own folder", f).
		WithHint("把记录改成文件夹（<栏目>/<名称>/index.md），附件放在旁边并写进 attachments；不需要的文件请移出内容文件夹", "make the record a folder (<section>/<name>/index.md), put the attachment beside it and list it in attachments; move files that are not needed out of the content folder")
}

// rel returns f relative to the folder dir.
func rel(f, dir string) string { return strings.TrimPrefix(f, dir+"/") }

func decodeOne(dec *record.Decoder, fsys fs.FS, rules privacy.Rules, md *markdown.Converter, src record.Source) (*record.Record, diag.List) {
	var ds diag.List
	if st, err := fs.Stat(fsys, src.File); err == nil && st.Size() > record.MaxFileSize {
		ds.Add(diag.Errorf(diag.Position{File: src.File}, "文件太大（%d KB），一条记录最多 %d KB", "the file is too large (%d KB); a record may have at most %d KB", st.Size()>>10, record.MaxFileSize>>10).
			WithHint("把大的名单做成 CSV 表格附件，或拆成几条记录", "put long lists into a CSV table, or split the record"))
		return nil, ds
	}
	b, err := fs.ReadFile(fsys, src.File)
	if err != nil {
		ds.Add(folder.Problem(diag.Position{File: src.File}, fsys, src.File, err).WithCode(CodeUnreadable))
		return nil, ds
	}
	text, eds := textenc.Decode(src.File, b)
	ds.Add(eds...)
	if eds.HasErrors() {
		return nil, ds
	}
	src.Text = text
	src.Outline = md.Outline
	r, rds := dec.Decode(fsys, src)
	ds.Add(rds...)
	if r != nil && !r.Draft {
		ds.Add(rules.Lint(src.File, text)...)
		ds.Add(lintCells(rules, r)...)
		if r.Disclosure != nil {
			for _, t := range r.Disclosure.Tables {
				if b, err := fs.ReadFile(fsys, t.Path); err == nil {
					if txt, eds := textenc.Decode(t.Path, b); !eds.HasErrors() {
						ds.Add(rules.Lint(t.Path, txt)...)
					}
				}
			}
		}
		for _, a := range r.Attachments {
			p := path.Join(path.Dir(r.File), a)
			if !isText(a) || tableFile(r, p) {
				continue
			}
			if b, err := fs.ReadFile(fsys, p); err == nil {
				if txt, eds := textenc.Decode(p, b); !eds.HasErrors() {
					ds.Add(rules.Lint(p, txt)...)
				}
			}
		}
	}
	return r, ds
}

func tableFile(r *record.Record, p string) bool {
	if r.Disclosure == nil {
		return false
	}
	for _, t := range r.Disclosure.Tables {
		if t.Path == p {
			return true
		}
	}
	return false
}

func isText(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".csv", ".md", ".tsv", ".json", ".xml", ".html", ".htm":
		return true
	}
	return false
}
