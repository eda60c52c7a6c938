package build_test

import (
	"path"
	"regexp"
	"strings"
	"testing"
)

// Record pages link the CSV files of their accounts and tables, and the
// links lead to files the build wrote; a personal record links none.
func TestRecordPagesLinkTheirCSV(t *testing.T) {
	out := buildMem(t, loadBoard(t, boardTxtar), false)
	href := regexp.MustCompile(`href="([^"]*data/[^"]*\.csv)"`)
	for _, c := range []struct {
		page string
		want int
	}{
		{"disclosures/2026-q2-caiwu/index.html", 1},
		{"disclosures/meian/index.html", 1},
		{"disclosures/2026-07-jiuzhu/index.html", 0},
	} {
		links := href.FindAllStringSubmatch(page(t, out, c.page), -1)
		if len(links) != c.want {
			t.Errorf("%s links %d CSV files, want %d", c.page, len(links), c.want)
		}
		for _, l := range links {
			target := path.Clean(path.Join(path.Dir(c.page), l[1]))
			if _, ok := out.Get(target); !ok || !strings.HasPrefix(target, "data/") {
				t.Errorf("%s links %s, which the build did not write", c.page, target)
			}
		}
	}
}
