package ledger

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"gongkai/generator/diag"
)

var (
	cst = time.FixedZone("CST", 8*3600)
	day = time.Date(2026, 7, 1, 9, 30, 0, 0, cst)
)

// rec makes a Current whose bytes hold the body and the change note, the
// way a record file would.
func rec(id, body, note string) Current {
	b := "+++\ntitle = \"" + id + "\"\n"
	if note != "" {
		b += "change_note = \"" + note + "\"\n"
	}
	b += "+++\n" + body + "\n"
	return Current{ID: id, File: id + ".md", Bytes: []byte(b), ChangeNote: note}
}

// expiring returns c with unpublish_after set.
func expiring(c Current, after time.Time) Current {
	c.UnpublishAfter = after
	return c
}

// mustPublish publishes and fails the test on any error.
func mustPublish(t *testing.T, dir string, cur []Current, opt PublishOptions) *Release {
	t.Helper()
	r, ds := Publish(openRoot(t, dir), cur, opt)
	if ds.HasErrors() {
		t.Fatalf("publish: %s", format(ds))
	}
	if r == nil {
		t.Fatalf("publish registered nothing: %s", format(ds))
	}
	return r
}

// openRoot opens dir as the content folder, for the test's duration.
func openRoot(t testing.TB, dir string) *os.Root {
	t.Helper()
	r, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// format renders diagnostics for test failures.
func format(ds diag.List) string {
	var b strings.Builder
	ds.Print(&b, diag.Zh)
	return b.String()
}

// find returns the first diagnostic at pos (by its String form) whose
// Chinese message contains text.
func find(ds diag.List, pos, text string) (diag.Diagnostic, bool) {
	for _, d := range ds {
		if d.Pos.String() == pos && strings.Contains(d.Msg.Zh, text) {
			return d, true
		}
	}
	return diag.Diagnostic{}, false
}

func readLedger(t *testing.T, dir string) *Ledger {
	t.Helper()
	l, ds := Read(os.DirFS(dir))
	if len(ds) > 0 {
		t.Fatalf("read: %s", format(ds))
	}
	return l
}

func actions(es []Entry) string {
	var s []string
	for _, e := range es {
		if e.Record == "" {
			s = append(s, e.Action)
		} else {
			s = append(s, fmt.Sprintf("%s %s v%d", e.Action, e.Record, e.Version))
		}
	}
	return strings.Join(s, "; ")
}

func TestLifeOfANotice(t *testing.T) {
	dir := t.TempDir()
	fsys := os.DirFS(dir)
	id := "disclosures/2026-q2-caiwu"
	v1 := expiring(rec(id, "第二季度收支如下。", ""), time.Date(2026, 9, 30, 0, 0, 0, 0, cst))

	// Publish version 1.
	r := mustPublish(t, dir, []Current{v1}, PublishOptions{Message: "首次发布", Now: day})
	if got, want := actions(r.Lines), "publish "+id+" v1; release"; got != want {
		t.Fatalf("release 1 = %s, want %s", got, want)
	}
	if r.Number != 1 || r.Checkpoint.Size != 2 {
		t.Errorf("release 1: number %d, checkpoint size %d", r.Number, r.Checkpoint.Size)
	}
	if got := string(r.Lines[0].Raw); !strings.HasPrefix(got, `{"seq":1,"at":"2026-07-01T09:30:00+08:00","release":1,"record":"disclosures/2026-q2-caiwu","version":1,"action":"publish","sha256":"`) {
		t.Errorf("first line = %s", got)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "_archive", "disclosures", "2026-q2-caiwu", "v1.md")); err != nil || !bytes.Equal(b, v1.Bytes) {
		t.Fatalf("archive v1 = %q, %v", b, err)
	}
	if ds := Verify(fsys, []Current{v1}); len(ds) > 0 {
		t.Fatalf("verify after v1: %s", format(ds))
	}

	// A silent edit is refused by publish and reported by verify.
	before, _ := os.ReadFile(filepath.Join(dir, FileName))
	silent := v1
	silent.Bytes = []byte(strings.Replace(string(v1.Bytes), "收支", "收入", 1))
	r, ds := Publish(openRoot(t, dir), []Current{silent}, PublishOptions{Message: "更正", Now: day.Add(time.Hour)})
	if r != nil || !ds.HasErrors() {
		t.Fatalf("publish accepted a silent edit: %v", format(ds))
	}
	if d, ok := find(ds, id+".md", "不能发布修改"); !ok || !strings.Contains(d.Hint.Zh, "change_note") {
		t.Errorf("publish refusal = %s", format(ds))
	}
	if after, _ := os.ReadFile(filepath.Join(dir, FileName)); !bytes.Equal(before, after) {
		t.Errorf("refused publish changed the ledger")
	}
	if _, err := os.Stat(filepath.Join(dir, LockName)); err == nil {
		t.Errorf("refused publish left the lock file")
	}
	if ds := Verify(fsys, []Current{silent}); !ds.HasErrors() {
		t.Errorf("verify missed the silent edit")
	} else if _, ok := find(ds, id+".md", "未登记的修改"); !ok {
		t.Errorf("verify silent edit = %s", format(ds))
	}

	// With a change_note it is a pending amendment, then version 2.
	v2 := expiring(rec(id, "第二季度收入如下。", "补充审核说明"), v1.UnpublishAfter)
	ds = Verify(fsys, []Current{v2})
	if ds.HasErrors() || len(ds) != 1 || ds[0].Pos.File != id+".md" {
		t.Errorf("pending amendment: %s", format(ds))
	}
	r = mustPublish(t, dir, []Current{v2}, PublishOptions{Message: "更正", Now: day.Add(2 * time.Hour)})
	if got, want := actions(r.Lines), "amend "+id+" v2; release"; got != want {
		t.Fatalf("release 2 = %s, want %s", got, want)
	}
	l := readLedger(t, dir)
	vs := l.Versions(id)
	if len(vs) != 2 || vs[0].N != 1 || vs[1].N != 2 || vs[1].Note != "补充审核说明" || vs[1].Release != 2 || vs[1].Leaf != 2 {
		t.Fatalf("versions = %+v", vs)
	}
	for n, want := range map[int]Current{1: v1, 2: v2} {
		b, err := l.Archived(fsys, id, n)
		if err != nil || !bytes.Equal(b, want.Bytes) {
			t.Errorf("Archived v%d = %q, %v", n, b, err)
		}
	}
	if ds := Verify(fsys, []Current{v2}); len(ds) > 0 {
		t.Fatalf("verify after v2: %s", format(ds))
	}

	// The same change_note again for a further edit is refused.
	v2b := v2
	v2b.Bytes = append(bytes.Clone(v2.Bytes), "又改了一处。\n"...)
	if _, ds := Publish(openRoot(t, dir), []Current{v2b}, PublishOptions{Message: "再改", Now: day.Add(3 * time.Hour)}); !ds.HasErrors() {
		t.Errorf("publish accepted an edit that kept the old change_note")
	}

	// Removing the record needs a reason.
	other := rec("pages/about", "关于本栏。", "")
	_, ds = Publish(openRoot(t, dir), []Current{other}, PublishOptions{Message: "撤回", Now: day.AddDate(0, 0, 1)})
	if d, ok := find(ds, "ledger.jsonl:3", id+"（第2版，2026-07-01 登记）的文件不见了，但没有登记撤回"); !ok || !strings.Contains(d.Hint.Zh, `gongkai publish -m "撤回 `+id+`" --withdraw `+id+`="撤回理由"`) {
		t.Errorf("removal without reason: %s", format(ds))
	}
	_, ds = Publish(openRoot(t, dir), []Current{other}, PublishOptions{Message: "撤回", Now: day.AddDate(0, 0, 1), Withdraw: map[string]string{id: " "}})
	if _, ok := find(ds, "", "必须写明理由"); !ok {
		t.Errorf("withdraw without reason: %s", format(ds))
	}
	r = mustPublish(t, dir, []Current{other}, PublishOptions{Message: "撤回", Now: day.AddDate(0, 0, 1), Withdraw: map[string]string{id: "数据有误，重新核算"}})
	if got, want := actions(r.Lines), "withdraw "+id+" v2; publish pages/about v1; release"; got != want {
		t.Fatalf("release 3 = %s, want %s", got, want)
	}
	l = readLedger(t, dir)
	if w, reason, exp := l.State(id); !w || reason != "数据有误，重新核算" || exp {
		t.Errorf("State = %v %q %v", w, reason, exp)
	}
	if ds := Verify(fsys, []Current{other}); len(ds) > 0 {
		t.Fatalf("verify after withdraw: %s", format(ds))
	}

	// It comes back corrected and expires after unpublish_after.
	v3 := expiring(rec(id, "第二季度收入（重新核算）如下。", "重新核算后发布"), v1.UnpublishAfter)
	r = mustPublish(t, dir, []Current{v3, other}, PublishOptions{Message: "重新发布", Now: day.AddDate(0, 0, 2)})
	if got, want := actions(r.Lines), "amend "+id+" v3; release"; got != want {
		t.Fatalf("release 4 = %s, want %s", got, want)
	}
	// On unpublish_after itself it is still public.
	r, ds = Publish(openRoot(t, dir), []Current{v3, other}, PublishOptions{Message: "到期", Now: time.Date(2026, 9, 30, 23, 0, 0, 0, cst)})
	if r != nil || ds.HasErrors() || len(ds) != 1 || !strings.Contains(ds[0].Msg.Zh, "没有需要登记的变更") {
		t.Fatalf("publish on the last day: %v %s", r, format(ds))
	}
	r = mustPublish(t, dir, []Current{v3, other}, PublishOptions{Message: "到期", Now: time.Date(2026, 10, 1, 8, 0, 0, 0, cst)})
	if got, want := actions(r.Lines), "expire "+id+" v3; release"; got != want {
		t.Fatalf("release 5 = %s, want %s", got, want)
	}
	if r.Lines[0].Note != "unpublish_after = 2026-09-30" {
		t.Errorf("expire note = %q", r.Lines[0].Note)
	}
	// Once only.
	if r, _ := Publish(openRoot(t, dir), []Current{v3, other}, PublishOptions{Message: "到期", Now: time.Date(2026, 10, 2, 8, 0, 0, 0, cst)}); r != nil {
		t.Errorf("expired twice: %s", actions(r.Lines))
	}
	l = readLedger(t, dir)
	if w, _, exp := l.State(id); w || !exp {
		t.Errorf("State after expiry = %v %v", w, exp)
	}
	rels := l.Releases()
	var msgs []string
	for _, rel := range rels {
		msgs = append(msgs, fmt.Sprintf("%d:%s:%d", rel.Number, rel.Message, len(rel.Lines)))
	}
	if got, want := strings.Join(msgs, " "), "1:首次发布:1 2:更正:1 3:撤回:2 4:重新发布:1 5:到期:1"; got != want {
		t.Errorf("releases = %s, want %s", got, want)
	}
	if last := rels[len(rels)-1]; last.Checkpoint != l.Checkpoint() || last.Seq != int(l.Size()) {
		t.Errorf("last release checkpoint %v, ledger %v", last.Checkpoint, l.Checkpoint())
	}
	if ds := Verify(fsys, []Current{v3, other}); len(ds) > 0 {
		t.Fatalf("verify at the end: %s", format(ds))
	}
	if v, ok := l.Last(id); !ok || v.N != 3 || v.Action != ActionAmend {
		t.Errorf("Last = %+v, %v", v, ok)
	}
}

