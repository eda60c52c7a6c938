// Package browsertest starts headless Chromium for tests through chromedp:
// it finds the browser, skips the test visibly when there is none (or
// fails it when GONGKAI_REQUIRE_BROWSER=1), and gives a context whose
// browser stops when the test ends. It also finds the command-line tools
// that check printed PDFs (pdfinfo, pdftotext, zbarimg) the same way.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// EnvRequire makes a missing browser or tool a test failure instead of a
// skip when set to 1 (for CI).
const EnvRequire = "GONGKAI_REQUIRE_BROWSER"

// EnvChromium points at the browser executable, overriding the search.
const EnvChromium = "GONGKAI_CHROMIUM"

// names are tried in PATH, then the usual install paths.
func names() []string {
	return []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell",
		"/usr/bin/chromium", "/snap/bin/chromium",
		"/Applications/Chromium.app/Contents/MacOS/Chromium",
		"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
		`C:\Program Files\Google\Chrome\Application\chrome.exe`,
		`C:\Program Files (x86)\Google\Chrome\Application\chrome.exe`,
	}
}

// Required reports whether tests must not skip for lack of a browser.
func Required() bool { return os.Getenv(EnvRequire) == "1" }

// Missing skips the test with why, or fails it when browsers are required.
func Missing(t testing.TB, why string) {
	t.Helper()
	if Required() {
		t.Fatalf("%s (%s=1)", why, EnvRequire)
	}
	t.Skipf("SKIP: %s (set %s=1 to make this a failure)", why, EnvRequire)
}

// Find returns the path of a Chromium or Chrome executable, or "".
func Find() string {
	if p := os.Getenv(EnvChromium); p != "" {
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
		return ""
	}
	for _, n := range names() {
		if found, err := exec.LookPath(n); err == nil {
			return found
		}
	}
	return ""
}

// Chromium returns the browser's path, or skips the test (see Missing).
func Chromium(t testing.TB) string {
	t.Helper()
	p := Find()
	if p == "" {
		Missing(t, "no Chromium found (install chromium or set "+EnvChromium+")")
	}
	return p
}

// Tool returns the path of a command-line tool such as pdftotext, or
// skips the test (see Missing).
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name+" not installed (poppler-utils / zbar-tools)")
	}
	return p
}

// Flags are the browser flags of tests: headless, no sandbox, no GPU, and
// nothing that reaches the network on its own.
func Flags(execPath string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("allow-file-access-from-files", true),
	)
}

// Context starts the browser and returns a chromedp context (one tab)
// that ends with the test. Derive per-tab contexts from it with
// chromedp.NewContext.
func Context(t testing.TB) context.Context {
	t.Helper()
	exe := Chromium(t)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), Flags(exe)...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		Missing(t, "Chromium at "+exe+" does not start: "+err.Error())
	}
	return ctx
}
