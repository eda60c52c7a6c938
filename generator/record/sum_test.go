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
	if got := r.Sum(); got != want {
		t.Errorf("Sum = %s, want %s", got, want)
	}
	if got := ledger.Sum([]byte(text)); got != r.Sum() {
		t.Errorf("ledger.Sum = %s, record Sum = %s", got, r.Sum())
	}
}
