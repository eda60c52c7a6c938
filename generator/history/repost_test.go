package history

import (
	"os"
	"strings"
	"testing"
	"time"

	"gongkai/generator/config"
	"gongkai/generator/diag"
	"gongkai/generator/record"
)

// TestReposting registers a notice, amends it after its period with and
// without a new period, and checks the warning and the re-posting.
func TestReposting(t *testing.T) {
	dir := t.TempDir()
	loc := time.FixedZone("CST", 8*3600)
	site, ds := config.Parse("title = \"t\"\nissuer = \"i\"\nbase_url = \"https://example.org/\"\ntimezone = \"Asia/Shanghai\"\nnotice_min_days = 7\n")
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	v1 := "+++\ntitle = \"低保公示\"\ndate = 2026-11-02\ncategory = \"救助帮扶\"\nnotice = { from = 2026-11-02, to = 2026-11-08 }\n+++\n名单如下。\n"
	publish(t, dir, map[string]string{"disclosures/a": v1}, time.Date(2026, 11, 2, 9, 0, 0, 0, loc), nil)
	today := time.Date(2026, 11, 20, 0, 0, 0, 0, loc)
	read := func(text string) (*record.Record, *record.Board) {
		t.Helper()
		rec, ds := record.Decode(site, os.DirFS(dir), record.Source{ID: "disclosures/a", Section: "disclosures", Slug: "a", File: "disclosures/a.md", Text: text})
		if rec == nil || ds.HasErrors() {
			t.Fatalf("decode: %v", ds)
		}
		return rec, newBoard(t, site, rec)
	}
	same := strings.Replace(v1, "名单如下。", "名单如下（更正一人姓名）。", 1)
	same = strings.Replace(same, "category = \"救助帮扶\"\n", "category = \"救助帮扶\"\nchange_note = \"更正姓名\"\n", 1)
	_, board := read(same)
	h, _ := New(os.DirFS(dir), board)
	ws := h.Reposting(today)
	if len(ws) != 1 || ws[0].Severity != diag.Warning || ws[0].Pos.Line != 6 ||
		!strings.Contains(ws[0].Msg.In(diag.Zh), "公示期（2026年11月2日至2026年11月8日）已经结束") ||
		!strings.Contains(ws[0].Hint.In(diag.Zh), "notice = { from = 2026-11-20, to = 2026-11-26 }") {
		t.Errorf("amended after the period: %v, want one warning at line 6 suggesting 2026-11-20 to 2026-11-26", ws)
	}
	if ws := h.Reposting(time.Date(2026, 11, 8, 0, 0, 0, 0, loc)); len(ws) != 0 {
		t.Errorf("amended on the last day of the period: %v, want nothing", ws)
	}
	renewed := strings.Replace(same, "notice = { from = 2026-11-02, to = 2026-11-08 }", "notice = { from = 2026-11-20, to = 2026-11-26 }", 1)
	rec, board := read(renewed)
	h, _ = New(os.DirFS(dir), board)
	if ws := h.Reposting(today); len(ws) != 0 {
		t.Errorf("amended with a new period: %v, want nothing", ws)
	}
	if vs := h.Versions(rec); !vs.Renotice || vs.Current.Verb != "更正" {
		t.Errorf("versions of the amendment with a new period: renotice %v, verb %q", vs.Renotice, vs.Current.Verb)
	}
	rec, board = read(same)
	h, _ = New(os.DirFS(dir), board)
	if vs := h.Versions(rec); vs.Renotice {
		t.Error("an amendment keeping its period is called a re-posting")
	}
}
