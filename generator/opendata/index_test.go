package opendata

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
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

// benchIndex returns an index of n records as a board has them.
func benchIndex(n int) Index {
	idx := Index{Site: Site{Title: "青石社区居务公开栏", URL: "https://example.org/", Timezone: "Asia/Shanghai"}}
	for i := range n {
		idx.Records = append(idx.Records, Record{
			ID: fmt.Sprintf("disclosures/d%05d", i), Section: "disclosures", URL: fmt.Sprintf("https://example.org/disclosures/d%05d/", i),
			Title: "2026年第3期居务公开", Date: "2026-03-18", Category: "居务公开", Period: "2026-Q3", Version: 1, SHA256: fmt.Sprintf("%064x", i),
			Issuer: "青石社区居民委员会", Summary: "文化监督培训业主围墙、预算改造监督居民。居民社区文化业主。居民照明表决调解，照明安置物业公示监督。",
			Tags: []string{"财务", "季度公开"}, Notice: &Notice{From: "2026-03-18", To: "2026-03-25"}, Data: fmt.Sprintf("https://example.org/data/disclosures/d%05d.json", i),
		})
	}
	return idx
}

func BenchmarkIndexJSON(b *testing.B) {
	idx := benchIndex(10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := indexJSON(idx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIndexJSONRef(b *testing.B) {
	idx := benchIndex(10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := indexJSONRef(idx); err != nil {
			b.Fatal(err)
		}
	}
}

// encodeRef is a record as encoding/json writes it in records.json.
func encodeRef(t testing.TB, r *Record) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// fill sets every field of v, and of the structs it points to, to a value
// made from s: a field added to Record that appendRecord does not write
// makes TestAppendRecord fail.
func fill(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Int:
		v.SetInt(int64(len(s)) + 7)
	case reflect.Slice:
		sl := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(sl.Index(i), s+strconv.Itoa(i))
		}
		v.Set(sl)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), s)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), s+v.Type().Field(i).Name)
		}
	default:
		panic("fill: a field of kind " + v.Kind().String() + ": teach fill and appendRecord about it")
	}
}

func TestAppendRecord(t *testing.T) {
	var full Record
	fill(reflect.ValueOf(&full).Elem(), "值<&>\"\\\u2028\n")
	for _, r := range []Record{{}, full, {ID: "a", Tags: []string{}, Files: []string{""}, Notice: &Notice{}}} {
		if got, want := string(appendRecord(nil, &r)), encodeRef(t, &r); got != want {
			t.Errorf("appendRecord\n got %s\nwant %s", got, want)
		}
	}
}

func FuzzAppendRecord(f *testing.F) {
	for _, s := range []string{"", "关于", "a\"b\\c", "<&>", "\u2028\u2029", "\x00\x1f\x7f", "\xff\xfe", "\t\r\n\b\f", "\xe2\x80"} {
		f.Add(s, s+"x", 3)
	}
	f.Fuzz(func(t *testing.T, a, b string, n int) {
		r := Record{ID: a, Section: b, URL: a + b, Title: b, Number: a, Date: b, Category: a, Kind: b, Meeting: a, Period: b,
			Version: n, SHA256: a, Issuer: b, Summary: a, Tags: []string{a, b}, Data: b, Files: []string{b}}
		if n%2 == 0 {
			r.Notice = &Notice{From: a, To: b}
			r.Tags = nil
		}
		if got, want := string(appendRecord(nil, &r)), encodeRef(t, &r); got != want {
			t.Fatalf("appendRecord\n got %s\nwant %s", got, want)
		}
	})
}
