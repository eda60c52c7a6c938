package search

import (
	"encoding/json"
	"slices"
)

// Query runs q against the files made by Build, as search.js does in the
// browser, and returns the URLs of all matching records in rank order:
// records whose title or number holds the whole query first, then the
// rest, each group newest first. It returns nil when nothing matches or
// the files are not an index.
func Query(files map[string][]byte, q string) []string {
	urls, _ := query(files, q)
	return urls
}

// query also returns the paths of the shards it read.
func query(files map[string][]byte, q string) (urls, read []string) {
	var m manifest
	if json.Unmarshal(files[ManifestPath], &m) != nil || m.Shards < 1 || m.Chunk < 1 {
		return nil, nil
	}
	grams := queryGrams(q)
	if len(grams) == 0 {
		return nil, nil
	}
	shards := map[string][2]map[string][]uint32{}
	var all, title []uint32
	for i, g := range grams {
		p := shardPath(shardOf(g, m.Shards), m.Shards)
		sh, ok := shards[p]
		if !ok {
			read = append(read, p)
			var raw [2]map[string][]uint32
			if json.Unmarshal(files[p], &raw) != nil {
				return nil, read
			}
			sh = raw
			shards[p] = sh
		}
		a, t := undelta(sh[0][g]), undelta(sh[1][g])
		if i == 0 {
			all, title = a, t
		} else {
			all, title = intersect(all, a), intersect(title, t)
		}
	}
	ranked := append(slices.Clone(title), difference(all, title)...)
	chunks := map[int][][6]string{}
	for _, id := range ranked {
		c := int(id) / m.Chunk
		rows, ok := chunks[c]
		if !ok {
			if json.Unmarshal(files[chunkPath(c)], &rows) != nil {
				return nil, read
			}
			chunks[c] = rows
		}
		if k := int(id) % m.Chunk; k < len(rows) {
			urls = append(urls, rows[k][0])
		}
	}
	return urls, read
}

func undelta(d []uint32) []uint32 {
	out := make([]uint32, len(d))
	var id uint32
	for i, v := range d {
		id += v
		out[i] = id
	}
	return out
}

// intersect returns the ids in both ascending lists.
func intersect(a, b []uint32) []uint32 {
	var out []uint32
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// difference returns the ids of a not in b (both ascending).
func difference(a, b []uint32) []uint32 {
	var out []uint32
	j := 0
	for _, id := range a {
		for j < len(b) && b[j] < id {
			j++
		}
		if j == len(b) || b[j] != id {
			out = append(out, id)
		}
	}
	return out
}
