package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecordFilesAreLedgered runs the files of a record as a clerk and a
// supervisor would: a number changed in the table of the demo's bundle,
// an attachment swapped, the amendment registered with its reason, the
// old bytes kept in the archive and on the version page, and the
// archived table tampered with.
func TestRecordFilesAreLedgered(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo board several times")
	}
	const (
		id    = "disclosures/guiyuan-gaizao"
		table = "资金明细.csv"
		att   = "验收意见.txt"
	)
	src, out := demoCopy(t)
	dir := filepath.Join(src, filepath.FromSlash(id))
	index := filepath.Join(dir, "index.md")
	build := func(extra ...string) (int, string) {
		return gkAll(t, append([]string{"build", "--src", src, "--out", out, "--date", "2026-11-27"}, extra...)...)
	}
	code, msg := build("--strict")
	want(t, "build --strict of the demo", code, 0, msg)
	oldTable := readFile(t, filepath.Join(dir, table))
	if got := readFile(t, filepath.Join(out, "ledger", "sources", id, "v2", table)); got != oldTable {
		t.Fatalf("the version page's registered table is not the archived one")
	}

	// A number of the accounts changes and nothing else.
	edit(t, filepath.Join(dir, table), "1286400.00", "1286700.00")
	code, msg = gkAll(t, "check", "--src", src, "--date", "2026-11-27")
	want(t, "check with a changed table", code, 1, msg, "未登记的修改", table)
	code, msg = gkAll(t, "check", "--json", "--src", src, "--date", "2026-11-27")
	want(t, "check --json with a changed table", code, 1, msg, `"code": "ledger.unregistered"`, `"file": "`+id+`/index.md"`)
	code, msg = build("--strict")
	want(t, "build --strict with a changed table", code, 1, msg, "未登记的修改", table)
	code, msg = build()
	want(t, "build with a changed table", code, 0, msg, "第3版（尚未登记）")
	code, msg = gkAll(t, "verify", "--src", src)
	want(t, "verify with a changed table", code, 1, msg, "未登记的修改", table)
	before := readFile(t, filepath.Join(src, "ledger.jsonl"))
	code, msg = gkAll(t, "publish", "--src", src, "-m", "改表", "--date", "2026-11-28")
	want(t, "publish of a changed table without a change_note", code, 1, msg, "不能发布修改", table, "change_note")
	if readFile(t, filepath.Join(src, "ledger.jsonl")) != before {
		t.Fatal("a refused publish changed the ledger")
	}

	// Swapping the attachment is the same.
	os.WriteFile(filepath.Join(dir, att), []byte("验收意见：不合格。\n"), 0o644)
	code, msg = build("--strict")
	want(t, "build --strict with a swapped attachment", code, 1, msg, "未登记的修改", att, table)

	// Registered with its reason: version 3; version 2's bytes stay.
	edit(t, index, `category = "工程项目"`, "category = \"工程项目\"\nchange_note = \"更正结算金额，换上复核后的验收意见\"")
	code, msg = gkAll(t, "publish", "--src", src, "-m", "更正改造资金", "--date", "2026-11-28")
	want(t, "publish of the amendment", code, 0, msg, "已登记第 4 次发布", "修订 "+id+" 为第3版")
	if got := readFile(t, filepath.Join(src, "_archive", id, "v2", table)); got != oldTable {
		t.Error("the archive lost version 2 of the table")
	}
	if got := readFile(t, filepath.Join(src, "_archive", id, "v3", table)); got != readFile(t, filepath.Join(dir, table)) {
		t.Error("the archive does not hold version 3 of the table")
	}
	code, msg = build("--strict")
	want(t, "build --strict after the amendment", code, 0, msg)
	v2 := readFile(t, filepath.Join(out, id, "v2", "index.html"))
	if !strings.Contains(v2, "ledger/sources/"+id+"/v2/") || !strings.Contains(v2, "这一版登记的附件和表格文件") {
		t.Errorf("the page of version 2 does not link its own files")
	}
	if !strings.Contains(v2, "1,286,400.00") || strings.Contains(v2, "1,286,700.00") {
		t.Errorf("the page of version 2 does not show its own table")
	}
	if v3 := readFile(t, filepath.Join(out, id, "index.html")); !strings.Contains(v3, "1,286,700.00") {
		t.Errorf("the record page does not show the amended table")
	}
	if got := readFile(t, filepath.Join(out, "ledger", "sources", id, "v2", att)); got == readFile(t, filepath.Join(dir, att)) {
		t.Error("version 2's attachment on the site is today's")
	}
	if d := readFile(t, filepath.Join(out, id, "v3", "diff", "index.html")); !strings.Contains(d, table+"：改动") || !strings.Contains(d, att+"：改动") {
		t.Errorf("the diff of version 3 does not name the changed files")
	}
	if d := readFile(t, filepath.Join(out, id, "v2", "diff", "index.html")); !strings.Contains(d, table+"：首次登记") {
		t.Errorf("the diff of version 2 does not say the files were first registered")
	}
	code, msg = gkAll(t, "verify", "--src", src, "--site", out)
	want(t, "verify --site after the amendment", code, 0, msg, "逐字节相同")

	// The archived table of version 2 tampered with.
	edit(t, filepath.Join(src, "_archive", id, "v2", table), "1", "2")
	code, msg = gkAll(t, "verify", "--src", src)
	want(t, "verify with a tampered archived table", code, 1, msg, "_archive/"+id+"/v2/"+table, "与账本登记的哈希不符")
	code, msg = build()
	want(t, "build with a tampered archived table", code, 1, msg, "_archive/"+id+"/v2/"+table)
}

