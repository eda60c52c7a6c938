// Package search builds the static full-text index of the /search/ page and
// holds the browser script that queries it.
//
// Chinese has no spaces between words, so the index records every
// character and every pair of adjacent characters (bigram) of each record;
// runs of ASCII letters and digits count as one character. A query matches
// a record when the record holds every bigram of the query, so "预算" finds
// "年度预算执行情况" and "青石居〔2026〕3号" finds that decision whole.
//
// Each record is indexed in three ranks: its title and document number;
// its section, category and the other fields that describe it (tags, the
// period as people write it, issuer, meeting place, decision stages); and
// the rest (body, account items, agenda, dates). A record holding a query
// in its title ranks above one filed under it, which ranks above one
// merely mentioning it; among equals the newer comes first. A word the
// synonym table (synonyms.go) adds ranks one below the word it stands
// for, so the ranks run from 0 to 3. A query of more than maxQueryGrams
// pairs (a pasted sentence) is matched on an even spread of them, so that
// it reads few shards.
//
// The postings are split into shards by a hash of the gram, so a query
// downloads only the shards of its own grams; the records' titles, dates
// and snippets are split into small chunks, so a result page downloads only
// the chunks it shows. The layout under search/idx/:
//
//	meta.json       {"v":version,"docs":D,"shards":N,"chars":M,"chunk":K}
//	s/<hex>.json    shard h of N: {gram:postings,…}, the grams of pairs and ASCII words
//	c/<hex>.json    shard h of M: {gram:postings,…}, the grams of single other characters
//	d/<n>.json      chunk n: [[url,title,section,date,number,category,notice,snippet],…]
//
// Doc ids are the records' places newest first. Postings are a string of
// the ids holding the gram, ascending, each with the best rank (0 to 3)
// the gram has in that record: v = (gap-1)*4 + rank, where gap is the id
// minus the previous id (the first id plus one), written five bits a
// character, low bits first, in the characters of postingDigits: the last
// 32 carry on to the next character, the first 32 end the number. A gram
// belongs to shard fnv1a32(utf8(gram)) mod N (or M). A notice is
// "from/to" (ISO dates, both days included) or empty; a snippet is lines
// of text, the first the record's lead, the others its account items,
// agenda and resolutions.
package search

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gongkai/generator/zh"
)

// Doc is one record as the index sees it.
type Doc struct {
	URL         string // site-relative page, e.g. "decisions/2026-02/"
	Title       string
	Number      string // document number, e.g. "青石居〔2026〕3号"
	Section     string // section key, e.g. "decisions"
	SectionName string // shown name, e.g. "三重一大"; Section when empty
	// Category is what groups the record in its section: a category, a
	// convention's kind, a meeting's kind. Shown beside the section.
	Category string
	// Facets are the other fields that describe the record, ranked with
	// its section: tags, its period as people write it, issuer, meeting
	// place, decision stages. Empty ones are left out.
	Facets []string
	Date   string // "2026-03-18"; newer records rank first
	// NoticeFrom and NoticeTo are the notice period ("2026-10-13"), both
	// days included; empty when the record has none. The page compares
	// them with the reader's date.
	NoticeFrom, NoticeTo string
	Lead                 string   // the summary a result shows
	Lines                []string // short lines of the record (account items, agenda, resolutions), shown when they match
	Text                 string   // the rest: body, issuer, place, stages
}

// The ranks of a match, best first. A word the synonym table adds ranks
// one below the word it stands for: a 居民公约 found by 村规民约 in its title
// ranks with records filed under 村规民约, below a 村规民约 by name.
const (
	rankTitle   = iota // title or number
	rankFiled          // section, category, facets
	rankText           // anything else
	rankSynonym        // a synonym in the text
	ranks
)

// Paths of the index, relative to the site root.
const (
	// Dir is the folder of all index files; the search page's form names
	// it relative to the page (data-index="idx/").
	Dir = "search/idx/"
	// ManifestPath is the small file the script reads first.
	ManifestPath = Dir + "meta.json"
)

const (
	// shardTarget is the raw size a shard of words aims at; the shard
	// count is the smallest power of two that keeps the average shard
	// under it. Shards of single characters are read by one-character
	// queries only, and aim at charTarget: fewer, larger files.
	shardTarget = 2 << 10
	charTarget  = 8 << 10
	maxShards   = 1 << 12
	// chunkDocs is the number of records per metadata chunk. Results of a
	// query are scattered over the ids (title matches first), so chunks
	// are small: a page of results loads one chunk for most of them.
	chunkDocs = 4
	// leadRunes and snippetRunes bound what a result shows of a record:
	// its lead, and its lead and lines together.
	leadRunes    = 50
	snippetRunes = 150
)

