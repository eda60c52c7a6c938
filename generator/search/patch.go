package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"runtime"
	"slices"
	"strings"
	"sync"

	"gongkai/generator/internal/par"
)

// Store keeps values between builds by key: Get returns what an earlier
// build Put under key, and keeps it for the next build too. It is the
// build's cache; values may be read-only memory.
type Store interface {
	Get(key [32]byte) ([]byte, bool)
	Put(key [32]byte, value []byte)
}

// BuildKept is Build, reusing the index an earlier build kept in store:
// when the docs are those of that build but for a few changed in place
// (no record added, removed or moved in the order), only the postings of
// the grams those few held or hold are made again, and only the shards
// holding them re-encoded. The files are byte for byte those of Build.
// The index is kept in store for the next build. A nil store is Build.
// patched reports whether the kept index was reused.
func BuildKept(docs []Doc, store Store) (files map[string][]byte, patched bool, err error) {
	if store == nil {
		files, err = Build(docs)
		return files, false, err
	}
	if err := check(docs); err != nil {
		return nil, false, err
	}
	order := sortedDocs(docs)
	keys := docKeys(docs, order)
	if files, st, ok := patch(docs, order, keys, store); ok {
		keep(store, st, nil, nil)
		return files, true, nil
	}
	ix := index(docs, order, runtime.GOMAXPROCS(0))
	files = map[string][]byte{}
	words, chars, totals := ix.writeShards(files)
	files = finish(files, docs, order, words, chars, nil)
	st := &kept{n: [2]int{words, chars}, total: totals, docs: keys}
	st.shards, st.chunks = fileKeys(files, st.n, len(keys))
	keep(store, st, files, func(i int) []byte { return appendDoc(nil, &docs[order[i]]) })
	return files, false, nil
}

// kept is what a build keeps of its index: the number and raw size of
// the shards of each kind, the key of each doc in id order, of each shard
// (words first, then characters) and of each chunk.
type kept struct {
	n      [2]int
	total  [2]int
	docs   [][32]byte
	shards [][32]byte
	chunks [][32]byte
}

// chunks is the number of chunks of docs.
func chunks(docs int) int { return (docs + chunkDocs - 1) / chunkDocs }

// stateKey is where the kept state of the index is stored.
var stateKey = sha256.Sum256([]byte("gongkai search index 1"))

func (k *kept) encode() []byte {
	b := make([]byte, 0, 64+32*(len(k.docs)+len(k.shards)+len(k.chunks)))
	for _, v := range []int{k.n[0], k.n[1], k.total[0], k.total[1], len(k.docs)} {
		b = binary.AppendUvarint(b, uint64(v))
	}
	for _, d := range k.docs {
		b = append(b, d[:]...)
	}
	for _, l := range [][][32]byte{k.shards, k.chunks} {
		for _, s := range l {
			b = append(b, s[:]...)
		}
	}
	return b
}

func decodeKept(b []byte) (*kept, bool) {
	var v [5]int
	for i := range v {
		x, n := binary.Uvarint(b)
		if n <= 0 || x > 1<<40 {
			return nil, false
		}
		v[i], b = int(x), b[n:]
	}
	k := &kept{n: [2]int{v[0], v[1]}, total: [2]int{v[2], v[3]}}
	if k.n[0] < 1 || k.n[1] < 1 || k.n[0] > maxShards || k.n[1] > maxShards || len(b) != 32*(v[4]+k.n[0]+k.n[1]+chunks(v[4])) {
		return nil, false
	}
	k.docs, k.shards, k.chunks = make([][32]byte, v[4]), make([][32]byte, k.n[0]+k.n[1]), make([][32]byte, chunks(v[4]))
	for _, l := range [][][32]byte{k.docs, k.shards, k.chunks} {
		for i := range l {
			b = b[copy(l[i][:], b):]
		}
	}
	return k, true
}

