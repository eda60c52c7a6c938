package sheet_test

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongkai/generator/internal/browsertest"
	"gongkai/generator/sheet"

	"rsc.io/qr"
)

var (
	viewBoxRE = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	runRE     = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
)

// modules reads the dark modules back from the SVG path: n×n, quiet zone
// included.
func modules(t *testing.T, svg string) [][]bool {
	t.Helper()
	m := viewBoxRE.FindStringSubmatch(svg)
	if m == nil || m[1] != m[2] {
		t.Fatalf("no square viewBox in %.120s", svg)
	}
	n, _ := strconv.Atoi(m[1])
	grid := make([][]bool, n)
	for i := range grid {
		grid[i] = make([]bool, n)
	}
	for _, r := range runRE.FindAllStringSubmatch(svg, -1) {
		x, _ := strconv.Atoi(r[1])
		y, _ := strconv.Atoi(r[2])
		w, _ := strconv.Atoi(r[3])
		if r[3] != r[4] || y >= n || x+w > n {
			t.Fatalf("bad run %q", r[0])
		}
		for i := 0; i < w; i++ {
			grid[y][x+i] = true
		}
	}
	return grid
}

func TestQRSVGMatchesMatrix(t *testing.T) {
	for _, text := range []string{
		"https://example.org/qingshi/disclosures/2026-q2-caiwu/v1/",
		"https://example.org/qingshi/conventions/jumin-gongyue/v12/",
		"https://例子.中国/公开/decisions/2026-02/v1/",
	} {
		svg, err := sheet.QRSVG(text, "二维码 <"+text+">")
		if err != nil {
			t.Fatal(err)
		}
		s := string(svg)
		if !strings.Contains(s, "<title>二维码 &lt;") || !strings.Contains(s, `role="img"`) {
			t.Errorf("title not escaped or missing: %.300s", s)
		}
		code, err := qr.Encode(text, qr.M)
		if err != nil {
			t.Fatal(err)
		}
		grid := modules(t, s)
		if len(grid) != code.Size+2*sheet.Quiet {
			t.Fatalf("%d modules a side, want %d", len(grid), code.Size+2*sheet.Quiet)
		}
		for y := range grid {
			for x := range grid[y] {
				want := false
				if qx, qy := x-sheet.Quiet, y-sheet.Quiet; qx >= 0 && qy >= 0 && qx < code.Size && qy < code.Size {
					want = code.Black(qx, qy)
				}
				if grid[y][x] != want {
					t.Fatalf("%s: module (%d,%d) dark=%v, want %v", text, x, y, grid[y][x], want)
				}
			}
		}
	}
}

// TestQRSVGDecodes draws the SVG's modules into a PNG and reads it back
// with zbarimg.
func TestQRSVGDecodes(t *testing.T) {
	zbar := browsertest.Tool(t, "zbarimg")
	text := "https://example.org/qingshi/disclosures/2026-q2-caiwu/v1/"
	svg, err := sheet.QRSVG(text, "二维码")
	if err != nil {
		t.Fatal(err)
	}
	grid := modules(t, string(svg))
	const scale = 6
	img := image.NewGray(image.Rect(0, 0, len(grid)*scale, len(grid)*scale))
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			c := color.Gray{255}
			if grid[y/scale][x/scale] {
				c = color.Gray{0}
			}
			img.SetGray(x, y, c)
		}
	}
	file := filepath.Join(t.TempDir(), "qr.png")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out, err := exec.Command(zbar, "-q", "--raw", file).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != text {
		t.Errorf("decoded %q, want %q", got, text)
	}
}

func FuzzQRSVG(f *testing.F) {
	f.Add("https://example.org/qingshi/disclosures/2026-q2-caiwu/v1/")
	f.Add("")
	f.Add("<script>&\"'")
	f.Fuzz(func(t *testing.T, text string) {
		svg, err := sheet.QRSVG(text, text)
		if err != nil {
			return // too long for a QR code
		}
		s := string(svg)
		if !strings.HasPrefix(s, "<svg") || !strings.HasSuffix(s, "</svg>") || strings.Contains(s, "<script") {
			t.Errorf("bad SVG for %q: %.200s", text, s)
		}
	})
}

// BenchmarkQRSVG draws the code of a typical sheet URL (the plan of its
// size already made, as for every sheet after the first).
func BenchmarkQRSVG(b *testing.B) {
	var q sheet.QR
	const url = "https://example.org/qingshi/disclosures/2026-q2-caiwu/v12/"
	for i := 0; i < b.N; i++ {
		if _, err := q.SVG(url, "二维码：扫码查看本版网页 "+url); err != nil {
			b.Fatal(err)
		}
	}
}
