package build

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"gongkai/generator/internal/par"
)

// Dir writes a site into a folder without ever leaving a file half
// written, and without touching a file whose bytes did not change.
//
// Into a folder that does not exist yet, the site is written into a
// temporary sibling that is renamed into place by Commit. Into an
// existing folder, a file whose bytes are already there is left as it is
// (same file, same modification time, so rsync and object-storage uploads
// see only real changes); any other file is written into a staging
// folder inside it (.gongkai-staging-*), and Commit renames each staged
// file over its target — one atomic step per file — and then removes the
// files the site no longer has. Abort, or a failed build that never
// commits, leaves the folder as it was. A build killed at any moment
// leaves every file of the site either old or new; the next build finds
// what is left to do by comparing bytes, and removes the staging folder
// left behind.
//
// A folder's README.md and its hidden top-level entries (names starting
// with a dot, such as .git of a deployment checkout) are not the site's
// and are kept. Every operation inside an existing folder goes through
// os.Root, so a symbolic link in it never leads a write outside.
type Dir struct {
	dir string

	// Writing into a folder that does not exist: the temporary sibling.
	fresh string
	made  sync.Map // folders made below fresh

	// Writing into an existing folder.
	root     *os.Root
	existing map[string]Stamp // regular files of the site's part
	others   map[string]bool  // other entries there (links, devices)
	placed   map[string]Stamp // staged files once renamed into place
	stageMu  sync.Mutex
	stage    *os.Root // the staging folder, made on the first changed file
	stageDir string   // its name inside root
	staged   map[string]bool

	written, unchanged atomic.Int64

	// folder is the folder's modification time as Commit left it.
	folder int64
	// The modification times of the folders inside as listed, and the
	// folders Commit changed since.
	listMu  sync.Mutex
	dirs    map[string]int64
	touched map[string]bool

	// stampFresh: note the stamps of a new folder's files after Commit,
	// and the hashes of every file written or compared.
	stampFresh bool
	sumMu      sync.Mutex
	sums       map[string]Sum
	// noted is what the last build's note says of the files it left:
	// for a file still as noted, the hash of its bytes stands for them.
	noted map[string]memoFile

	// cut, in tests, stops Commit before the nth step (rename or
	// removal) as if the process were killed there.
	cut   int
	steps int
}

// errCut is the error of a Commit cut short by a test.
var errCut = errors.New("build: commit cut short (test)")

// step counts a step of Commit and reports errCut at the test's cut.
func (d *Dir) step() error {
	d.steps++
	if d.cut > 0 && d.steps >= d.cut {
		return errCut
	}
	return nil
}

// StagePrefix starts the names of the staging folders inside an output
// folder.
const StagePrefix = ".gongkai-staging-"

// OpenDir prepares writing a site into dir: it lists the files already
// there (and removes staging folders a killed build left behind).
func OpenDir(dir string) (*Dir, error) { return openDir(dir, nil) }

