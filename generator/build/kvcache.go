package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"os"
	"slices"
	"sort"
	"sync"
	"unsafe"

	"gongkai/generator/render"
)

// kvCache keeps values by key between builds: the HTML of record bodies
// by the hash of what they were made of, the search index by the hash of
// its parts and its state under a name. Like the record cache it is a base
// and a delta beside it (the values used since the base was written), so
// that a rebuild after one edit writes a few values, not all of them;
// only the values the last build used are kept.
//
// A file is a first line of magic and checksum (writeChecked), then the
// name of the base a delta extends (its length as a uvarint, then its
// bytes; empty in a base), the number of values (uvarint), a table of
// them sorted by key — each its key (32 bytes) and the offset and length
// of its bytes (8 bytes each, big-endian) — and last the values' bytes.
// A build looks its values up in the mapped file: reading a cache of
// tens of thousands of values makes nothing.
type kvCache struct {
	file  string // the base; the delta is file+".delta"
	magic string
	base  string // what names the base read, "" when none

	// The values read: those of the base, and those of the delta,
	// which win; held counts the keys of both.
	inBase, inDelta kvTable
	held            int

	mu  sync.Mutex
	use map[Sum][]byte
	// put holds the keys given a value other than the one kept.
	put map[Sum]bool

	ready chan struct{}
	// release unmaps the files read, whose bytes the values are; pinned:
	// never, since the values are used beyond the cache (see bodyStore).
	release []func()
	pinned  bool
}

// openKV starts reading the cache in file; Get waits for it.
func openKV(file, magic string) *kvCache {
	c := &kvCache{file: file, magic: magic, put: map[Sum]bool{}, ready: make(chan struct{})}
	go func() {
		defer close(c.ready)
		defer func() { c.use = make(map[Sum][]byte, c.held) }()
		base, name, ok := c.read(file, "")
		if !ok {
			return
		}
		c.base, c.inBase, c.held = name, base, base.len()
		if delta, _, ok := c.read(file+".delta", name); ok {
			c.inDelta = delta
			for i := range delta.len() {
				if _, ok := base.get(delta.key(i)); !ok {
					c.held++
				}
			}
		}
	}()
	return c
}

// old returns the value read for key.
func (c *kvCache) old(key Sum) ([]byte, bool) {
	if v, ok := c.inDelta.get(key); ok {
		return v, true
	}
	return c.inBase.get(key)
}

// fromBase reports whether the value read for key is the base's.
func (c *kvCache) fromBase(key Sum) bool {
	if _, ok := c.inDelta.get(key); ok {
		return false
	}
	_, ok := c.inBase.get(key)
	return ok
}

// close gives back the memory of the files read. The cache must not be
// used after.
func (c *kvCache) close() {
	<-c.ready
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.pinned {
		for _, r := range c.release {
			r()
		}
	}
	c.inBase, c.inDelta, c.use, c.release = kvTable{}, kvTable{}, nil, nil
}

// read reads one file of the cache, which must extend the base named
// base ("" for a base itself).
func (c *kvCache) read(file, base string) (kvTable, string, bool) {
	body, name, release, ok := readChecked(file, c.magic)
	if !ok {
		return kvTable{}, "", false
	}
	t, ok := readKV(body, base)
	if !ok {
		release()
		return kvTable{}, "", false
	}
	c.release = append(c.release, release)
	return t, name, true
}

// kvTable is the table of values of one file of a cache: see kvCache.
type kvTable struct {
	table  []byte // kvEntry bytes each
	values []byte
}

// kvEntry is the size of an entry of a table: a key, an offset and a
// length.
const kvEntry = len(Sum{}) + 16

func (t kvTable) len() int { return len(t.table) / kvEntry }

func (t kvTable) key(i int) Sum { return Sum(t.table[i*kvEntry:]) }

func (t kvTable) value(i int) []byte {
	e := t.table[i*kvEntry+len(Sum{}):]
	at, n := binary.BigEndian.Uint64(e), binary.BigEndian.Uint64(e[8:])
	return t.values[at : at+n : at+n]
}

// get returns the value of key.
func (t kvTable) get(key Sum) ([]byte, bool) {
	i, ok := sort.Find(t.len(), func(i int) int {
		return bytes.Compare(key[:], t.table[i*kvEntry:i*kvEntry+len(Sum{})])
	})
	if !ok {
		return nil, false
	}
	return t.value(i), true
}

// readKV reads the content of one file of a cache, which must extend the
// base named base ("" for a base itself). The values are body's bytes.
func readKV(body []byte, base string) (kvTable, bool) {
	n, k := binary.Uvarint(body)
	if k <= 0 || n > uint64(len(body)-k) || string(body[k:k+int(n)]) != base {
		return kvTable{}, false
	}
	rest := body[k+int(n):]
	count, k := binary.Uvarint(rest)
	if k <= 0 || count > uint64(len(rest)-k)/uint64(kvEntry) {
		return kvTable{}, false
	}
	rest = rest[k:]
	t := kvTable{table: rest[:int(count)*kvEntry], values: rest[int(count)*kvEntry:]}
	// Every value within the file, and the keys in order, so that get
	// finds them.
	for i := range t.len() {
		e := t.table[i*kvEntry+len(Sum{}):]
		at, n := binary.BigEndian.Uint64(e), binary.BigEndian.Uint64(e[8:])
		if at > uint64(len(t.values)) || n > uint64(len(t.values))-at {
			return kvTable{}, false
		}
		if i > 0 && bytes.Compare(t.table[(i-1)*kvEntry:(i-1)*kvEntry+len(Sum{})], t.table[i*kvEntry:i*kvEntry+len(Sum{})]) >= 0 {
			return kvTable{}, false
		}
	}
	return t, true
}

