package calendar

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"gongkai/generator/diag"
)

func day(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, shanghai())
	if err != nil {
		panic(err)
	}
	return t
}

func shanghai() *time.Location { return time.FixedZone("CST", 8*3600) }

func period(s string) *Period {
	p, ok := ParsePeriod(s)
	if !ok {
		panic(s)
	}
	return &p
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in   string
		want Period
		ok   bool
		out  string
	}{
		{"2026", Period{2026, Year, 1}, true, "2026"},
		{"2026-Q3", Period{2026, Quarter, 3}, true, "2026-Q3"},
		{"2026-q1", Period{2026, Quarter, 1}, true, "2026-Q1"},
		{"2026-10", Period{2026, Month, 10}, true, "2026-10"},
		{"2026-01", Period{2026, Month, 1}, true, "2026-01"},
		{"2026-1", Period{2026, Month, 1}, true, "2026-01"},
		{"2026-H1", Period{2026, Half, 1}, true, "2026-H1"},
		{"2026-h2", Period{2026, Half, 2}, true, "2026-H2"},
		{"2026-Q5", Period{}, false, ""},
		{"2026-Q0", Period{}, false, ""},
		{"2026-Q12", Period{}, false, ""},
		{"2026-H3", Period{}, false, ""},
		{"2026-13", Period{}, false, ""},
		{"2026-00", Period{}, false, ""},
		{"2026-001", Period{}, false, ""},
		{"2026-", Period{}, false, ""},
		{"2026-Q", Period{}, false, ""},
		{"2026Q3", Period{}, false, ""},
		{"26-Q3", Period{}, false, ""},
		{"0999", Period{}, false, ""},
		{"20260", Period{}, false, ""},
		{"2026-10-01", Period{}, false, ""},
		{" 2026", Period{}, false, ""},
		{"二〇二六", Period{}, false, ""},
		{"", Period{}, false, ""},
	}
	for _, tc := range tests {
		got, ok := ParsePeriod(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			continue
		}
		if ok && got.String() != tc.out {
			t.Errorf("ParsePeriod(%q).String() = %q, want %q", tc.in, got.String(), tc.out)
		}
	}
}

func TestParseEvery(t *testing.T) {
	for in, want := range map[string]Unit{"month": Month, "quarter": Quarter, "half": Half, "year": Year} {
		if u, ok := ParseEvery(in); !ok || u != want {
			t.Errorf("ParseEvery(%q) = %v, %v", in, u, ok)
		}
	}
	for _, in := range []string{"", "Month", "weekly", "季度"} {
		if _, ok := ParseEvery(in); ok {
			t.Errorf("ParseEvery(%q) accepted", in)
		}
	}
}

func TestStartEndContains(t *testing.T) {
	loc := shanghai()
	tests := []struct {
		p          string
		start, end string
	}{
		{"2026", "2026-01-01", "2026-12-31"},
		{"2026-H1", "2026-01-01", "2026-06-30"},
		{"2026-H2", "2026-07-01", "2026-12-31"},
		{"2026-Q1", "2026-01-01", "2026-03-31"},
		{"2026-Q4", "2026-10-01", "2026-12-31"},
		{"2026-02", "2026-02-01", "2026-02-28"},
		{"2024-02", "2024-02-01", "2024-02-29"},
		{"2026-12", "2026-12-01", "2026-12-31"},
	}
	for _, tc := range tests {
		p := *period(tc.p)
		if got := p.Start(loc); !got.Equal(day(tc.start)) {
			t.Errorf("%s.Start = %v, want %s", p, got, tc.start)
		}
		if got := p.End(loc); !got.Equal(day(tc.end)) {
			t.Errorf("%s.End = %v, want %s", p, got, tc.end)
		}
		if !p.Contains(day(tc.start)) || !p.Contains(day(tc.end)) || !p.Contains(day(tc.end).Add(23*time.Hour)) {
			t.Errorf("%s does not contain its first and last day", p)
		}
		if p.Contains(day(tc.start).AddDate(0, 0, -1)) || p.Contains(day(tc.end).AddDate(0, 0, 1)) {
			t.Errorf("%s contains a day outside it", p)
		}
	}
	if got := (*period("2026-Q3")).End(nil); got.Location() != time.UTC {
		t.Errorf("End(nil) location = %v", got.Location())
	}
}