// keep stores st, and the shards and chunks of files and the docs
// (enc(i) encodes doc id i) when given.
func keep(store Store, st *kept, files map[string][]byte, enc func(int) []byte) {
	if files != nil {
		for k, n := range st.n {
			for s := range n {
				store.Put(st.shards[k*st.n[0]+s], files[shardPath(k, s, n)])
			}
		}
		for c, key := range st.chunks {
			store.Put(key, files[chunkPath(c)])
		}
		for i, key := range st.docs {
			store.Put(key, enc(i))
		}
	}
	store.Put(stateKey, st.encode())
}

// fileKeys returns the keys of the shards and of the chunks in files.
func fileKeys(files map[string][]byte, n [2]int, docs int) (shards, chunked [][32]byte) {
	for k := range n {
		for s := range n[k] {
			shards = append(shards, sha256.Sum256(files[shardPath(k, s, n[k])]))
		}
	}
	chunked = make([][32]byte, chunks(docs))
	_ = par.Each(len(chunked), func(c int) error { chunked[c] = sha256.Sum256(files[chunkPath(c)]); return nil })
	return shards, chunked
}

// docKeys returns the key of each doc in id order: the hash of its
// encoding.
func docKeys(docs []Doc, order []int) [][32]byte {
	keys := make([][32]byte, len(order))
	var pool sync.Pool
	_ = par.Each(len(order), func(i int) error {
		b, _ := pool.Get().(*[]byte)
		if b == nil {
			b = new([]byte)
		}
		*b = appendDoc((*b)[:0], &docs[order[i]])
		keys[i] = sha256.Sum256(*b)
		pool.Put(b)
		return nil
	})
	return keys
}

// maxPatched is the most docs a patch makes again: beyond, indexing the
// whole board is about as quick.
const maxPatched = 256

