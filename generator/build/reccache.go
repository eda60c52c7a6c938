package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"gongkai/generator/config"
	"gongkai/generator/content"
	"gongkai/generator/diag"
	"gongkai/generator/internal/par"
	"gongkai/generator/record"
)

// A build into a folder also keeps, beside its note, what decoding each
// record file gave — the record and its diagnostics — with everything
// the decoding read: the record file itself, its tables, attachments and
// workbook, each by its size, modification time and, for what was read,
// the SHA-256 of its bytes. The next build takes a record from there
// when every file it read is still as noted, and decodes it again
// otherwise; so a rebuild after one edit decodes one record, and checks
// the board, renders and compares as always. The cache is keyed by the
// executable and the bytes of site.toml (everything decoding depends on
// besides the files it reads); a cache that does not match, is cut
// short or altered is ignored.
//
// A file modified within racyWindow of its decoding is compared by its
// hash, not its stamp: a file saved twice within the resolution of the
// file system's clock keeps its stamp.
//
// The cache is two files: a base holding every record, and a delta
// holding the records decoded since the base was written, so that a
// rebuild after one edit writes a few records, not all of them. When the
// delta holds more than an eighth of the board, the base is written anew.
//
// The texts of the records — most of the cache's bytes — are kept apart
// from the rest, and a record read from the cache holds its text (and so
// its body) as the file's own bytes, mapped and never copied: see
// readRecFile.

const (
	recCacheFormat = 2
	recCacheMagic  = "gongkai record cache"
	racyWindow     = 3 * time.Second
)

// recCacheFile is the content of a base or a delta.
type recCacheFile struct {
	Format  int
	Global  string // the executable and site.toml
	Base    string // for a delta: the checksum and length of the base it extends
	Entries []*recEntry
}

// recEntry is what decoding one record file gave.
type recEntry struct {
	File   string
	ID     string
	Bundle bool
	Made   int64 // when the decoding started, in nanoseconds since 1970
	Reads  []probe
	// Rec is the record without its text and body, which are kept
	// apart: TextAt and TextLen place the text in the file's texts, and
	// the body is its last BodyLen bytes.
	Rec             *record.Record
	TextAt, TextLen int
	BodyLen         int
	Diags           diag.List
}

// probe is what the decoding of a record found of one file or folder.
type probe struct {
	Name  string
	Kind  byte // probeMissing, probeFile, …
	Mode  uint32
	Size  int64
	MTime int64
	Sum   []byte // the SHA-256 of the bytes read; nil when it was only looked at
}

const (
	probeMissing byte = iota + 1
	probeFile
	probeDir
)

// probeOf describes what fs.Lstat returned; ok is false for what a cache
// cannot note (links, devices, errors other than a missing file).
func probeOf(name string, fi fs.FileInfo, err error) (probe, bool) {
	pr := probe{Name: name}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		pr.Kind = probeMissing
		return pr, true
	case err != nil:
		return pr, false
	case fi.Mode().IsRegular():
		pr.Kind = probeFile
	case fi.IsDir():
		pr.Kind = probeDir
	default:
		return pr, false
	}
	pr.Mode, pr.Size, pr.MTime = uint32(fi.Mode()), fi.Size(), fi.ModTime().UnixNano()
	return pr, true
}

// holds reports whether the file is still as the probe found it at made:
// as seen holds it (what the listing saw), else as it is now.
func (pr *probe) holds(fsys fs.FS, made int64, seen map[string]fs.FileInfo) bool {
	fi, ok := seen[pr.Name]
	var err error
	if !ok {
		fi, err = fs.Lstat(fsys, pr.Name)
	}
	now, ok := probeOf(pr.Name, fi, err)
	if !ok || now.Kind != pr.Kind || now.Mode != pr.Mode || now.Size != pr.Size || now.MTime != pr.MTime {
		return false
	}
	if pr.Sum != nil && pr.MTime >= made-int64(racyWindow) {
		b, err := fs.ReadFile(fsys, pr.Name)
		if err != nil {
			return false
		}
		sum := sha256.Sum256(b)
		return bytes.Equal(sum[:], pr.Sum)
	}
	return true
}

