package sheet

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"

	"github.com/chromedp/chromedp"
)

// EnvChromium names the environment variable that points at a Chromium or
// Chrome executable, overriding the search.
const EnvChromium = "GONGKAI_CHROMIUM"

// ErrNoChromium is returned by FindChromium when no browser is installed.
var ErrNoChromium = errors.New("没有找到 Chromium 或 Chrome 浏览器，无法生成 PDF。请安装 Chromium（Linux：apt install chromium）或 Google Chrome，或用环境变量 GONGKAI_CHROMIUM 指定浏览器程序的路径；也可以在浏览器里打开 print/ 下的网页直接打印。\n" +
	"no Chromium or Chrome found, so no PDF can be made: install Chromium or Google Chrome, or set GONGKAI_CHROMIUM to the browser's executable; the HTML sheets under print/ can also be printed from any browser")

// Locations returns the names and paths FindChromium tries on goos, in
// order: names are looked up in PATH.
func Locations(goos string) []string {
	switch goos {
	case "windows":
		var ls []string
		for _, env := range []string{"ProgramFiles", "ProgramFiles(x86)", "LocalAppData"} {
			if dir := os.Getenv(env); dir != "" {
				ls = append(ls,
					filepath.Join(dir, `Google\Chrome\Application\chrome.exe`),
					filepath.Join(dir, `Chromium\Application\chrome.exe`),
					filepath.Join(dir, `Microsoft\Edge\Application\msedge.exe`))
			}
		}
		return append([]string{"chrome.exe", "chromium.exe",
			`C:\Program Files\Google\Chrome\Application\chrome.exe`,
			`C:\Program Files (x86)\Google\Chrome\Application\chrome.exe`},
			append(ls, "msedge.exe",
				`C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`,
				`C:\Program Files\Microsoft\Edge\Application\msedge.exe`)...)
	case "darwin":
		return []string{
			"/Applications/Chromium.app/Contents/MacOS/Chromium",
			"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
			"/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
			"chromium", "google-chrome",
		}
	}
	return []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
		"headless_shell", "/usr/bin/chromium", "/snap/bin/chromium", "/usr/local/bin/chrome"}
}

// FindChromium returns the path of a Chromium, Chrome or Edge executable:
// $GONGKAI_CHROMIUM when set, else the first of Locations that exists.
// It returns ErrNoChromium when there is none.
func FindChromium() (string, error) {
	if p := os.Getenv(EnvChromium); p != "" {
		if found, err := exec.LookPath(p); err == nil {
			return found, nil
		}
		return "", fmt.Errorf("%s=%s：找不到这个程序 / not found: %w", EnvChromium, p, ErrNoChromium)
	}
	for _, p := range Locations(runtime.GOOS) {
		if found, err := exec.LookPath(p); err == nil {
			return found, nil
		}
	}
	return "", ErrNoChromium
}

// Printer renders pages to PDF in one headless browser, one tab a page.
type Printer struct {
	browser context.Context
	cancel  []context.CancelFunc
}

// NewPrinter starts headless Chromium at execPath ("" finds one with
// FindChromium). Close stops it.
func NewPrinter(ctx context.Context, execPath string) (*Printer, error) {
	if execPath == "" {
		p, err := FindChromium()
		if err != nil {
			return nil, err
		}
		execPath = p
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("allow-file-access-from-files", true),
	)
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	p := &Printer{browser: bctx, cancel: []context.CancelFunc{cancelB, cancelA}}
	// Start the browser now, so a broken install fails here.
	if err := chromedp.Do(bctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("sheet: 无法启动浏览器 / cannot start the browser %s: %w", execPath, err)
	}
	return p, nil
}

// Close stops the browser.
func (p *Printer) Close() {
	for _, c := range p.cancel {
		c()
	}
}

// tighter are the scales tried, in order, when a document runs over a
// page: a sheet that overflows by a few lines is set slightly smaller
// rather than printed with a last page that holds almost nothing.
var tighter = []float64{0.95, 0.9}

// PDF loads the page at pageURL (file:// or http://) in a new tab and
// prints it with the page size and margins of its CSS (@page), with
// backgrounds, and without the browser's own header and footer. A
// document that runs over a page is printed again slightly smaller
// (tighter) when that saves a page.
func (p *Printer) PDF(ctx context.Context, pageURL string) ([]byte, error) {
	tab, cancel := chromedp.NewContext(p.browser)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	if err := chromedp.Do(tab, chromedp.Navigate(pageURL)); err != nil {
		return nil, fmt.Errorf("sheet: open %s: %w", pageURL, err)
	}
	print := func(scale float64) ([]byte, error) {
		b, err := chromedp.Run(tab, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground(), chromedp.PDFScale(scale)))
		if err != nil {
			return nil, fmt.Errorf("sheet: print %s: %w", pageURL, err)
		}
		return b, nil
	}
	b, err := print(1)
	if err != nil {
		return nil, err
	}
	n := PageCount(b)
	if n < 2 {
		return b, nil
	}
	for _, s := range tighter {
		t, err := print(s)
		if err != nil {
			return nil, err
		}
		if PageCount(t) < n {
			return t, nil
		}
	}
	return b, nil
}

// pageObject matches a page object of a PDF written by Chromium (whose
// page objects are not compressed), not the /Pages tree.
var pageObject = regexp.MustCompile(`/Type\s*/Page\b[^s]`)

// PageCount returns the number of pages of a PDF made by Chromium.
func PageCount(pdf []byte) int { return len(pageObject.FindAll(pdf, -1)) }

// FileURL returns the file:// URL of a local file.
func FileURL(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	abs = filepath.ToSlash(abs)
	if len(abs) > 0 && abs[0] != '/' {
		abs = "/" + abs // C:/… on Windows
	}
	return (&url.URL{Scheme: "file", Path: abs}).String(), nil
}
