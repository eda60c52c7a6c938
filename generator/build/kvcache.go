package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"os"
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
// A file is a first line of magic and checksum (writeChecked), then a
// line naming the base a delta extends (empty in a base), then for each
// value its key (32 bytes), its length (uvarint) and its bytes.
type kvCache struct {
	file  string // the base; the delta is file+".delta"
	magic string
	base  string // what names the base read, "" when none

	// The values read: those of the base, and those of the delta,
	// which win; held counts the keys of both.
	inBase, inDelta map[Sum][]byte
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
		c.base, c.inBase, c.held = name, base, len(base)
		if delta, _, ok := c.read(file+".delta", name); ok {
			c.inDelta = delta
			for k := range delta {
				if _, ok := base[k]; !ok {
					c.held++
				}
			}
		}
	}()
	return c
}

// old returns the value read for key.
func (c *kvCache) old(key Sum) ([]byte, bool) {
	if v, ok := c.inDelta[key]; ok {
		return v, true
	}
	v, ok := c.inBase[key]
	return v, ok
}

// fromBase reports whether the value read for key is the base's.
func (c *kvCache) fromBase(key Sum) bool {
	if _, ok := c.inDelta[key]; ok {
		return false
	}
	_, ok := c.inBase[key]
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
	c.inBase, c.inDelta, c.use, c.release = nil, nil, nil, nil
}

// read reads one file of the cache, which must extend the base named
// base ("" for a base itself).
func (c *kvCache) read(file, base string) (map[Sum][]byte, string, bool) {
	body, name, release, ok := readChecked(file, c.magic)
	if !ok {
		return nil, "", false
	}
	out, ok := readKV(body, base)
	if !ok {
		release()
		return nil, "", false
	}
	c.release = append(c.release, release)
	return out, name, true
}

// readKV reads the content of one file of a cache, which must extend the
// base named base ("" for a base itself). The values are body's bytes.
func readKV(body []byte, base string) (map[Sum][]byte, bool) {
	n, k := binary.Uvarint(body)
	if k <= 0 || n > uint64(len(body)-k) || string(body[k:k+int(n)]) != base {
		return nil, false
	}
	rest := body[k+int(n):]
	// Counted first, so that the map is made once at its size.
	count := 0
	for r := rest; len(r) > len(Sum{}); count++ {
		n, k := binary.Uvarint(r[len(Sum{}):])
		if k <= 0 || n > uint64(len(r)-len(Sum{})-k) {
			return nil, false
		}
		r = r[len(Sum{})+k+int(n):]
	}
	out := make(map[Sum][]byte, count)
	for len(rest) > 0 {
		if len(rest) < len(Sum{}) {
			return nil, false
		}
		var key Sum
		copy(key[:], rest)
		rest = rest[len(key):]
		n, k := binary.Uvarint(rest)
		if k <= 0 || n > uint64(len(rest)-k) {
			return nil, false
		}
		out[key] = rest[k : k+int(n) : k+int(n)]
		rest = rest[k+int(n):]
	}
	return out, true
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
	_, err := writeCheckedBy(file, magic, func(w io.Writer) error {
		var n []byte
		n = binary.AppendUvarint(n[:0], uint64(len(base)))
		w.Write(n)
		w.Write([]byte(base))
		for _, k := range keys {
			n = binary.AppendUvarint(n[:0], uint64(len(vals[k])))
			w.Write(k[:])
			w.Write(n)
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

const bodyCacheMagic = "gongkai body cache 2"

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

const searchCacheMagic = "gongkai search cache"

func (s indexStore) Get(key [32]byte) ([]byte, bool) { return s.kv.Get(key) }
func (s indexStore) Put(key [32]byte, v []byte)      { s.kv.Put(key, v) }