// postingDigits are the characters of postings (see the package comment).
const postingDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

// manifest is meta.json.
type manifest struct {
	Version string `json:"v"`
	Docs    int    `json:"docs"`
	Shards  int    `json:"shards"` // shards of words and pairs
	Chars   int    `json:"chars"`  // shards of single characters
	Chunk   int    `json:"chunk"`
}

// Build makes the index of docs. The result maps paths relative to the site
// root (all under search/idx/) to file contents; the same docs always give
// byte-identical files. It fails when a URL is empty or repeated.
func Build(docs []Doc) (map[string][]byte, error) {
	return build(docs, runtime.GOMAXPROCS(0))
}

// build is Build, indexing on up to workers processors.
func build(docs []Doc, workers int) (map[string][]byte, error) {
	if err := check(docs); err != nil {
		return nil, err
	}
	order := sortedDocs(docs)
	ix := index(docs, order, workers)
	files := map[string][]byte{}
	words, chars, _ := ix.writeShards(files)
	return finish(files, docs, order, words, chars, nil), nil
}

// sortedDocs returns the indexes of docs in id order: newest first.
func sortedDocs(docs []Doc) []int {
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
	return order
}

// finish adds to the shards in files the chunks of the docs and the
// manifest. kept, when not nil, returns chunk c when it is kept as it is.
func finish(files map[string][]byte, docs []Doc, order []int, words, chars int, kept func(c int) []byte) map[string][]byte {
	for c := 0; c*chunkDocs < len(order); c++ {
		if kept != nil {
			if b := kept(c); b != nil {
				files[chunkPath(c)] = b
				continue
			}
		}
		end := min((c+1)*chunkDocs, len(order))
		files[chunkPath(c)] = chunk(docs, order[c*chunkDocs:end])
	}
	m := manifest{Version: version(files), Docs: len(docs), Shards: words, Chars: chars, Chunk: chunkDocs}
	b, _ := json.Marshal(m) // numbers and a hex string: cannot fail
	files[ManifestPath] = b
	return files
}

// partDocs is the fewest records an indexer of its own is worth.
const partDocs = 2048

// index indexes the docs in order (doc id = place in order). A large
// board is cut into consecutive parts indexed side by side, whose
// postings are then joined gram by gram: every id of a part is above
// those of the parts before it, so each gram's postings stay ascending,
// and the files written from them are those of one indexer (writeShards
// orders grams by their text, not by their number).
func index(docs []Doc, order []int, workers int) *indexer {
	n := max(1, min(workers, len(order)/partDocs))
	parts := make([]*indexer, n)
	var wg sync.WaitGroup
	for w := range n {
		lo, hi := w*len(order)/n, (w+1)*len(order)/n
		wg.Go(func() {
			ix := newIndexer()
			for id := lo; id < hi; id++ {
				ix.add(uint32(id), &docs[order[id]])
			}
			parts[w] = ix
		})
	}
	wg.Wait()
	ix := parts[0]
	if n == 1 {
		return ix
	}
	at := make(map[string]int32, len(ix.keys))
	for g, k := range ix.keys {
		at[k] = int32(g)
	}
	for _, part := range parts[1:] {
		for g, k := range part.keys {
			b, ok := at[k]
			if !ok {
				b = int32(len(ix.keys))
				ix.keys = append(ix.keys, k)
				ix.post = append(ix.post, nil)
				at[k] = b
			}
			ix.post[b] = append(ix.post[b], part.post[g]...)
		}
	}
	return ix
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
	tok *tokenizer
	syn *rewriter
	// uni numbers the grams of single characters of the Basic
	// Multilingual Plane (gram number + 1, by code point), ids all
	// others: the gram id → gram number.
	uni  []int32
	ids  map[uint64]int32
	keys []string
	// post holds, for each gram number, id<<2|rank of the docs holding
	// it, ascending ids, each with its best rank.
	post [][]uint32
	// last holds, for each gram number, (id+1)<<2|rank of its last entry
	// in post: a small array that settles most repeats of a gram in a
	// record without touching post.
	last  []uint32
	doc   uint32
	rank  uint32
	texts []string
}