func TestPublishRefusals(t *testing.T) {
	dir := t.TempDir()
	a := rec("decisions/2026-003", "决议。", "")
	mustPublish(t, dir, []Current{a}, PublishOptions{Message: "首次发布", Now: day})
	tests := []struct {
		name     string
		cur      []Current
		opt      PublishOptions
		pos, msg string
	}{
		{"no message", []Current{a, rec("pages/b", "b", "")}, PublishOptions{}, "", "缺少发布说明"},
		{"withdraw unknown", []Current{a}, PublishOptions{Message: "m", Withdraw: map[string]string{"decisions/2026-03": "x"}}, "", "没有这个已发布的记录"},
		{"withdraw present", []Current{a}, PublishOptions{Message: "m", Withdraw: map[string]string{a.ID: "x"}}, a.File, "它的文件"},
		{"duplicate id", []Current{a, {ID: a.ID, File: "decisions/2026-003/index.md"}}, PublishOptions{Message: "m"}, "decisions/2026-003/index.md", "重复"},
		{"bad id", []Current{a, {ID: "../x", File: "x.md"}}, PublishOptions{Message: "m"}, "x.md", "无效"},
	}
	before, _ := os.ReadFile(filepath.Join(dir, FileName))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.Now = day.Add(time.Hour)
			r, ds := Publish(openRoot(t, dir), tt.cur, tt.opt)
			if r != nil || !ds.HasErrors() {
				t.Fatalf("publish accepted: %s", format(ds))
			}
			if _, ok := find(ds, tt.pos, tt.msg); !ok {
				t.Errorf("want %q at %q, got %s", tt.msg, tt.pos, format(ds))
			}
			if after, _ := os.ReadFile(filepath.Join(dir, FileName)); !bytes.Equal(before, after) {
				t.Errorf("refused publish changed the ledger")
			}
		})
	}
	t.Run("suggestion", func(t *testing.T) {
		_, ds := Publish(openRoot(t, dir), []Current{}, PublishOptions{Message: "m", Withdraw: map[string]string{"decisions/2026-03": "x"}})
		if d, ok := find(ds, "", "没有这个已发布的记录"); !ok || !strings.Contains(d.Hint.Zh, a.ID) {
			t.Errorf("no suggestion: %s", format(ds))
		}
	})
}

