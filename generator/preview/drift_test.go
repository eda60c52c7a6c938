package preview

import (
	"bytes"
	"math/rand"
	"os"
	"strings"
	"testing"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/history"
	"gongkai/generator/ledger"
	"gongkai/generator/record"
)

// demoServe is the demo board on disk behind a Builder whose stages run
// before Update returns.
func demoServe(t *testing.T) (*board, *Builder, *bytes.Buffer) {
	t.Helper()
	bd := &board{t: t, dir: copyDemo(t), rng: rand.New(rand.NewSource(1))}
	var log bytes.Buffer
	b := NewBuilder(build.Options{Src: os.DirFS(bd.dir), Today: testToday}, &log, diag.Zh)
	b.ExtrasDelay = -1
	if res, err := b.Full(); err != nil || res.Problems != nil {
		t.Fatalf("demo board: %v %v", err, res.Problems)
	}
	return bd, b, &log
}

// A TOML error in a minutes record is reported at that record only: the
// decision that links it is not said to link a record that does not
// exist (serve once forgot which records had failed to decode).
func TestServeBrokenMinutesIsNotAMissingLink(t *testing.T) {
	bd, b, _ := demoServe(t)
	const minutes = "minutes/2026-03-18-daibiao.md"
	if b.Board().Get("decisions/2026-03-guiyuan-gaizao") == nil {
		t.Fatal("the demo board has no decision linking the minutes")
	}
	bd.write(minutes, strings.Replace(bd.read(minutes), `title = "`, "title = \"未闭合\n", 1))
	res, err := b.Update([]Change{{Path: minutes}})
	if err != nil || res.Problems == nil {
		t.Fatalf("the broken minutes are not a problem: %v", err)
	}
	for _, d := range b.Diagnostics() {
		if d.Code == record.CodeLinkMissing || strings.Contains(d.Msg.Zh, "不存在") {
			t.Errorf("serve reports a missing link: %s", d.Format(diag.Zh))
		}
		if d.Severity == diag.Error && d.Pos.File != minutes {
			t.Errorf("an error outside the broken file: %s", d.Format(diag.Zh))
		}
	}
	_, ds := build.Load(build.Options{Src: os.DirFS(bd.dir), Today: testToday})
	if got, want := diagText(b.Diagnostics()), diagText(ds); got != want {
		t.Errorf("serve reports\n%s\nbuild reports\n%s", got, want)
	}
}

// A published record edited without a new change_note is reported by
// serve as by build: a warning with the code ledger.unregistered, printed
// on the terminal.
func TestServeWarnsAboutUnregisteredChange(t *testing.T) {
	bd, b, log := demoServe(t)
	const file = "disclosures/2026-q2-caiwu.md"
	bd.write(file, bd.read(file)+"\n补充一句，没有写修改原因。\n")
	if _, err := b.Update([]Change{{Path: file}}); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range b.Diagnostics() {
		if d.Code == history.CodeUnregistered && d.Pos.File == file && d.Severity == diag.Warning {
			found = true
		}
	}
	if !found {
		t.Errorf("no ledger.unregistered warning for %s: %v", file, b.Diagnostics())
	}
	if !strings.Contains(log.String(), file) || !strings.Contains(log.String(), "未登记的修改") {
		t.Errorf("the warning was not printed:\n%s", log.String())
	}
	if page, _ := b.Get("disclosures/2026-q2-caiwu/index.html"); !bytes.Contains(page, []byte("尚未登记")) {
		t.Error("the page does not show the pending version")
	}
}

// After `gongkai publish`, the served page shows the registered version,
// without a restart: serve reads ledger.jsonl again when it changes.
func TestServeFollowsPublish(t *testing.T) {
	bd, b, _ := demoServe(t)
	const file, page = "disclosures/2026-q2-caiwu.md", "disclosures/2026-q2-caiwu/index.html"
	text := strings.Replace(bd.read(file), "+++\n", "+++\nchange_note = \"补充说明\"\n", 1) + "\n补充说明。\n"
	bd.write(file, text)
	if _, err := b.Update([]Change{{Path: file}}); err != nil {
		t.Fatal(err)
	}
	if p, _ := b.Get(page); !bytes.Contains(p, []byte("尚未登记")) {
		t.Fatal("before publish the page does not show the pending version")
	}
	rel, ds := publish(t, build.Options{Src: os.DirFS(bd.dir), Today: testToday}, bd.dir, "补充说明", nil)
	if rel == nil {
		t.Fatalf("publish: %v", ds)
	}
	if _, err := b.Update([]Change{{Path: ledger.FileName}, {Path: ledger.ArchiveDir, Structural: true}, {Path: ledger.CheckpointDir, Structural: true}}); err != nil {
		t.Fatal(err)
	}
	p, _ := b.Get(page)
	if bytes.Contains(p, []byte("尚未登记")) {
		t.Error("after publish the served page still says 尚未登记")
	}
	if !bytes.Contains(p, []byte("补充说明")) {
		t.Error("after publish the served page lacks the change note")
	}
	if len(b.Diagnostics()) != 0 {
		t.Errorf("diagnostics after publish: %v", b.Diagnostics())
	}
}

// publish is gongkai publish of the content folder dir (opt.Src reads
// it), unsigned.
func publish(t testing.TB, opt build.Options, dir, message string, withdraw map[string]string) (*ledger.Release, diag.List) {
	t.Helper()
	s := build.Check(opt)
	if ds, blocked := s.PublishBlocked(); blocked {
		return nil, ds
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	return build.Publish(s, root, ledger.PublishOptions{Message: message, Withdraw: withdraw, Now: build.ReleaseTime(opt, s), Keys: s.Board.Site.Ledger})
}
