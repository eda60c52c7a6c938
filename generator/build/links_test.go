package build

import (
	"html"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"

	"gongkai/generator/internal/testboard"
)

// TestDemoLinksResolve follows every relative link and asset reference of
// every page of the demo board, as a browser would from the page's own
// folder, and checks that it reaches a file of the build. The layout's
// header and footer are made once per depth and section; a link that is
// right on one page and wrong on another of the same depth fails here.
func TestDemoLinksResolve(t *testing.T) {
	// One more record links its attachment from its body, which the
	// print sheet shows from another folder.
	extra := map[string]string{
		"disclosures/zz-fujian/index.md": `+++
title = "附件链接测试公开"
date = 2026-11-20
category = "居务公开"
attachments = ["方案.txt"]
+++

方案全文见[附件](方案.txt)，另见[决定](decisions/2026-03-guiyuan-gaizao)。
`,
		"disclosures/zz-fujian/方案.txt": "方案\n",
	}
	out, _, ds, err := ToMemory(Options{Src: testboard.Demo(t, extra), Today: benchDay})
	if err != nil || out == nil {
		t.Fatalf("build: %v %v", err, ds)
	}
	files := map[string]bool{}
	for _, n := range out.Names() {
		files[n] = true
	}
	if b, _ := out.Get("print/disclosures/zz-fujian/index.html"); !strings.Contains(string(b), `href="../../../disclosures/zz-fujian/`) {
		t.Errorf("the sheet does not link the attachment in its own folder:\n%s", b)
	}
	checked := 0
	for _, name := range out.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		b, _ := out.Get(name)
		for _, m := range linkAttr.FindAllStringSubmatch(string(b), -1) {
			u := html.UnescapeString(m[1])
			if i := strings.IndexAny(u, "#?"); i >= 0 {
				u = u[:i]
			}
			if u == "" || strings.Contains(u, ":") || strings.HasPrefix(u, "/_gongkai/") {
				continue
			}
			u, err := url.PathUnescape(u)
			if err != nil {
				t.Errorf("%s: link %q: %v", name, m[1], err)
				continue
			}
			if name == "404.html" {
				// The 404 page is served at any depth: its links start
				// from the base URL's path.
				if !strings.HasPrefix(u, "/qingshi/") {
					t.Errorf("404.html links to %q, not from the base path /qingshi/", m[1])
					continue
				}
				if u = strings.TrimPrefix(u, "/qingshi/"); u == "" {
					u = "./"
				}
			}
			target := path.Join(path.Dir(name), u)
			if strings.HasSuffix(u, "/") || u == "." || u == ".." {
				target = path.Join(target, "index.html")
			}
			target = strings.TrimPrefix(target, "./")
			if strings.HasPrefix(target, "../") || !files[target] {
				t.Errorf("%s links to %q, which is not in the build (%s)", name, m[1], target)
			}
			checked++
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d links checked", checked)
	}
}

var linkAttr = regexp.MustCompile(`\s(?:href|src)="([^"]*)"`)