func TestArchiveNeverOverwritten(t *testing.T) {
	a := rec("pages/about", "关于。", "")
	a2 := rec("pages/about", "关于（改）。", "改")
	for _, tt := range []struct {
		name     string
		before   []Current // published first, when set
		cur      Current
		archive  string
		orphan   []byte
		ok       bool
		pos, msg string // the refusal
	}{
		{"same bytes left by an interrupted first publish", nil, a, "v1.md", a.Bytes, true, "", ""},
		{"different bytes and no ledger", nil, a, "v1.md", []byte("别的内容\n"), false, FileName, "找不到账本"},
		{"same bytes left by an interrupted amendment", []Current{a}, a2, "v2.md", a2.Bytes, true, "", ""},
		{"different bytes", []Current{a}, a2, "v2.md", []byte("别的内容\n"), false, "_archive/pages/about/v2.md", "不会覆盖"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.before != nil {
				mustPublish(t, dir, tt.before, PublishOptions{Message: "首次发布", Now: day})
			}
			p := filepath.Join(dir, "_archive", "pages", "about", tt.archive)
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, tt.orphan, 0o644)
			r, ds := Publish(openRoot(t, dir), []Current{tt.cur}, PublishOptions{Message: "m", Now: day.Add(time.Hour)})
			if got := r != nil && !ds.HasErrors(); got != tt.ok {
				t.Fatalf("publish ok = %v, want %v: %s", got, tt.ok, format(ds))
			}
			if !tt.ok {
				if _, found := find(ds, tt.pos, tt.msg); !found {
					t.Errorf("refusal = %s", format(ds))
				}
			}
			if b, _ := os.ReadFile(p); !bytes.Equal(b, tt.orphan) {
				t.Errorf("archive overwritten")
			}
		})
	}
}

