package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// gkAll runs the command line and returns its exit code and all output.
func gkAll(t *testing.T, args ...string) (int, string) {
	t.Helper()
	code, out, errOut := gk(t, args...)
	return code, out + errOut
}

// copyDir copies the folder src to dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// edit replaces the first old with new in file, failing when old is absent.
func edit(t *testing.T, file, old, new string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(file, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func want(t *testing.T, what string, code, wantCode int, out string, needles ...string) {
	t.Helper()
	if code != wantCode {
		t.Fatalf("%s: exit %d, want %d\n%s", what, code, wantCode, out)
	}
	for _, n := range needles {
		if !strings.Contains(out, n) {
			t.Fatalf("%s: output does not mention %q\n%s", what, n, out)
		}
	}
}

const (
	finID   = "disclosures/2026-q2-caiwu"
	finFile = "disclosures/2026-q2-caiwu.md"
	convID  = "conventions/jumin-gongyue"
)

// TestLedgerLife follows the demo board through the life of its notices:
// publish, a silent edit, an amendment, version pages and diffs, a
// withdrawal, an expiry, and verify against every kind of tampering.
func TestLedgerLife(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo board several times")
	}
	root := t.TempDir()
	src := filepath.Join(root, "content")
	copyDir(t, filepath.Join("..", "..", "content"), src)
	// The demo board ships with its own ledger and the key that signed
	// it; this life starts before the first release, without a key.
	for _, f := range []string{"ledger.jsonl", "_archive", "_checkpoints"} {
		if err := os.RemoveAll(filepath.Join(src, f)); err != nil {
			t.Fatal(err)
		}
	}
	dropLedgerKeys(t, src)
	fin := filepath.Join(src, filepath.FromSlash(finFile))
	out := filepath.Join(root, "public")
	build := func(extra ...string) (int, string) {
		return gkAll(t, append([]string{"build", "--src", src, "--out", out, "--date", "2026-11-27"}, extra...)...)
	}

	// First release: every record is published; the one past its
	// unpublish_after (2026-06-30) is published and expired at once.
	code, msg := gkAll(t, "publish", "--src", src, "-m", "首次发布", "--date", "2026-07-01")
	want(t, "first publish", code, 0, msg, "已登记第 1 次发布", "到期下架 disclosures/2025-12-dibao-tiaozheng")
	code, msg = gkAll(t, "publish", "--src", src, "-m", "再次发布", "--date", "2026-07-02")
	want(t, "nothing to publish", code, 0, msg, "没有需要登记的变更")

	// A silent edit: publish and build --strict refuse, a plain build warns.
	edit(t, fin, "街道拨付", "街道下拨")
	code, msg = gkAll(t, "publish", "--src", src, "-m", "更正", "--date", "2026-07-09")
	want(t, "publish of a silent edit", code, 1, msg, finFile, "change_note")
	code, msg = build("--strict")
	want(t, "build --strict with a silent edit", code, 1, msg, "未登记的修改")
	code, msg = build()
	want(t, "build with a silent edit", code, 0, msg, "第2版（尚未登记）")
	if page := readFile(t, filepath.Join(out, finID, "index.html")); !strings.Contains(page, "第2版（尚未登记）") {
		t.Errorf("the record page does not show the pending version 2")
	}
	code, msg = gkAll(t, "check", "--src", src, "--date", "2026-11-27")
	want(t, "check with a silent edit", code, 1, msg, "未登记的修改", "检查未通过")
	code, msg = gkAll(t, "check", "--json", "--src", src, "--date", "2026-11-27")
	want(t, "check --json with a silent edit", code, 1, msg, `"code": "ledger.unregistered"`, `"file": "`+finFile+`"`, `"ok": false`)

	// An amendment with its reason; a convention amended too.
	edit(t, fin, `category = "财务公开"`, "category = \"财务公开\"\nchange_note = \"更正拨款单位的用词\"")
	conv := filepath.Join(src, "conventions", "jumin-gongyue.md")
	edit(t, conv, "## 第二条", "## 第二条\n\n本条新增一句。")
	edit(t, conv, "+++\n", "+++\nchange_note = \"修改第二条\"\n")
	code, msg = gkAll(t, "publish", "--src", src, "-m", "更正", "--date", "2026-07-10")
	want(t, "publish an amendment", code, 0, msg, "修订 "+finID+" 为第2版：更正拨款单位的用词", "修订 "+convID+" 为第2版")
	if _, err := os.Stat(filepath.Join(src, "_archive", finID, "v1.md")); err != nil {
		t.Fatalf("v1 not archived: %v", err)
	}
	code, msg = gkAll(t, "verify", "--src", src)
	want(t, "verify", code, 0, msg, "核验通过")

	// Withdrawal: a removed file needs a reason.
	gone := "disclosures/2025-q2-juwu"
	if err := os.Remove(filepath.Join(src, filepath.FromSlash(gone)+".md")); err != nil {
		t.Fatal(err)
	}
	code, msg = gkAll(t, "publish", "--src", src, "-m", "撤回", "--date", "2026-08-01")
	want(t, "publish of a removal without a reason", code, 1, msg, gone, "--withdraw")
	code, msg = gkAll(t, "publish", "--src", src, "-m", "撤回", "--date", "2026-08-01", "--withdraw", gone+"=名单有误，核实后重新公示")
	want(t, "withdraw", code, 0, msg, "撤回 "+gone)

	// Expiry of a notice past its unpublish_after (2027-02-28).
	code, msg = gkAll(t, "publish", "--src", src, "-m", "到期", "--date", "2027-03-01")
	want(t, "expire", code, 0, msg, "到期下架 disclosures/2026-08-linshi-jiuzhu")

	// The site.
	code, msg = build()
	want(t, "build", code, 0, msg)
	if strings.Contains(msg, "未登记") {
		t.Errorf("build warns about unregistered changes after every change was published:\n%s", msg)
	}
	page := func(p string) string { return readFile(t, filepath.Join(out, filepath.FromSlash(p))) }
	cur := page(finID + "/index.html")
	for _, s := range []string{"更正拨款单位的用词", "第2版", "2026年7月10日</span>更正", "v1/"} {
		if !strings.Contains(cur, s) {
			t.Errorf("record page lacks %q", s)
		}
	}
	v1 := page(finID + "/v1/index.html")
	for _, s := range []string{"这是第1版（历史版本）", "查看最新版", "街道拨付", "核验信息"} {
		if !strings.Contains(v1, s) {
			t.Errorf("v1 page lacks %q", s)
		}
	}
	if v2 := page(finID + "/v2/index.html"); !strings.Contains(v2, "街道下拨") || !strings.Contains(v2, "最新版本") {
		t.Errorf("v2 page does not show version 2 as the latest")
	}
	d := page(finID + "/v2/diff/index.html")
	if !strings.Contains(d, "<del>") || !strings.Contains(d, "<ins>") || strings.Contains(d, "change_note") || !strings.Contains(d, "更正原因：</strong>更正拨款单位的用词") {
		t.Errorf("finance diff lacks ins/del, shows the source, or lacks the reason")
	}
	if cd := page(convID + "/v2/diff/index.html"); !strings.Contains(cd, "修改 第二条") || !regexp.MustCompile(`<ins>(<br>\s*)?本条新增一句。`).MatchString(cd) || strings.Contains(cd, "## ") {
		t.Errorf("convention diff is not article by article:\n%s", cd[strings.Index(cd, "<main"):])
	}
	w := page(gone + "/index.html")
	if !strings.Contains(w, "已撤回") || !strings.Contains(w, "名单有误，核实后重新公示") {
		t.Errorf("withdrawn record page lacks the mark and reason")
	}
	if _, err := os.Stat(filepath.Join(out, "disclosures", "2026-08-linshi-jiuzhu", "index.html")); err == nil {
		// Built on 2026-11-27 it is still up; built after the date it is not.
		code, msg = gkAll(t, "build", "--src", src, "--out", filepath.Join(root, "later"), "--date", "2027-03-02")
		want(t, "later build", code, 0, msg)
		if _, err := os.Stat(filepath.Join(root, "later", "disclosures", "2026-08-linshi-jiuzhu", "index.html")); err == nil {
			t.Errorf("an expired record is still on the site")
		}
	}
	ch := page("changes/index.html")
	for _, s := range []string{"第4次发布", "第1版下架", "按规定的公开期限", "撤回", "第2版修订", "第2版更正", "更正拨款单位的用词"} {
		if !strings.Contains(ch, s) {
			t.Errorf("/changes/ lacks %q", s)
		}
	}
	if lp := page("ledger/index.html"); !strings.Contains(lp, "example.org/qingshi\n") {
		t.Errorf("/ledger/ lacks the checkpoint's text")
	}
	var entries []map[string]any
	if err := json.Unmarshal([]byte(page("ledger.json")), &entries); err != nil || len(entries) == 0 {
		t.Fatalf("ledger.json: %v (%d lines)", err, len(entries))
	}
	var info struct {
		Date       string
		Checkpoint struct {
			Size int64
			Hash string
		}
	}
	if err := json.Unmarshal([]byte(page("build.json")), &info); err != nil || info.Date != "2026-11-27" || info.Checkpoint.Size != int64(len(entries)) {
		t.Errorf("build.json = %+v (%v), want date 2026-11-27 and size %d", info, err, len(entries))
	}
	checkpoint := page("ledger/checkpoint.txt")

	code, msg = gkAll(t, "verify", "--src", src, "--site", out, "--since", filepath.Join(out, "ledger", "checkpoint.txt"))
	want(t, "verify --site --since", code, 0, msg, "逐字节相同", "账本是保存的检查点的延续")

	// Tampering, each on a fresh copy, each caught and named.
	tamper := []struct {
		name   string
		do     func(src, site string)
		names  string
		noSite bool
	}{
		{"edited archive", func(src, site string) {
			edit(t, filepath.Join(src, "_archive", finID, "v1.md"), "街道拨付", "街道拨发")
		}, "_archive/" + finID + "/v1.md", false},
		{"edited ledger line", func(src, site string) {
			edit(t, filepath.Join(src, "ledger.jsonl"), "更正拨款单位的用词", "更正拨款单位")
		}, "ledger.jsonl:", false},
		{"dropped ledger line", func(src, site string) {
			lines(t, src, func(ls []string) []string { return append(ls[:1:1], ls[2:]...) })
		}, "ledger.jsonl:2", false},
		{"reordered ledger lines", func(src, site string) {
			lines(t, src, func(ls []string) []string { return append(append([]string{}, ls[1:]...), ls[0]) })
		}, "ledger.jsonl:1", false},
		{"inserted ledger line", func(src, site string) {
			lines(t, src, func(ls []string) []string { return append(append(ls[:3:3], ls[3]), ls[3:]...) })
		}, "ledger.jsonl:4", false},
		{"silent edit", func(src, site string) {
			edit(t, filepath.Join(src, filepath.FromSlash(finFile)), "第二季度", "第三季度")
		}, finFile, false},
		{"edited built page", func(src, site string) {
			edit(t, filepath.Join(site, filepath.FromSlash(finID), "index.html"), "第二季度", "第三季度")
		}, "内容不同：" + finID + "/index.html", false},
		{"deleted built page", func(src, site string) {
			os.Remove(filepath.Join(site, filepath.FromSlash(finID), "v1", "index.html"))
		}, "缺少文件：" + finID + "/v1/index.html", false},
		{"rewritten history", func(src, site string) {
			// The last release cut off: the ledger no longer extends the
			// checkpoint saved before.
			lines(t, src, func(ls []string) []string { return ls[:len(ls)-2] })
		}, "检查点", true},
	}
	for _, tc := range tamper {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tsrc, tsite := filepath.Join(dir, "content"), filepath.Join(dir, "public")
			copyDir(t, src, tsrc)
			copyDir(t, out, tsite)
			tc.do(tsrc, tsite)
			args := []string{"verify", "--src", tsrc, "--site", tsite}
			if tc.noSite {
				cp := filepath.Join(dir, "saved.txt")
				os.WriteFile(cp, []byte(checkpoint), 0o644)
				args = []string{"verify", "--src", tsrc, "--since", cp}
			}
			code, msg := gkAll(t, args...)
			want(t, tc.name, code, 1, msg, tc.names, "核验未通过")
		})
	}
}