// patch makes the files of the index from the one kept in store, when
// few docs changed in place. It reports false when it cannot.
func patch(docs []Doc, order []int, keys [][32]byte, store Store) (map[string][]byte, *kept, bool) {
	b, ok := store.Get(stateKey)
	if !ok {
		return nil, nil, false
	}
	old, ok := decodeKept(b)
	if !ok || len(old.docs) != len(keys) {
		return nil, nil, false
	}
	var changed []int
	for id, k := range keys {
		if k != old.docs[id] {
			if changed = append(changed, id); len(changed) > maxPatched {
				return nil, nil, false
			}
		}
	}
	// Everything the old index holds must still be there, changed or
	// not, for this build to reuse and the next to find; the shards,
	// which are reused whole, as they were hashed.
	shards := make([][]byte, len(old.shards))
	bad := make([]bool, len(old.shards))
	_ = par.Each(len(old.shards), func(i int) error {
		b, ok := store.Get(old.shards[i])
		shards[i], bad[i] = b, !ok || sha256.Sum256(b) != old.shards[i]
		return nil
	})
	if slices.Contains(bad, true) {
		return nil, nil, false
	}
	for id, k := range keys {
		if k == old.docs[id] {
			if _, ok := store.Get(k); !ok {
				return nil, nil, false
			}
		}
	}
	// The chunks of unchanged docs, as they were hashed; nil for those
	// to make again.
	same := make([][]byte, len(old.chunks))
	_ = par.Each(len(same), func(c int) error {
		for id := c * chunkDocs; id < min((c+1)*chunkDocs, len(keys)); id++ {
			if keys[id] != old.docs[id] {
				return nil
			}
		}
		if b, ok := store.Get(old.chunks[c]); ok && sha256.Sum256(b) == old.chunks[c] {
			same[c] = b
		}
		return nil
	})
	// The grams whose postings change, with each changed doc's rank in
	// them now (ranks: it no longer holds the gram).
	type change struct{ id, now uint32 }
	grams := map[string][]change{}
	for _, id := range changed {
		b, ok := store.Get(old.docs[id])
		if !ok || sha256.Sum256(b) != old.docs[id] {
			return nil, nil, false
		}
		var was Doc
		if !decodeDoc(b, &was) {
			return nil, nil, false
		}
		before, now := gramRanks(&was), gramRanks(&docs[order[id]])
		for g, r := range before {
			if n, ok := now[g]; !ok || n != r {
				grams[g] = append(grams[g], change{uint32(id), nilRank(n, ok)})
			}
		}
		for g, n := range now {
			if _, ok := before[g]; !ok {
				grams[g] = append(grams[g], change{uint32(id), n})
			}
		}
	}
	// The shards those grams are in, read, changed and written again.
	byShard := map[int][]string{}
	for g := range grams {
		k := kindOf(g)
		i := k*old.n[0] + shardOf(g, old.n[k])
		byShard[i] = append(byShard[i], g)
	}
	st := &kept{n: old.n, total: old.total, docs: keys, shards: slices.Clone(old.shards), chunks: slices.Clone(old.chunks)}
	for i, gs := range byShard {
		k := 0
		if i >= old.n[0] {
			k = 1
		}
		entries, ok := parseShard(shards[i])
		if !ok {
			return nil, nil, false
		}
		at := make(map[string]int, len(entries))
		for j, e := range entries {
			at[e.key] = j
		}
		for _, g := range gs {
			var post []uint32
			j, had := at[g]
			if had {
				if post, ok = decodePostings(entries[j].post); !ok {
					return nil, nil, false
				}
				st.total[k] -= entryLen(g, entries[j].post)
			}
			for _, c := range grams[g] {
				post = setRank(post, c.id, c.now)
			}
			p := string(appendPostings(nil, post))
			switch {
			case len(post) == 0 && had:
				entries[j].key = "" // dropped below
			case len(post) > 0 && had:
				entries[j].post = p
			case len(post) > 0:
				entries = append(entries, shardEntry{g, p})
			}
			if len(post) > 0 {
				st.total[k] += entryLen(g, p)
			}
		}
		entries = slices.DeleteFunc(entries, func(e shardEntry) bool { return e.key == "" })
		slices.SortFunc(entries, func(a, b shardEntry) int { return strings.Compare(a.key, b.key) })
		shards[i] = encodeShard(entries)
		st.shards[i] = sha256.Sum256(shards[i])
		store.Put(st.shards[i], shards[i])
	}
	if shardCounts(st.total) != old.n {
		return nil, nil, false // the shards would be cut differently
	}
	for _, id := range changed {
		store.Put(keys[id], appendDoc(nil, &docs[order[id]]))
	}
	files := make(map[string][]byte, len(shards)+len(same)+1)
	for k, n := range st.n {
		for s := range n {
			files[shardPath(k, s, n)] = shards[k*st.n[0]+s]
		}
	}
	files = finish(files, docs, order, st.n[0], st.n[1], func(c int) []byte { return same[c] })
	for c, b := range same {
		if b == nil {
			b = files[chunkPath(c)]
			st.chunks[c] = sha256.Sum256(b)
			store.Put(st.chunks[c], b)
		}
	}
	return files, st, true
}

// nilRank is rank n when ok, else ranks (absent).
func nilRank(n uint32, ok bool) uint32 {
	if !ok {
		return ranks
	}
	return n
}

// gramRanks returns every gram of d with its best rank.
func gramRanks(d *Doc) map[string]uint32 {
	ix := newIndexer()
	ix.add(0, d)
	out := make(map[string]uint32, len(ix.keys))
	for g, k := range ix.keys {
		out[k] = ix.post[g][0] & 3
	}
	return out
}

// setRank returns the postings with doc id at rank (ranks: without it).
func setRank(post []uint32, id, rank uint32) []uint32 {
	i, found := slices.BinarySearchFunc(post, id, func(e, id uint32) int { return int(e>>2) - int(id) })
	switch {
	case rank == ranks && found:
		return slices.Delete(post, i, i+1)
	case rank == ranks:
		return post
	case found:
		post[i] = id<<2 | rank
		return post
	}
	return slices.Insert(post, i, id<<2|rank)
}

// entryLen is the raw size of a gram's entry in its shard, as
// writeShards counts it.
func entryLen(gram, post string) int {
	return len(appendJSONString(nil, gram)) + len(post) + 3
}

// shardCounts returns the number of shards of each kind for the raw
// sizes total.
func shardCounts(total [2]int) [2]int {
	var n [2]int
	for k, target := range [...]int{shardTarget, charTarget} {
		n[k] = 1
		for n[k] < maxShards && total[k]/n[k] > target {
			n[k] *= 2
		}
	}
	return n
}

