package a11y

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"gongkai/generator/internal/browsertest"
)

// axeTags are the rule sets run: WCAG 2.0, 2.1 and 2.2, levels A and AA.
const axeTags = `["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22aa"]`

// maxWidth is the widest a page may be laid out in a 360 px (or 320 px)
// viewport: the viewport plus the rounding the conformance check allows.
const maxWidth = 2

// browser serves the built demo board over loopback and returns a
// browser context and the site's base URL.
func browser(t *testing.T) (context.Context, string) {
	t.Helper()
	root := site(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(root)))
	t.Cleanup(srv.Close)
	return browsertest.Context(t), srv.URL + "/"
}

// axeSource reads axe.min.js, or skips the test (see browsertest.Missing).
func axeSource(t *testing.T) string {
	t.Helper()
	p := axeScript()
	if p == "" {
		browsertest.Missing(t, "axe-core not found: set GONGKAI_AXE to axe.min.js (npm install axe-core@4)")
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type violation struct {
	ID    string   `json:"id"`
	Help  string   `json:"help"`
	Nodes []string `json:"nodes"`
}

// command makes an action of a protocol command without a result.
func command[P any](c cdp.Command[P, cdp.Empty], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, c, params)
		return err
	})
}

// scheme emulates the system's light or dark setting.
func scheme(s string) chromedp.Action[chromedp.Void] {
	return command(emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: s}}})
}

// eval evaluates expr in the page of ctx and decodes its value.
func eval[T any](t *testing.T, ctx context.Context, expr string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		t.Fatalf("evaluate %.60s…: %v", expr, err)
	}
	return v
}

// do runs steps in the page of ctx, or fails the test.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// TestAxe runs axe-core on one page of each kind (every page with
// GONGKAI_A11Y_ALL=1) in light and dark mode at 360×740, and checks that
// no page is wider than the viewport at 360 px and at 320 px (a 640 px
// window at 200% zoom). Print sheets are laid out for paper and skip the
// width check.
func TestAxe(t *testing.T) {
	axe := axeSource(t)
	ctx, base := browser(t)
	ps := pages(t, site(t), os.Getenv("GONGKAI_A11Y_ALL") == "1")
	kinds := map[string]bool{}
	for _, p := range ps {
		kinds[strings.Fields(p.Kind)[0]] = true
	}
	for _, k := range []string{"home", "section", "year", "category", "record", "404"} {
		if !kinds[k] {
			t.Errorf("the demo board has no %s page", k)
		}
	}
	run := fmt.Sprintf(`axe.run(document,{runOnly:{type:"tag",values:%s},resultTypes:["violations"]}).then(r=>r.violations.map(v=>({id:v.id,help:v.help,nodes:v.nodes.map(n=>n.target.join(" ")+": "+(n.failureSummary||"").split("\n").slice(0,2).join(" "))})))`, axeTags)
	for _, p := range ps {
		t.Run(p.Kind+" "+p.Path, func(t *testing.T) {
			t.Parallel()
			tctx, cancel := chromedp.NewContext(ctx)
			defer cancel()
			tctx, cancelT := context.WithTimeout(tctx, 60*time.Second)
			defer cancelT()
			for _, s := range []string{"light", "dark"} {
				do(t, tctx,
					chromedp.EmulateViewport(360, 740),
					scheme(s),
					chromedp.Navigate(base+strings.TrimPrefix(join("/", p.Path), "/")),
				)
				eval[chromedp.Void](t, tctx, axe)
				vs := eval[[]violation](t, tctx, run, chromedp.EvalAwaitPromise)
				width := eval[int](t, tctx, `document.scrollingElement.scrollWidth`)
				for _, v := range vs {
					t.Errorf("%s mode: %s (%s): %s", s, v.ID, v.Help, strings.Join(v.Nodes, "; "))
				}
				if !p.Print && width > 360+maxWidth {
					t.Errorf("%s mode: page is %d px wide in a 360 px viewport", s, width)
				}
			}
			if p.Print {
				return
			}
			do(t, tctx, chromedp.EmulateViewport(320, 740), chromedp.Reload())
			if width := eval[int](t, tctx, `document.scrollingElement.scrollWidth`); width > 320+maxWidth {
				t.Errorf("page is %d px wide in a 320 px viewport (200%% zoom of a 640 px window)", width)
			}
		})
	}
}