// board makes a content folder with three releases and returns it with
// its working tree.
func board(t *testing.T) (string, []Current) {
	t.Helper()
	dir := t.TempDir()
	a1 := rec("disclosures/a", "甲。", "")
	b := rec("decisions/b", "乙。", "")
	c := rec("minutes/c", "丙。", "")
	mustPublish(t, dir, []Current{a1, b}, PublishOptions{Message: "首次发布", Now: day})
	a2 := rec("disclosures/a", "甲（更正）。", "更正笔误")
	mustPublish(t, dir, []Current{a2, b}, PublishOptions{Message: "更正", Now: day.Add(time.Hour)})
	mustPublish(t, dir, []Current{a2, c}, PublishOptions{Message: "撤回乙", Now: day.Add(2 * time.Hour), Withdraw: map[string]string{"decisions/b": "重复发布"}})
	return dir, []Current{a2, c}
}

func editFile(t *testing.T, name, old, new string) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	os.WriteFile(name, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644)
}

func editLines(t *testing.T, dir string, fn func([]string) []string) {
	t.Helper()
	name := filepath.Join(dir, FileName)
	b, _ := os.ReadFile(name)
	ls := strings.SplitAfter(string(b), "\n")
	ls = ls[:len(ls)-1] // the empty string after the last newline
	os.WriteFile(name, []byte(strings.Join(fn(ls), "")), 0o644)
}

func TestVerifyCatchesTampering(t *testing.T) {
	tests := []struct {
		name     string
		tamper   func(t *testing.T, dir string, cur []Current) []Current
		pos, msg string
	}{
		{"edited archive", func(t *testing.T, dir string, cur []Current) []Current {
			editFile(t, filepath.Join(dir, "_archive/disclosures/a/v1.md"), "甲", "丁")
			return cur
		}, "_archive/disclosures/a/v1.md", "与账本登记的哈希不符"},
		{"removed archive", func(t *testing.T, dir string, cur []Current) []Current {
			os.Remove(filepath.Join(dir, "_archive/decisions/b/v1.md"))
			return cur
		}, "_archive/decisions/b/v1.md", "缺少归档文件"},
		{"extra archive", func(t *testing.T, dir string, cur []Current) []Current {
			os.WriteFile(filepath.Join(dir, "_archive/disclosures/a/v3.md"), []byte("x"), 0o644)
			return cur
		}, "_archive/disclosures/a/v3.md", "多余的归档文件"},
		{"edited ledger line", func(t *testing.T, dir string, cur []Current) []Current {
			editFile(t, filepath.Join(dir, FileName), "更正笔误", "更正错误")
			return cur
		}, "ledger.jsonl:5", "prev 与第 4 条的 SHA-256 不符"},
		{"edited change line in the last release", func(t *testing.T, dir string, cur []Current) []Current {
			editFile(t, filepath.Join(dir, FileName), "重复发布", "数据有误")
			return cur
		}, "ledger.jsonl:8", "sha256 与本次发布的变更行不符"},
		{"dropped ledger line", func(t *testing.T, dir string, cur []Current) []Current {
			editLines(t, dir, func(ls []string) []string { return append(ls[:1:1], ls[2:]...) })
			return cur
		}, "ledger.jsonl:2", "seq 是 3，应为 2"},
		{"reordered ledger lines", func(t *testing.T, dir string, cur []Current) []Current {
			editLines(t, dir, func(ls []string) []string { return append(ls[1:], ls[0]) })
			return cur
		}, "ledger.jsonl:1", "seq 是 2，应为 1"},
		{"swapped neighbours", func(t *testing.T, dir string, cur []Current) []Current {
			editLines(t, dir, func(ls []string) []string { ls[3], ls[4] = ls[4], ls[3]; return ls })
			return cur
		}, "ledger.jsonl:4", "seq 是 5，应为 4"},
		{"inserted ledger line", func(t *testing.T, dir string, cur []Current) []Current {
			editLines(t, dir, func(ls []string) []string { return append(ls[:3:3], append([]string{ls[1]}, ls[3:]...)...) })
			return cur
		}, "ledger.jsonl:4", "seq 是 2，应为 4"},
		{"dropped last lines", func(t *testing.T, dir string, cur []Current) []Current {
			editLines(t, dir, func(ls []string) []string { return ls[:len(ls)-1] })
			return cur
		}, "ledger.jsonl:7", "没有 release 行"},
		{"hand-formatted line", func(t *testing.T, dir string, cur []Current) []Current {
			editFile(t, filepath.Join(dir, FileName), `"seq":2,`, `"seq": 2,`)
			return cur
		}, "ledger.jsonl:2", "格式错误"},
		{"silent edit of a published record", func(t *testing.T, dir string, cur []Current) []Current {
			cur[0].Bytes = []byte(strings.Replace(string(cur[0].Bytes), "甲", "戊", 1))
			return cur
		}, "disclosures/a.md", "未登记的修改"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, cur := board(t)
			if ds := Verify(os.DirFS(dir), cur); len(ds) > 0 {
				t.Fatalf("untouched board: %s", format(ds))
			}
			cur = tt.tamper(t, dir, cur)
			ds := Verify(os.DirFS(dir), cur)
			if !ds.HasErrors() {
				t.Fatalf("verify missed it")
			}
			if _, ok := find(ds, tt.pos, tt.msg); !ok {
				t.Errorf("want %q at %s, got:\n%s", tt.msg, tt.pos, format(ds))
			}
			// Publish refuses to build on a broken ledger or archive.
			if tt.pos != "disclosures/a.md" {
				next := append(cur, rec("pages/new", "新。", ""))
				if r, ds := Publish(openRoot(t, dir), next, PublishOptions{Message: "m", Now: day.AddDate(0, 0, 1)}); r != nil || !ds.HasErrors() {
					t.Errorf("publish on a tampered board succeeded")
				}
			}
		})
	}
}

