package opendata_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"gongkai/generator/internal/testsite"
	"gongkai/generator/money"
	"gongkai/generator/opendata"
	"gongkai/generator/record"
	"gongkai/generator/search"
)

func unlisted(r *record.Record) bool { return r.Personal || r.ID == testsite.ExpiredID }

func TestRecordsJSON(t *testing.T) {
	out, board := testsite.Build(t)
	b, ok := out.Get("data/records.json")
	if !ok {
		t.Fatal("data/records.json not written")
	}
	var idx opendata.Index
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatalf("records.json does not parse: %v", err)
	}
	want := 0
	for _, r := range board.Records {
		if !unlisted(r) {
			want++
		}
	}
	if len(idx.Records) != want {
		t.Errorf("records.json lists %d records, want %d", len(idx.Records), want)
	}
	for i, rec := range idx.Records {
		if i > 0 && idx.Records[i-1].ID >= rec.ID {
			t.Errorf("records not sorted by id: %s before %s", idx.Records[i-1].ID, rec.ID)
		}
		if !strings.HasPrefix(rec.URL, board.Site.BaseURL) || !strings.HasPrefix(rec.Data, board.Site.BaseURL) {
			t.Errorf("%s: url %q or data %q not absolute", rec.ID, rec.URL, rec.Data)
		}
		if len(rec.SHA256) != 64 || rec.Version < 1 {
			t.Errorf("%s: version %d sha256 %q", rec.ID, rec.Version, rec.SHA256)
		}
		// The record's own file round-trips and repeats the index entry.
		raw, ok := out.Get("data/" + rec.ID + ".json")
		if !ok {
			t.Errorf("%s: no data file", rec.ID)
			continue
		}
		var d opendata.Detail
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Errorf("%s: %v", rec.ID, err)
			continue
		}
		if !reflect.DeepEqual(d.Record, rec) {
			t.Errorf("%s: file head differs from records.json:\n%+v\n%+v", rec.ID, d.Record, rec)
		}
		again, _ := json.Marshal(d)
		var d2 opendata.Detail
		if err := json.Unmarshal(again, &d2); err != nil || !reflect.DeepEqual(d, d2) {
			t.Errorf("%s: does not round-trip", rec.ID)
		}
	}
}

func TestMinutesPopolo(t *testing.T) {
	out, board := testsite.Build(t)
	raw, _ := out.Get("data/minutes/2026-03-18-daibiao.json")
	var d opendata.Detail
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	m := board.Get("minutes/2026-03-18-daibiao").Minutes
	if d.Event == nil || d.Event.Organization == nil || d.Event.Organization.Name != m.Meeting {
		t.Fatalf("event/organization: %+v", d.Event)
	}
	if d.Attendance == nil || d.Attendance.Expected != m.Expected || d.Attendance.Present != m.Present {
		t.Errorf("attendance %+v, want %d/%d", d.Attendance, m.Expected, m.Present)
	}
	if len(d.Motions) != len(m.Resolutions) {
		t.Fatalf("%d motions, want %d", len(d.Motions), len(m.Resolutions))
	}
	for i, res := range m.Resolutions {
		got := d.Motions[i].VoteEvent.Counts
		want := []opendata.Count{{Option: "yes", Value: res.For}, {Option: "no", Value: res.Against}, {Option: "abstain", Value: res.Abstain}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("motion %d counts %+v, want %+v", i+1, got, want)
		}
		if (d.Motions[i].Result == "pass") != res.Passed || d.Motions[i].VoteEvent.Result != d.Motions[i].Result {
			t.Errorf("motion %d result %q / %q, passed %v", i+1, d.Motions[i].Result, d.Motions[i].VoteEvent.Result, res.Passed)
		}
	}
	// The decision the meeting voted on links the same motion at its 决议 step.
	raw, _ = out.Get("data/decisions/2026-03-guiyuan-gaizao.json")
	var dec opendata.Detail
	if err := json.Unmarshal(raw, &dec); err != nil || dec.Decision == nil {
		t.Fatalf("decision: %v", err)
	}
	found := false
	for _, s := range dec.Decision.Steps {
		for _, mo := range s.Motions {
			found = found || (s.Minutes == "minutes/2026-03-18-daibiao" && mo.Decision == dec.ID)
		}
	}
	if !found {
		t.Errorf("no step of %s links the motion of minutes/2026-03-18-daibiao: %+v", dec.ID, dec.Decision.Steps)
	}
}

