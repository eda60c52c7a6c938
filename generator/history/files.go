package history

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"gongkai/generator/diag"
	"gongkai/generator/ledger"
	"gongkai/generator/render"
)

// FileSourcePath returns the site-relative copy of the registered bytes of
// the file name of version n of record id:
// ledger/sources/<id>/v<n>/<name>.
func FileSourcePath(id string, n int, name string) string {
	return fmt.Sprintf("ledger/sources/%s/v%d/%s", id, n, name)
}

// filesChanged adds to the warning d about a record whose text is that of
// its last version last which files changed.
func filesChanged(d diag.Diagnostic, last ledger.Version, files map[string]string) diag.Diagnostic {
	changed := ledger.FileChanges(last.Files, files)
	d.Msg.Zh = strings.Replace(d.Msg.Zh, "有未登记的修改", "有未登记的修改（文件 "+strings.Join(changed, "、")+" 与登记的不同，正文没有变）", 1)
	d.Msg.En = strings.Replace(d.Msg.En, "has an unregistered change", "has an unregistered change (the files "+strings.Join(changed, ", ")+" differ from those registered; the text does not)", 1)
	return d
}

// versionFS returns the content folder as version v of record id, whose
// file is in the folder dir, saw it: the files v registered are read from
// the archive. A version registered before files were sees the folder as
// it is.
func (h *History) versionFS(id, dir string, v ledger.Version) fs.FS {
	if len(v.Files) == 0 {
		return h.Src
	}
	m := make(map[string]string, len(v.Files))
	for name := range v.Files {
		m[path.Join(dir, name)] = ledger.ArchiveFilePath(id, v.N, name)
	}
	return overlay{h.Src, m}
}

// overlay is an fs.FS that reads some names from other names.
type overlay struct {
	fs.FS
	to map[string]string
}

func (o overlay) Open(name string) (fs.File, error) {
	if a, ok := o.to[name]; ok {
		return o.FS.Open(a)
	}
	return o.FS.Open(name)
}

// versionFiles lists the files version v registered on its page note and
// publishes their archived bytes beside its source (unless personal), so
// that the page's attachments (all: those the version's text lists) are
// the version's own. A version registered before files were, or a
// personal one, keeps the attachments of the current page.
func (h *History) versionFiles(r render.Site, view *render.RecordView, all []render.AttachmentView, note *render.VersionNote, v ledger.Version, personal bool) error {
	if len(v.Files) == 0 {
		return nil
	}
	names := sortedNames(v.Files)
	paths := map[string]string{}
	for _, name := range names {
		f := render.VersionFile{Name: name, SHA256: v.Files[name]}
		if !personal {
			b, err := h.Ledger.ArchivedFile(h.Src, view.ID, v.N, name)
			if err != nil {
				return fmt.Errorf("history: %w", err)
			}
			f.Path = FileSourcePath(view.ID, v.N, name)
			if err := r.Write(f.Path, b); err != nil {
				return err
			}
			paths[name] = f.Path
		}
		note.Files = append(note.Files, f)
	}
	if personal {
		return nil
	}
	var atts []render.AttachmentView
	for _, a := range all {
		if p, ok := paths[a.Name]; ok {
			a.Path = p
			atts = append(atts, a)
		}
	}
	view.Attachments = atts
	return nil
}

// FileChange is a file that differs between two versions of a record.
type FileChange struct {
	Name   string
	Change string // 改动, 新增, 删去, or 首次登记 when the earlier version registered no files
}

// fileChanges lists how the files differ between version from and the
// next version (registered or pending), whose text has SHA-256 sum,
// sorted by name.
func fileChanges(from ledger.Version, sum string, files map[string]string) []FileChange {
	var out []FileChange
	if from.Registers(sum, files) {
		for _, name := range sortedNames(files) {
			out = append(out, FileChange{Name: name, Change: "首次登记"})
		}
		return out
	}
	for _, c := range ledger.FileChanges(from.Files, files) {
		switch {
		case strings.HasPrefix(c, "+"):
			out = append(out, FileChange{Name: strings.TrimPrefix(c, "+"), Change: "新增"})
		case strings.HasPrefix(c, "−"):
			out = append(out, FileChange{Name: strings.TrimPrefix(c, "−"), Change: "删去"})
		default:
			out = append(out, FileChange{Name: c, Change: "改动"})
		}
	}
	return out
}

// pendingFiles lists how the files of board record id differ from its
// last registered version.
func (h *History) pendingFiles(id string) []FileChange {
	last, ok := h.Ledger.Last(id)
	rec := h.Board.Get(id)
	if !ok || rec == nil {
		return nil
	}
	return fileChanges(last, rec.Sum(), rec.Files)
}

// sortedNames returns the names of files, sorted.
func sortedNames(files map[string]string) []string {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
