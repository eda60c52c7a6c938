package preview

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gongkai/generator/build"
	"gongkai/generator/internal/browsertest"
)

// TestBrowserReloads opens a record page in Chromium, edits the record's
// file and expects the open page to show the new title on its own: the
// watcher sees the edit, the builder re-renders the page and the page's
// reload script hears of it over Server-Sent Events.
func TestBrowserReloads(t *testing.T) {
	bctx := browsertest.Context(t)
	dir := writeBoard(t, 20)
	file := firstOf(t, dir, "disclosures")
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, Options{Dir: dir, Log: io.Discard, Build: build.Options{Today: testToday},
			Ready: func(u string) { urls <- u }})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	var base string
	select {
	case base = <-urls:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	tab, cancelTab := chromedp.NewContext(bctx)
	defer cancelTab()
	tab, cancelT := context.WithTimeout(tab, 30*time.Second)
	defer cancelT()
	if err := chromedp.Do(tab, chromedp.Navigate(base+page(file))); err != nil {
		t.Fatal(err)
	}
	h1, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		t.Fatal(err)
	}
	// Wait until the page listens for reloads before editing.
	var open bool
	for i := 0; i < 100 && !open; i++ {
		time.Sleep(50 * time.Millisecond)
		n, _ := chromedp.Run(tab, chromedp.Evaluate[int](`performance.getEntriesByType("resource").filter(e => e.name.includes("/_gongkai/events")).length`))
		open = n > 0
	}
	p := filepath.Join(dir, filepath.FromSlash(file))
	text, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(retitle(string(text), "浏览器里的新标题")), 0o644); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		now, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("h1")))
		if err == nil && strings.Contains(now, "浏览器里的新标题") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the open page still shows %q (was %q)", now, h1)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