func TestCSV(t *testing.T) {
	out, board := testsite.Build(t)
	n := 0
	for _, name := range out.Names() {
		if !strings.HasPrefix(name, "data/") || !strings.HasSuffix(name, ".csv") {
			continue
		}
		n++
		b, _ := out.Get(name)
		if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
			t.Errorf("%s does not start with a UTF-8 BOM", name)
		}
		rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if strings.HasSuffix(name, "-finance.csv") {
			id := strings.TrimSuffix(strings.TrimPrefix(name, "data/"), "-finance.csv")
			f := board.Get(id).Disclosure.Finance
			if !reflect.DeepEqual(rows[0], []string{"类型", "日期", "事项", "金额", "凭证号"}) {
				t.Errorf("%s header %q", name, rows[0])
			}
			if got := len(rows) - 1 - 4; got != len(f.Income)+len(f.Expense) {
				t.Errorf("%s: %d lines, want %d", name, got, len(f.Income)+len(f.Expense))
			}
			// The lines add up to the totals rows, and the account balances.
			var in, ex money.Amount
			for _, r := range rows[1 : len(rows)-4] {
				a, err := money.Parse(r[3])
				if err != nil {
					t.Fatalf("%s: amount %q: %v", name, r[3], err)
				}
				if r[0] == "收入" {
					in += a
				} else {
					ex += a
				}
			}
			tail := rows[len(rows)-4:]
			if tail[1][3] != in.String() || tail[2][3] != ex.String() || tail[3][3] != f.Closing.String() {
				t.Errorf("%s totals %q, computed %s / %s", name, tail, in, ex)
			}
		}
	}
	if n < 2 {
		t.Errorf("%d CSV files, want the finance accounts and the table", n)
	}
	if _, ok := out.Get("data/disclosures/guiyuan-gaizao-1.csv"); !ok {
		t.Error("table CSV data/disclosures/guiyuan-gaizao-1.csv not written")
	}
}

// TestUnlisted checks every feed, data file, search index file and the
// sitemap for the personal and expired records.
func TestUnlisted(t *testing.T) {
	out, board := testsite.Build(t)
	var bad []string
	for _, r := range board.Records {
		if unlisted(r) {
			bad = append(bad, r.ID, r.Title)
			if r.Number != "" {
				bad = append(bad, r.Number)
			}
		}
	}
	if len(bad) < 6 {
		t.Fatalf("the demo board lost its personal records: %q", bad)
	}
	checked := 0
	for _, name := range out.Names() {
		if !(strings.HasPrefix(name, "data/") || strings.HasPrefix(name, "search/") ||
			strings.HasSuffix(name, "feed.xml") || name == "sitemap.xml") {
			continue
		}
		checked++
		b, _ := out.Get(name)
		for _, s := range bad {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s names the unlisted record %q", name, s)
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d files checked", checked)
	}
	// The index does not find them either.
	files := map[string][]byte{}
	for _, name := range out.Names() {
		if strings.HasPrefix(name, search.Dir) {
			files[name], _ = out.Get(name)
		}
	}
	for _, q := range []string{"临时救助", "低保", "已到期撤下"} {
		for _, u := range search.Query(files, q) {
			if r := board.Get(strings.TrimSuffix(u, "/")); r == nil || unlisted(r) {
				t.Errorf("search %q finds %s", q, u)
			}
		}
	}
}

func TestDataPage(t *testing.T) {
	out, _ := testsite.Build(t)
	b, ok := out.Get("data/index.html")
	if !ok {
		t.Fatal("data/index.html not written")
	}
	for _, want := range []string{`href="../data/records.json"`, `href="../data/disclosures/guiyuan-gaizao-1.csv"`, `href="../feed.xml"`, "<h1>开放数据</h1>"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("data page lacks %s", want)
		}
	}
}

func ExampleCSV() {
	b := opendata.CSV([][]string{{"事项", "金额"}, {"绿化, 补种", "1200.00"}})
	fmt.Printf("%q\n", b)
	// Output: "\ufeff事项,金额\r\n\"绿化, 补种\",1200.00\r\n"
}
