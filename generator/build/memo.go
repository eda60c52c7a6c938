package build

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"gongkai/generator/config"
	"gongkai/generator/internal/par"
	"gongkai/generator/ledger"
	"gongkai/generator/record"
)

// A build into a folder that holds the previous build remembers, in a
// note kept in Options.Cache (never in the content folder nor in the
// site), what it made: a fingerprint of each record — its text, its
// versions, the files it reads and the records it links or is linked
// from — and every file of the site with the part of the render that
// made it and its size and modification time. The next build into that
// folder renders again only the records whose fingerprint changed, whose
// files are no longer as it left them, or that came or went, and the
// pages made from the whole board; everything else is checked as always.
// A note that does not match (another version of gongkai, other options,
// another site.toml or ledger) is ignored, and so is a missing or broken
// one: the build then renders everything.
//
// Like the caches, the note is a base and a delta beside it: the entries
// set and the names removed since the base was written, so that a
// rebuild after one edit writes a few entries, not one for each of the
// tens of thousands of files of the site. When the delta would hold more
// than an eighth of the entries, the base is written anew.

// memoFormat changes whenever the note or what a fingerprint covers does.
const memoFormat = 6

// memoMagic starts a note's file; the checksum of the rest follows it on
// the first line, so that a note cut short or damaged is never trusted.
const memoMagic = "gongkai build note"

// memo is the note of one build.
type memo struct {
	Format  int
	Global  string
	Records map[string]string   // id → fingerprint
	Files   map[string]memoFile // site file → unit and stamp
	Deps    map[string]depStamp // content file a record reads → stamp and hash
	// Folder is the output folder's modification time after the build,
	// and Dirs those of the folders inside that hold the site's files.
	Folder int64
	Dirs   map[string]int64

	// In a delta: what names the base it extends ("" in a base), and
	// the names its entries no longer have.
	Base string
	Gone memoNames

	// Of a note read: what names its base, and the names its delta set
	// or removed and those this build changed since, which the next
	// delta holds.
	base    string
	changed memoSet
}

// memoNames are names of each kind of entry of a note.
type memoNames struct{ Records, Files, Deps, Dirs []string }

func (n *memoNames) lists() []*[]string {
	return []*[]string{&n.Records, &n.Files, &n.Deps, &n.Dirs}
}

// memoSet is a set of names of each kind of entry of a note.
type memoSet struct{ Records, Files, Deps, Dirs map[string]bool }

func (s *memoSet) len() int {
	return len(s.Records) + len(s.Files) + len(s.Deps) + len(s.Dirs)
}

// note adds name to a set, made when nil.
func note(set *map[string]bool, name string) {
	if *set == nil {
		*set = map[string]bool{}
	}
	(*set)[name] = true
}

type memoFile struct {
	Unit  string
	Size  int64
	MTime int64
	Sum   Sum // SHA-256 of its bytes; zero when not known
}

type depStamp struct {
	Size  int64
	MTime int64
	Sum   string
}

// memoPath returns the file of the note of builds into dir.
func memoPath(cache, dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(cache, "build-"+hex.EncodeToString(sum[:12])+".note"), nil
}

// readMemo reads a note, its base and its delta, or returns nil.
func readMemo(file string) *memo {
	m, name := readMemoFile(file)
	if m == nil || m.Base != "" {
		return nil
	}
	m.base = name
	if d, _ := readMemoFile(file + ".delta"); d != nil && d.Base == name {
		m.apply(d)
	}
	return m
}

// readMemoFile reads one file of a note and what names its content, or
// nil. The names in the note are the file's bytes, mapped and not
// copied, and the mapping is kept for the life of the process (as the
// caches' are, see readRecFile).
func readMemoFile(file string) (*memo, string) {
	body, name, release, ok := readChecked(file, memoMagic)
	if !ok {
		return nil, ""
	}
	m, err := decodeMemo(body)
	if err != nil {
		release()
		return nil, ""
	}
	return m, name
}

// apply takes in a delta read after m's base.
func (m *memo) apply(d *memo) {
	m.Global, m.Folder = d.Global, d.Folder
	applyTo(m.Records, d.Records, d.Gone.Records, &m.changed.Records)
	applyTo(m.Files, d.Files, d.Gone.Files, &m.changed.Files)
	applyTo(m.Deps, d.Deps, d.Gone.Deps, &m.changed.Deps)
	applyTo(m.Dirs, d.Dirs, d.Gone.Dirs, &m.changed.Dirs)
}

// applyTo sets the entries set and removes the names gone in m, noting
// each name as changed.
func applyTo[V any](m, set map[string]V, gone []string, changed *map[string]bool) {
	for k, v := range set {
		m[k] = v
		note(changed, k)
	}
	for _, k := range gone {
		delete(m, k)
		note(changed, k)
	}
}