func TestNextAndOverlaps(t *testing.T) {
	next := map[string]string{"2026-12": "2027-01", "2026-Q4": "2027-Q1", "2026-Q2": "2026-Q3", "2026-H2": "2027-H1", "2026": "2027"}
	for in, want := range next {
		if got := period(in).Next().String(); got != want {
			t.Errorf("%s.Next() = %s, want %s", in, got, want)
		}
	}
	overlap := []struct {
		a, b string
		want bool
	}{
		{"2026-07", "2026-Q3", true},
		{"2026-Q3", "2026-09", true},
		{"2026-Q3", "2026-10", false},
		{"2026-Q2", "2026-H1", true},
		{"2026-Q3", "2026-H1", false},
		{"2026", "2026-11", true},
		{"2025", "2026-01", false},
		{"2026-Q3", "2026-Q3", true},
	}
	for _, tc := range overlap {
		if got := period(tc.a).Overlaps(*period(tc.b)); got != tc.want {
			t.Errorf("%s.Overlaps(%s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// states renders statuses compactly for comparison.
func states(st []Status) []string {
	var out []string
	for _, s := range st {
		e := fmt.Sprintf("%s %s %s due %s", s.Category, s.Period, s.State.Label(diag.Zh), s.Due.Format(time.DateOnly))
		if s.Record != "" {
			e += " " + s.Record + "@" + s.PublishedOn.Format(time.DateOnly)
		}
		out = append(out, e)
	}
	return out
}

func TestEvaluateScenario(t *testing.T) {
	pos := diag.Position{File: "site.toml", Line: 30, Col: 1}
	scheds := []Schedule{{Category: "财务公开", Every: Quarter, DueDays: 20, Since: *period("2026-01"), Pos: pos}}
	pubs := []Publication{
		{Category: "财务公开", Record: "disclosures/2026-q2-finance", Period: period("2026-Q2"), Date: day("2026-07-08")},
		{Category: "居务公开", Record: "disclosures/other", Date: day("2026-02-01")},
	}
	st := Evaluate(scheds, pubs, day("2026-11-27"))
	want := []string{
		"财务公开 2026-Q1 未公开 due 2026-04-20",
		"财务公开 2026-Q2 按时 due 2026-07-20 disclosures/2026-q2-finance@2026-07-08",
		"财务公开 2026-Q3 未公开 due 2026-10-20",
		"财务公开 2026-Q4 未到期 due 2027-01-20",
	}
	if got := states(st); !reflect.DeepEqual(got, want) {
		t.Errorf("Evaluate =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var got []string
	for _, d := range Diagnostics(st) {
		got = append(got, d.Format(diag.Zh), d.Format(diag.En))
	}
	wantD := []string{
		"site.toml:30:1: 警告：财务公开 2026-Q1 未公开：应于 2026-04-20 前公开\n    提示：请补发类别为“财务公开”、period = \"2026-Q1\" 的公开记录",
		"site.toml:30:1: warning: 财务公开 2026-Q1 not disclosed: due by 2026-04-20\n    hint: publish a disclosure with category = \"财务公开\" and period = \"2026-Q1\"",
		"site.toml:30:1: 警告：财务公开 2026-Q3 未公开：应于 2026-10-20 前公开\n    提示：请补发类别为“财务公开”、period = \"2026-Q3\" 的公开记录",
		"site.toml:30:1: warning: 财务公开 2026-Q3 not disclosed: due by 2026-10-20\n    hint: publish a disclosure with category = \"财务公开\" and period = \"2026-Q3\"",
	}
	if !reflect.DeepEqual(got, wantD) {
		t.Errorf("Diagnostics =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantD, "\n"))
	}
}

func TestEvaluateBoundaries(t *testing.T) {
	q := []Schedule{{Category: "财务公开", Every: Quarter, DueDays: 20, Since: *period("2026-Q3")}}
	pub := func(date string) []Publication {
		return []Publication{{Category: "财务公开", Record: "disclosures/x", Date: day(date)}}
	}
	tests := []struct {
		name  string
		sch   []Schedule
		pubs  []Publication
		today string
		want  []string
	}{
		{"last day of period, nothing yet", q, nil, "2026-09-30",
			[]string{"财务公开 2026-Q3 未到期 due 2026-10-20"}},
		{"day after period ends: next period begins, Q3 still pending", q, nil, "2026-10-01",
			[]string{"财务公开 2026-Q3 未到期 due 2026-10-20", "财务公开 2026-Q4 未到期 due 2027-01-20"}},
		{"on the due day, still pending", q, nil, "2026-10-20",
			[]string{"财务公开 2026-Q3 未到期 due 2026-10-20", "财务公开 2026-Q4 未到期 due 2027-01-20"}},
		{"the day after the due day, missing", q, nil, "2026-10-21",
			[]string{"财务公开 2026-Q3 未公开 due 2026-10-20", "财务公开 2026-Q4 未到期 due 2027-01-20"}},
		{"published on the due day by date: the date's quarter is Q4", q, pub("2026-10-20"), "2026-10-21",
			[]string{"财务公开 2026-Q3 未公开 due 2026-10-20", "财务公开 2026-Q4 按时 due 2027-01-20 disclosures/x@2026-10-20"}},
		{"published on the last day of the period by date", q, pub("2026-09-30"), "2026-12-01",
			[]string{"财务公开 2026-Q3 按时 due 2026-10-20 disclosures/x@2026-09-30", "财务公开 2026-Q4 未到期 due 2027-01-20"}},
		{"period field on the due day: on time", q,
			[]Publication{{Category: "财务公开", Record: "disclosures/x", Period: period("2026-Q3"), Date: day("2026-10-20")}}, "2026-12-01",
			[]string{"财务公开 2026-Q3 按时 due 2026-10-20 disclosures/x@2026-10-20", "财务公开 2026-Q4 未到期 due 2027-01-20"}},
		{"period field, a day after the due day: late", q,
			[]Publication{{Category: "财务公开", Record: "disclosures/x", Period: period("2026-Q3"), Date: day("2026-10-21")}}, "2026-12-01",
			[]string{"财务公开 2026-Q3 逾期 due 2026-10-20 disclosures/x@2026-10-21", "财务公开 2026-Q4 未到期 due 2027-01-20"}},
		{"earliest publication counts", q,
			[]Publication{
				{Category: "财务公开", Record: "disclosures/b", Period: period("2026-Q3"), Date: day("2026-11-01")},
				{Category: "财务公开", Record: "disclosures/a", Period: period("2026-Q3"), Date: day("2026-10-05")},
			}, "2026-12-01",
			[]string{"财务公开 2026-Q3 按时 due 2026-10-20 disclosures/a@2026-10-05", "财务公开 2026-Q4 未到期 due 2027-01-20"}},
		{"other category does not count", q,
			[]Publication{{Category: "党务公开", Record: "disclosures/x", Period: period("2026-Q3"), Date: day("2026-10-05")}}, "2026-10-21",
			[]string{"财务公开 2026-Q3 未公开 due 2026-10-20", "财务公开 2026-Q4 未到期 due 2027-01-20"}},
		{"monthly records count for their quarter", q,
			[]Publication{{Category: "财务公开", Record: "disclosures/m", Period: period("2026-08"), Date: day("2026-09-10")}}, "2026-10-21",
			[]string{"财务公开 2026-Q3 按时 due 2026-10-20 disclosures/m@2026-09-10", "财务公开 2026-Q4 未到期 due 2027-01-20"}},
		{"monthly, due_days 0, since a year", []Schedule{{Category: "财务公开", Every: Month, Since: *period("2026")}}, nil, "2026-03-01",
			[]string{"财务公开 2026-01 未公开 due 2026-01-31", "财务公开 2026-02 未公开 due 2026-02-28", "财务公开 2026-03 未到期 due 2026-03-31"}},
		{"half-yearly", []Schedule{{Category: "村务公开", Every: Half, DueDays: 15, Since: *period("2025-Q4")}},
			[]Publication{{Category: "村务公开", Record: "disclosures/h", Date: day("2026-03-01")}}, "2026-07-16",
			[]string{"村务公开 2025-H2 未公开 due 2026-01-15", "村务公开 2026-H1 按时 due 2026-07-15 disclosures/h@2026-03-01", "村务公开 2026-H2 未到期 due 2027-01-15"}},
		{"yearly, late", []Schedule{{Category: "惠民资金", Every: Year, DueDays: 31, Since: *period("2025")}},
			[]Publication{{Category: "惠民资金", Record: "disclosures/y", Period: period("2025"), Date: day("2026-02-01")}}, "2026-05-01",
			[]string{"惠民资金 2025 逾期 due 2026-01-31 disclosures/y@2026-02-01", "惠民资金 2026 未到期 due 2027-01-31"}},
		{"since in the future", []Schedule{{Category: "财务公开", Every: Quarter, Since: *period("2027-Q1")}}, nil, "2026-05-01", nil},
		{"no since: today's period only", []Schedule{{Category: "财务公开", Every: Quarter}}, nil, "2026-05-01",
			[]string{"财务公开 2026-Q2 未到期 due 2026-06-30"}},
		{"no unit: skipped", []Schedule{{Category: "财务公开", Since: *period("2026")}}, nil, "2026-05-01", nil},
	}
	for _, tc := range tests {
		got := states(Evaluate(tc.sch, tc.pubs, day(tc.today)))
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, strings.Join(got, "\n     "), strings.Join(tc.want, "\n     "))
		}
	}
}

func TestDiagnosticsLate(t *testing.T) {
	st := []Status{{
		Category: "财务公开", Period: *period("2026-Q2"), Due: day("2026-07-20"), State: Late,
		Record: "disclosures/x", PublishedOn: day("2026-07-25"), Pos: diag.Position{File: "site.toml", Line: 7},
	}, {Category: "财务公开", Period: *period("2026-Q3"), Due: day("2026-10-20"), State: OnTime}, {
		Category: "财务公开", Period: *period("2026-Q4"), Due: day("2027-01-20"), State: Pending}}
	ds := Diagnostics(st)
	if len(ds) != 1 {
		t.Fatalf("Diagnostics = %d, want 1", len(ds))
	}
	d := ds[0]
	if d.Severity != diag.Warning || d.Pos.String() != "site.toml:7" {
		t.Errorf("severity/pos = %v %s", d.Severity, d.Pos)
	}
	if want := "财务公开 2026-Q2 逾期公开：应于 2026-07-20 前公开，实际 2026-07-25 公开（disclosures/x）"; d.Msg.Zh != want {
		t.Errorf("Zh = %s\nwant %s", d.Msg.Zh, want)
	}
	if want := "财务公开 2026-Q2 disclosed late: due by 2026-07-20, published 2026-07-25 (disclosures/x)"; d.Msg.En != want {
		t.Errorf("En = %s\nwant %s", d.Msg.En, want)
	}
}

func TestStateLabel(t *testing.T) {
	want := map[State][2]string{OnTime: {"按时", "on time"}, Late: {"逾期", "late"}, Missing: {"未公开", "not disclosed"}, Pending: {"未到期", "not yet due"}}
	for s, w := range want {
		if s.Label(diag.Zh) != w[0] || s.Label(diag.En) != w[1] {
			t.Errorf("%d.Label = %s/%s, want %v", s, s.Label(diag.Zh), s.Label(diag.En), w)
		}
	}
}

func ExampleParsePeriod() {
	p, ok := ParsePeriod("2026-Q3")
	fmt.Println(p, ok, p.Start(time.UTC).Format(time.DateOnly), p.End(time.UTC).Format(time.DateOnly))
	p, ok = ParsePeriod("2026-2")
	fmt.Println(p, ok)
	_, ok = ParsePeriod("2026-Q5")
	fmt.Println(ok)
	// Output:
	// 2026-Q3 true 2026-07-01 2026-09-30
	// 2026-02 true
	// false
}

func ExamplePeriod_Written() {
	for _, s := range []string{"2026-Q3", "2026-H2", "2026-10", "2026"} {
		p, _ := ParsePeriod(s)
		fmt.Println(strings.Join(p.Written(), " "))
	}
	fmt.Println(Period{}.Written() == nil)
	// Output:
	// 2026年第三季度 2026年三季度 2026年第3季度 2026年3季度
	// 2026年下半年
	// 2026年10月 2026年10月份 2026年十月 2026年十月份
	// 2026年度
	// true
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2026", "2026-Q3", "2026-10", "2026-H1", "2026-1", "2026-Q", "9999-12", "1000-h2", "", "-", "2026-Q0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := ParsePeriod(s)
		if !ok {
			if p != (Period{}) {
				t.Fatalf("ParsePeriod(%q) failed but returned %v", s, p)
			}
			return
		}
		if !p.Valid() {
			t.Fatalf("ParsePeriod(%q) = invalid %+v", s, p)
		}
		q, ok := ParsePeriod(p.String())
		if !ok || q != p {
			t.Fatalf("round trip %q → %v → %q → %v", s, p, p.String(), q)
		}
		loc := time.UTC
		if !p.Contains(p.Start(loc)) || !p.Contains(p.End(loc)) || p.End(loc).Before(p.Start(loc)) {
			t.Fatalf("%v: start %v end %v", p, p.Start(loc), p.End(loc))
		}
		if p.Contains(p.Next().Start(loc)) || !p.Next().Start(loc).Equal(p.End(loc).AddDate(0, 0, 1)) {
			t.Fatalf("%v: next %v does not follow", p, p.Next())
		}
	})
}

// TestEvaluateUnread: a disclosure file that could not be read makes the
// periods it may cover Unknown, with no warning of their own.
func TestEvaluateUnread(t *testing.T) {
	scheds := []Schedule{
		{Category: "财务公开", Every: Quarter, DueDays: 20, Since: *period("2026-01")},
		{Category: "居务公开", Every: Quarter, DueDays: 20, Since: *period("2026-Q3")},
	}
	cases := []struct {
		name   string
		unread Publication
		want   []string
	}{
		{"period read", Publication{Category: "财务公开", Record: "disclosures/q3", Period: period("2026-Q3"), Unread: true}, []string{
			"财务公开 2026-Q1 未公开 due 2026-04-20", "财务公开 2026-Q2 未公开 due 2026-07-20", "财务公开 2026-Q3 待核实 due 2026-10-20", "财务公开 2026-Q4 未到期 due 2027-01-20",
			"居务公开 2026-Q3 未公开 due 2026-10-20", "居务公开 2026-Q4 未到期 due 2027-01-20"}},
		{"date read", Publication{Category: "财务公开", Record: "disclosures/q2", Date: day("2026-05-03"), Unread: true}, []string{
			"财务公开 2026-Q1 未公开 due 2026-04-20", "财务公开 2026-Q2 待核实 due 2026-07-20", "财务公开 2026-Q3 未公开 due 2026-10-20", "财务公开 2026-Q4 未到期 due 2027-01-20",
			"居务公开 2026-Q3 未公开 due 2026-10-20", "居务公开 2026-Q4 未到期 due 2027-01-20"}},
		{"category unknown", Publication{Record: "disclosures/x", Period: period("2026-Q3"), Unread: true}, []string{
			"财务公开 2026-Q1 未公开 due 2026-04-20", "财务公开 2026-Q2 未公开 due 2026-07-20", "财务公开 2026-Q3 待核实 due 2026-10-20", "财务公开 2026-Q4 未到期 due 2027-01-20",
			"居务公开 2026-Q3 待核实 due 2026-10-20", "居务公开 2026-Q4 未到期 due 2027-01-20"}},
		{"nothing read", Publication{Record: "disclosures/x", Unread: true}, []string{
			"财务公开 2026-Q1 待核实 due 2026-04-20", "财务公开 2026-Q2 待核实 due 2026-07-20", "财务公开 2026-Q3 待核实 due 2026-10-20", "财务公开 2026-Q4 未到期 due 2027-01-20",
			"居务公开 2026-Q3 待核实 due 2026-10-20", "居务公开 2026-Q4 未到期 due 2027-01-20"}},
		{"other category", Publication{Category: "党务公开", Record: "disclosures/x", Unread: true}, []string{
			"财务公开 2026-Q1 未公开 due 2026-04-20", "财务公开 2026-Q2 未公开 due 2026-07-20", "财务公开 2026-Q3 未公开 due 2026-10-20", "财务公开 2026-Q4 未到期 due 2027-01-20",
			"居务公开 2026-Q3 未公开 due 2026-10-20", "居务公开 2026-Q4 未到期 due 2027-01-20"}},
	}
	for _, c := range cases {
		st := Evaluate(scheds, []Publication{c.unread}, day("2026-10-27"))
		if got := states(st); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: Evaluate =\n%s\nwant\n%s", c.name, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
		missing := 0
		for _, s := range st {
			if s.State == Missing {
				missing++
			}
		}
		if n := len(Diagnostics(st)); n != missing {
			t.Errorf("%s: %d warnings for %d missing periods", c.name, n, missing)
		}
	}
}
