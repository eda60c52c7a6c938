package opendata

import (
	"bytes"
	"fmt"
	"testing"
)

// indexJSONRef is the first indexJSON, a buffer and an encoder for each
// record: the reference of TestIndexJSON.
func indexJSONRef(idx Index) ([]byte, error) {
	site, err := marshal(idx.Site)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"site":`)
	b.Write(bytes.TrimSpace(site))
	b.WriteString(",\n\"records\":[")
	for i, rec := range idx.Records {
		if i > 0 {
			b.WriteByte(',')
		}
		line, err := marshal(rec)
		if err != nil {
			return nil, err
		}
		b.WriteByte('\n')
		b.Write(bytes.TrimSpace(line))
	}
	b.WriteString("\n]}\n")
	return b.Bytes(), nil
}

// testIndex returns an index of n records whose texts hold what JSON
// escapes or keeps: quotes, HTML, line separators, blanks at both ends.
func testIndex(n int) Index {
	idx := Index{Site: Site{Title: " 青石社区<居务>公开栏 ", URL: "https://example.org/", Timezone: "Asia/Shanghai"}}
	odd := []string{"", " ", "\n", "a\"b\\c", "<script>&amp;</script>", "\u2028\u2029", "\t前后有空白 ", "\xff", "第一条\r\n"}
	for i := range n {
		r := Record{
			ID: fmt.Sprintf("decisions/%04d", i), Section: "decisions", URL: fmt.Sprintf("https://example.org/decisions/%04d/", i),
			Title: "关于" + odd[i%len(odd)] + "的决定", Date: "2026-03-18", Version: i % 3, SHA256: fmt.Sprintf("%064x", i),
			Summary: odd[(i+3)%len(odd)], Data: "https://example.org/data/x.json",
		}
		if i%4 == 0 {
			r.Tags = []string{odd[i%len(odd)], "财务"}
			r.Notice = &Notice{From: "2026-03-18", To: "2026-03-25"}
			r.Files = []string{"https://example.org/data/x.csv"}
		}
		idx.Records = append(idx.Records, r)
	}
	return idx
}

func TestIndexJSON(t *testing.T) {
	for _, n := range []int{0, 1, 2, 9, 300} {
		idx := testIndex(n)
		got, err := indexJSON(idx)
		if err != nil {
			t.Fatal(err)
		}
		want, err := indexJSONRef(idx)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%d records: records.json differs from the reference\n got %.300q\nwant %.300q", n, got, want)
		}
	}
}

func BenchmarkIndexJSON(b *testing.B) {
	idx := testIndex(10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := indexJSON(idx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIndexJSONRef(b *testing.B) {
	idx := testIndex(10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := indexJSONRef(idx); err != nil {
			b.Fatal(err)
		}
	}
}