// openDir is OpenDir, taking the list of the folder's files from the last
// build's note when the folder is still as that build left it: its
// modification time is the one noted (every build sets it when it
// commits, and first when it starts to, so that a build killed meanwhile
// or any other build in between changes it; so does any entry added or
// removed at the top). The noted files are then looked at one by one, so
// that a file altered or removed since is found; a file someone put deep
// inside the folder is not, and stays.
func openDir(dir string, prev *memo) (*Dir, error) {
	d := &Dir{dir: dir}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		parent := filepath.Dir(strings.TrimRight(dir, `/\`))
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return nil, fmt.Errorf("write: %w", err)
		}
		tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
		if err != nil {
			return nil, fmt.Errorf("write: %w", err)
		}
		d.fresh, d.placed = tmp, map[string]Stamp{}
		return d, nil
	case err != nil:
		return nil, fmt.Errorf("write: %w", err)
	case !st.IsDir():
		return nil, fmt.Errorf("write: %s is not a folder", dir)
	}
	if d.root, err = os.OpenRoot(dir); err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	d.existing, d.others, d.staged, d.placed = map[string]Stamp{}, map[string]bool{}, map[string]bool{}, map[string]Stamp{}
	if prev != nil && prev.Folder != 0 && st.ModTime().UnixNano() == prev.Folder {
		d.existing, d.dirs = make(map[string]Stamp, len(prev.Files)), make(map[string]int64, len(prev.Dirs))
		err = d.listNoted(dir, prev)
	} else {
		err = d.list(dir)
	}
	if err != nil {
		d.root.Close()
		return nil, fmt.Errorf("write: %s: %w", dir, err)
	}
	return d, nil
}

// list notes the files of the folder dir, the top-level entries side by
// side: a site has tens of thousands of files in as many folders.
// Listing is only reading, and a walk never follows a link, so it reads
// the folder directly, which is much cheaper than through the root.
func (d *Dir) list(dir string) error {
	top, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	return par.Each(len(top), func(i int) error {
		name := top[i].Name()
		if strings.HasPrefix(name, StagePrefix) {
			// Left behind by a build that was killed.
			return d.root.RemoveAll(name)
		}
		if Kept(name) {
			return nil
		}
		var l listing
		err := l.walk(dir, name)
		d.add(&l)
		return err
	})
}

// listing is what a part of a listing found: the regular files with
// their stamps, other entries (links, devices), and the folders with
// their modification times.
type listing struct {
	files  map[string]Stamp
	others map[string]bool
	dirs   map[string]int64
}

// entry is what a listing sees of one name: its kind and stamp (of a
// folder, the modification time counts).
type entry struct {
	kind  int
	stamp Stamp
}

// The kinds of entries.
const (
	kindFile  = iota // a regular file
	kindDir          // a folder
	kindOther        // a link, a device, …
)

func entryOf(fi fs.FileInfo) entry {
	e := entry{kind: kindOther, stamp: stampOf(fi)}
	switch {
	case fi.Mode().IsRegular():
		e.kind = kindFile
	case fi.IsDir():
		e.kind = kindDir
	}
	return e
}

func (l *listing) file(name string, fi fs.FileInfo) { l.entry(name, entryOf(fi)) }

func (l *listing) entry(name string, e entry) {
	switch e.kind {
	case kindFile:
		if l.files == nil {
			l.files = map[string]Stamp{}
		}
		l.files[name] = e.stamp
	case kindDir:
		if l.dirs == nil {
			l.dirs = map[string]int64{}
		}
		l.dirs[name] = e.stamp.MTime
	default:
		if l.others == nil {
			l.others = map[string]bool{}
		}
		l.others[name] = true
	}
}

// walk lists the folder sub of dir and everything in it.
func (l *listing) walk(dir, sub string) error {
	return filepath.WalkDir(filepath.Join(dir, filepath.FromSlash(sub)), func(full string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, full)
		if err != nil {
			return err
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		l.file(filepath.ToSlash(rel), fi)
		return nil
	})
}

// add takes in what a part of a listing found.
func (d *Dir) add(l *listing) {
	d.listMu.Lock()
	defer d.listMu.Unlock()
	maps.Copy(d.existing, l.files)
	maps.Copy(d.others, l.others)
	if d.dirs == nil {
		d.dirs = map[string]int64{}
	}
	maps.Copy(d.dirs, l.dirs)
}

// listNoted lists the folder dir from the last build's note: it looks at
// each file and folder the note names, and reads only the folders whose
// modification time changed since (something was added, removed or
// renamed in them).
func (d *Dir) listNoted(dir string, m *memo) error {
	top, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range top {
		if strings.HasPrefix(e.Name(), StagePrefix) {
			if err := d.root.RemoveAll(e.Name()); err != nil {
				return err
			}
		}
	}
	names := make([]string, 0, len(m.Files)+len(m.Dirs))
	for name := range m.Files {
		names = append(names, name)
	}
	for name := range m.Dirs {
		names = append(names, name)
	}
	lk, err := openLooker(dir)
	if err != nil {
		return err
	}
	defer lk.close()
	// Looked at side by side in chunks, each noting what it saw in a
	// slice of its own; the maps are filled once, at the end.
	const chunk = 256
	type seen struct {
		name string
		e    entry
	}
	found := make([][]seen, (len(names)+chunk-1)/chunk)
	var mu sync.Mutex
	var changed []string // folders to read again
	err = par.Each(len(found), func(i int) error {
		part := names[i*chunk : min((i+1)*chunk, len(names))]
		got := make([]seen, 0, len(part))
		var again []string
		for _, name := range part {
			if !fs.ValidPath(name) || name == "." || Kept(name) {
				continue
			}
			// Looking only: a link on the way leads nowhere that is
			// written, since writes go through the root.
			e, err := lk.look(name)
			switch {
			case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
				continue
			case err != nil:
				return err
			}
			isDir := e.kind == kindDir
			if t, ok := m.Dirs[name]; ok && isDir && e.stamp.MTime != t {
				again = append(again, name)
				continue
			}
			if _, ok := m.Dirs[name]; ok != isDir && isDir {
				// A folder where a file was.
				again = append(again, name)
				continue
			}
			got = append(got, seen{name, e})
		}
		found[i] = got
		mu.Lock()
		changed = append(changed, again...)
		mu.Unlock()
		return nil
	})
	if err != nil {
		return err
	}
	var l listing
	l.files, l.dirs = d.existing, d.dirs
	for _, got := range found {
		for _, s := range got {
			l.entry(s.name, s.e)
		}
	}
	if l.others != nil {
		d.add(&listing{others: l.others})
	}
	return par.Each(len(changed), func(i int) error {
		name := changed[i]
		es, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			return err
		}
		var l listing
		if fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(name))); err == nil {
			l.file(name, fi)
		}
		for _, e := range es {
			p := name + "/" + e.Name()
			_, file := m.Files[p]
			_, folder := m.Dirs[p]
			switch {
			case file || folder:
				// Looked at already.
			case e.IsDir():
				if err := l.walk(dir, p); err != nil {
					return err
				}
			default:
				fi, err := e.Info()
				if err != nil {
					return err
				}
				l.file(p, fi)
			}
		}
		d.add(&l)
		return nil
	})
}

// DirStamps returns, after Commit, the modification time of every folder
// that holds files of site, as the folder now has them.
func (d *Dir) DirStamps(site []string) map[string]int64 {
	dirs := map[string]bool{}
	for _, name := range site {
		for dir := path.Dir(name); dir != "." && !dirs[dir]; dir = path.Dir(dir) {
			dirs[dir] = true
		}
	}
	out := make(map[string]int64, len(dirs))
	for dir := range dirs {
		out[dir] = 0
	}
	d.restampDirs(out, nil)
	return out
}

// restampDirs brings dirs, the modification times of folders of the
// site, up to date after Commit, and calls changed (when not nil) with
// each folder whose time it changed. A folder no longer there is
// dropped.
func (d *Dir) restampDirs(dirs map[string]int64, changed func(string)) {
	var again []string
	for dir, was := range dirs {
		if t, ok := d.dirs[dir]; ok && !d.touched[dir] && d.fresh == "" {
			if t != was {
				dirs[dir] = t
				if changed != nil {
					changed(dir)
				}
			}
		} else {
			again = append(again, dir)
		}
	}
	times := make([]int64, len(again))
	_ = par.Each(len(again), func(i int) error {
		if fi, err := os.Lstat(filepath.Join(d.dir, filepath.FromSlash(again[i]))); err == nil && fi.IsDir() {
			times[i] = fi.ModTime().UnixNano()
		}
		return nil
	})
	for i, dir := range again {
		switch was, t := dirs[dir], times[i]; {
		case t == 0:
			delete(dirs, dir)
		case t != was:
			dirs[dir] = t
		default:
			continue
		}
		if changed != nil {
			changed(dir)
		}
	}
}

// touchedDir notes that the commit changed the folder holding name, and
// may have made its parents.
func (d *Dir) touchedDir(name string) {
	if d.touched == nil {
		d.touched = map[string]bool{}
	}
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		d.touched[dir] = true
	}
}

// touch sets the folder's modification time to now, and returns it: a
// build into an existing folder does at the start and at the end of its
// commit (see openDir).
func (d *Dir) touch() int64 {
	now := time.Now()
	if os.Chtimes(d.dir, now, now) != nil {
		return 0
	}
	fi, err := os.Stat(d.dir)
	if err != nil {
		return 0
	}
	return fi.ModTime().UnixNano()
}

// Folder returns, after Commit, the folder's modification time as the
// commit left it, or 0.
func (d *Dir) Folder() int64 { return d.folder }

// Stamp is what a build notes of a file to tell later whether it is still
// the file it wrote: its size and modification time.
type Stamp struct {
	Size  int64
	MTime int64 // nanoseconds since 1970
}

func stampOf(fi fs.FileInfo) Stamp { return Stamp{fi.Size(), fi.ModTime().UnixNano()} }

// Sum is the SHA-256 hash of a file's bytes.
type Sum [sha256.Size]byte

// Noted is what a build's note says of one file it left in the folder:
// its stamp and the hash of its bytes.
type Noted struct {
	Stamp
	Sum Sum
}

// Trust takes what the last build's note says of the folder's files: a
// file whose stamp is still the noted one is then compared with the new
// bytes by its noted hash, without reading it.
func (d *Dir) Trust(m *memo) { d.noted = m.Files }

// notedAs returns the hash the last build's note gives a file whose stamp
// is st, if it gives one.
func (d *Dir) notedAs(name string, st Stamp) (Sum, bool) {
	f, ok := d.noted[name]
	if !ok || f.Sum == (Sum{}) || (Stamp{f.Size, f.MTime}) != st {
		return Sum{}, false
	}
	return f.Sum, true
}

// noteSum keeps the hash of a file of the site for the next note.
func (d *Dir) noteSum(name string, sum Sum) {
	d.sumMu.Lock()
	if d.sums == nil {
		d.sums = map[string]Sum{}
	}
	d.sums[name] = sum
	d.sumMu.Unlock()
}

// Found returns the stamp of a file that was in the folder when it was
// opened, and whether there was one.
func (d *Dir) Found(name string) (Stamp, bool) {
	st, ok := d.existing[name]
	return st, ok
}

// Stamp returns, after Commit, the stamp and hash of a file of the site
// as the folder now holds it (the hash zero where the build knows none),
// and whether the folder holds it.
func (d *Dir) Stamp(name string) (Noted, bool) {
	var n Noted
	if st, ok := d.placed[name]; ok {
		n.Stamp = st
	} else if st, ok := d.existing[name]; ok {
		n.Stamp = st
	} else {
		return n, false
	}
	if sum, ok := d.sums[name]; ok {
		n.Sum = sum
	} else if sum, ok := d.notedAs(name, n.Stamp); ok {
		n.Sum = sum // not made again, and still as noted
	}
	return n, true
}

// Kept reports whether a path of an output folder is not the site's and
// is kept by every build: README.md at the top, and hidden top-level
// entries with all they hold.
func Kept(name string) bool {
	top, _, _ := strings.Cut(name, "/")
	return name == "README.md" || (strings.HasPrefix(top, ".") && !strings.HasPrefix(top, StagePrefix))
}

// WriteFile writes one file of the site, or leaves it when its bytes are
// there already.
func (d *Dir) WriteFile(name string, data []byte) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("write: invalid output path %q", name)
	}
	var sum Sum
	if d.stampFresh {
		sum = sha256.Sum256(data)
		d.noteSum(name, sum)
	}
	if d.fresh != "" {
		p := filepath.Join(d.fresh, filepath.FromSlash(name))
		if err := d.mkdir(filepath.Dir(p)); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		if err := writeFile(p, data); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		d.written.Add(1)
		if d.stampFresh {
			// Renaming the folder into place keeps each file's stamp.
			if fi, err := os.Lstat(p); err == nil {
				d.stageMu.Lock()
				d.placed[name] = stampOf(fi)
				d.stageMu.Unlock()
			}
		}
		return nil
	}
	if st, ok := d.existing[name]; ok && st.Size == int64(len(data)) {
		// A file still as the last build's note says holds the bytes
		// whose hash it noted; any other is read and compared.
		if noted, ok := d.notedAs(name, st); ok {
			if noted == sum {
				d.unchanged.Add(1)
				return nil
			}
		} else if d.same(name, data) {
			d.unchanged.Add(1)
			return nil
		}
	}
	stage, err := d.staging()
	if err != nil {
		return err
	}
	if dir := path.Dir(name); dir != "." {
		if err := stage.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	if err := stage.WriteFile(name, data, 0o644); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	d.stageMu.Lock()
	if !d.staged[name] {
		d.staged[name] = true
		d.written.Add(1)
	}
	d.stageMu.Unlock()
	return nil
}

// Remove does nothing: Commit removes every file the site no longer has.
func (d *Dir) Remove(string) error { return nil }

// same reports whether the existing file name holds exactly data.
func (d *Dir) same(name string, data []byte) bool {
	f, err := d.root.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	var buf [32 << 10]byte
	for {
		n, err := io.ReadFull(f, buf[:min(len(buf), len(data)+1)])
		if n > len(data) || !bytes.Equal(buf[:n], data[:n]) {
			return false
		}
		data = data[n:]
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return len(data) == 0
		}
		if err != nil {
			return false
		}
	}
}

// staging returns the staging folder, making it on first use.
func (d *Dir) staging() (*os.Root, error) {
	d.stageMu.Lock()
	defer d.stageMu.Unlock()
	if d.stage != nil {
		return d.stage, nil
	}
	for i := 0; ; i++ {
		name := fmt.Sprintf("%s%d-%d", StagePrefix, os.Getpid(), i)
		err := d.root.Mkdir(name, 0o755)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("write: %w", err)
		}
		if d.stage, err = d.root.OpenRoot(name); err != nil {
			return nil, fmt.Errorf("write: %w", err)
		}
		d.stageDir = name
		return d.stage, nil
	}
}

// mkdir makes a folder and its missing parents below the temporary
// sibling, asking the file system once per folder: every folder there is
// new, so Mkdir comes first and the parents only when it fails (MkdirAll
// would look at the folder and its parent first, three calls instead of
// one for each of a large site's twenty thousand folders). A folder is
// marked made only once it exists, so a concurrent writer to the same
// folder never skips it too early.
func (d *Dir) mkdir(dir string) error {
	if _, ok := d.made.Load(dir); ok {
		return nil
	}
	err := os.Mkdir(dir, 0o755)
	switch {
	case err == nil || errors.Is(err, fs.ErrExist):
	case errors.Is(err, fs.ErrNotExist):
		if err := d.mkdir(filepath.Dir(dir)); err != nil {
			return err
		}
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	default:
		return err
	}
	d.made.Store(dir, true)
	return nil
}

// WriteStats counts what a build did to its output folder.
type WriteStats struct {
	Written   int // files new or changed
	Unchanged int // files whose bytes were there already
	Removed   int // files the site no longer has
}

// Commit puts the written files in place and removes the files of the
// folder that are not in site (the names of every file of the site),
// except those Kept.
func (d *Dir) Commit(site []string) (WriteStats, error) {
	st := WriteStats{Written: int(d.written.Load()), Unchanged: int(d.unchanged.Load())}
	if d.fresh != "" {
		if err := os.Rename(d.fresh, d.dir); err != nil {
			os.RemoveAll(d.fresh)
			return st, fmt.Errorf("write: %w", err)
		}
		d.folder = d.touch()
		return st, nil
	}
	defer func() {
		if d.stage != nil {
			d.stage.Close()
		}
		d.root.Close()
	}()
	d.touch()
	inSite := make(map[string]bool, len(site))
	for _, name := range site {
		inSite[name] = true
	}
	var stale []string
	for name := range d.existing {
		if !inSite[name] {
			stale = append(stale, name)
		}
	}
	for name := range d.others {
		if !inSite[name] {
			stale = append(stale, name)
		}
	}
	sort.Strings(stale)
	isStale := map[string]bool{}
	for _, name := range stale {
		isStale[name] = true
	}
	if d.stage != nil {
		names := make([]string, 0, len(d.staged))
		for name := range d.staged {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if err := d.step(); err != nil {
				return st, err
			}
			if err := d.moveIn(name, isStale); err != nil {
				return st, err
			}
		}
		d.stage.Close() // Windows removes no folder that is held open
		d.stage = nil
		if err := d.root.RemoveAll(d.stageDir); err != nil {
			return st, fmt.Errorf("write: %w", err)
		}
	}
	dirs := map[string]bool{}
	for _, name := range stale {
		if !isStale[name] {
			continue // removed to make way for a folder of the new site
		}
		if err := d.step(); err != nil {
			return st, err
		}
		err := d.root.Remove(name)
		d.touchedDir(name)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return st, fmt.Errorf("write: %w", err)
		}
		st.Removed++
		for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
			dirs[dir] = true
		}
	}
	// Folders emptied by the removals go too, the deepest first.
	var ds []string
	for dir := range dirs {
		ds = append(ds, dir)
	}
	sort.Slice(ds, func(i, j int) bool { return strings.Count(ds[i], "/") > strings.Count(ds[j], "/") })
	for _, dir := range ds {
		_ = d.root.Remove(dir) // fails, as it should, when the folder is not empty
	}
	d.folder = d.touch()
	return st, nil
}

// moveIn renames the staged file name over its target. Stale files that
// stand where a folder of the new site must be are removed first (and
// taken out of stale), and a folder that stands where a file must be.
func (d *Dir) moveIn(name string, stale map[string]bool) error {
	from := d.stageDir + "/" + name
	d.touchedDir(name)
	if dir := path.Dir(name); dir != "." {
		if err := d.root.MkdirAll(dir, 0o755); err != nil {
			// A file of the old site where the new one has a folder.
			for p := dir; p != "."; p = path.Dir(p) {
				if stale[p] {
					if err := d.root.Remove(p); err != nil {
						return fmt.Errorf("write: %w", err)
					}
					delete(stale, p)
				}
			}
			if err := d.root.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("write: %w", err)
			}
		}
	}
	if fi, err := d.root.Lstat(name); err == nil && fi.IsDir() {
		// A folder of the old site where the new one has a file: nothing
		// of the new site can be inside it.
		if err := d.root.RemoveAll(name); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		for p := range stale {
			if strings.HasPrefix(p, name+"/") {
				delete(stale, p)
			}
		}
	}
	if err := rename(d.root, from, name); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if fi, err := d.root.Lstat(name); err == nil {
		d.placed[name] = stampOf(fi)
	}
	return nil
}

// Abort discards what was written: the output folder stays as it was.
func (d *Dir) Abort() {
	if d.fresh != "" {
		os.RemoveAll(d.fresh)
		return
	}
	if d.stage != nil {
		d.stage.Close()
		_ = d.root.RemoveAll(d.stageDir)
	}
	d.root.Close()
}