// Get returns the value kept for key, and notes it as used.
func (c *kvCache) Get(key Sum) ([]byte, bool) {
	<-c.ready
	v, ok := c.old(key)
	if ok {
		c.mu.Lock()
		c.use[key] = v
		c.mu.Unlock()
	}
	return v, ok
}

// Put keeps a value made in this build.
func (c *kvCache) Put(key Sum, v []byte) {
	<-c.ready
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.old(key); ok && bytes.Equal(old, v) {
		c.use[key] = old
		return
	}
	c.use[key] = v
	c.put[key] = true
}

// write saves the values this build used: a delta beside the base, or a
// new base when the delta would be large or there is no base. Nothing is
// written when the build used exactly what the cache held.
func (c *kvCache) write() error {
	<-c.ready
	c.mu.Lock()
	defer c.mu.Unlock()
	// Nothing new, and little of the cache unused: it stays as it is.
	var delta []Sum
	fresh := 0
	for k := range c.use {
		if c.put[k] {
			fresh++
		}
		if !c.fromBase(k) || c.put[k] {
			delta = append(delta, k)
		}
	}
	if fresh == 0 && c.held-len(c.use) <= len(c.use)/8 {
		return nil
	}
	// A delta while it is small. The values of the base this build did
	// not use stay: a rebuild uses only what it renders, and the pages it
	// did not render (old versions, say) may need them next time.
	if c.base != "" && len(delta) <= max(64, len(c.use)/8) {
		return writeKV(c.file+".delta", c.magic, c.base, delta, c.use)
	}
	all := make([]Sum, 0, len(c.use))
	for k := range c.use {
		all = append(all, k)
	}
	os.Remove(c.file + ".delta")
	return writeKV(c.file, c.magic, "", all, c.use)
}

func writeKV(file, magic, base string, keys []Sum, vals map[Sum][]byte) error {
	slices.SortFunc(keys, func(a, b Sum) int { return bytes.Compare(a[:], b[:]) })
	_, err := writeCheckedBy(file, magic, func(w io.Writer) error {
		var b []byte
		b = binary.AppendUvarint(b, uint64(len(base)))
		b = append(b, base...)
		b = binary.AppendUvarint(b, uint64(len(keys)))
		at := uint64(0)
		for _, k := range keys {
			n := uint64(len(vals[k]))
			b = append(b, k[:]...)
			b = binary.BigEndian.AppendUint64(b, at)
			b = binary.BigEndian.AppendUint64(b, n)
			at += n
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := w.Write(vals[k]); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

// kvKey hashes the parts a value is made of, each with its length, so
// that no two lists of parts give the same key.
func kvKey(parts ...string) Sum {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	for _, p := range parts {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(p)))])
		h.Write([]byte(p))
	}
	var s Sum
	h.Sum(s[:0])
	return s
}

// bodyStore is the cache of rendered record bodies (render.BodyCache).
//
// A body taken from the cache is the cache file's bytes, not a copy: a
// rebuild takes every body of the board, and new memory for tens of
// megabytes of HTML costs more than rendering the one that changed. The
// cache is pinned for that (its files stay mapped for the life of the
// process); its bytes never change, as readRecFile tells.
type bodyStore struct{ kv *kvCache }

const bodyCacheMagic = "gongkai body cache 3"

// openBodies opens the body cache in file.
func openBodies(file string) *kvCache {
	c := openKV(file, bodyCacheMagic+" "+generatorID())
	c.pinned = true
	return c
}

func (b bodyStore) Body(key [32]byte) (render.RenderedBody, bool) {
	v, ok := b.kv.Get(key)
	var out render.RenderedBody
	for _, s := range []*string{&out.Summary, &out.Plain} {
		n, k := binary.Uvarint(v)
		if !ok || k <= 0 || n > uint64(len(v)-k) {
			return render.RenderedBody{}, false
		}
		*s, v = bytesString(v[k:k+int(n)]), v[k+int(n):]
	}
	out.HTML = bytesString(v)
	return out, true
}

// bytesString returns b as a string without a copy; b must never change.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func (b bodyStore) KeepBody(key [32]byte, body render.RenderedBody) {
	v := make([]byte, 0, len(body.HTML)+len(body.Summary)+len(body.Plain)+2*binary.MaxVarintLen64)
	for _, s := range []string{body.Summary, body.Plain} {
		v = binary.AppendUvarint(v, uint64(len(s)))
		v = append(v, s...)
	}
	v = append(v, body.HTML...)
	b.kv.Put(key, v)
}

// indexStore is the cache of the search index (search.Store).
type indexStore struct{ kv *kvCache }

const searchCacheMagic = "gongkai search cache 2"

func (s indexStore) Get(key [32]byte) ([]byte, bool) { return s.kv.Get(key) }
func (s indexStore) Put(key [32]byte, v []byte)      { s.kv.Put(key, v) }
