// Package search builds the static full-text index of the /search/ page and
// holds the browser script that queries it.
//
// Chinese has no spaces between words, so the index records every
// character and every pair of adjacent characters (bigram) of each record;
// runs of ASCII letters and digits count as one character. A query matches
// a record when the record holds every bigram of the query, so "预算" finds
// "年度预算执行情况" and "青石居〔2026〕3号" finds that decision whole.
//
// The postings are split into shards by a hash of the gram, so a query
// downloads only the shards of its own grams; the records' titles, dates
// and snippets are split into small chunks, so a result page downloads only
// the chunks it shows. The layout under search/idx/:
//
//	meta.json       {"v":version,"docs":D,"shards":N,"chunk":K,"snippet":S}
//	s/<hex>.json    shard h: [{gram:[ids]},{gram:[title ids]}]
//	d/<n>.json      chunk n: [[url,title,section,date,number,snippet],…]
//
// Doc ids are the records' ranks, newest first; id lists are delta-encoded
// (each number is the gap to the previous id, the first is the id itself).
// A gram belongs to shard fnv1a32(utf8(gram)) mod N.
package search

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Doc is one record as the index sees it.
type Doc struct {
	URL         string // site-relative page, e.g. "decisions/2026-02/"
	Title       string
	Section     string // section key, e.g. "decisions"
	SectionName string // shown name, e.g. "三重一大"; Section when empty
	Date        string // "2026-03-18"; newer records rank first
	Number      string // document number, e.g. "青石居〔2026〕3号"
	Text        string // body, agenda items, resolutions, finance items
}

// Paths of the index, relative to the site root.
const (
	// Dir is the folder of all index files; the search page's form names
	// it relative to the page (data-index="idx/").
	Dir = "search/idx/"
	// ManifestPath is the small file the script reads first.
	ManifestPath = Dir + "meta.json"
)

const (
	// shardTarget is the raw size a shard aims at; the shard count is the
	// smallest power of two that keeps the average shard under it.
	shardTarget = 16 << 10
	maxShards   = 1 << 12
	// chunkDocs is the number of records per metadata chunk. Results of a
	// query are scattered over the ids (title matches first), so chunks
	// are small: the first page loads at most 20 of them.
	chunkDocs = 8
	// snippetRunes is how much of a record's text the result list shows.
	snippetRunes = 100
)

// manifest is meta.json.
type manifest struct {
	Version string `json:"v"`
	Docs    int    `json:"docs"`
	Shards  int    `json:"shards"`
	Chunk   int    `json:"chunk"`
	Snippet int    `json:"snippet"`
}

// Build makes the index of docs. The result maps paths relative to the site
// root (all under search/idx/) to file contents; the same docs always give
// byte-identical files. It fails when a URL is empty or repeated.
func Build(docs []Doc) (map[string][]byte, error) {
	if err := check(docs); err != nil {
		return nil, err
	}
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(docs[b].Date, docs[a].Date); c != 0 {
			return c
		}
		return cmp.Compare(docs[a].URL, docs[b].URL)
	})

	ix := newIndexer()
	for id, i := range order {
		ix.add(uint32(id), &docs[i])
	}

	files := map[string][]byte{}
	nshards := ix.writeShards(files)
	for c := 0; c*chunkDocs < len(order); c++ {
		end := min((c+1)*chunkDocs, len(order))
		files[chunkPath(c)] = chunk(docs, order[c*chunkDocs:end])
	}

	m := manifest{Version: version(files), Docs: len(docs), Shards: nshards, Chunk: chunkDocs, Snippet: snippetRunes}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	files[ManifestPath] = b
	return files, nil
}

func check(docs []Doc) error {
	var errs []error
	seen := make(map[string]bool, len(docs))
	for i, d := range docs {
		switch {
		case d.URL == "":
			errs = append(errs, fmt.Errorf("search: record %d (%q) has no URL", i, d.Title))
		case seen[d.URL]:
			errs = append(errs, fmt.Errorf("search: URL %q is used by two records", d.URL))
		}
		seen[d.URL] = true
	}
	return errors.Join(errs...)
}

// indexer collects the postings of every gram.
type indexer struct {
	tok    *tokenizer
	ids    map[uint64]int32 // gram id → gram number
	keys   []string
	all    [][]uint32 // gram number → doc ids holding it
	title  [][]uint32 // gram number → doc ids holding it in title or number
	lastA  []uint32   // gram number → last doc id+1 added to all
	lastT  []uint32
	titled bool
	doc    uint32
}

func newIndexer() *indexer {
	return &indexer{tok: newTokenizer(), ids: map[uint64]int32{}}
}