// holds reports whether every file the entry's decoding read is still as
// it was.
func (e *recEntry) holds(fsys fs.FS, src record.Source, seen map[string]fs.FileInfo) bool {
	if e.File != src.File || e.ID != src.ID || e.Bundle != src.Bundle || e.Rec == nil {
		return false
	}
	for i := range e.Reads {
		if !e.Reads[i].holds(fsys, e.Made, seen) {
			return false
		}
	}
	return true
}

// probeFS is the content folder as the decoding of one record sees it,
// noting every file and folder it looks at or reads. Each is looked at
// before it is read, so that a file changed in between is taken for
// changed by the next build.
type probeFS struct {
	fsys fs.FS
	mu   sync.Mutex
	seen map[string]*probe
	bad  bool // it read something a cache cannot note
}

var (
	_ fs.StatFS     = (*probeFS)(nil)
	_ fs.ReadFileFS = (*probeFS)(nil)
	_ fs.ReadDirFS  = (*probeFS)(nil)
	_ fs.ReadLinkFS = (*probeFS)(nil)
)

func (p *probeFS) look(name string) *probe {
	fi, err := fs.Lstat(p.fsys, name)
	pr, ok := probeOf(name, fi, err)
	p.mu.Lock()
	defer p.mu.Unlock()
	if !ok {
		p.bad = true
	}
	if old, seen := p.seen[name]; seen {
		if old.Kind != pr.Kind || old.Size != pr.Size || old.MTime != pr.MTime {
			p.bad = true // changed while it was being decoded
		}
		return old
	}
	p.seen[name] = &pr
	return &pr
}

// Open is not used by decoding; a file opened cannot be noted by its hash.
func (p *probeFS) Open(name string) (fs.File, error) {
	p.look(name)
	p.mu.Lock()
	p.bad = true
	p.mu.Unlock()
	return p.fsys.Open(name)
}

func (p *probeFS) ReadFile(name string) ([]byte, error) {
	pr := p.look(name)
	b, err := fs.ReadFile(p.fsys, name)
	if err == nil {
		sum := sha256.Sum256(b)
		p.mu.Lock()
		if pr.Sum != nil && !bytes.Equal(pr.Sum, sum[:]) {
			p.bad = true
		}
		pr.Sum = sum[:]
		p.mu.Unlock()
	}
	return b, err
}

func (p *probeFS) Stat(name string) (fs.FileInfo, error) {
	p.look(name)
	return fs.Stat(p.fsys, name)
}

func (p *probeFS) Lstat(name string) (fs.FileInfo, error) {
	p.look(name)
	return fs.Lstat(p.fsys, name)
}

func (p *probeFS) ReadLink(name string) (string, error) {
	p.look(name)
	p.mu.Lock()
	p.bad = true
	p.mu.Unlock()
	return fs.ReadLink(p.fsys, name)
}

func (p *probeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	p.look(name)
	return fs.ReadDir(p.fsys, name)
}

// recCache is the record cache of builds into one folder.
type recCache struct {
	file   string // the base; the delta is file+".delta"
	global string
	base   string               // the hash of the base read, "" when none
	old    map[string]*recEntry // by file, from the base and the delta
	inBase map[*recEntry]bool

	// What this build uses, by file.
	mu  sync.Mutex
	use map[string]*recEntry

	hits, decoded int

	ready chan struct{} // closed once the cache is read
	times *timeWalker
}

