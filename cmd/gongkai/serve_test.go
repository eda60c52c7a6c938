package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// get returns the status and body of url.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitFor polls url until its body contains text.
func waitFor(t *testing.T, url, text string) bool {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, body := get(t, url); strings.Contains(body, text) {
			return true
		}
	}
	return false
}

// TestCLIServe runs `gongkai serve` as a user does: it prints the address,
// serves the board, shows an edit without a restart, shows a broken file
// over the pages with the last good build under it, prints the problem
// and its fix, and stops cleanly on Ctrl+C.
func TestCLIServe(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process")
	}
	src := writeBoard(t, false)
	p := start(t, "serve", "--src", src, "--port", "0", "--date", "2026-11-27")
	m := p.waitLine(regexp.MustCompile(`正在预览：(http://127\.0\.0\.1:\d+/)`), 60*time.Second)
	base := m[1]
	code, home := get(t, base)
	if code != 200 || !strings.Contains(home, "青石社区居务公开栏") || !strings.Contains(home, "/_gongkai/reload.js") {
		t.Fatalf("home: %d\n%.300s", code, home)
	}
	dec := filepath.Join(src, "decisions", "2026-02.md")
	edit(t, dec, "煤安小区环境整治项目的决定", "煤安小区环境整治项目的决定（修订）")
	if !waitFor(t, base+"decisions/2026-02/", "（修订）") {
		t.Fatal("the edit did not show up")
	}
	edit(t, dec, `category = "重大项目安排"`, `category = "重大项目安排`)
	if !waitFor(t, base, "decisions/2026-02.md") {
		t.Fatal("the broken file is not shown over the pages")
	}
	if _, body := get(t, base+"decisions/2026-02/"); !strings.Contains(body, "（修订）") {
		t.Error("the last good page is not served while the file is broken")
	}
	edit(t, dec, `category = "重大项目安排`, `category = "重大项目安排"`)
	p.waitLine(regexp.MustCompile(`错误已改正`), 15*time.Second)
	if _, body := get(t, base+"decisions/2026-02/"); strings.Contains(body, "gongkai-overlay") || !strings.Contains(body, "（修订）") {
		t.Error("after the fix the page still has the overlay or lost the edit")
	}
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve ended with %v:\n%s", err, p.output())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on Ctrl+C")
	}
	if out := p.output(); !strings.Contains(out, "decisions/2026-02.md") || !strings.Contains(out, "错误：") {
		t.Errorf("serve did not print the problem:\n%s", out)
	}
}

// Bad serve flags are usage errors, before anything starts.
func TestCLIServeUsage(t *testing.T) {
	src := writeBoard(t, false)
	tests := []struct {
		args []string
		say  string
	}{
		{[]string{"serve", "--src", src, "--port", "70000"}, "--port"},
		{[]string{"serve", "--src", src, "extra"}, "不接受参数"},
		{[]string{"serve", "--src", filepath.Join(src, "nope")}, "找不到内容文件夹"},
		{[]string{"serve", "--src", src, "--date", "2026-02-30"}, "--date"},
	}
	for _, tc := range tests {
		code, out := gkAll(t, tc.args...)
		if code != exitUsage || !strings.Contains(out, tc.say) {
			t.Errorf("%v: exit %d, output:\n%s", tc.args, code, out)
		}
	}
	if _, err := os.Stat(filepath.Join(src, "..", "public")); err == nil {
		t.Error("serve wrote a public folder")
	}
}
