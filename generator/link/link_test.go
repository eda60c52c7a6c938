package link

import "testing"

func TestRel(t *testing.T) {
	for _, c := range []struct {
		from, to string
		offline  bool
		want     string
	}{
		{"", "decisions/2026-02/", false, "decisions/2026-02/"},
		{"decisions/2026-02/", "minutes/a/", false, "../../minutes/a/"},
		{"decisions/2026-02/v1/", "decisions/2026-02/", false, "../../../decisions/2026-02/"},
		{"decisions/2026-02/", "", false, "../../"},
		{"decisions/2026-02/", "", true, "../../index.html"},
		{"", "", false, "./"},
		{"404.html", "assets/a.css", false, "assets/a.css"},
		{"decisions/", "decisions/x/", true, "../decisions/x/index.html"},
	} {
		if got := Rel(c.from, c.to, c.offline); got != c.want {
			t.Errorf("Rel(%q, %q, %v) = %q, want %q", c.from, c.to, c.offline, got, c.want)
		}
	}
}