// rechain rewrites the ledger so its chain is consistent again after an
// edit, as someone rewriting history would.
func rechain(t *testing.T, dir string) {
	t.Helper()
	b, _ := os.ReadFile(filepath.Join(dir, FileName))
	l, ds := parse(b)
	if len(ds) > 0 {
		t.Fatal(format(ds))
	}
	var out, group []byte
	prev := ""
	for _, e := range l.Entries {
		ln := line{Seq: e.Seq, At: e.At.Format(time.RFC3339), Release: e.Release, Record: e.Record,
			Version: e.Version, Action: e.Action, SHA256: e.SHA256, Note: e.Note, Prev: prev}
		if e.Action == ActionRelease {
			ln.SHA256, group = Sum(group), nil
		}
		raw := encode(ln)
		if e.Action != ActionRelease {
			group = append(append(group, raw...), '\n')
		}
		out = append(append(out, raw...), '\n')
		prev = Sum(raw)
	}
	os.WriteFile(filepath.Join(dir, FileName), out, 0o644)
}

func TestCheckpoints(t *testing.T) {
	dir, cur := board(t)
	fsys := os.DirFS(dir)
	l := readLedger(t, dir)
	first := l.Releases()[0].Checkpoint
	if first.Size != 3 {
		t.Fatalf("first checkpoint size %d", first.Size)
	}
	now := l.Checkpoint()

	t.Run("text form", func(t *testing.T) {
		s := now.String()
		if !strings.HasPrefix(s, "gongkai ledger\n8\n") || !strings.HasSuffix(s, "\n") {
			t.Errorf("String = %q", s)
		}
		for _, text := range []string{s, strings.ReplaceAll(s, "\n", "\r\n"), "  " + strings.TrimSuffix(s, "\n")} {
			if c, err := ParseCheckpoint(text); err != nil || c != now {
				t.Errorf("ParseCheckpoint(%q) = %v, %v", text, c, err)
			}
		}
		for _, bad := range []string{"", "go.sum database tree\n1\nAAAA\n", "gongkai ledger\n-1\n" + now.Hash.String(), "gongkai ledger\n01\n" + now.Hash.String(), "gongkai ledger\n1\nxyz\n"} {
			if _, err := ParseCheckpoint(bad); err == nil {
				t.Errorf("ParseCheckpoint(%q) accepted", bad)
			}
		}
	})

	t.Run("honest history", func(t *testing.T) {
		mustPublish(t, dir, append(cur, rec("pages/new", "新。", "")), PublishOptions{Message: "新增", Now: day.AddDate(0, 0, 1)})
		l := readLedger(t, dir)
		for _, old := range []Checkpoint{{}, first, now, l.Checkpoint()} {
			if old.Size == 0 {
				old.Hash, _ = tlog.TreeHash(0, nil)
				old.Origin = LegacyOrigin
			}
			if ds := VerifySince(fsys, Keys{}, []byte(old.String())); len(ds) > 0 {
				t.Errorf("VerifySince(%d): %s", old.Size, format(ds))
			}
			p, err := l.ProveExtends(old)
			if err != nil {
				t.Errorf("ProveExtends(%d): %v", old.Size, err)
			}
			if err := CheckExtends(old, l.Checkpoint(), p); err != nil {
				t.Errorf("CheckExtends(%d): %v", old.Size, err)
			}
		}
	})

	t.Run("rewritten history", func(t *testing.T) {
		editFile(t, filepath.Join(dir, FileName), "首次发布", "第一次发布")
		rechain(t, dir)
		if ds := Verify(fsys, append(cur, rec("pages/new", "新。", ""))); len(ds) > 0 {
			t.Fatalf("the rewritten chain should pass the chain checks: %s", format(ds))
		}
		ds := VerifySince(fsys, Keys{}, []byte(now.String()))
		if _, ok := find(ds, "ledger.jsonl", "不是保存的检查点（8 条）的延续"); !ok {
			t.Errorf("VerifySince missed the rewrite: %s", format(ds))
		}
		l := readLedger(t, dir)
		if _, err := l.ProveExtends(now); !errors.Is(err, ErrNotExtends) {
			t.Errorf("ProveExtends = %v", err)
		}
	})

	t.Run("shortened ledger", func(t *testing.T) {
		editLines(t, dir, func(ls []string) []string { return ls[:5] })
		ds := VerifySince(fsys, Keys{}, []byte(now.String()))
		if _, ok := find(ds, "ledger.jsonl", "只有 5 条"); !ok {
			t.Errorf("VerifySince missed the cut: %s", format(ds))
		}
	})

	t.Run("malformed checkpoint", func(t *testing.T) {
		if ds := VerifySince(fsys, Keys{}, []byte("hello")); !ds.HasErrors() {
			t.Errorf("VerifySince accepted garbage")
		}
	})
}

