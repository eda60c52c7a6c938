package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// transparent lists the characters (after NFKC) that neither make a unit
// nor break a chain: brackets around document numbers, and the joiners of
// dates, amounts and codes. "青石居〔2026〕3号" is one chain of six units.
// search.js holds the same list; the two must agree.
const transparent = "〔〕【】〖〗[]()《》〈〉「」『』<>-./:_'·・+"

// A unit is one token: a run of ASCII letters and digits (lower-cased) or a
// single other letter or number (a Chinese character). Units of the same
// chain are adjacent in the text, so their pairs are bigrams.
type unit struct {
	a, b  int32 // the unit's text in tokenizer.buf
	chain int32
	ascii bool
	id    uint32 // the code point, or asciiBase + the run's number
}

// asciiBase numbers ASCII runs above all code points.
const asciiBase = 0x110000

// tokenizer splits text into units. It keeps its buffers between calls so
// that indexing thousands of records allocates little.
type tokenizer struct {
	buf   []byte
	units []unit
	chain int32
	run   int // start of the open ASCII run in buf, or -1
	norm  map[rune]string
	runs  map[string]uint32 // ASCII run → its number
}

func newTokenizer() *tokenizer {
	return &tokenizer{run: -1, norm: map[rune]string{}, runs: map[string]uint32{}}
}

// reset forgets all units.
func (t *tokenizer) reset() {
	t.buf, t.units, t.run = t.buf[:0], t.units[:0], -1
}

// add appends the units of text, in a chain of its own: two fields of a
// record, or two records, never make a bigram together.
func (t *tokenizer) add(text string) {
	t.brk()
	for _, r := range text {
		if r < utf8.RuneSelf || (r >= 0x4e00 && r <= 0x9fff) {
			t.char(r)
			continue
		}
		n, ok := t.norm[r]
		if !ok {
			// Normalised one code point at a time, as search.js does, so
			// that the browser finds exactly the grams indexed here.
			n = norm.NFKC.String(string(r))
			t.norm[r] = n
		}
		for _, c := range n {
			t.char(c)
		}
	}
	t.brk()
}

// char feeds one normalised character.
func (t *tokenizer) char(c rune) {
	switch {
	case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
		t.ascii(byte(c))
	case c >= 'A' && c <= 'Z':
		t.ascii(byte(c) + 'a' - 'A')
	case c >= 0x4e00 && c <= 0x9fff, c >= utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsNumber(c)):
		t.flush()
		a := len(t.buf)
		t.buf = utf8.AppendRune(t.buf, c)
		t.units = append(t.units, unit{a: int32(a), b: int32(len(t.buf)), chain: t.chain, id: uint32(c)})
	case strings.ContainsRune(transparent, c):
		t.flush()
	default:
		t.brk()
	}
}

func (t *tokenizer) ascii(c byte) {
	if t.run < 0 {
		t.run = len(t.buf)
	}
	t.buf = append(t.buf, c)
}

// flush closes the open ASCII run, if any, as a unit.
func (t *tokenizer) flush() {
	if t.run >= 0 {
		id, ok := t.runs[string(t.buf[t.run:])]
		if !ok {
			id = asciiBase + uint32(len(t.runs))
			t.runs[string(t.buf[t.run:])] = id
		}
		t.units = append(t.units, unit{a: int32(t.run), b: int32(len(t.buf)), chain: t.chain, ascii: true, id: id})
		t.run = -1
	}
}

// brk closes the open run and starts a new chain.
func (t *tokenizer) brk() {
	t.flush()
	t.chain++
}

func (t *tokenizer) text(u unit) []byte { return t.buf[u.a:u.b] }

// appendBigram appends the key of the bigram of units u and v. Two ASCII
// runs are joined by a space ("2026 3"), so the key of a bigram never
// equals the key of a unit ("20263").
func (t *tokenizer) appendBigram(dst []byte, u, v unit) []byte {
	dst = append(dst, t.text(u)...)
	if u.ascii && v.ascii {
		dst = append(dst, ' ')
	}
	return append(dst, t.text(v)...)
}

// eachGram calls f for every unigram and every bigram of the units, in
// text order, with a number that identifies the gram (a unit's id, or
// the two ids of a bigram in the high and low halves) and the units.
func (t *tokenizer) eachGram(f func(id uint64, u, v *unit)) {
	for i := range t.units {
		u := &t.units[i]
		f(uint64(u.id), u, nil)
		if i+1 < len(t.units) && t.units[i+1].chain == u.chain {
			v := &t.units[i+1]
			f(uint64(u.id)<<32|uint64(v.id), u, v)
		}
	}
}

// queryGrams returns the grams a query must match, deduplicated in query
// order: the bigrams of each chain of two units or more, and the single
// unit of a chain of one.
func queryGrams(q string) []string {
	t := newTokenizer()
	t.add(q)
	var grams []string
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			grams = append(grams, k)
		}
	}
	for i := 0; i < len(t.units); {
		j := i + 1
		for j < len(t.units) && t.units[j].chain == t.units[i].chain {
			j++
		}
		if j == i+1 {
			add(string(t.text(t.units[i])))
		}
		for k := i; k+1 < j; k++ {
			add(string(t.appendBigram(nil, t.units[k], t.units[k+1])))
		}
		i = j
	}
	if len(grams) > maxQueryGrams {
		grams = spread(grams, maxQueryGrams)
	}
	return grams
}

// maxQueryGrams bounds the shards one query loads. A longer query (a pasted
// paragraph) is matched on an even spread of its grams.
const maxQueryGrams = 6

// spread picks n of the grams, evenly spaced, keeping the first and last.
func spread(grams []string, n int) []string {
	out := make([]string, n)
	for i := range n {
		out[i] = grams[i*(len(grams)-1)/(n-1)]
	}
	return out
}