// TestDaziPersists clicks the 大字 switch, reloads, and checks that the
// page is still in large type; a second click turns it off for good.
func TestDaziPersists(t *testing.T) {
	ctx, base := browser(t)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var rec string
	for _, p := range pages(t, site(t), false) {
		if strings.HasPrefix(p.Kind, "record") {
			rec = p.Path
			break
		}
	}
	if rec == "" {
		t.Fatal("no record page in the build")
	}
	type state struct {
		Dazi    bool    `json:"dazi"`
		Pressed string  `json:"pressed"`
		Size    float64 `json:"size"`
		Hidden  bool    `json:"hidden"`
	}
	const probe = `({dazi:document.documentElement.classList.contains("dazi"),pressed:document.getElementById("dazi").getAttribute("aria-pressed"),size:parseFloat(getComputedStyle(document.querySelector("main p, main dd")).fontSize),hidden:document.getElementById("dazi").hidden})`
	do(t, ctx,
		chromedp.EmulateViewport(360, 740),
		chromedp.Navigate(base+rec),
	)
	eval[bool](t, ctx, `localStorage.clear();true`)
	step := func(a ...chromedp.Action[chromedp.Void]) state {
		t.Helper()
		do(t, ctx, a...)
		return eval[state](t, ctx, probe)
	}
	visible := chromedp.WaitVisible(chromedp.ID("dazi"))
	click := chromedp.Click(chromedp.ID("dazi"))
	before := step(chromedp.Reload(), visible)
	clicked := step(click)
	reloaded := step(chromedp.Reload(), visible)
	off := step(click)
	offReloaded := step(chromedp.Reload(), visible)
	t.Logf("font size: %.1f px normal, %.1f px with 大字", before.Size, reloaded.Size)
	if before.Dazi || before.Pressed != "false" || before.Hidden {
		t.Errorf("fresh page: %+v, want switch shown, off", before)
	}
	if !clicked.Dazi || clicked.Pressed != "true" || clicked.Size <= before.Size {
		t.Errorf("after click: %+v, want dazi on and text larger than %.1f px", clicked, before.Size)
	}
	if !reloaded.Dazi || reloaded.Pressed != "true" || reloaded.Size < before.Size*1.2 {
		t.Errorf("after reload: %+v, want dazi still on and text at least 1.2× %.1f px", reloaded, before.Size)
	}
	if off.Dazi || offReloaded.Dazi || offReloaded.Pressed != "false" || offReloaded.Size != before.Size {
		t.Errorf("switched off: %+v, after reload %+v, want off and %.1f px", off, offReloaded, before.Size)
	}
}

// TestReadableWithoutJavaScript loads each kind of page with scripts off:
// the main text is there and the 大字 switch, which needs the script,
// stays hidden.
func TestReadableWithoutJavaScript(t *testing.T) {
	ctx, base := browser(t)
	for _, p := range pages(t, site(t), false) {
		if p.Kind == "search" || p.Print {
			continue // the search box needs its script; sheets have no switch
		}
		t.Run(p.Kind+" "+p.Path, func(t *testing.T) {
			tctx, cancel := chromedp.NewContext(ctx)
			defer cancel()
			tctx, cancelT := context.WithTimeout(tctx, 30*time.Second)
			defer cancelT()
			do(t, tctx,
				command(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}),
				chromedp.EmulateViewport(360, 740),
				chromedp.Navigate(base+strings.TrimPrefix(join("/", p.Path), "/")),
			)
			text := eval[string](t, tctx, `document.querySelector("main").innerText`)
			shown := eval[bool](t, tctx, `(()=>{const b=document.getElementById("dazi");return !!b&&b.getClientRects().length>0})()`)
			if len([]rune(strings.TrimSpace(text))) < 10 {
				t.Errorf("main has %q without JavaScript", text)
			}
			if shown {
				t.Error("the 大字 switch is shown although it cannot work without JavaScript")
			}
		})
	}
}
