package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/generator/sheet"
)

func TestCLIPrint(t *testing.T) {
	t.Setenv("GONGKAI_LANG", "")
	good, bad := writeBoard(t, false), writeBoard(t, true)
	site := filepath.Join(t.TempDir(), "public")
	sheet := func(id string) string { return filepath.Join(site, "print", filepath.FromSlash(id), "index.html") }
	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
	}{
		{"the board", []string{"print", "--src", good, "--site", site, "--date", "2026-11-27"}, 0, sheet("board"), "打印版网页在"},
		{"one record", []string{"print", "--src", good, "--site", site, "--date", "2026-11-27", "decisions/2026-02"}, 0, sheet("decisions/2026-02"), "用浏览器打开"},
		{"a misspelt id", []string{"print", "--src", good, "--site", site, "--date", "2026-11-27", "decisions/2026-2"}, 2, "", "是不是 decisions/2026-02"},
		{"a page has no sheet", []string{"print", "--src", good, "--site", site, "--date", "2026-11-27", "pages/about"}, 2, "", "没有编号为 \"pages/about\" 的记录"},
		{"a bad board", []string{"print", "--src", bad, "--site", site, "--date", "2026-11-27"}, 1, "", "实到人数 27 超过应到人数 26"},
		{"english", []string{"print", "--lang", "en", "--src", good, "--site", site, "--date", "2026-11-27", "nope/x"}, 2, "", "no record \"nope/x\""},
		{"bad date", []string{"print", "--src", good, "--date", "27.11.2026"}, 2, "", "--date"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := gk(t, tc.args...)
			if code != tc.code || !strings.Contains(stdout, tc.stdout) || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
		})
	}
	b, err := os.ReadFile(sheet("decisions/2026-02"))
	if err != nil || !bytes.Contains(b, []byte("关于实施煤安小区环境整治项目的决定")) {
		t.Errorf("the sheet of decisions/2026-02 was not written: %v", err)
	}
}

// print --pdf makes PDF files through Chromium.
func TestCLIPrintPDF(t *testing.T) {
	if _, err := sheet.FindChromium(); err != nil {
		if os.Getenv("GONGKAI_REQUIRE_BROWSER") == "1" {
			t.Fatalf("no Chromium for print --pdf (GONGKAI_REQUIRE_BROWSER=1): %v", err)
		}
		t.Skipf("SKIP: no Chromium for print --pdf (set GONGKAI_REQUIRE_BROWSER=1 to make this a failure): %v", err)
	}
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Setenv("GONGKAI_LANG", "")
	good := writeBoard(t, false)
	out := filepath.Join(t.TempDir(), "pdf")
	code, stdout, stderr := gk(t, "print", "--pdf", "--src", good, "--out", out, "--date", "2026-11-27")
	if code != 0 || !strings.Contains(stderr, "没有公示中的事项") {
		t.Errorf("nothing on notice: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = gk(t, "print", "--pdf", "--src", good, "--out", out, "--date", "2026-11-27", "decisions/2026-02", "minutes/2026-03-18-daibiao")
	if code != 0 || !strings.Contains(stderr, "已生成 2 个 PDF") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, id := range []string{"decisions/2026-02", "minutes/2026-03-18-daibiao"} {
		name := filepath.Join(out, filepath.FromSlash(id)+".pdf")
		b, err := os.ReadFile(name)
		if err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
			t.Errorf("%s is not a PDF: %v", name, err)
		}
		if !strings.Contains(stdout, name) {
			t.Errorf("stdout does not name %s:\n%s", name, stdout)
		}
	}
}
