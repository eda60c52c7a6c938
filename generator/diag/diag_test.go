package diag

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	d := Errorf(Position{"minutes/a.md", 12, 3}, "实到人数 %d 超过应到人数 %d", "present (%d) exceeds expected (%d)", 49, 48).
		WithHint("核对人数", "check the counts")
	if got, want := d.Format(Zh), "minutes/a.md:12:3: 错误：实到人数 49 超过应到人数 48\n    提示：核对人数"; got != want {
		t.Errorf("zh:\n%s\nwant\n%s", got, want)
	}
	if got, want := d.Format(En), "minutes/a.md:12:3: error: present (49) exceeds expected (48)\n    hint: check the counts"; got != want {
		t.Errorf("en:\n%s\nwant\n%s", got, want)
	}
	w := Warnf(Position{File: "a.md"}, "警告", "warn")
	if got := w.Format(Zh); got != "a.md: 警告：警告" {
		t.Errorf("warning: %q", got)
	}
}

func TestSortedDedup(t *testing.T) {
	l := List{
		Errorf(Position{"b.md", 2, 1}, "b", "b"),
		Warnf(Position{"a.md", 5, 0}, "w", "w"),
		Errorf(Position{"a.md", 5, 0}, "e", "e"),
		Errorf(Position{"a.md", 1, 0}, "first", "first"),
		Errorf(Position{"b.md", 2, 1}, "b", "b"),
	}
	s := l.Sorted()
	var got []string
	for _, d := range s {
		got = append(got, d.Pos.String()+" "+d.Msg.Zh)
	}
	want := []string{"a.md:1 first", "a.md:5 e", "a.md:5 w", "b.md:2:1 b"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %v, want %v", got, want)
	}
	var buf bytes.Buffer
	l.Print(&buf, Zh)
	if !strings.HasSuffix(buf.String(), "共 3 个错误，1 个警告\n") {
		t.Errorf("summary line: %q", buf.String())
	}
	if e, w := s.Count(); e != 3 || w != 1 || !s.HasErrors() {
		t.Errorf("count %d %d", e, w)
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"title", "date", "origin", "category", "notice_min_days"}
	for word, want := range map[string]string{
		"titel": "title", "orign": "origin", "categroy": "category", "zzzzzz": "",
	} {
		if got := Suggest(word, keys); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", word, got, want)
		}
	}
	if got := Suggest("两委商议", []string{"社区党组织提议", "两委会商议", "党员大会审议"}); got != "两委会商议" {
		t.Errorf("Chinese suggestion %q", got)
	}
}

func ExampleSuggest() {
	fmt.Println(Suggest("titel", []string{"title", "date"}))
	// Output: title
}