// recGlobal is what every decoding depends on besides the files it
// reads: this executable and site.toml.
func recGlobal(src fs.FS) string {
	b, _ := fs.ReadFile(src, config.File)
	h := sha256.New()
	io.WriteString(h, generatorID())
	h.Write([]byte{0})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// openRecCache starts reading the record cache in file, used when it
// matches global (without one, the cache starts empty): the reading goes
// on beside the listing of the content folder, and decode waits for it.
func openRecCache(file, global string) *recCache {
	c := &recCache{file: file, global: global, old: map[string]*recEntry{}, inBase: map[*recEntry]bool{}, use: map[string]*recEntry{}, ready: make(chan struct{}),
		times: newTimeWalker(reflect.TypeFor[record.Record]())}
	go func() {
		defer close(c.ready)
		base, name := readRecFile(file)
		if base == nil || base.Global != global || base.Base != "" {
			return
		}
		c.base = name
		for _, e := range base.Entries {
			c.old[e.File] = e
			c.inBase[e] = true
		}
		if d, _ := readRecFile(file + ".delta"); d != nil && d.Global == global && d.Base == name {
			for _, e := range d.Entries {
				c.old[e.File] = e
			}
		}
	}()
	return c
}

// readRecFile reads one file of a record cache and what names its
// content, or nil.
//
// The content is a header, the entries in parts, each part a stream of
// its own (a count, then each entry as a message: small messages decode
// without a buffer the size of the file), so that the parts decode side
// by side, and last the texts of the records one after the other. Each
// part is its length (uvarint) and its bytes.
//
// The records read hold their texts as the file's bytes: a rebuild then
// neither copies them nor makes memory for them, which on a large board
// costs more than all the rest of reading the cache. So the file's
// mapping is never given back once a record is read from it: a build is
// one process, and the cache's files are only ever replaced by a rename,
// never changed in place, so the bytes stay as they were.
func readRecFile(file string) (*recCacheFile, string) {
	body, name, release, ok := readChecked(file, recCacheMagic)
	if !ok {
		return nil, ""
	}
	f, ok := decodeRecFile(body)
	if !ok {
		release()
		return nil, ""
	}
	return f, name
}

// decodeRecFile decodes the content of a file of the record cache; the
// records' texts are body's bytes.
func decodeRecFile(body []byte) (*recCacheFile, bool) {
	var parts [][]byte
	for rest := body; len(rest) > 0; {
		n, k := binary.Uvarint(rest)
		if k <= 0 || n > uint64(len(rest)-k) {
			return nil, false
		}
		parts = append(parts, rest[k:k+int(n)])
		rest = rest[k+int(n):]
	}
	var f recCacheFile
	if len(parts) < 2 || gob.NewDecoder(bytes.NewReader(parts[0])).Decode(&f) != nil || f.Format != recCacheFormat {
		return nil, false
	}
	texts := parts[len(parts)-1]
	got := make([][]*recEntry, len(parts)-2)
	err := par.Each(len(got), func(i int) error {
		dec := gob.NewDecoder(bytes.NewReader(parts[i+1]))
		var n int
		if err := dec.Decode(&n); err != nil || n < 0 || n > len(parts[i+1]) {
			return errors.New("bad part")
		}
		es := make([]*recEntry, n)
		for j := range es {
			e := new(recEntry)
			if dec.Decode(e) != nil || e.Rec == nil || e.TextAt < 0 || e.TextLen < 0 || e.TextLen > len(texts)-e.TextAt ||
				e.BodyLen < 0 || e.BodyLen > e.TextLen {
				return errors.New("bad entry")
			}
			e.Rec.Text = bytesString(texts[e.TextAt : e.TextAt+e.TextLen])
			e.Rec.Body = e.Rec.Text[len(e.Rec.Text)-e.BodyLen:]
			es[j] = e
		}
		got[i] = es
		return nil
	})
	if err != nil {
		return nil, false
	}
	for _, es := range got {
		f.Entries = append(f.Entries, es...)
	}
	return &f, true
}

// decode decodes the sources, taking from the cache each record whose
// files are as they were.
func (c *recCache) decode(site *config.Site, fsys fs.FS, srcs []record.Source, seen map[string]fs.FileInfo) ([]*record.Record, []diag.List) {
	<-c.ready
	recs := make([]*record.Record, len(srcs))
	dss := make([]diag.List, len(srcs))
	found := make([]*recEntry, len(srcs))
	_ = par.Each(len(srcs), func(i int) error {
		if e := c.old[srcs[i].File]; e != nil && e.holds(fsys, srcs[i], seen) {
			c.times.relocate(e.Rec, site.Zone())
			found[i] = e
		}
		return nil
	})
	var miss []record.Source
	var at []int
	for i, e := range found {
		if e != nil {
			recs[i], dss[i] = e.Rec, append(diag.List(nil), e.Diags...)
			continue
		}
		miss = append(miss, srcs[i])
		at = append(at, i)
	}
	probes := make([]*probeFS, len(miss))
	for i := range probes {
		probes[i] = &probeFS{fsys: fsys, seen: map[string]*probe{}}
	}
	made := time.Now().UnixNano()
	mrecs, mdss := content.DecodeEachFS(site, miss, func(i int) fs.FS { return probes[i] })
	zone := site.Zone()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range found {
		if e != nil {
			c.use[e.File] = e
			c.hits++
		}
	}
	for k, i := range at {
		recs[i], dss[i] = mrecs[k], mdss[k]
		c.decoded++
		if e := newRecEntry(miss[k], made, probes[k], mrecs[k], mdss[k], zone); e != nil {
			c.use[e.File] = e
		}
	}
	return recs, dss
}

// newRecEntry returns the entry of a record just decoded, or nil when it
// cannot be kept: it did not decode, it read what cannot be noted, or a
// diagnostic holds an error value.
func newRecEntry(src record.Source, made int64, p *probeFS, r *record.Record, ds diag.List, zone *time.Location) *recEntry {
	if r == nil || p.bad {
		return nil
	}
	for _, d := range ds {
		if d.Cause != nil {
			return nil
		}
	}
	if !roundTrips(r, zone) {
		return nil
	}
	e := &recEntry{File: src.File, ID: src.ID, Bundle: src.Bundle, Made: made, Rec: r, BodyLen: len(r.Body), Diags: ds}
	if len(r.Body) > len(r.Text) || r.Text[len(r.Text)-len(r.Body):] != r.Body {
		return nil
	}
	for _, pr := range p.seen {
		e.Reads = append(e.Reads, *pr)
	}
	sortProbes(e.Reads)
	return e
}

func sortProbes(ps []probe) {
	slices.SortFunc(ps, func(a, b probe) int { return strings.Compare(a.Name, b.Name) })
}

// roundTrips reports whether every time in the record is in the site's
// zone or UTC: those are the times relocate gives back after the cache
// (which keeps only a time's offset).
func roundTrips(r *record.Record, zone *time.Location) bool {
	ok := true
	walkTimes(reflect.ValueOf(r).Elem(), func(v reflect.Value) {
		t := v.Interface().(time.Time)
		if loc := t.Location(); loc != zone && loc != time.UTC {
			ok = false
		}
	})
	return ok
}

// relocate puts every time of a record read from the cache back into the
// site's zone.
func (w *timeWalker) relocate(r *record.Record, zone *time.Location) {
	w.walk(reflect.ValueOf(r).Elem(), func(t *time.Time) {
		if !t.IsZero() && t.Location() != time.UTC {
			*t = t.In(zone)
		}
	})
}

var timeType = reflect.TypeFor[time.Time]()

// timeWalker finds the times of a record as walkTimes does, descending
// only into what can hold one: most of a record (texts, tables,
// diagnostics) cannot, and a rebuild relocates the times of every record
// of the board. It is made once for the type of a record and then only
// read.
type timeWalker struct {
	fields map[reflect.Type][]int // of a struct: its exported fields that can hold a time
	holds  map[reflect.Type]bool  // whether a value of the type can hold a time
}

func newTimeWalker(t reflect.Type) *timeWalker {
	w := &timeWalker{fields: map[reflect.Type][]int{}, holds: map[reflect.Type]bool{}}
	w.canHold(t)
	return w
}

// canHold works out whether a value of type t can hold a time.
func (w *timeWalker) canHold(t reflect.Type) bool {
	if h, ok := w.holds[t]; ok {
		return h
	}
	w.holds[t] = false // while it is worked out: a type holds a time only through another
	h := false
	switch t.Kind() {
	case reflect.Struct:
		if t == timeType {
			h = true
			break
		}
		var fs []int
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && w.canHold(f.Type) {
				fs = append(fs, i)
			}
		}
		w.fields[t], h = fs, len(fs) > 0
	case reflect.Pointer, reflect.Slice, reflect.Array:
		h = w.canHold(t.Elem())
	}
	w.holds[t] = h
	return h
}

