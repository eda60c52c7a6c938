package a11y

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"gongkai/generator/internal/browsertest"
)

// TestCSPBlocksInlineScript loads the home page of the built board with an
// inline script element and an event handler slipped into it, as an
// injection would: the page's own policy keeps both from running, while
// the theme's own script still runs (the 大字 switch appears).
func TestCSPBlocksInlineScript(t *testing.T) {
	root := site(t)
	home, err := os.ReadFile(filepath.Join(root, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	injected := bytes.Replace(home, []byte("</body>"), []byte(`<script>document.documentElement.dataset.inline="ran"</script><img src="x" onerror="document.documentElement.dataset.handler='ran'"></body>`), 1)
	if bytes.Equal(injected, home) {
		t.Fatal("the home page has no </body>")
	}
	files := http.FileServer(http.Dir(root))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/injected.html" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(injected)
			return
		}
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()
	ctx := browsertest.Context(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/injected.html")); err != nil {
		t.Fatal(err)
	}
	got := eval[[]string](t, ctx, `[String(document.documentElement.dataset.inline), String(document.documentElement.dataset.handler), String(document.getElementById("dazi") && !document.getElementById("dazi").hidden)]`)
	if got[0] != "undefined" || got[1] != "undefined" {
		t.Errorf("an injected script ran: inline %s, handler %s", got[0], got[1])
	}
	if got[2] != "true" {
		t.Errorf("the theme's own script did not run (大字 switch shown: %s)", got[2])
	}
}