func TestInclusionProofs(t *testing.T) {
	dir, _ := board(t)
	l := readLedger(t, dir)
	cp := l.Checkpoint()
	for _, e := range l.Entries {
		p, err := l.InclusionProof(e.Leaf())
		if err != nil {
			t.Fatalf("InclusionProof(%d): %v", e.Leaf(), err)
		}
		if err := tlog.CheckRecord(p, cp.Size, cp.Hash, e.Leaf(), tlog.RecordHash(e.Raw)); err != nil {
			t.Errorf("leaf %d: %v", e.Leaf(), err)
		}
		if err := CheckInclusion(cp, e.Leaf(), append(bytes.Clone(e.Raw), ' '), p); err == nil {
			t.Errorf("leaf %d: a changed line passed", e.Leaf())
		}
	}
	for _, leaf := range []int64{-1, cp.Size} {
		if _, err := l.InclusionProof(leaf); err == nil {
			t.Errorf("InclusionProof(%d) succeeded", leaf)
		}
	}
}

// faultyDisk fails its failAt-th operation.
type faultyDisk struct {
	Disk
	n, failAt int
	failed    string
}

var errInjected = errors.New("injected failure")

func (d *faultyDisk) step(op string) error {
	d.n++
	if d.n == d.failAt {
		d.failed = op
		return errInjected
	}
	return nil
}

func (d *faultyDisk) CreateExclusive(name string, data []byte) error {
	if err := d.step("create " + name); err != nil {
		return err
	}
	return d.Disk.CreateExclusive(name, data)
}

func (d *faultyDisk) Mkdir(name string) error {
	if err := d.step("mkdir " + name); err != nil {
		return err
	}
	return d.Disk.Mkdir(name)
}

func (d *faultyDisk) WriteTemp(dir string, data []byte) (string, error) {
	if err := d.step("write " + dir); err != nil {
		return "", err
	}
	return d.Disk.WriteTemp(dir, data)
}

func (d *faultyDisk) Rename(from, to string) error {
	if err := d.step("rename " + to); err != nil {
		return err
	}
	return d.Disk.Rename(from, to)
}

func (d *faultyDisk) Remove(name string) error {
	if err := d.step("remove " + name); err != nil {
		return err
	}
	return d.Disk.Remove(name)
}

func (d *faultyDisk) SyncDir(dir string) error {
	if err := d.step("sync " + dir); err != nil {
		return err
	}
	return d.Disk.SyncDir(dir)
}

// snapshot maps every file and folder under dir to its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return err
		}
		if d.IsDir() {
			m[p] = "<dir>"
			return nil
		}
		b, err := os.ReadFile(filepath.Join(dir, p))
		m[p] = string(b)
		return err
	})
	return m
}

func diff(a, b map[string]string) string {
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	return strings.Join(out, ", ")
}

// copyDir copies a content folder.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	for p, v := range snapshot(t, from) {
		q := filepath.Join(to, p)
		if v == "<dir>" {
			os.MkdirAll(q, 0o755)
			continue
		}
		os.MkdirAll(filepath.Dir(q), 0o755)
		os.WriteFile(q, []byte(v), 0o644)
	}
}