// dropLedgerKeys removes the [ledger] table from the site.toml of src.
func dropLedgerKeys(t *testing.T, src string) {
	t.Helper()
	p := filepath.Join(src, "site.toml")
	s := readFile(t, p)
	i, j := strings.Index(s, "[ledger]"), strings.Index(s, "[print]")
	if i < 0 || j < i {
		t.Fatalf("site.toml has no [ledger] table before [print]")
	}
	if err := os.WriteFile(p, []byte(s[:i]+s[j:]), 0o644); err != nil {
		t.Fatal(err)
	}
}

// lines rewrites the ledger of src line by line.
func lines(t *testing.T, src string, fn func([]string) []string) {
	t.Helper()
	p := filepath.Join(src, "ledger.jsonl")
	ls := strings.SplitAfter(strings.TrimSuffix(readFile(t, p), "\n"), "\n")
	for i := range ls {
		ls[i] = strings.TrimSuffix(ls[i], "\n") + "\n"
	}
	if err := os.WriteFile(p, []byte(strings.Join(fn(ls), "")), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPublishUsage(t *testing.T) {
	src := t.TempDir()
	tests := []struct {
		args []string
		code int
		say  string
	}{
		{[]string{"publish", "--src", src}, 2, "-m"},
		{[]string{"publish", "--src", src, "-m", "x", "extra"}, 2, "不接受参数"},
		{[]string{"publish", "--src", src, "-m", "x", "--withdraw", "noequals"}, 2, "--withdraw"},
		{[]string{"publish", "--src", src, "-m", "x", "--date", "2026-13-01"}, 2, "--date"},
		{[]string{"publish", "--src", filepath.Join(src, "nope"), "-m", "x"}, 2, "找不到内容文件夹"},
		{[]string{"verify", "--src", src, "--site", filepath.Join(src, "nope")}, 1, ""},
	}
	for _, tc := range tests {
		code, msg := gkAll(t, tc.args...)
		if code != tc.code || !strings.Contains(msg, tc.say) {
			t.Errorf("%v: exit %d, want %d, output should mention %q:\n%s", tc.args, code, tc.code, tc.say, msg)
		}
	}
}
