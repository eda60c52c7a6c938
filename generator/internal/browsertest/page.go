package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// EnvAxe names axe.min.js (npm install axe-core@4).
const EnvAxe = "GONGKAI_AXE"

// AxeSource returns the text of axe.min.js, found through GONGKAI_AXE,
// the conformance checks' cache or a node_modules folder above the
// working directory, or skips the test (see Missing).
func AxeSource(t testing.TB) string {
	t.Helper()
	cands := []string{os.Getenv(EnvAxe)}
	if home, err := os.UserHomeDir(); err == nil {
		cands = append(cands, filepath.Join(home, ".cache", "gongkai-conformance", "node_modules", "axe-core", "axe.min.js"))
	}
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			cands = append(cands, filepath.Join(d, "node_modules", "axe-core", "axe.min.js"))
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if b, err := os.ReadFile(c); err == nil {
			return string(b)
		}
	}
	Missing(t, "axe-core not found: set "+EnvAxe+" to axe.min.js (npm install axe-core@4)")
	return ""
}

// axeRun runs axe on the page with the WCAG 2.0–2.2 A and AA rules and
// returns each violation as "rule (help): nodes".
const axeRun = `axe.run(document,{runOnly:{type:"tag",values:["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22aa"]},resultTypes:["violations"]}).then(r=>r.violations.map(v=>v.id+" ("+v.help+"): "+v.nodes.map(n=>n.target.join(" ")+" "+(n.failureSummary||"").split("\n").slice(0,2).join(" ")).join("; ")))`

// Axe runs axe-core (source from AxeSource) on the page of ctx and
// returns its violations.
func Axe(t testing.TB, ctx context.Context, source string) []string {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](source)); err != nil {
		t.Fatalf("axe: %v", err)
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	return vs
}

// Do runs steps in the page of ctx, or fails the test.
func Do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// Eval evaluates expr in the page of ctx and decodes its value (a
// promise is awaited), or fails the test.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %.80s…: %v", expr, err)
	}
	return v
}

// Exceptions collects the uncaught exceptions and console errors of the
// pages of ctx from now on; the returned function lists them so far.
func Exceptions(ctx context.Context) func() []string {
	var mu sync.Mutex
	var out []string
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError {
				mu.Lock()
				out = append(out, fmt.Sprintf("%s %s:%d: %s", m.Type, m.URL, m.Line+1, strings.TrimSpace(m.Text)))
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), out...)
	}
}