func newIndexer() *indexer {
	return &indexer{tok: newTokenizer(), syn: newRewriter(rewrites()), uni: make([]int32, 1<<16), ids: map[uint64]int32{}}
}

func (ix *indexer) add(id uint32, d *Doc) {
	ix.doc = id
	ix.field(rankTitle, d.Title, d.Number)
	ix.field(rankFiled, d.SectionName, d.Category)
	ix.field(rankFiled, d.Facets...)
	lead := d.Lead
	if strings.HasPrefix(d.Text, strings.TrimSuffix(lead, "…")) {
		lead = "" // the start of the text, indexed with it
	}
	ix.field(rankText, d.Date, writtenDate(d.Date), lead)
	ix.field(rankText, d.Lines...)
	ix.field(rankText, d.Text)
}

// field indexes texts in rank, and what the synonym table adds to them
// in the rank below.
func (ix *indexer) field(rank uint32, texts ...string) {
	ix.tok.reset()
	for _, s := range texts {
		ix.tok.add(s)
	}
	ix.texts = ix.syn.expand(ix.tok, ix.texts[:0])
	ix.rank = rank
	ix.tok.eachGram(ix.gram)
	if len(ix.texts) == 0 {
		return
	}
	ix.tok.reset()
	for _, s := range ix.texts {
		ix.tok.add(s)
	}
	ix.rank = rank + 1
	ix.tok.eachGram(ix.gram)
}

func (ix *indexer) gram(id uint64, u, v *unit) {
	var g int32
	if id < uint64(len(ix.uni)) {
		g = ix.uni[id] - 1
		if g < 0 {
			g = ix.newGram(u, v)
			ix.uni[id] = g + 1
		}
	} else {
		var ok bool
		if g, ok = ix.ids[id]; !ok {
			g = ix.newGram(u, v)
			ix.ids[id] = g
		}
	}
	e := (ix.doc+1)<<2 | ix.rank
	if l := ix.last[g]; l>>2 == ix.doc+1 {
		if e < l { // a better rank of the same record
			ix.last[g] = e
			p := ix.post[g]
			p[len(p)-1] = ix.doc<<2 | ix.rank
		}
		return
	}
	ix.last[g] = e
	ix.post[g] = append(ix.post[g], ix.doc<<2|ix.rank)
}

// newGram numbers the gram of unit u, or of the pair u v.
func (ix *indexer) newGram(u, v *unit) int32 {
	g := int32(len(ix.keys))
	k := string(ix.tok.text(*u))
	if v != nil {
		k = string(ix.tok.appendBigram(nil, *u, *v))
	}
	ix.keys = append(ix.keys, k)
	ix.post = append(ix.post, nil)
	ix.last = append(ix.last, 0)
	return g
}

// writtenDate writes an ISO date as people do, 2026年6月18日, or returns ""
// when it is not one.
func writtenDate(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return ""
	}
	return zh.FormatDate(t, zh.Arabic)
}

// writeShards encodes the postings into shards and returns their numbers
// (the shards of words and pairs, and those of single characters) and
// the raw sizes of the grams of each kind, which chose them. Single
// characters are only looked up for a query of one character, and many
// of them are in most records, so they get shards of their own and the
// shards a longer query reads stay small.
func (ix *indexer) writeShards(files map[string][]byte) (words, chars int, total [2]int) {
	order := make([]int32, len(ix.keys))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(ix.keys[a], ix.keys[b]) })

	// Every gram's `"key":"postings"`, one after another in all: enc[g]
	// is where gram g ends.
	all := make([]byte, 0, 32*len(ix.keys))
	enc := make([]int, len(ix.keys))
	for _, g := range order {
		a := len(all)
		all = appendJSONString(all, ix.keys[g])
		all = append(all, ':', '"')
		all = appendPostings(all, ix.post[g])
		all = append(all, '"')
		enc[g] = len(all)
		total[kindOf(ix.keys[g])] += len(all) - a
	}
	n := shardCounts(total)
	// Each shard is {gram,gram,…} in the order of the keys: sized first,
	// then written once.
	size := [2][]int{make([]int, n[0]), make([]int, n[1])}
	at := make([]int, len(ix.keys))    // kind and shard of each gram, k*maxShards+s
	start := make([]int, len(ix.keys)) // where gram g starts in all
	prev := 0
	for _, g := range order {
		start[g], prev = prev, enc[g]
		k := kindOf(ix.keys[g])
		s := shardOf(ix.keys[g], n[k])
		at[g] = k*maxShards + s
		size[k][s] += enc[g] - start[g] + 1 // and a comma or brace
	}
	shards := [2][][]byte{make([][]byte, n[0]), make([][]byte, n[1])}
	for k := range shards {
		for s := range shards[k] {
			shards[k][s] = append(make([]byte, 0, size[k][s]+1), '{')
		}
	}
	for _, g := range order {
		k, s := at[g]/maxShards, at[g]%maxShards
		if len(shards[k][s]) > 1 {
			shards[k][s] = append(shards[k][s], ',')
		}
		shards[k][s] = append(shards[k][s], all[start[g]:enc[g]]...)
	}
	for k := range shards {
		for s, sh := range shards[k] {
			files[shardPath(k, s, n[k])] = append(sh, '}')
		}
	}
	return n[0], n[1], total
}