// crcTable is the CRC-32 of the cache's files: they are the user's own,
// and the checksum catches a file cut short or damaged, not an attack
// (whoever can write the file can write its checksum).
var crcTable = crc32.IEEETable

// readChecked reads a file of the cache written by writeChecked: its
// first line is magic and the checksum of the rest. It returns the rest,
// which is mapped memory until release, and the name of its content.
func readChecked(file, magic string) (body []byte, name string, release func(), ok bool) {
	b, release, err := mapFile(file)
	if err != nil {
		return nil, "", nil, false
	}
	head, body, ok := bytes.Cut(b, []byte("\n"))
	sum := crc32.Checksum(body, crcTable)
	if !ok || string(head) != fmt.Sprintf("%s %08x", magic, sum) {
		release()
		return nil, "", nil, false
	}
	return body, fmt.Sprintf("%08x-%d", sum, len(body)), release, true
}

// writeChecked writes a file of the cache atomically (a temporary file
// renamed over it): a first line of magic and the checksum of body, then
// body.
func writeChecked(file, magic string, body []byte) error {
	_, err := writeCheckedBy(file, magic, func(w io.Writer) error {
		_, err := w.Write(body)
		return err
	})
	return err
}

// writeCheckedBy is writeChecked of the body that write writes, which it
// streams to the file: the checksum's place in the first line is filled
// in at the end. It returns what names the content, as readChecked does.
func writeCheckedBy(file, magic string, write func(w io.Writer) error) (string, error) {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Dir(file), ".cache-*")
	if err != nil {
		return "", err
	}
	head := func(sum uint32) []byte { return fmt.Appendf(nil, "%s %08x\n", magic, sum) }
	cw := &crcWriter{w: bufio.NewWriterSize(f, 1<<18)}
	_, err = f.Write(head(0))
	if err == nil {
		err = write(cw)
	}
	if err == nil {
		err = cw.w.Flush()
	}
	if err == nil {
		_, err = f.WriteAt(head(cw.sum), 0)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), file)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return fmt.Sprintf("%08x-%d", cw.sum, cw.n), nil
}

// crcWriter writes through w, keeping the checksum and length of what it
// wrote.
type crcWriter struct {
	w   *bufio.Writer
	sum uint32
	n   int
}

func (c *crcWriter) Write(b []byte) (int, error) {
	c.sum = crc32.Update(c.sum, crcTable, b)
	c.n += len(b)
	return c.w.Write(b)
}

// memoAge is how long a note of builds into a folder no longer built
// into is kept.
const memoAge = 90 * 24 * time.Hour