func TestPublishCrashSafety(t *testing.T) {
	base := t.TempDir()
	a := rec("disclosures/a", "甲。", "")
	b := rec("decisions/b", "乙。", "")
	mustPublish(t, base, []Current{a, b}, PublishOptions{Message: "首次发布", Now: day})
	// The next release amends a, adds records in new folders and withdraws b.
	cur := []Current{rec("disclosures/a", "甲（更正）。", "更正"), rec("minutes/c", "丙。", ""), rec("pages/d", "丁。", "")}
	opt := PublishOptions{Message: "第二次", Now: day.Add(time.Hour), Withdraw: map[string]string{"decisions/b": "重复"}}
	old := snapshot(t, base)

	want := t.TempDir()
	copyDir(t, base, want)
	mustPublish(t, want, cur, opt)
	next := snapshot(t, want)

	for k := 1; ; k++ {
		dir := t.TempDir()
		copyDir(t, base, dir)
		disk := &faultyDisk{Disk: RootDisk(openRoot(t, dir)), failAt: k}
		o := opt
		o.Disk = disk
		r, ds := Publish(openRoot(t, dir), cur, o)
		got := snapshot(t, dir)
		t.Logf("step %d: %s", k, disk.failed)
		if disk.failed == "" {
			if r == nil || len(ds) > 0 || diff(got, next) != "" {
				t.Fatalf("without failures: %v %s %s", r, format(ds), diff(got, next))
			}
			if k < 10 {
				t.Errorf("only %d steps: the test does not reach the interesting ones", k-1)
			}
			break
		}
		switch {
		case strings.Contains(disk.failed, CheckpointDir) && !strings.HasPrefix(disk.failed, "sync"):
			// The release stands without its checkpoint file; the next
			// publish writes it.
			if _, ok := find(ds, CheckpointDir, "检查点文件没能写入"); !ok || r == nil || ds.HasErrors() {
				t.Errorf("step %d (%s): %v %s", k, disk.failed, r, format(ds))
			}
			r, ds := Publish(openRoot(t, dir), cur, PublishOptions{Message: "再来", Now: day.Add(2 * time.Hour)})
			if r == nil || r.Number != 0 || len(r.Signed) != 1 {
				t.Errorf("step %d (%s): the next publish did not write the checkpoint: %v %s", k, disk.failed, r, format(ds))
			}
			if d := diff(snapshot(t, dir), next); d != "" {
				t.Errorf("step %d (%s): not the new state after the next publish: %s", k, disk.failed, d)
			}
		case disk.failed == "remove "+LockName:
			// The release stands; the stale lock is reported.
			if _, ok := find(ds, LockName, "无法删除锁文件"); !ok || r == nil {
				t.Errorf("step %d (%s): %s", k, disk.failed, format(ds))
			}
			delete(got, LockName)
			if d := diff(got, next); d != "" {
				t.Errorf("step %d (%s): not the new state: %s", k, disk.failed, d)
			}
		case ds.HasErrors():
			if r != nil {
				t.Errorf("step %d (%s): error and a release", k, disk.failed)
			}
			if d := diff(got, old); d != "" {
				t.Errorf("step %d (%s): not the old state: %s", k, disk.failed, d)
			}
		default:
			if d := diff(got, next); d != "" || r == nil {
				t.Errorf("step %d (%s): not the new state: %s", k, disk.failed, d)
			}
		}
	}
}

func TestLock(t *testing.T) {
	dir := t.TempDir()
	a := rec("pages/about", "关于。", "")
	lock := filepath.Join(dir, LockName)
	os.WriteFile(lock, []byte("pid 1\n"), 0o644)
	r, ds := Publish(openRoot(t, dir), []Current{a}, PublishOptions{Message: "m", Now: day})
	d, ok := find(ds, LockName, "正在进行")
	if r != nil || !ok || !strings.Contains(d.Hint.Zh, "删除 "+LockName) {
		t.Fatalf("publish under a held lock: %v %s", r, format(ds))
	}
	if _, err := os.Stat(lock); err != nil {
		t.Errorf("publish removed someone else's lock")
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); err == nil {
		t.Errorf("publish under a held lock wrote the ledger")
	}
	os.Remove(lock)

	// Publishes racing each other: one release, an intact ledger.
	var wg sync.WaitGroup
	rels := make([]*Release, 8)
	for i := range rels {
		wg.Go(func() {
			rels[i], _ = Publish(openRoot(t, dir), []Current{a}, PublishOptions{Message: "m", Now: day})
		})
	}
	wg.Wait()
	n := 0
	for _, r := range rels {
		if r != nil {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d releases from racing publishes, want 1", n)
	}
	if ds := Verify(os.DirFS(dir), []Current{a}); len(ds) > 0 {
		t.Errorf("verify after racing publishes: %s", format(ds))
	}
}

func TestReadMalformed(t *testing.T) {
	dir, _ := board(t)
	good, _ := os.ReadFile(filepath.Join(dir, FileName))
	first := strings.SplitN(string(good), "\n", 2)[0]
	tests := []struct {
		name, line, msg string
	}{
		{"not json", "{", "内容已损坏"},
		{"empty", "", "空行"},
		{"unknown key", strings.Replace(first, `"prev":""`, `"prev":"","x":1`, 1), "内容已损坏"},
		{"missing key", strings.Replace(first, `"note":"",`, "", 1), "格式不同"},
		{"bad action", strings.Replace(first, `"publish"`, `"delete"`, 1), "未知的 action"},
		{"bad id", strings.Replace(first, `"record":"decisions/b"`, `"record":"../../etc"`, 1), "记录编号"},
		{"bad time", strings.Replace(first, `"at":"2026-07-01T09:30:00+08:00"`, `"at":"昨天"`, 1), "RFC 3339"},
		{"two objects", first + first, "多个 JSON 对象"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(first + "\n" + tt.line + "\n")
			l, ds := parse(data)
			if _, ok := find(ds, "ledger.jsonl:2", tt.msg); !ok {
				t.Errorf("want %q, got %s", tt.msg, format(ds))
			}
			if len(l.Entries) != 1 || l.Size() != 2 {
				t.Errorf("entries %d, size %d", len(l.Entries), l.Size())
			}
		})
	}
	if l, ds := Read(os.DirFS(t.TempDir())); len(ds) > 0 || l.Size() != 0 || len(l.Releases()) != 0 {
		t.Errorf("missing ledger: %v %s", l, format(ds))
	}
}

