// Package content walks the content folder (--src): it reads site.toml and
// every record file, decodes their encodings, runs the personal-data lint
// over everything that will be public, decodes each record in parallel and
// checks the board as a whole. The result is an immutable record.Board.
package content

import (
	"io/fs"
	"path"
	"sort"
	"strings"

	"gongkai/generator/config"
	"gongkai/generator/diag"
	"gongkai/generator/privacy"
	"gongkai/generator/record"
	"gongkai/generator/textenc"
)

// Options select what Load keeps.
type Options struct {
	Drafts bool // keep draft records (serve --drafts)
}

// Load reads the content folder fsys.
func Load(fsys fs.FS, opt Options) (*record.Board, diag.List) {
	site, ds := config.Load(fsys)
	if site == nil {
		return nil, ds
	}
	srcs, more := Sources(fsys)
	ds.Add(more...)
	recs, more := Decode(site, fsys, srcs)
	ds.Add(more...)
	broken := Broken(srcs, recs)
	if !opt.Drafts {
		kept := recs[:0]
		for _, r := range recs {
			if !r.Draft {
				kept = append(kept, r)
			}
		}
		recs = kept
	}
	board, more := record.NewBoard(site, recs, broken...)
	ds.Add(more...)
	board.Unread = Unread(fsys, srcs, broken)
	return board, ds
}

// Broken returns the ids of the sources that were not decoded into a
// record: their files have errors of their own, so links to them are not
// reported again as links to missing records.
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

// Sources lists and decodes every record file of fsys (without parsing
// them), and lints the files that are published beside them.
func Sources(fsys fs.FS) ([]record.Source, diag.List) {
	var ds diag.List
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			ds.Add(diag.Sys(diag.Position{File: p}, "无法读取：", "cannot read: ", err))
			return nil
		}
		name := d.Name()
		if p != "." && (strings.HasPrefix(name, ".") || (d.IsDir() && strings.HasPrefix(name, "_"))) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if depth := strings.Count(p, "/"); depth == 0 && p != "." && !record.IsSection(name) {
				ds.Add(diag.Warnf(diag.Position{File: p}, "文件夹 %s 不是栏目，其中的文件不会发布", "folder %s is not a section; its files are not published", p).
					WithHint("栏目有：%s", "the sections are: %s", strings.Join(record.Sections, ", ")))
				return fs.SkipDir
			}
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		ds.Add(diag.Sys(diag.Position{}, "无法读取内容文件夹：", "cannot read the content folder: ", err))
	}
	sort.Strings(files)
	seen := map[string]string{}
	var srcs []record.Source
	for _, p := range files {
		src, ok := record.IDFromPath(p)
		if !ok {
			continue
		}
		if !record.IsSection(src.Section) {
			continue
		}
		if d := record.CheckSlug(p, src.Slug); d != nil {
			ds.Add(*d)
			continue
		}
		if other, dup := seen[src.ID]; dup {
			ds.Add(diag.Errorf(diag.Position{File: p}, "记录 %s 重复：%s 和 %s 是同一个网址", "duplicate record %s: %s and %s have the same URL", src.ID, other, p).
				WithHint("删除或改名其中一个", "delete or rename one of them"))
			continue
		}
		seen[src.ID] = p
		srcs = append(srcs, src)
	}
	return srcs, ds
}

// Decode reads, lints and decodes the sources in parallel, keeping their
// order.
func Decode(site *config.Site, fsys fs.FS, srcs []record.Source) ([]*record.Record, diag.List) {
	recs, dss := DecodeEach(site, fsys, srcs)
	var ds diag.List
	out := recs[:0]
	for i, r := range recs {
		ds.Add(dss[i]...)
		if r != nil {
			out = append(out, r)
		}
	}
	return out, ds
}

func decodeOne(site *config.Site, fsys fs.FS, rules privacy.Rules, src record.Source) (*record.Record, diag.List) {
	var ds diag.List
	if st, err := fs.Stat(fsys, src.File); err == nil && st.Size() > record.MaxFileSize {
		ds.Add(diag.Errorf(diag.Position{File: src.File}, "文件太大（%d KB），一条记录最多 %d KB", "the file is too large (%d KB); a record may have at most %d KB", st.Size()>>10, record.MaxFileSize>>10).
			WithHint("把大的名单做成 CSV 表格附件，或拆成几条记录", "put long lists into a CSV table, or split the record"))
		return nil, ds
	}
	b, err := fs.ReadFile(fsys, src.File)
	if err != nil {
		ds.Add(diag.Sys(diag.Position{File: src.File}, "无法读取：", "cannot read: ", err))
		return nil, ds
	}
	text, eds := textenc.Decode(src.File, b)
	ds.Add(eds...)
	if eds.HasErrors() {
		return nil, ds
	}
	src.Text = text
	r, rds := record.Decode(site, fsys, src)
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
