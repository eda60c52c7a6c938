package search

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// mapStore is a Store in memory.
type mapStore map[[32]byte][]byte

func (m mapStore) Get(k [32]byte) ([]byte, bool) { v, ok := m[k]; return v, ok }
func (m mapStore) Put(k [32]byte, v []byte)      { m[k] = bytes.Clone(v) }

// sameFiles reports the first difference between two indexes.
func sameFiles(t *testing.T, step string, got, want map[string][]byte) {
	t.Helper()
	if maps.EqualFunc(got, want, bytes.Equal) {
		return
	}
	var names []string
	for n := range want {
		if !bytes.Equal(got[n], want[n]) {
			names = append(names, n)
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n+" (extra)")
		}
	}
	sort.Strings(names)
	t.Fatalf("%s: the kept index differs from a new one in %d files, first %s:\n%.300s\nwant\n%.300s",
		step, len(names), names[0], got[names[0]], want[names[0]])
}

// A board edited step by step: each index patched from the last one is
// the index built from scratch, byte for byte, and the steps that keep
// every record in its place are patched, not rebuilt.
func TestBuildKept(t *testing.T) {
	docs := corpus(3000, 7)
	store := mapStore{}
	rng := rand.New(rand.NewPCG(3, 4))
	pick := func() *Doc { return &docs[rng.IntN(len(docs))] }
	steps := []struct {
		name    string
		patched bool
		do      func()
	}{
		{"first build", false, func() {}},
		{"nothing changed", true, func() {}},
		{"a sentence added", true, func() { pick().Text += "新增的补充说明：WiFi 覆盖小区。" }},
		{"a title changed", true, func() { pick().Title = "关于调整<物业>费用 & 标准的公示" }},
		{"a text emptied", true, func() { d := pick(); d.Text, d.Lead = "", "" }},
		{"facets and lines", true, func() {
			d := pick()
			d.Facets = append(d.Facets, "村规民约", "鼹鼠")
			d.Lines = []string{"困难群众慰问金 3000 元"}
		}},
		{"a new word only here", true, func() { pick().Text += "独一无二的词语饕餮" }},
		{"that word gone again", true, func() {
			for i := range docs {
				docs[i].Text = strings.ReplaceAll(docs[i].Text, "独一无二的词语饕餮", "")
			}
		}},
		{"three records at once", true, func() {
			for range 3 {
				d := pick()
				d.Text = "第三次修改：" + d.Text
				d.Number = "青石居〔2026〕99号"
			}
		}},
		{"a record added", false, func() {
			docs = append(docs, Doc{URL: "disclosures/new/", Title: "新增的公示", Date: "2026-11-30", Text: "新增记录的正文。"})
		}},
		{"a date moves a record", false, func() { pick().Date = "2027-01-01" }},
		{"a record removed", false, func() { docs = docs[1:] }},
		{"after the full build, patched again", true, func() { pick().Text += "再改一次。" }},
	}
	for _, st := range steps {
		st.do()
		got, patched, err := BuildKept(docs, store)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Build(docs)
		if err != nil {
			t.Fatal(err)
		}
		sameFiles(t, st.name, got, want)
		if patched != st.patched {
			t.Errorf("%s: patched %v, want %v", st.name, patched, st.patched)
		}
	}
}

// A store that lost or damaged part of the index gives a full build, and
// the same files.
func TestBuildKeptDamaged(t *testing.T) {
	docs := corpus(500, 9)
	for _, damage := range []string{"state", "shard", "doc", "garbage"} {
		t.Run(damage, func(t *testing.T) {
			store := mapStore{}
			if _, _, err := BuildKept(docs, store); err != nil {
				t.Fatal(err)
			}
			st, _ := decodeKept(store[stateKey])
			changed := &docs[0]
			switch damage {
			case "state":
				store[stateKey] = store[stateKey][:40]
			case "shard":
				delete(store, st.shards[len(st.shards)/2])
			case "doc":
				delete(store, st.docs[0])
			case "garbage":
				for _, k := range st.shards {
					store[k] = []byte(`{"x":"!!"`)
				}
			}
			changed.Text += "修改。"
			got, patched, err := BuildKept(docs, store)
			if err != nil {
				t.Fatal(err)
			}
			if patched {
				t.Errorf("a damaged store was patched")
			}
			want, _ := Build(docs)
			sameFiles(t, damage, got, want)
		})
	}
}

// Every field of a Doc survives the store, so that a field added later
// cannot be forgotten by appendDoc.
func TestDocRoundTrip(t *testing.T) {
	var d Doc
	v := reflect.ValueOf(&d).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(fmt.Sprintf("字段%d", i))
		case reflect.Slice:
			f.Set(reflect.ValueOf([]string{fmt.Sprint(i), "第二行"}))
		default:
			t.Fatalf("field %s of kind %s: teach appendDoc and this test", v.Type().Field(i).Name, f.Kind())
		}
	}
	var got Doc
	if !decodeDoc(appendDoc(nil, &d), &got) || !reflect.DeepEqual(got, d) {
		t.Errorf("round trip: %+v, want %+v", got, d)
	}
	for n := range len(appendDoc(nil, &d)) {
		if decodeDoc(appendDoc(nil, &d)[:n], &got) {
			t.Errorf("a doc cut at %d bytes was read", n)
		}
	}
}

// Whatever two texts a record has in turn, the patched index is the new
// one: keys that need escaping, ranks that move, grams that come and go.
func FuzzBuildKept(f *testing.F) {
	f.Add("预算执行<情况>", "预算 & 执行", "title")
	f.Add("WiFi\u2028覆盖", "", "\"引号\"\\")
	f.Add("村规民约", "居民公约", "村规民约")
	f.Fuzz(func(t *testing.T, before, after, title string) {
		docs := corpus(40, 1)
		docs[5].Text, docs[6].Title = before, title
		store := mapStore{}
		if _, _, err := BuildKept(docs, store); err != nil {
			t.Fatal(err)
		}
		docs[5].Text, docs[6].Title = after, before
		got, _, err := BuildKept(docs, store)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := Build(docs)
		sameFiles(t, "fuzz", got, want)
	})
}

func BenchmarkBuildKept(b *testing.B) {
	docs := corpus(10000, 1)
	store := mapStore{}
	if _, _, err := BuildKept(docs, store); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		docs[i%len(docs)].Text += "补充。"
		if _, patched, err := BuildKept(docs, store); err != nil || !patched {
			b.Fatal(err, patched)
		}
	}
}