// shardEntry is one gram of a shard and its encoded postings.
type shardEntry struct{ key, post string }

// parseShard reads a shard as writeShards writes it.
func parseShard(b []byte) ([]shardEntry, bool) {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return nil, false
	}
	b = b[1 : len(b)-1]
	var out []shardEntry
	for len(b) > 0 {
		if len(out) > 0 {
			if b[0] != ',' {
				return nil, false
			}
			b = b[1:]
		}
		// The key: a JSON string, escaped only when appendJSONString
		// left the escaping to encoding/json.
		end, esc := 1, false
		for ; end < len(b) && b[end] != '"'; end++ {
			if b[end] == '\\' {
				esc = true
				end++
			}
		}
		if len(b) == 0 || b[0] != '"' || end >= len(b) {
			return nil, false
		}
		key := string(b[1:end])
		if esc {
			if json.Unmarshal(b[:end+1], &key) != nil {
				return nil, false
			}
		}
		b = b[end+1:]
		if len(b) < 3 || b[0] != ':' || b[1] != '"' {
			return nil, false
		}
		q := bytes.IndexByte(b[2:], '"')
		if q < 0 {
			return nil, false
		}
		out = append(out, shardEntry{key, string(b[2 : 2+q])})
		b = b[3+q:]
	}
	return out, true
}

// encodeShard writes entries (sorted by key) as writeShards does.
func encodeShard(entries []shardEntry) []byte {
	b := []byte{'{'}
	for i, e := range entries {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, e.key)
		b = append(b, ':', '"')
		b = append(b, e.post...)
		b = append(b, '"')
	}
	return append(b, '}')
}

// digitValue maps the characters of postingDigits to their values, the
// others to -1.
var digitValue = func() (v [256]int8) {
	for i := range v {
		v[i] = -1
	}
	for i := range len(postingDigits) {
		v[postingDigits[i]] = int8(i)
	}
	return v
}()

// decodePostings reads postings written by appendPostings.
func decodePostings(s string) ([]uint32, bool) {
	out := make([]uint32, 0, len(s))
	prev := int64(-1)
	var v uint64
	shift := 0
	for i := 0; i < len(s); i++ {
		d := digitValue[s[i]]
		switch {
		case d < 0 || shift > 35:
			return nil, false
		case d >= 32:
			v |= uint64(d-32) << shift
			shift += 5
			continue
		}
		v |= uint64(d) << shift
		id := prev + 1 + int64(v/ranks)
		if id >= 1<<30 {
			return nil, false
		}
		out = append(out, uint32(id)<<2|uint32(v%ranks))
		prev, v, shift = id, 0, 0
	}
	return out, shift == 0
}

// appendDoc appends the encoding of d that the store keeps: each field
// with its length, lists with their count.
func appendDoc(b []byte, d *Doc) []byte {
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, s := range []string{d.URL, d.Title, d.Number, d.Section, d.SectionName, d.Category, d.Date, d.NoticeFrom, d.NoticeTo, d.Lead, d.Text} {
		str(s)
	}
	for _, l := range [][]string{d.Facets, d.Lines} {
		b = binary.AppendUvarint(b, uint64(len(l)))
		for _, s := range l {
			str(s)
		}
	}
	return b
}

var errDoc = errors.New("search: a kept doc is damaged")

// decodeDoc reads a doc written by appendDoc.
func decodeDoc(b []byte, d *Doc) bool {
	var err error
	str := func() string {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			err = errDoc
			return ""
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s
	}
	for _, p := range []*string{&d.URL, &d.Title, &d.Number, &d.Section, &d.SectionName, &d.Category, &d.Date, &d.NoticeFrom, &d.NoticeTo, &d.Lead, &d.Text} {
		*p = str()
	}
	for _, l := range []*[]string{&d.Facets, &d.Lines} {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)) {
			return false
		}
		b = b[k:]
		*l = nil
		for range n {
			*l = append(*l, str())
		}
	}
	return err == nil && len(b) == 0
}
