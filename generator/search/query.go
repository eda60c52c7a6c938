package search

import (
	"encoding/json"
	"slices"
)

// Query runs q against the files made by Build, as search.js does in the
// browser, and returns the URLs of all matching records in rank order:
// records holding the query in their title or number first, then those
// filed under it (section, category, tags, period), then the rest, each
// group newest first. It returns nil when nothing matches or the files are
// not an index.
func Query(files map[string][]byte, q string) []string {
	hits, _ := query(files, q)
	urls := make([]string, 0, len(hits))
	for _, h := range hits {
		urls = append(urls, h.url)
	}
	if len(urls) == 0 {
		return nil
	}
	return urls
}

// hit is a matching record and the rank of its match.
type hit struct {
	id, rank uint32
	url      string
}

// query also returns the paths of the shards it read.
func query(files map[string][]byte, q string) (hits []hit, read []string) {
	var m manifest
	if json.Unmarshal(files[ManifestPath], &m) != nil || m.Shards < 1 || m.Chars < 1 || m.Chunk < 1 {
		return nil, nil
	}
	grams := queryGrams(q)
	if len(grams) == 0 {
		return nil, nil
	}
	shards := map[string]map[string]string{}
	var found []uint32 // id<<2|rank
	for i, g := range grams {
		p := m.gramPath(g)
		sh, ok := shards[p]
		if !ok {
			read = append(read, p)
			if json.Unmarshal(files[p], &sh) != nil {
				return nil, read
			}
			shards[p] = sh
		}
		e, _ := decodePostings(sh[g])
		if i == 0 {
			found = e
		} else {
			found = intersect(found, e)
		}
	}
	slices.SortStableFunc(found, func(a, b uint32) int {
		if c := int(a&3) - int(b&3); c != 0 { // ranks < 4: two bits
			return c
		}
		return int(a>>2) - int(b>>2)
	})
	chunks := map[int][]row{}
	for _, e := range found {
		id := e >> 2
		c := int(id) / m.Chunk
		rows, ok := chunks[c]
		if !ok {
			if json.Unmarshal(files[chunkPath(c)], &rows) != nil {
				return nil, read
			}
			chunks[c] = rows
		}
		if k := int(id) % m.Chunk; k < len(rows) {
			hits = append(hits, hit{id: id, rank: e & 3, url: rows[k][0]})
		}
	}
	return hits, read
}

// intersect returns the entries of ids in both ascending lists, each with
// the worse of its two ranks.
func intersect(a, b []uint32) []uint32 {
	var out []uint32
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i]>>2 < b[j]>>2:
			i++
		case a[i]>>2 > b[j]>>2:
			j++
		default:
			out = append(out, max(a[i], b[j]))
			i++
			j++
		}
	}
	return out
}