// walk calls f with every time reachable from v.
func (w *timeWalker) walk(v reflect.Value, f func(*time.Time)) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			f(v.Addr().Interface().(*time.Time))
			return
		}
		for _, i := range w.fields[v.Type()] {
			w.walk(v.Field(i), f)
		}
	case reflect.Pointer:
		if !v.IsNil() && w.holds[v.Type()] {
			w.walk(v.Elem(), f)
		}
	case reflect.Slice, reflect.Array:
		if w.holds[v.Type()] {
			for i := range v.Len() {
				w.walk(v.Index(i), f)
			}
		}
	}
}

// walkTimes calls f with every time.Time reachable from v through
// structs, pointers and slices (a record holds none in maps).
func walkTimes(v reflect.Value, f func(reflect.Value)) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			f(v)
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walkTimes(v.Field(i), f)
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			walkTimes(v.Elem(), f)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.String || v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := range v.Len() {
			walkTimes(v.Index(i), f)
		}
	}
}

// write saves what this build used: a delta beside the base, or a new
// base when the delta would be large or there is no base. Nothing is
// written when nothing changed.
func (c *recCache) write() error {
	<-c.ready
	c.mu.Lock()
	defer c.mu.Unlock()
	var delta []*recEntry
	same := len(c.use) == len(c.old)
	for f, e := range c.use {
		if c.old[f] != e {
			same = false
		}
		if !c.inBase[e] {
			delta = append(delta, e)
		}
	}
	if same {
		return nil
	}
	sortEntries(delta)
	if c.base != "" && len(delta) <= max(64, len(c.use)/8) {
		_, err := writeRecFile(c.file+".delta", &recCacheFile{Format: recCacheFormat, Global: c.global, Base: c.base, Entries: delta})
		return err
	}
	all := make([]*recEntry, 0, len(c.use))
	for _, e := range c.use {
		all = append(all, e)
	}
	sortEntries(all)
	os.Remove(c.file + ".delta")
	_, err := writeRecFile(c.file, &recCacheFile{Format: recCacheFormat, Global: c.global, Entries: all})
	return err
}