func (ix *indexer) add(id uint32, d *Doc) {
	ix.doc = id
	ix.tok.reset()
	ix.tok.add(d.Title)
	ix.tok.add(d.Number)
	ix.titled = true
	ix.tok.eachGram(ix.gram)
	ix.tok.reset()
	ix.tok.add(d.Date)
	ix.tok.add(d.Text)
	ix.titled = false
	ix.tok.eachGram(ix.gram)
}

func (ix *indexer) gram(id uint64, u, v *unit) {
	g, ok := ix.ids[id]
	if !ok {
		g = int32(len(ix.keys))
		ix.ids[id] = g
		k := string(ix.tok.text(*u))
		if v != nil {
			k = string(ix.tok.appendBigram(nil, *u, *v))
		}
		ix.keys = append(ix.keys, k)
		ix.all = append(ix.all, nil)
		ix.title = append(ix.title, nil)
		ix.lastA = append(ix.lastA, 0)
		ix.lastT = append(ix.lastT, 0)
	}
	mark := ix.doc + 1
	if ix.lastA[g] != mark {
		ix.lastA[g] = mark
		ix.all[g] = append(ix.all[g], ix.doc)
	}
	if ix.titled && ix.lastT[g] != mark {
		ix.lastT[g] = mark
		ix.title[g] = append(ix.title[g], ix.doc)
	}
}

// writeShards encodes the postings into shards and returns their number.
func (ix *indexer) writeShards(files map[string][]byte) int {
	order := make([]int32, len(ix.keys))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(ix.keys[a], ix.keys[b]) })

	enc := make([][]byte, len(ix.keys))
	total := 0
	for _, g := range order {
		key, _ := json.Marshal(ix.keys[g])
		var b []byte
		b = append(b, key...)
		b = append(b, ':')
		b = appendDeltas(b, ix.all[g])
		enc[g] = b
		total += len(b)
	}
	n := 1
	for n < maxShards && total/n > shardTarget {
		n *= 2
	}

	all := make([][]byte, n)
	title := make([][]byte, n)
	for _, g := range order {
		s := shardOf(ix.keys[g], n)
		all[s] = appendEntry(all[s], enc[g])
		if t := ix.title[g]; len(t) > 0 {
			key, _ := json.Marshal(ix.keys[g])
			e := append(append(key, ':'), appendDeltas(nil, t)...)
			title[s] = appendEntry(title[s], e)
		}
	}
	for s := range n {
		var b bytes.Buffer
		b.WriteString("[{")
		b.Write(all[s])
		b.WriteString("},{")
		b.Write(title[s])
		b.WriteString("}]")
		files[shardPath(s, n)] = b.Bytes()
	}
	return n
}

func appendEntry(dst, e []byte) []byte {
	if len(dst) > 0 {
		dst = append(dst, ',')
	}
	return append(dst, e...)
}

// appendDeltas appends ids (ascending) as a JSON array of gaps.
func appendDeltas(dst []byte, ids []uint32) []byte {
	dst = append(dst, '[')
	prev := uint32(0)
	for i, id := range ids {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendUint(dst, uint64(id-prev), 10)
		prev = id
	}
	return append(dst, ']')
}

// fnv1a returns the 32-bit FNV-1a hash of s's UTF-8 bytes.
func fnv1a(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// shardOf returns the shard of a gram among n (a power of two).
func shardOf(gram string, n int) int { return int(fnv1a(gram) & uint32(n-1)) }

// shardPath names shard s of n: lower-case hex, as wide as n-1 needs.
func shardPath(s, n int) string {
	w := len(strconv.FormatInt(int64(n-1), 16))
	h := strconv.FormatInt(int64(s), 16)
	return Dir + "s/" + strings.Repeat("0", w-len(h)) + h + ".json"
}

func chunkPath(c int) string { return Dir + "d/" + strconv.Itoa(c) + ".json" }

// chunk encodes the metadata of the docs at the given indexes.
func chunk(docs []Doc, idx []int) []byte {
	rows := make([][6]string, len(idx))
	for k, i := range idx {
		d := &docs[i]
		name := d.SectionName
		if name == "" {
			name = d.Section
		}
		rows[k] = [6]string{d.URL, d.Title, name, d.Date, d.Number, snippet(d.Text, snippetRunes)}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(rows) // strings only: cannot fail
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// snippet returns the first n characters of text, white space collapsed,
// with "…" when it was cut.
func snippet(text string, n int) string {
	var b strings.Builder
	space := false
	count := 0
	for _, r := range strings.TrimSpace(text) {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u3000' {
			space = true
			continue
		}
		if count == n {
			b.WriteString("…")
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r == utf8.RuneError {
			r = '\uFFFD'
		}
		b.WriteRune(r)
		count++
	}
	return b.String()
}

// version is a short hash of the index files, sorted by path; the script
// adds it to the URLs it fetches, so browsers never mix two builds.
func version(files map[string][]byte) string {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	h := sha256.New()
	for _, p := range paths {
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(files[p]))
		h.Write(files[p])
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
