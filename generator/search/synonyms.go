package search

import (
	"encoding/json"
	"slices"
	"strings"
)

// synonyms are the words a community uses for the same thing. Each row is
// a group: a record that holds one word of a group is found by every
// other word of the group, in the same rank (a 居民公约 kind is found by
// 村规民约 as a kind). README.md shows the same table; keep them alike.
var synonyms = [][]string{
	{"村规民约", "居民公约"},
	{"居务", "村务"},
	{"会议记录", "会议纪要"},
	{"居委会", "居民委员会"},
	{"村委会", "村民委员会"},
	{"监委会", "监督委员会"},
	{"低保", "最低生活保障"},
	{"旧改", "老旧小区改造"},
	{"居民代表会议", "居民代表大会"},
	{"村民代表会议", "村民代表大会"},
}

// broader lists words whose records are also found by a wider word, but
// not the other way round: every decision of the four kinds is a 三重一大
// matter, while "大额资金使用" must not find every 三重一大 decision.
var broader = [][2]string{
	{"重大事项决策", "三重一大"},
	{"重要干部任免", "三重一大"},
	{"重大项目安排", "三重一大"},
	{"大额资金使用", "三重一大"},
}

// A rewrite adds to a record that holds from, what it would hold with to in
// its place.
type rewrite struct{ from, to string }

// rewrites returns the synonym table as one-way rewrites, in table order.
func rewrites() []rewrite {
	var out []rewrite
	for _, g := range synonyms {
		for _, a := range g {
			for _, b := range g {
				if a != b {
					out = append(out, rewrite{a, b})
				}
			}
		}
	}
	for _, p := range broader {
		out = append(out, rewrite{p[0], p[1]})
	}
	return out
}

// rewritesJSON is the table as search.js reads it, [[from, to], …], so the
// page can mark the word a result holds when the query named a synonym.
func rewritesJSON() []byte {
	var pairs [][2]string
	for _, r := range rewrites() {
		pairs = append(pairs, [2]string{r.from, r.to})
	}
	b, _ := json.Marshal(pairs) // strings only: cannot fail
	return b
}

// rewriter finds the words of rewrites in a tokenizer's units.
type rewriter struct {
	first map[uint32][]int // first character of a from → its rewrites
	// starts has bit c set when a from starts with character c: most
	// units are ruled out without a look in first.
	starts [1 << 16 / 64]uint64
	from   [][]uint32 // the characters of each from
	to     []string
}

// newRewriter prepares rws. Their words are Chinese characters only, so
// each character is one unit whose id is its code point.
func newRewriter(rws []rewrite) *rewriter {
	rw := &rewriter{first: map[uint32][]int{}}
	for i, r := range rws {
		var cs []uint32
		for _, c := range r.from {
			cs = append(cs, uint32(c))
		}
		rw.first[cs[0]] = append(rw.first[cs[0]], i)
		if c := cs[0]; c < 1<<16 {
			rw.starts[c/64] |= 1 << (c % 64)
		}
		rw.from = append(rw.from, cs)
		rw.to = append(rw.to, r.to)
	}
	return rw
}

// expand appends to dst, once each, the texts that replacing a word of
// the table by its synonym in t's units would add: the synonym with the
// units next to the word in its chain, joined by a transparent "·", which
// make all the bigrams the replaced text has and the original lacks.
func (rw *rewriter) expand(t *tokenizer, dst []string) []string {
	start := len(dst)
	us := t.units
	for i := range us {
		if id := us[i].id; id < 1<<16 && rw.starts[id/64]&(1<<(id%64)) == 0 {
			continue
		}
		for _, k := range rw.first[us[i].id] {
			f := rw.from[k]
			j := i + 1
			for j-i < len(f) && j < len(us) && us[j].chain == us[i].chain && us[j].id == f[j-i] {
				j++
			}
			if j-i < len(f) {
				continue
			}
			var b strings.Builder
			if i > 0 && us[i-1].chain == us[i].chain {
				b.Write(t.text(us[i-1]))
				b.WriteString("·")
			}
			b.WriteString(rw.to[k])
			if j < len(us) && us[j].chain == us[i].chain {
				b.WriteString("·")
				b.Write(t.text(us[j]))
			}
			if s := b.String(); !slices.Contains(dst[start:], s) {
				dst = append(dst, s)
			}
		}
	}
	return dst
}
