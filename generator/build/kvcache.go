package build

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"sync"
)

// kvCache keeps values by the hash of what they were made of, between
// builds: the HTML of record bodies. Like the record cache it is a base
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

	old    map[Sum][]byte
	inBase map[Sum]bool

	mu  sync.Mutex
	use map[Sum][]byte

	ready chan struct{}
}

// openKV starts reading the cache in file; Get waits for it.
func openKV(file, magic string) *kvCache {
	c := &kvCache{file: file, magic: magic, old: map[Sum][]byte{}, inBase: map[Sum]bool{}, use: map[Sum][]byte{}, ready: make(chan struct{})}
	go func() {
		defer close(c.ready)
		base, name, ok := readKV(file, magic, "")
		if !ok {
			return
		}
		c.base = name
		for k, v := range base {
			c.old[k] = v
			c.inBase[k] = true
		}
		if delta, _, ok := readKV(file+".delta", magic, name); ok {
			for k, v := range delta {
				c.old[k] = v
			}
		}
	}()
	return c
}

// readKV reads one file of a cache, which must extend the base named
// base ("" for a base itself).
func readKV(file, magic, base string) (map[Sum][]byte, string, bool) {
	body, ok := readChecked(file, magic)
	if !ok {
		return nil, "", false
	}
	name := fmt.Sprintf("%08x-%d", crc32.Checksum(body, crcTable), len(body))
	n, k := binary.Uvarint(body)
	if k <= 0 || n > uint64(len(body)-k) || string(body[k:k+int(n)]) != base {
		return nil, "", false
	}
	rest := body[k+int(n):]
	out := map[Sum][]byte{}
	for len(rest) > 0 {
		if len(rest) < len(Sum{}) {
			return nil, "", false
		}
		var key Sum
		copy(key[:], rest)
		rest = rest[len(key):]
		n, k := binary.Uvarint(rest)
		if k <= 0 || n > uint64(len(rest)-k) {
			return nil, "", false
		}
		out[key] = rest[k : k+int(n) : k+int(n)]
		rest = rest[k+int(n):]
	}
	return out, name, true
}

// Get returns the value kept for key, and notes it as used.
func (c *kvCache) Get(key Sum) ([]byte, bool) {
	<-c.ready
	v, ok := c.old[key]
	if ok {
		c.mu.Lock()
		c.use[key] = v
		c.mu.Unlock()
	}
	return v, ok
}

// Put keeps a value made in this build.
func (c *kvCache) Put(key Sum, v []byte) {
	c.mu.Lock()
	c.use[key] = v
	c.mu.Unlock()
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
		if _, ok := c.old[k]; !ok {
			fresh++
		}
		if !c.inBase[k] {
			delta = append(delta, k)
		}
	}
	if fresh == 0 && len(c.old)-len(c.use) <= len(c.use)/8 {
		return nil
	}
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
	size := len(base) + 8
	for _, k := range keys {
		size += len(k) + 8 + len(vals[k])
	}
	body := make([]byte, 0, size)
	body = binary.AppendUvarint(body, uint64(len(base)))
	body = append(body, base...)
	for _, k := range keys {
		body = append(body, k[:]...)
		body = binary.AppendUvarint(body, uint64(len(vals[k])))
		body = append(body, vals[k]...)
	}
	return writeChecked(file, magic, body)
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
type bodyStore struct{ kv *kvCache }

const bodyCacheMagic = "gongkai body cache"

func (b bodyStore) Body(key [32]byte) (html, summary string, ok bool) {
	v, ok := b.kv.Get(key)
	if !ok {
		return "", "", false
	}
	n, k := binary.Uvarint(v)
	if k <= 0 || n > uint64(len(v)-k) {
		return "", "", false
	}
	return string(v[k+int(n):]), string(v[k : k+int(n)]), true
}

func (b bodyStore) KeepBody(key [32]byte, html, summary string) {
	v := make([]byte, 0, len(html)+len(summary)+binary.MaxVarintLen64)
	v = binary.AppendUvarint(v, uint64(len(summary)))
	v = append(v, summary...)
	v = append(v, html...)
	b.kv.Put(key, v)
}