// TestRecordFileThroughALink: a table that is a link to a file outside
// the content folder is refused as before, and its content shows nowhere.
func TestRecordFileThroughALink(t *testing.T) {
	src, out := demoCopy(t)
	secret := filepath.Join(t.TempDir(), "secret.csv")
	os.WriteFile(secret, []byte("项目,金额\n秘密项目,1.00\n"), 0o600)
	p := filepath.Join(src, "disclosures", "guiyuan-gaizao", "资金明细.csv")
	os.Remove(p)
	if err := os.Symlink(secret, p); err != nil {
		t.Skipf("SKIP: no symbolic links here: %v", err)
	}
	code, msg := gkAll(t, "check", "--src", src, "--date", "2026-11-27")
	want(t, "check with a linked table", code, 1, msg, "链接")
	code, msg2 := gkAll(t, "publish", "--src", src, "-m", "m", "--date", "2026-11-28")
	want(t, "publish with a linked table", code, 1, msg2)
	code, msg3 := gkAll(t, "build", "--src", src, "--out", out, "--date", "2026-11-27")
	if code == 0 {
		t.Errorf("build passed a linked table")
	}
	for _, m := range []string{msg, msg2, msg3} {
		if strings.Contains(m, "秘密") || strings.Contains(m, secret) {
			t.Errorf("a message shows what the link leads to:\n%s", m)
		}
	}
}

// TestFilesOfAnOldLedger: a board whose ledger was written before files
// were registered (the demo before its third release) is told its files
// are not registered, and the next publish registers them as a new
// version without a change_note, leaving the old lines as they were.
func TestFilesOfAnOldLedger(t *testing.T) {
	src, out := demoCopy(t)
	const id = "disclosures/guiyuan-gaizao"
	ledgerFile := filepath.Join(src, "ledger.jsonl")
	old := strings.SplitAfter(readFile(t, ledgerFile), "\n")[:47]
	os.WriteFile(ledgerFile, []byte(strings.Join(old, "")), 0o644)
	for _, p := range []string{filepath.Join("_archive", id, "v2.md"), filepath.Join("_archive", id, "v2"), filepath.Join("_checkpoints", "49.txt")} {
		if err := os.RemoveAll(filepath.Join(src, p)); err != nil {
			t.Fatal(err)
		}
	}
	code, msg := gkAll(t, "check", "--json", "--src", src, "--date", "2026-11-27")
	want(t, "check of an old ledger", code, 0, msg, `"code": "ledger.pending"`, "还没有登记", "资金明细.csv")
	code, msg = gkAll(t, "build", "--strict", "--src", src, "--out", out, "--date", "2026-11-27")
	want(t, "build --strict of an old ledger", code, 1, msg, "还没有登记")
	code, msg = gkAll(t, "publish", "--src", src, "-m", "登记附件和表格", "--date", "2026-11-28")
	want(t, "publish registering the files", code, 0, msg, "修订 "+id+" 为第2版", "登记附件和表格文件")
	now := readFile(t, ledgerFile)
	if !strings.HasPrefix(now, strings.Join(old, "")) || !strings.Contains(now, `"files":{"资金明细.csv":"`) {
		t.Errorf("the registering publish did not append the files:\n%s", now)
	}
	code, msg = gkAll(t, "build", "--strict", "--src", src, "--out", out, "--date", "2026-11-28")
	want(t, "build --strict after registering", code, 0, msg)
}
