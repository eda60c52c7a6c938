package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// demoCopy copies the demo board, with its ledger, into a new folder.
// The board's key is dropped from site.toml: its private half is not in
// the repository, and publish would refuse to release unsigned.
func demoCopy(t *testing.T) (src, out string) {
	t.Helper()
	root := t.TempDir()
	src = filepath.Join(root, "content")
	copyDir(t, filepath.Join("..", "..", "content"), src)
	dropLedgerKeys(t, src)
	return src, filepath.Join(root, "public")
}

// TestPublishedSet runs the published set's holes as a clerk would: a
// published notice deleted without a reason, its withdrawal, a record
// linked from others withdrawn, a free page withdrawn, a deleted ledger,
// a record never published, an untouched template and a published record
// turned into a draft. Nothing of it exits 0 silently.
func TestPublishedSet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo board several times")
	}
	src, out := demoCopy(t)
	day := []string{"--date", "2026-11-27"}
	run := func(args ...string) (int, string) {
		return gkAll(t, append(args, day...)...)
	}
	code, msg := run("build", "--src", src, "--out", out, "--strict")
	want(t, "the demo board", code, 0, msg)
	before := readFile(t, filepath.Join(out, "disclosures", "2026-11-dibao", "index.html"))

	// A notice on the wall, deleted without a reason.
	const dibao = "disclosures/2026-11-dibao"
	if err := os.Remove(filepath.Join(src, dibao+".md")); err != nil {
		t.Fatal(err)
	}
	gone := []string{"ledger.jsonl:22: 错误：已发布的记录 " + dibao + "（第1版，2026-11-26 登记）的文件不见了，但没有登记撤回",
		`gongkai publish -m "撤回 ` + dibao + `" --withdraw ` + dibao + `="撤回理由"`}
	for _, args := range [][]string{
		{"check", "--src", src},
		{"build", "--src", src, "--out", out},
		{"build", "--src", src, "--out", out, "--strict"},
		{"verify", "--src", src},
		{"verify", "--src", src, "--site", out},
	} {
		code, msg := run(args...)
		want(t, strings.Join(args[:1], " ")+" of a deleted notice", code, 1, msg, gone...)
	}
	if after := readFile(t, filepath.Join(out, dibao, "index.html")); after != before {
		t.Error("a refused build changed the site")
	}

	// Withdrawn as the message says, it stays on the site, marked.
	code, msg = run("publish", "--src", src, "-m", "撤回", "--withdraw", dibao+"=名单有误，核实后重新公示")
	want(t, "withdraw", code, 0, msg, "撤回 "+dibao)
	code, msg = run("build", "--src", src, "--out", out, "--strict")
	want(t, "build after the withdrawal", code, 0, msg)
	if p := readFile(t, filepath.Join(out, dibao, "index.html")); !strings.Contains(p, "已撤回") || !strings.Contains(p, "名单有误，核实后重新公示") {
		t.Error("the withdrawn notice is not marked")
	}
	code, msg = run("verify", "--src", src, "--site", out)
	want(t, "verify counts what is there", code, 0, msg, "41 条记录在公开栏上，1 条已撤回，1 条已到期下架；全部 43 条记录")

	// A record others link to, withdrawn without editing them first.
	const linked = "decisions/2026-03-guiyuan-gaizao"
	os.Remove(filepath.Join(src, linked+".md"))
	code, msg = run("publish", "--src", src, "-m", "撤回", "--withdraw", linked+"=重复发布")
	want(t, "withdraw a linked record", code, 0, msg, "撤回 "+linked)
	code, msg = run("build", "--src", src, "--out", out)
	want(t, "build with links to a withdrawn record", code, 0, msg,
		"minutes/2026-03-18-daibiao.md:38:1: 警告：链接的记录 "+linked+" 已撤回")
	if p := readFile(t, filepath.Join(out, "disclosures", "2026-04-guiyuan-bixuan", "index.html")); !strings.Contains(p, `href="../../`+linked+`/"`) {
		t.Error("a link to the withdrawn record does not lead to its page")
	}
	code, msg = run("build", "--src", src, "--out", out, "--strict")
	want(t, "--strict with links to a withdrawn record", code, 1, msg, "已撤回")

	// A free page withdrawn is marked like any other.
	os.Remove(filepath.Join(src, "pages", "contact.md"))
	code, msg = run("publish", "--src", src, "-m", "撤回", "--withdraw", "pages/contact=电话已更换")
	want(t, "withdraw a page", code, 0, msg)
	run("build", "--src", src, "--out", out)
	if p := readFile(t, filepath.Join(out, "pages", "contact", "index.html")); !strings.Contains(p, "已撤回</strong>：电话已更换") {
		t.Error("the withdrawn page is not marked")
	}

	// A record never published: a warning, and --strict fails.
	os.WriteFile(filepath.Join(src, "pages", "new.md"), []byte("+++\ntitle = \"新页面\"\ndate = 2026-11-20\n+++\n\n正文。\n"), 0o644)
	code, msg = run("build", "--src", src, "--out", out)
	want(t, "build with a new record", code, 0, msg, "pages/new.md: 警告：pages/new 还没有登记发布")
	code, msg = run("build", "--src", src, "--out", out, "--strict")
	want(t, "--strict with a new record", code, 1, msg, "还没有登记发布")
	os.Remove(filepath.Join(src, "pages", "new.md"))

	// An untouched template: check and publish refuse it; the ledger
	// stays as it was.
	ledger := readFile(t, filepath.Join(src, "ledger.jsonl"))
	code, msg = run("new", "--src", src, "pages", "draft-notice")
	want(t, "new", code, 0, msg, "【请填写：…】")
	for _, args := range [][]string{{"check", "--src", src}, {"publish", "--src", src, "-m", "发布"}} {
		code, msg = run(args...)
		want(t, args[0]+" of an untouched template", code, 1, msg, "pages/draft-notice.md:2:10: 错误：模板里的“【请填写：标题，如 联系我们】”还没有换成实际内容")
	}
	if readFile(t, filepath.Join(src, "ledger.jsonl")) != ledger {
		t.Error("an untouched template reached the ledger")
	}
	os.Remove(filepath.Join(src, "pages", "draft-notice.md"))

	// A published record made a draft would vanish.
	edit(t, filepath.Join(src, "pages", "about.md"), "+++\n", "+++\ndraft = true\n")
	code, msg = run("check", "--src", src)
	want(t, "check of a published record made a draft", code, 1, msg, "已发布的记录 pages/about（第1版）被改成了草稿")
	edit(t, filepath.Join(src, "pages", "about.md"), "+++\ndraft = true\n", "+++\n")

	// The ledger deleted while its archive is there.
	os.Rename(filepath.Join(src, "ledger.jsonl"), filepath.Join(src, "..", "ledger.bak"))
	for _, args := range [][]string{{"build", "--src", src, "--out", out}, {"build", "--src", src, "--out", out, "--strict"}, {"publish", "--src", src, "-m", "x"}, {"verify", "--src", src}} {
		code, msg = run(args...)
		want(t, args[0]+" without the ledger", code, 1, msg, "找不到账本 ledger.jsonl，但归档文件夹 _archive 还在")
	}
}

