package build_test

import (
	"testing"
	"testing/fstest"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/history"
	"gongkai/generator/internal/testboard"
)

// The ledger's checks are the pipeline's: an edited archive is an error
// of every build, a silent edit of a published record a warning with
// the code ledger.unregistered, which check fails on and build does not.
func TestPipelineLedgerChecks(t *testing.T) {
	fsys := testboard.Demo(t, nil)
	arch := "_archive/disclosures/2026-q2-caiwu/v1.md"
	fsys[arch] = &fstest.MapFile{Data: append(append([]byte(nil), fsys[arch].Data...), "改"...)}
	s := build.Check(build.Options{Src: fsys, Today: today})
	found := false
	for _, d := range s.Diags {
		found = found || d.Pos.File == arch && d.Severity == diag.Error
	}
	if !found || !s.Failed(false) {
		t.Errorf("an edited archive is not an error of the build: %v", s.Diags)
	}

	fsys = testboard.Demo(t, nil)
	f := fsys["disclosures/2026-q2-caiwu.md"]
	f.Data = append(append([]byte(nil), f.Data...), "\n补充。\n"...)
	s = build.Check(build.Options{Src: fsys, Today: today})
	if !s.Diags.Has(history.CodeUnregistered) || s.Failed(false) || !s.Failed(true) || !s.FailedCheck(false) {
		t.Errorf("a silent edit: diagnostics %v; failed %v, strict %v, check %v", s.Diags, s.Failed(false), s.Failed(true), s.FailedCheck(false))
	}
}

// One rule for the time zone: the site's, or the default Asia/Shanghai,
// never the machine's.
func TestPipelineZone(t *testing.T) {
	t.Setenv("TZ", "America/New_York")
	s := build.Check(build.Options{Src: loadBoard(t, boardTxtar), Today: time.Date(2026, 11, 27, 23, 0, 0, 0, time.UTC)})
	if got := s.Today.Format(time.RFC3339); got != "2026-11-27T00:00:00+08:00" {
		t.Errorf("today = %s", got)
	}
	at := build.ReleaseTime(build.Options{Today: time.Date(2026, 7, 8, 0, 0, 0, 0, time.UTC)}, s)
	if got := at.Format(time.RFC3339); got != "2026-07-08T12:00:00+08:00" {
		t.Errorf("release time = %s", got)
	}
	if now := build.ReleaseTime(build.Options{}, s); now.Location() != s.Today.Location() {
		t.Errorf("a release now is in %v", now.Location())
	}
}
