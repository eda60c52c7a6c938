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

// memoFormat changes whenever the note or what a fingerprint covers does.
const memoFormat = 5

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

// readMemo reads a note, or returns nil.
func readMemo(file string) *memo {
	body, _, release, ok := readChecked(file, memoMagic)
	if !ok {
		return nil
	}
	defer release()
	m, err := decodeMemo(body)
	if err != nil {
		return nil
	}
	return m
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

// write saves the note atomically (a temporary file renamed over it), and
// removes the notes of folders not built into for memoAge.
func (m *memo) write(file string) error {
	dir := filepath.Dir(file)
	if es, err := os.ReadDir(dir); err == nil {
		for _, e := range es {
			if fi, err := e.Info(); err == nil && (strings.HasPrefix(e.Name(), "build-") || strings.HasPrefix(e.Name(), "content-") || strings.HasPrefix(e.Name(), ".cache-")) && time.Since(fi.ModTime()) > memoAge {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
	return writeChecked(file, memoMagic, m.encode(make([]byte, 0, 128*(len(m.Files)+len(m.Dirs)+len(m.Records)))))
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

// newMemo returns the note of the build just committed into out.
// files are the files of the site (Pipeline.Files).
func (p *Pipeline) newMemo(global string, recs map[string]string, deps map[string]depStamp, out *Dir, files []string) *memo {
	m := &memo{Format: memoFormat, Global: global, Records: recs, Deps: deps, Files: make(map[string]memoFile, len(files)), Folder: out.Folder(), Dirs: out.DirStamps(files)}
	p.out.mu.Lock()
	defer p.out.mu.Unlock()
	for _, name := range files {
		st, ok := out.Stamp(name)
		if !ok {
			continue // not in the folder: the next build makes it again
		}
		m.Files[name] = memoFile{Unit: p.out.files[name].unit, Size: st.Size, MTime: st.MTime, Sum: st.Sum}
	}
	return m
}