func FuzzRead(f *testing.F) {
	dir := f.TempDir()
	mustPublishF(f, dir)
	good, _ := os.ReadFile(filepath.Join(dir, FileName))
	f.Add(good)
	f.Add([]byte{})
	f.Add([]byte("\n\n"))
	f.Add([]byte("{}\n"))
	f.Add(bytes.ReplaceAll(good, []byte("\n"), []byte("\r\n")))
	f.Add(good[:len(good)/2])
	withFiles := bytes.Replace(good, []byte(`","note":"","prev":""}`), []byte(`","files":{"a/表.csv":"`+Sum(nil)+`","b.pdf":"`+Sum([]byte("b"))+`"},"note":"","prev":""}`), 1)
	f.Add(withFiles)
	f.Fuzz(func(t *testing.T, data []byte) {
		l, _ := parse(data)
		l.checkChain()
		files := rec("pages/about", "x", "")
		files.Files = map[string]string{"表.csv": Sum(nil)}
		l.checkCurrent([]Current{rec("pages/about", "x", ""), files})
		for _, e := range l.Entries {
			for name, h := range e.Files {
				if !ValidFileName(name) || !isHex(h) || e.Action != ActionPublish && e.Action != ActionAmend {
					t.Fatalf("line %d: a file %q of %s was accepted", e.Line, name, e.Action)
				}
			}
		}
		l.Releases()
		cp := l.Checkpoint()
		for _, id := range l.Records() {
			l.Versions(id)
			l.State(id)
		}
		if cp.Size > 0 {
			p, err := l.InclusionProof(cp.Size - 1)
			if err != nil || CheckInclusion(cp, cp.Size-1, l.lines[cp.Size-1], p) != nil {
				t.Fatalf("inclusion proof of the last leaf: %v", err)
			}
			old, _ := l.CheckpointAt(cp.Size / 2)
			if _, err := l.ProveExtends(old); err != nil {
				t.Fatalf("ProveExtends(own prefix): %v", err)
			}
		}
	})
}

func mustPublishF(f *testing.F, dir string) {
	a := rec("pages/about", "关于。", "")
	if _, ds := Publish(openRoot(f, dir), []Current{a, rec("decisions/x", "决议 <&>", "")}, PublishOptions{Message: "首次 \"发布\"", Now: day}); ds.HasErrors() {
		f.Fatal(format(ds))
	}
	a2 := rec("pages/about", "关于（改）。", "改")
	if _, ds := Publish(openRoot(f, dir), []Current{a2}, PublishOptions{Message: "改", Now: day.Add(time.Hour), Withdraw: map[string]string{"decisions/x": "错"}}); ds.HasErrors() {
		f.Fatal(format(ds))
	}
}

func ExampleSum() {
	fmt.Println(Sum([]byte("公开\n"))[:16])
	// Output: 7ba1ccd38eae5d20
}

func ExampleParseCheckpoint() {
	c, err := ParseCheckpoint("gongkai ledger\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
	fmt.Println(c.Size, err)
	fmt.Print(c)
	// Output:
	// 0 <nil>
	// gongkai ledger
	// 0
	// 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
}

// TestStandings checks the light reading of the ledger against the full
// one, with a malformed line that it passes over.
func TestStandings(t *testing.T) {
	dir, _ := board(t)
	expiring := expiring(rec("pages/old", "旧。", ""), day.AddDate(0, 0, -1))
	mustPublish(t, dir, []Current{rec("disclosures/a", "甲（更正）。", "更正笔误"), rec("minutes/c", "丙。", ""), expiring}, PublishOptions{Message: "到期", Now: day.Add(3 * time.Hour)})
	f, _ := os.OpenFile(filepath.Join(dir, FileName), os.O_APPEND|os.O_WRONLY, 0o644)
	f.WriteString("{not json\n")
	f.Close()
	fsys := os.DirFS(dir)
	l, _ := Read(fsys)
	got := Standings(fsys)
	if len(got) != len(l.Records()) {
		t.Fatalf("Standings has %d records, the ledger %d", len(got), len(l.Records()))
	}
	for _, id := range l.Records() {
		last, _ := l.Last(id)
		w, _, e := l.State(id)
		if s := got[id]; s != (Standing{Version: last.N, Withdrawn: w, Expired: e}) {
			t.Errorf("%s: Standings %+v, ledger v%d withdrawn %v expired %v", id, s, last.N, w, e)
		}
	}
	if s := got["decisions/b"]; !s.Withdrawn || got["pages/old"].Expired != true || got["disclosures/a"].Version != 2 {
		t.Errorf("standings %+v", got)
	}
	if len(Standings(os.DirFS(t.TempDir()))) != 0 {
		t.Error("a folder without a ledger has standings")
	}
}