// write saves the note atomically (a temporary file renamed over it): a
// delta beside the base it was read from while the changes since are
// few, else a new base. It removes the notes of folders not built into
// for memoAge.
func (m *memo) write(file string) error {
	dir := filepath.Dir(file)
	if es, err := os.ReadDir(dir); err == nil {
		for _, e := range es {
			if fi, err := e.Info(); err == nil && (strings.HasPrefix(e.Name(), "build-") || strings.HasPrefix(e.Name(), "content-") || strings.HasPrefix(e.Name(), ".cache-")) && time.Since(fi.ModTime()) > memoAge {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
	size := len(m.Records) + len(m.Files) + len(m.Deps) + len(m.Dirs)
	if m.base != "" && m.changed.len() <= max(64, size/8) {
		return writeChecked(file+".delta", memoMagic, m.delta().encode(nil))
	}
	b := *m
	b.Base, b.Gone = "", memoNames{}
	if err := writeChecked(file, memoMagic, b.encode(make([]byte, 0, 128*size))); err != nil {
		return err
	}
	// The delta names the base it extends, so a delta left behind is
	// never read with the new base; it goes all the same.
	os.Remove(file + ".delta")
	return nil
}

// delta returns the delta of m from its base: the entries of the names
// changed since, and those of them m no longer has.
func (m *memo) delta() *memo {
	d := &memo{Format: m.Format, Base: m.base, Global: m.Global, Folder: m.Folder}
	d.Records, d.Gone.Records = deltaOf(m.Records, m.changed.Records)
	d.Files, d.Gone.Files = deltaOf(m.Files, m.changed.Files)
	d.Deps, d.Gone.Deps = deltaOf(m.Deps, m.changed.Deps)
	d.Dirs, d.Gone.Dirs = deltaOf(m.Dirs, m.changed.Dirs)
	return d
}

// deltaOf returns the entries of m of the names changed, and the names
// changed that m no longer has, sorted.
func deltaOf[V any](m map[string]V, changed map[string]bool) (map[string]V, []string) {
	set := make(map[string]V, len(changed))
	var gone []string
	for k := range changed {
		if v, ok := m[k]; ok {
			set[k] = v
		} else {
			gone = append(gone, k)
		}
	}
	sort.Strings(gone)
	return set, gone
}

// fingerprints works out the global fingerprint of a build (everything
// every page depends on) and one for each record of the board; deps are
// the stamps and hashes of the files the records read, reused from prev
// for a file whose size and modification time did not change.
func (p *Pipeline) fingerprints(prev *memo) (global string, recs map[string]string, deps map[string]depStamp) {
	s := p.snap
	h := sha256.New()
	fmt.Fprintf(h, "format %d\ngenerator %s\ntoday %s\noffline %v\nbase %q\ndrafts %v\nreload %v\n",
		memoFormat, generatorID(), s.Today.Format("2006-01-02 -0700"), p.opt.Offline, p.opt.BaseURL, p.opt.Drafts, p.opt.Reload)
	for _, name := range []string{config.File, ledger.FileName} {
		b, _ := fs.ReadFile(p.opt.Src, name)
		fmt.Fprintf(h, "%s %x\n", name, sha256.Sum256(b))
	}
	// The stored checkpoints: a cosignature added changes the pages of
	// the ledger and nothing else.
	_ = fs.WalkDir(p.opt.Src, ledger.CheckpointDir, func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(p.opt.Src, name)
			fmt.Fprintf(h, "%s %x\n", name, sha256.Sum256(b))
		}
		return nil
	})
	// The theme: the one given, or the board's own folder (the default
	// theme is the generator's, which is in the fingerprint already).
	th := p.opt.Theme
	if dir := s.Board.Site.ThemeFolder(); th == nil && dir != "" {
		th, _ = fs.Sub(p.opt.Src, dir)
	}
	if th != nil {
		_ = fs.WalkDir(th, ".", func(name string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := fs.ReadFile(th, name)
				fmt.Fprintf(h, "theme %s %x\n", name, sha256.Sum256(b))
			}
			return nil
		})
	}
	global = hex.EncodeToString(h.Sum(nil))

	// Each record's fingerprint, side by side: there are many.
	board := s.Board
	sums := make(map[string]string, len(board.Records))
	all := make([]string, len(board.Records))
	_ = par.Each(len(all), func(i int) error { all[i] = board.Records[i].Sum(); return nil })
	for i, r := range board.Records {
		sums[r.ID] = all[i]
	}
	links := map[string][]string{}
	for _, r := range board.Records {
		for _, l := range r.Links {
			links[r.ID] = append(links[r.ID], l.Target)
			links[l.Target] = append(links[l.Target], r.ID)
		}
	}
	deps = map[string]depStamp{}
	var mu sync.Mutex
	_ = par.Each(len(all), func(i int) error {
		r := board.Records[i]
		h := sha256.New()
		fmt.Fprintf(h, "%s\n%s\n%s\n", r.ID, r.File, sums[r.ID])
		vs, _ := json.Marshal(s.Versions[r.ID])
		h.Write(vs)
		for _, f := range readsOf(r) {
			d := depOf(p.opt.Src, f, prev)
			mu.Lock()
			deps[f] = d
			mu.Unlock()
			fmt.Fprintf(h, "\nfile %s %s", f, d.Sum)
		}
		ns := slices.Clone(links[r.ID])
		sort.Strings(ns)
		for i, n := range ns {
			if i == 0 || n != ns[i-1] {
				fmt.Fprintf(h, "\nlinked %s %s", n, sums[n])
			}
		}
		all[i] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	recs = make(map[string]string, len(board.Records))
	for i, r := range board.Records {
		recs[r.ID] = all[i]
	}
	return global, recs, deps
}

// readsOf returns the content files a record's pages read besides its
// own: its attachments, its tables and its workbook of accounts.
func readsOf(r *record.Record) []string {
	var out []string
	for _, a := range r.Attachments {
		out = append(out, path.Join(path.Dir(r.File), a))
	}
	if r.Disclosure != nil {
		for _, t := range r.Disclosure.Tables {
			out = append(out, t.Path)
		}
		if f := r.Disclosure.Finance; f != nil && f.File != "" {
			out = append(out, f.File)
		}
	}
	sort.Strings(out)
	return out
}

// depOf returns the stamp and hash of a content file, the hash taken from
// prev when the file's size and modification time are as noted there.
func depOf(src fs.FS, name string, prev *memo) depStamp {
	fi, err := fs.Stat(src, name)
	if err != nil {
		return depStamp{Sum: "missing"}
	}
	d := depStamp{Size: fi.Size(), MTime: fi.ModTime().UnixNano()}
	if prev != nil && d.MTime != 0 {
		if o, ok := prev.Deps[name]; ok && o.Size == d.Size && o.MTime == d.MTime {
			d.Sum = o.Sum
			return d
		}
	}
	b, err := fs.ReadFile(src, name)
	if err != nil {
		d.Sum = "unreadable"
		return d
	}
	sum := sha256.Sum256(b)
	d.Sum = hex.EncodeToString(sum[:])
	return d
}

// generatorID names this build of gongkai: the module's version and
// revision, and the size and time of the executable, so that a note of
// another build of the program is never trusted.
func generatorID() string {
	id := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		id = bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				id += " " + s.Value
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		if fi, err := os.Stat(exe); err == nil {
			id += fmt.Sprintf(" %d %d", fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return id
}

// unitRecord returns the record id of a unit that belongs to one record
// ("core:decisions/x", "sheet:decisions/x"), or "" for the others
// ("core#home", "search#").
func unitRecord(unit string) string {
	stage, id, ok := strings.Cut(unit, ":")
	if !ok || strings.Contains(stage, "#") {
		return ""
	}
	return id
}

// resume takes up a build from the note of the previous one into out:
// the records whose fingerprint changed (or that came or went, or whose
// files are not as noted) are to be rendered again; the others' files
// stay as they are. It reports whether the note could be used; it cannot
// when a file of the whole board's pages is not as noted.
func (p *Pipeline) resume(m *memo, global string, recs map[string]string, out *Dir) bool {
	if m == nil || m.Global != global || out.fresh != "" {
		return false
	}
	changed := map[string]bool{}
	for id, fp := range recs {
		if m.Records[id] != fp {
			changed[id] = true
		}
	}
	for id := range m.Records {
		if _, ok := recs[id]; !ok {
			changed[id] = true
		}
	}
	for name, f := range m.Files {
		id := unitRecord(f.Unit)
		if changed[id] {
			continue
		}
		if st, ok := out.Found(name); !ok || st != (Stamp{f.Size, f.MTime}) {
			// Gone or altered since: make it again; a file of the whole
			// board's, everything (someone has been at the folder).
			if id == "" {
				return false
			}
			changed[id] = true
		}
	}
	o := &p.out
	o.files = make(map[string]written, len(m.Files))
	for name, f := range m.Files {
		o.files[name] = written{unit: f.Unit}
	}
	o.stageAll, o.stageChanged = false, map[string]bool{}
	p.resumed, p.all, p.changed = true, false, changed
	return true
}

// newMemo returns the note of the build just committed into out: prev,
// the last build's note, brought up to date in place when there is one
// (its entries are the most of the new one's), noting what changed for
// the delta. files are the files of the site (Pipeline.Files).
func (p *Pipeline) newMemo(prev *memo, global string, recs map[string]string, deps map[string]depStamp, out *Dir, files []string) *memo {
	m := prev
	if m == nil {
		m = &memo{Format: memoFormat, Files: make(map[string]memoFile, len(files)), Dirs: map[string]int64{}}
	}
	m.Global, m.Folder = global, out.Folder()
	changes(m.Records, recs, &m.changed.Records)
	changes(m.Deps, deps, &m.changed.Deps)
	m.Records, m.Deps = recs, deps
	p.out.mu.Lock()
	defer p.out.mu.Unlock()
	// The files, in place. out.Stamp reads the noted entry of a name
	// (Dir.Trust) before it is replaced, once per name.
	had, kept := len(m.Files), 0
	for _, name := range files {
		old, ok := m.Files[name]
		if ok {
			kept++
		}
		st, in := out.Stamp(name)
		if !in {
			// Not in the folder: the next build makes it again.
			if ok {
				delete(m.Files, name)
				note(&m.changed.Files, name)
			}
			continue
		}
		f := memoFile{Unit: p.out.files[name].unit, Size: st.Size, MTime: st.MTime, Sum: st.Sum}
		if !ok || f != old {
			m.Files[name] = f
			note(&m.changed.Files, name)
		}
	}
	same := kept == had && len(files) == had
	if kept != had {
		for name := range m.Files {
			if _, ok := p.out.files[name]; !ok {
				delete(m.Files, name)
				note(&m.changed.Files, name)
			}
		}
	}
	// The folders: the same as noted when the files are, but for those
	// the commit changed.
	if same && prev != nil {
		out.restampDirs(m.Dirs, func(dir string) { note(&m.changed.Dirs, dir) })
	} else {
		dirs := out.DirStamps(files)
		changes(m.Dirs, dirs, &m.changed.Dirs)
		m.Dirs = dirs
	}
	return m
}

// changes notes in changed the names whose entries differ between old
// and now, or that only one of them has.
func changes[V comparable](old, now map[string]V, changed *map[string]bool) {
	for k, v := range now {
		if o, ok := old[k]; !ok || o != v {
			note(changed, k)
		}
	}
	for k := range old {
		if _, ok := now[k]; !ok {
			note(changed, k)
		}
	}
}