// TestNoLinkOutOfTheFolder builds through the command line with an
// attachment that is a link to a file outside the content folder: the
// build stops, nothing reaches the output, and no message shows the file
// or where it is.
func TestNoLinkOutOfTheFolder(t *testing.T) {
	src, out := demoCopy(t)
	secret := filepath.Join(filepath.Dir(src), "private", "shadow")
	os.MkdirAll(filepath.Dir(secret), 0o755)
	os.WriteFile(secret, []byte("root:$6$TOPSECRET:19000:0:99999:7:::\n"), 0o600)
	att := filepath.Join(src, "disclosures", "guiyuan-gaizao", "验收意见.txt")
	os.Remove(att)
	if err := os.Symlink(secret, att); err != nil {
		t.Skipf("SKIP: no symbolic links here: %v", err)
	}
	for _, args := range [][]string{
		{"build", "--src", src, "--out", out, "--date", "2026-11-27"},
		{"check", "--src", src, "--date", "2026-11-27"},
		{"check", "--json", "--src", src, "--date", "2026-11-27"},
		{"print", "--src", src, "--site", out, "--date", "2026-11-27"},
		{"verify", "--src", src},
		{"publish", "--src", src, "-m", "x"},
	} {
		code, msg := gkAll(t, args...)
		if code != 1 || !strings.Contains(msg, "disclosures/guiyuan-gaizao/验收意见.txt") {
			t.Errorf("%s: exit %d\n%s", args[0], code, msg)
		}
		for _, leak := range []string{"TOPSECRET", secret, "private"} {
			if strings.Contains(msg, leak) {
				t.Errorf("%s shows %q:\n%s", args[0], leak, msg)
			}
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("the build wrote an output folder")
	}
}
