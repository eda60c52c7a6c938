package config

import (
	"strings"
	"testing"
)

const good = `title = "青石社区居务公开栏"
issuer = "青石社区居民委员会"
base_url = "https://example.org/qingshi"
major_amount = "80000"

[privacy]
id_keep = [4, 2]

[procedure]
stages = ["提议", "商议", "决议", "公开"]

[meetings."党员大会"]
quorum = "2/3"

[[schedule]]
category = "财务公开"
every = "month"
due_days = 10
since = "2026-01"
`

func TestParse(t *testing.T) {
	s, ds := Parse(good)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	if s.BaseURL != "https://example.org/qingshi/" {
		t.Errorf("base_url %q", s.BaseURL)
	}
	if s.MajorAmount != 8000000 || s.Privacy.IDKeep != [2]int{4, 2} || s.Privacy.PhoneKeep != [2]int{3, 4} {
		t.Errorf("amount or privacy: %v %v", s.MajorAmount, s.Privacy)
	}
	if len(s.Procedure) != 4 || s.NoticeMinDays != 5 || s.Print.Paper != "A4" {
		t.Errorf("defaults: %v %d %s", s.Procedure, s.NoticeMinDays, s.Print.Paper)
	}
	if r := s.RuleFor("党员大会"); !r.Quorum.Met(32, 48) || r.Quorum.Met(31, 48) {
		t.Errorf("党员大会 quorum rule %v", r.Quorum)
	}
	if r := s.RuleFor("居民代表会议"); r.Quorum.Need(26) != 18 || !r.Pass.Met(12, 22) || r.Pass.Met(11, 22) {
		t.Errorf("居民代表会议 rule %v", r)
	}
	if len(s.Schedule) != 1 || s.Schedule[0].DueDays != 10 {
		t.Errorf("schedule %+v", s.Schedule)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		text, want string
		line       int
	}{
		{"title = \"x\"\nissuer = \"y\"\nbase_url = \"example.org\"\n", "base_url", 3},
		{"title = \"x\"\nissuer = \"y\"\nbase_url = \"https://e.org/\"\ntitel = \"z\"\n", "titel", 4},
		{"issuer = \"y\"\nbase_url = \"https://e.org/\"\n", "title", 1},
		{"title = \"x\"\nissuer = \"y\"\nbase_url = \"https://e.org/\"\n[print]\npaper = \"B5\"\n", "A4", 5},
		{"title = \"x\"\nissuer = \"y\"\nbase_url = \"https://e.org/\"\n[meetings.\"党员大会\"]\nquorum = \"二分之一\"\n", "quorum", 5},
		{"title = \"x\nissuer = \"y\"\n", "这里的 \" 没有结束", 1},
	} {
		_, ds := Parse(c.text)
		if !ds.HasErrors() {
			t.Errorf("%q: no error", c.text)
			continue
		}
		d := ds.Sorted()[0]
		if !strings.Contains(d.Format("zh"), c.want) || d.Pos.Line != c.line {
			t.Errorf("%q: got %s, want %q at line %d", c.text, d.Format("zh"), c.want, c.line)
		}
	}
}

func TestFraction(t *testing.T) {
	for s, want := range map[string]string{"2/3": "2/3", ">1/2": ">1/2", ">=2/3": "2/3"} {
		f, ok := ParseFraction(s)
		if !ok || f.String() != want {
			t.Errorf("ParseFraction(%q) = %v %v", s, f, ok)
		}
	}
	for _, bad := range []string{"", "3/2", "a/b", "1/0", "half"} {
		if _, ok := ParseFraction(bad); ok {
			t.Errorf("ParseFraction(%q) accepted", bad)
		}
	}
}
