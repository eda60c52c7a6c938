package a11y

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestSearchResults runs axe-core on the search page with results shown
// (marked words, dates, the 公示中 badge, the "more" button), in light and
// dark mode, in normal and large type (大字), at 360 px; checks that the
// page fits 360 and 320 px, and that the search box is as large as the
// rest of the site's controls and shows a focus ring.
func TestSearchResults(t *testing.T) {
	axe := axeSource(t)
	ctx, base := browser(t)
	run := fmt.Sprintf(`axe.run(document,{runOnly:{type:"tag",values:%s},resultTypes:["violations"]}).then(r=>r.violations.map(v=>({id:v.id,help:v.help,nodes:v.nodes.map(n=>n.target.join(" ")+": "+(n.failureSummary||"").split("\n").slice(0,2).join(" "))})))`, axeTags)
	type box struct {
		Font    float64 `json:"font"`
		Height  float64 `json:"height"`
		Outline string  `json:"outline"`
		Width   float64 `json:"width"`
		Label   string  `json:"label"`
		Marks   int     `json:"marks"`
		More    bool    `json:"more"`
	}
	const probe = `(()=>{const q=document.getElementById("q");q.focus();const s=getComputedStyle(q),r=q.getBoundingClientRect();
		return {font:parseFloat(s.fontSize),height:r.height,outline:s.outlineStyle+" "+s.outlineWidth,width:r.width,
		label:(q.labels[0]||{}).textContent||"",marks:document.querySelectorAll("#results mark").length,
		more:!document.getElementById("search-more").hidden}})()`
	for _, dazi := range []bool{false, true} {
		t.Run(fmt.Sprintf("大字=%v", dazi), func(t *testing.T) {
			tctx, cancel := chromedp.NewContext(ctx)
			defer cancel()
			tctx, cancelT := context.WithTimeout(tctx, 60*time.Second)
			defer cancelT()
			url := base + "search/?q=" + "%E5%B1%85%E6%B0%91" // 居民: a full page and more
			do(t, tctx, chromedp.EmulateViewport(360, 740), chromedp.Navigate(url))
			eval[bool](t, tctx, fmt.Sprintf(`localStorage.setItem("gongkai-dazi",%q);true`, map[bool]string{false: "0", true: "1"}[dazi]))
			for _, s := range []string{"light", "dark"} {
				do(t, tctx, scheme(s), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#results li mark`)))
				if got := eval[bool](t, tctx, `document.documentElement.classList.contains("dazi")`); got != dazi {
					t.Fatalf("大字 is %v, want %v", got, dazi)
				}
				eval[chromedp.Void](t, tctx, axe)
				for _, v := range eval[[]violation](t, tctx, run, chromedp.EvalAwaitPromise) {
					t.Errorf("%s mode: %s (%s): %s", s, v.ID, v.Help, strings.Join(v.Nodes, "; "))
				}
				if w := eval[int](t, tctx, `document.scrollingElement.scrollWidth`); w > 360+maxWidth {
					t.Errorf("%s mode: the results page is %d px wide at 360 px", s, w)
				}
			}
			b := eval[box](t, tctx, probe)
			t.Logf("search box: %.1f px type, %.0f×%.0f px, outline %s", b.Font, b.Width, b.Height, b.Outline)
			if b.Font < 16 || dazi && b.Font < 20 {
				t.Errorf("the search box's type is %.1f px", b.Font)
			}
			if b.Height < 44 || b.Width < 200 {
				t.Errorf("the search box is %.0f×%.0f px; at least 200×44", b.Width, b.Height)
			}
			if b.Outline != "solid 3px" {
				t.Errorf("the focused search box shows outline %q, want the site's 3 px ring", b.Outline)
			}
			if !strings.Contains(b.Label, "搜索") || b.Marks == 0 || !b.More {
				t.Errorf("label %q, %d marks, more button %v", b.Label, b.Marks, b.More)
			}
			do(t, tctx, chromedp.EmulateViewport(320, 740), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#results li`)))
			if w := eval[int](t, tctx, `document.scrollingElement.scrollWidth`); w > 320+maxWidth {
				t.Errorf("the results page is %d px wide at 320 px", w)
			}
		})
	}
}

// TestSearchWithoutJavaScript checks that the search page says politely
// that it needs JavaScript, and links the sections instead.
func TestSearchWithoutJavaScript(t *testing.T) {
	ctx, base := browser(t)
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	do(t, ctx,
		command(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}),
		chromedp.EmulateViewport(360, 740),
		chromedp.Navigate(base+"search/"),
	)
	text := eval[string](t, ctx, `document.querySelector("main").innerText`)
	links := eval[int](t, ctx, `document.querySelectorAll("main a").length`)
	if !strings.Contains(text, "搜索需要浏览器启用 JavaScript") || !strings.Contains(text, "三重一大") || links < 4 {
		t.Errorf("without JavaScript the search page says %q (%d links)", text, links)
	}
}
