package sheet_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/internal/browsertest"
	"gongkai/generator/sheet"
)

var (
	pdfPageRE     = regexp.MustCompile(`/Type\s*/Page\b[^s]`)
	pdfMediaBoxRE = regexp.MustCompile(`/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]`)
)

// pdfPages returns the page sizes of a PDF from Chromium, in points (the
// page objects are not compressed).
func pdfPages(t *testing.T, pdf []byte) [][2]float64 {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.20q", pdf)
	}
	var sizes [][2]float64
	for _, m := range pdfMediaBoxRE.FindAllSubmatch(pdf, -1) {
		var v [4]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(string(m[i+1]), 64)
		}
		sizes = append(sizes, [2]float64{v[2] - v[0], v[3] - v[1]})
	}
	if n := len(pdfPageRE.FindAll(pdf, -1)); n != len(sizes) {
		t.Fatalf("%d page objects but %d media boxes", n, len(sizes))
	}
	return sizes
}

func near(a, b float64) bool { return a-b < 2 && b-a < 2 }

// A4 and A3 in points.
const (
	a4w, a4h = 595.3, 841.9
	a3w, a3h = 841.9, 1190.6
)

// printer builds fsys into a temporary folder and starts a Printer.
func printer(t *testing.T, records map[string]string) (dir string, p *sheet.Printer) {
	t.Helper()
	exe := browsertest.Chromium(t)
	dir = filepath.Join(t.TempDir(), "public")
	if _, ds, err := build.ToDir(build.Options{Src: board("", records), Today: day}, dir); err != nil || ds.HasErrors() {
		t.Fatalf("build: %v %v", err, ds)
	}
	p, err := sheet.NewPrinter(context.Background(), exe)
	if err != nil {
		browsertest.Missing(t, err.Error())
	}
	t.Cleanup(p.Close)
	return dir, p
}

func printPage(t *testing.T, p *sheet.Printer, dir, page string) []byte {
	t.Helper()
	u, err := sheet.FileURL(filepath.Join(dir, filepath.FromSlash(page), "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pdf, err := p.PDF(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

// pdfText extracts the text of a PDF (pages from–to, 0 for all) with
// pdftotext, whitespace removed.
func pdfText(t *testing.T, pdf []byte, from, to int) string {
	t.Helper()
	tool := browsertest.Tool(t, "pdftotext")
	file := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{}
	if from > 0 {
		args = append(args, "-f", strconv.Itoa(from), "-l", strconv.Itoa(to))
	}
	out, err := exec.Command(tool, append(args, file, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

func TestPrintTypicalNoticeOnOneA4Page(t *testing.T) {
	dir, p := printer(t, defaultRecords())
	pdf := printPage(t, p, dir, "print/disclosures/2026-q2-caiwu/")
	pages := pdfPages(t, pdf)
	if len(pages) != 1 || !near(pages[0][0], a4w) || !near(pages[0][1], a4h) {
		t.Fatalf("pages %v, want one A4 page (%v×%v)", pages, a4w, a4h)
	}
	t.Logf("typical notice: %d page, %d bytes of PDF", len(pages), len(pdf))
	text := pdfText(t, pdf, 0, 0)
	for _, want := range []string{
		"陆万壹仟玖佰贰拾柒元肆角伍分", // closing balance in 大写
		"伍万元整",
		"公示期：2026年7月8日至2026年7月14日",
		"监督电话：023-6800-0001",
		"青石社区居民委员会",
		"第1页共1页",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	t.Run("QR code decodes", func(t *testing.T) {
		zbar := browsertest.Tool(t, "zbarimg")
		ppm := browsertest.Tool(t, "pdftoppm")
		tmp := t.TempDir()
		file := filepath.Join(tmp, "x.pdf")
		os.WriteFile(file, pdf, 0o644)
		if out, err := exec.Command(ppm, "-r", "200", "-png", file, filepath.Join(tmp, "page")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		pngs, _ := filepath.Glob(filepath.Join(tmp, "page*.png"))
		out, _ := exec.Command(zbar, append([]string{"-q", "--raw"}, pngs...)...).Output()
		want := "https://example.org/qingshi/disclosures/2026-q2-caiwu/v1/"
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("QR code holds %q, want %q", got, want)
		}
	})
}

func TestPrintLongAccountRepeatsHeader(t *testing.T) {
	recs := defaultRecords()
	recs["disclosures/2026-h1-zhichu.md"] = longMD(80)
	dir, p := printer(t, recs)
	pdf := printPage(t, p, dir, "print/disclosures/2026-h1-zhichu/")
	pages := pdfPages(t, pdf)
	n := len(pages)
	if n < 3 {
		t.Fatalf("80 lines on %d pages, want several", n)
	}
	for i, sz := range pages {
		if !near(sz[0], a4w) || !near(sz[1], a4h) {
			t.Errorf("page %d is %v, want A4", i+1, sz)
		}
	}
	t.Logf("80-line account: %d pages, %d bytes of PDF", n, len(pdf))
	// Every page that holds account lines repeats the table's header row,
	// and every page shows its number.
	lines := 0
	for i := 1; i <= n; i++ {
		text := pdfText(t, pdf, i, i)
		if strings.Contains(text, "办公用品及楼道保洁耗材") {
			lines++
		}
		if strings.Contains(text, "办公用品及楼道保洁耗材") && !strings.Contains(text, "凭证号") {
			t.Errorf("page %d lacks the table header:\n%s", i, text)
		}
		if want := "第" + strconv.Itoa(i) + "页共" + strconv.Itoa(n) + "页"; !strings.Contains(text, want) {
			t.Errorf("page %d lacks %q", i, want)
		}
	}
	if lines < 2 {
		t.Errorf("account lines on %d pages, want several", lines)
	}
	all := pdfText(t, pdf, 0, 0)
	for _, want := range []string{"第80批", "支出合计", "9,876.00", "玖仟捌佰柒拾陆元整", "2026年7月15日"} {
		if !strings.Contains(all, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
	if c := strings.Count(all, "支出合计"); c != 1 {
		t.Errorf("total row printed %d times, want once (not repeated as a footer)", c)
	}
}

func TestPrintBoardAndPaperSizes(t *testing.T) {
	dir, p := printer(t, defaultRecords())
	pdf := printPage(t, p, dir, "print/board/")
	pages := pdfPages(t, pdf)
	// Newest first: the A3 landscape sheet, then the A4 finance sheet.
	if len(pages) != 2 {
		t.Fatalf("board printed on %d pages %v, want 2", len(pages), pages)
	}
	if !near(pages[0][0], a3h) || !near(pages[0][1], a3w) {
		t.Errorf("first sheet is %v, want A3 landscape", pages[0])
	}
	if !near(pages[1][0], a4w) || !near(pages[1][1], a4h) {
		t.Errorf("second sheet is %v, want A4 portrait", pages[1])
	}
	t.Logf("board: %d pages, %d bytes of PDF", len(pages), len(pdf))
}

func TestFindChromiumEnv(t *testing.T) {
	t.Setenv(sheet.EnvChromium, filepath.Join(t.TempDir(), "no-such-browser"))
	if _, err := sheet.FindChromium(); err == nil || !strings.Contains(err.Error(), "Chromium") {
		t.Errorf("FindChromium with a wrong %s: %v", sheet.EnvChromium, err)
	}
	for _, goos := range []string{"linux", "windows", "darwin"} {
		if len(sheet.Locations(goos)) == 0 {
			t.Errorf("no locations for %s", goos)
		}
	}
}
