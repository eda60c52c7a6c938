package sheet_test

import (
	"context"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"gongkai/generator/build"
	"gongkai/generator/internal/browsertest"
	"gongkai/generator/sheet"
)

// demoDate is the build date of the demo board.
var demoDate = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// pageLines returns the text lines of each page of a PDF (pdftotext
// -layout, pages split at form feeds), blank lines dropped and blanks
// inside a line removed.
func pageLines(t *testing.T, pdf []byte) [][]string {
	t.Helper()
	tool := browsertest.Tool(t, "pdftotext")
	file := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	var pages [][]string
	for _, pg := range strings.Split(strings.TrimSuffix(string(out), "\f"), "\f") {
		var lines []string
		for _, l := range strings.Split(pg, "\n") {
			if l = strings.Join(strings.Fields(l), ""); l != "" {
				lines = append(lines, l)
			}
		}
		pages = append(pages, lines)
	}
	return pages
}

var (
	captionRE = regexp.MustCompile(`<caption>(.*?)</caption>`)
	theadRE   = regexp.MustCompile(`<thead>(.*?)</thead>`)
	tagRE     = regexp.MustCompile(`<[^>]*>`)
	titleRE   = regexp.MustCompile(`<h1 class="title">(.*?)</h1>`)
)

// plain returns the text of an HTML fragment without blanks.
func plain(s string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(s, ""))), "")
}

// TestSheetPagesRead prints record sheets of the demo board to PDF (one
// of each kind that ran over a page; every sheet with
// GONGKAI_SHEETS_ALL=1) and reads each page of those that run over one: every page carries the
// record's title and 第 i 页 共 N 页, none holds fewer than 4 lines of its
// own, and none ends with a table's caption or header row.
func TestSheetPagesRead(t *testing.T) {
	exe := browsertest.Chromium(t)
	browsertest.Tool(t, "pdftotext")
	dir := filepath.Join(t.TempDir(), "public")
	if _, ds, err := build.ToDir(build.Options{Src: os.DirFS("../../content"), Today: demoDate}, dir); err != nil || ds.HasErrors() {
		t.Fatalf("build: %v %v", err, ds)
	}
	p, err := sheet.NewPrinter(context.Background(), exe)
	if err != nil {
		browsertest.Missing(t, err.Error())
	}
	t.Cleanup(p.Close)
	sheets, _ := filepath.Glob(filepath.Join(dir, "print", "*", "*", "index.html"))
	if len(sheets) < 20 {
		t.Fatalf("%d sheets", len(sheets))
	}
	if os.Getenv("GONGKAI_SHEETS_ALL") != "1" {
		// One of each kind that runs over a page; all of them with
		// GONGKAI_SHEETS_ALL=1 (each print takes seconds).
		sheets = nil
		for _, id := range []string{"conventions/zizhi-zhangcheng", "decisions/2026-03-guiyuan-gaizao", "disclosures/guiyuan-gaizao",
			"disclosures/2026-q3-caiwu", "minutes/2026-11-13-liangwei"} {
			sheets = append(sheets, filepath.Join(dir, "print", filepath.FromSlash(id), "index.html"))
		}
	}
	pdfs := make([][]byte, len(sheets))
	var g errgroup.Group
	g.SetLimit(3)
	for i, f := range sheets {
		g.Go(func() error {
			u, _ := sheet.FileURL(f)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			b, err := p.PDF(ctx, u)
			pdfs[i] = b
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	multi := 0
	for k, f := range sheets {
		rel, _ := filepath.Rel(dir, filepath.Dir(f))
		src, _ := os.ReadFile(f)
		page := string(src)
		m := titleRE.FindStringSubmatch(page)
		if m == nil {
			t.Errorf("%s: no title", rel)
			continue
		}
		title := plain(m[1])
		var heads []string
		for _, c := range captionRE.FindAllStringSubmatch(page, -1) {
			heads = append(heads, plain(c[1]))
		}
		for _, h := range theadRE.FindAllStringSubmatch(page, -1) {
			heads = append(heads, plain(h[1]))
		}
		foot := plain(page[strings.Index(page, `<footer class="foot">`):])
		n := sheet.PageCount(pdfs[k])
		if n == 1 {
			continue
		}
		multi++
		for i, lines := range pageLines(t, pdfs[k]) {
			num := "第" + strconv.Itoa(i+1) + "页共" + strconv.Itoa(n) + "页"
			var own []string
			seenTitle, body := false, 0
			for _, l := range lines {
				switch {
				case l == num:
				case strings.Contains(title, l) || strings.HasPrefix(l, title):
					seenTitle = true
				default:
					own = append(own, l)
					if !strings.Contains(foot, l) {
						body++
					}
				}
			}
			if !seenTitle {
				t.Errorf("%s page %d/%d lacks the title %q: %q", rel, i+1, n, title, lines)
			}
			if !strings.Contains(strings.Join(lines, ""), num) {
				t.Errorf("%s page %d lacks %q", rel, i+1, num)
			}
			if len(own) < 4 || body == 0 {
				t.Errorf("%s page %d/%d holds only %d lines (%d of the text): %q", rel, i+1, n, len(own), body, own)
			}
			if len(own) > 0 {
				last := own[len(own)-1]
				for _, h := range heads {
					if h != "" && (last == h || strings.HasSuffix(h, last) && len(last) > 3) {
						t.Errorf("%s page %d/%d ends with a table's caption or header %q", rel, i+1, n, last)
					}
				}
			}
		}
	}
	t.Logf("%d sheets, %d on more than one page", len(sheets), multi)
	if multi < 2 {
		t.Errorf("%d sheets of the demo run over one page: the test reads too little", multi)
	}
}