func sortEntries(es []*recEntry) {
	slices.SortFunc(es, func(a, b *recEntry) int { return strings.Compare(a.File, b.File) })
}

// writeRecFile writes one file of a record cache atomically and returns
// what names its content (its checksum and length), which a delta
// names as its base.
func writeRecFile(file string, f *recCacheFile) (string, error) {
	head := *f
	head.Entries = nil
	var part bytes.Buffer
	if err := gob.NewEncoder(&part).Encode(&head); err != nil {
		return "", err
	}
	// Each part is encoded and written in turn: the file is never
	// whole in memory.
	return writeCheckedBy(file, recCacheMagic, func(w io.Writer) error {
		var n []byte
		add := func() error {
			n = binary.AppendUvarint(n[:0], uint64(part.Len()))
			w.Write(n)
			_, err := w.Write(part.Bytes())
			part.Reset()
			return err
		}
		if err := add(); err != nil {
			return err
		}
		const perPart = 1024
		at := 0
		for start := 0; start < len(f.Entries); start += perPart {
			es := f.Entries[start:min(start+perPart, len(f.Entries))]
			enc := gob.NewEncoder(&part)
			if err := enc.Encode(len(es)); err != nil {
				return err
			}
			for _, e := range es {
				// The text goes with the others at the end, and the
				// body, the end of the text, is not stored twice.
				r := *e.Rec
				r.Text, r.Body = "", ""
				c := *e
				c.Rec, c.TextAt, c.TextLen, c.BodyLen = &r, at, len(e.Rec.Text), len(e.Rec.Body)
				at += len(e.Rec.Text)
				if err := enc.Encode(&c); err != nil {
					return err
				}
			}
			if err := add(); err != nil {
				return err
			}
		}
		n = binary.AppendUvarint(n[:0], uint64(at))
		w.Write(n)
		for _, e := range f.Entries {
			if _, err := io.WriteString(w, e.Rec.Text); err != nil {
				return err
			}
		}
		return nil
	})
}
