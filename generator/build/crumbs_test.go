package build_test

import (
	"regexp"
	"testing"

	"gongkai/generator/build"
	"gongkai/generator/internal/testboard"
)

// TestCrumbs: each page shows its own breadcrumb trail with links from its
// own depth, although a trail is made once for all pages that share it.
func TestCrumbs(t *testing.T) {
	out, _, ds, err := build.ToMemory(build.Options{Src: testboard.Demo(t, nil), Today: today})
	if err != nil || out == nil || ds.HasErrors() {
		t.Fatalf("demo board: %v %v", err, ds)
	}
	nav := regexp.MustCompile(`<nav class="crumbs[^>]*>.*?</nav>`)
	for page, want := range map[string]string{
		"disclosures/2026-q3-caiwu/index.html":        `<li><a href="../../">首页</a></li><li><a href="../../disclosures/">公开事项</a></li></ol>`,
		"disclosures/2026/index.html":                 `<li><a href="../../">首页</a></li><li><a href="../../disclosures/">公开事项</a></li></ol>`,
		"decisions/2026-03-guiyuan-gaizao/index.html": `<li><a href="../../">首页</a></li><li><a href="../../decisions/">三重一大</a></li></ol>`,
		"disclosures/2026-q3-caiwu/v1/index.html":     `<li><a href="../../../disclosures/">公开事项</a></li><li><a href="../../../disclosures/2026-q3-caiwu/">青石社区2026年第三季度财务收支公开</a></li></ol>`,
		"disclosures/category/财务公开/index.html":        `<li><a href="../../../">首页</a></li><li><a href="../../../disclosures/">公开事项</a></li></ol>`,
	} {
		b, ok := out.Get(page)
		if !ok {
			t.Errorf("%s was not written", page)
			continue
		}
		got := nav.FindString(string(b))
		if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(got) {
			t.Errorf("%s: crumbs\n%s\nwant them to end with\n%s", page, got, want)
		}
	}
	if b, _ := out.Get("index.html"); nav.Match(b) {
		t.Error("the home page shows a breadcrumb trail")
	}
}