// appendJSONString appends s as encoding/json writes it: the keys of
// grams (letters, digits, a space) as they are, anything that needs an
// escape through encoding/json.
func appendJSONString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s)
			return append(dst, b...)
		}
	}
	if !utf8.ValidString(s) || strings.ContainsRune(s, '\u2028') || strings.ContainsRune(s, '\u2029') {
		b, _ := json.Marshal(s)
		return append(dst, b...)
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// The kinds of grams, each with shards of its own.
const (
	kindWord = iota // a pair of units, or a run of ASCII letters and digits
	kindChar        // a single other character
)

// kindOf returns the kind of a gram.
func kindOf(gram string) int {
	if r, n := utf8.DecodeRuneInString(gram); r >= utf8.RuneSelf && n == len(gram) {
		return kindChar
	}
	return kindWord
}

// appendPostings appends entries (id<<2|rank, ascending ids) in the
// posting encoding of the package comment.
func appendPostings(dst []byte, entries []uint32) []byte {
	prev := int64(-1)
	for _, e := range entries {
		id := int64(e >> 2)
		v := uint64(id-prev-1)*ranks + uint64(e&3)
		prev = id
		for v >= 32 {
			dst = append(dst, postingDigits[32+v&31])
			v >>= 5
		}
		dst = append(dst, postingDigits[v])
	}
	return dst
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

// shardPath names shard s of n of a kind: s/ for words, c/ for single
// characters, then lower-case hex, as wide as n-1 needs.
func shardPath(kind, s, n int) string {
	w := len(strconv.FormatInt(int64(n-1), 16))
	h := strconv.FormatInt(int64(s), 16)
	return Dir + [...]string{"s/", "c/"}[kind] + strings.Repeat("0", w-len(h)) + h + ".json"
}

// gramPath is the shard file of a gram in the index of m.
func (m manifest) gramPath(gram string) string {
	k := kindOf(gram)
	n := [...]int{m.Shards, m.Chars}[k]
	return shardPath(k, shardOf(gram, n), n)
}

func chunkPath(c int) string { return Dir + "d/" + strconv.Itoa(c) + ".json" }

// row is a record in a chunk, in the order of the package comment.
type row [8]string

// chunk encodes the metadata of the docs at the given indexes.
func chunk(docs []Doc, idx []int) []byte {
	rows := make([]row, len(idx))
	for k, i := range idx {
		d := &docs[i]
		name := d.SectionName
		if name == "" {
			name = d.Section
		}
		notice := ""
		if d.NoticeFrom != "" && d.NoticeTo != "" {
			notice = d.NoticeFrom + "/" + d.NoticeTo
		}
		rows[k] = row{d.URL, d.Title, name, d.Date, d.Number, d.Category, notice, snippet(d)}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(rows) // strings only: cannot fail
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// snippet returns what a result may show of d: its lead, cut at leadRunes,
// then its lines, one a line, until snippetRunes are used.
func snippet(d *Doc) string {
	var b strings.Builder
	left := snippetRunes
	for i, s := range append([]string{d.Lead}, d.Lines...) {
		n := left
		if i == 0 {
			n = min(n, leadRunes)
		}
		s = squeeze(s, n)
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(s)
		left -= utf8.RuneCountInString(s)
		if left <= 0 {
			break
		}
	}
	return b.String()
}

// squeeze returns the first n characters of text, white space collapsed,
// with "…" in place of the rest when it was cut.
func squeeze(text string, n int) string {
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
