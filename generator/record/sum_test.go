package record_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"gongkai/generator/ledger"
	"gongkai/generator/record"
)

// The record keeps its file's text once; the body is part of it, and its
// hash is the one the ledger registers.
func TestTextAndSum(t *testing.T) {
	text := "+++\ntitle = \"关于2026年春季道路维修的公示\"\ndate = 2026-03-02\ncategory = \"村务公开\"\n+++\n\n维修东村道路。\n"
	src := record.Source{File: "disclosures/road.md", ID: "disclosures/road", Section: "disclosures", Slug: "road", Text: text}
	r, ds := record.Decode(fuzzSite(t), fstest.MapFS{}, src)
	if r == nil || ds.HasErrors() {
		t.Fatalf("decode: %v", ds)
	}
	if r.Text != text {
		t.Errorf("Text = %q, want the file", r.Text)
	}
	if !strings.HasSuffix(r.Text, r.Body) || r.Body == "" {
		t.Errorf("Body %q is not the end of Text", r.Body)
	}
	const want = "cb5c1ea72d4fca91e0dba73c100fe5f1bb67cd443dc30e7033711a572db36022" // sha256sum of the file
	if got := r.Sum(); got != want || r.TextSum != want {
		t.Errorf("Sum = %s (kept %q), want %s", got, r.TextSum, want)
	}
	if got := (&record.Record{Text: text}).Sum(); got != want {
		t.Errorf("Sum of a record made by hand = %s, want %s", got, want)
	}
	if got := ledger.Sum([]byte(text)); got != r.Sum() {
		t.Errorf("ledger.Sum = %s, record Sum = %s", got, r.Sum())
	}
}

// The files a record publishes are hashed as they are read: attachments,
// tables and the workbook of its accounts, by their names in the bundle.
func TestFiles(t *testing.T) {
	csv := []byte("序号,金额\n1,2.00\n")
	pdf := []byte("%PDF-1.4 验收意见")
	fsys := fstest.MapFS{
		"disclosures/x/明细.csv":      {Data: csv},
		"disclosures/x/附件/验收意见.pdf": {Data: pdf},
	}
	text := "+++\ntitle = \"验收\"\ndate = 2026-03-02\ncategory = \"村务公开\"\nattachments = [\"附件/验收意见.pdf\"]\n[[tables]]\ntitle = \"明细\"\nfile = \"明细.csv\"\n+++\n\n验收。\n"
	src := record.Source{File: "disclosures/x/index.md", ID: "disclosures/x", Section: "disclosures", Slug: "x", Bundle: true, Text: text}
	r, ds := record.Decode(fuzzSite(t), fsys, src)
	if r == nil || ds.HasErrors() {
		t.Fatalf("decode: %v", ds)
	}
	want := map[string]string{"明细.csv": ledger.Sum(csv), "附件/验收意见.pdf": ledger.Sum(pdf)}
	if !ledger.SameFiles(r.Files, want) {
		t.Errorf("Files = %v, want %v", r.Files, want)
	}
	plain := record.Source{File: "disclosures/road.md", ID: "disclosures/road", Section: "disclosures", Slug: "road",
		Text: "+++\ntitle = \"路\"\ndate = 2026-03-02\ncategory = \"村务公开\"\n+++\n\n路。\n"}
	if r, _ := record.Decode(fuzzSite(t), fsys, plain); r == nil || r.Files != nil {
		t.Errorf("a record without files has Files %v", r.Files)
	}
}

// BenchmarkDecodeAttachment decodes a bundle with an 8 MB attachment:
// the cost of reading and hashing it for the ledger.
func BenchmarkDecodeAttachment(b *testing.B) {
	att := make([]byte, 8<<20)
	fsys := fstest.MapFS{"disclosures/x/图纸.pdf": {Data: att}}
	text := "+++\ntitle = \"图纸\"\ndate = 2026-03-02\ncategory = \"村务公开\"\nattachments = [\"图纸.pdf\"]\n+++\n\n图纸。\n"
	src := record.Source{File: "disclosures/x/index.md", ID: "disclosures/x", Section: "disclosures", Slug: "x", Bundle: true, Text: text}
	site := fuzzSite(b)
	b.SetBytes(int64(len(att)))
	for b.Loop() {
		if r, ds := record.Decode(site, fsys, src); r == nil || ds.HasErrors() {
			b.Fatal(ds)
		}
	}
}
