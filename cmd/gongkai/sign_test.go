package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// setLedger replaces the [ledger] table of the site.toml of src.
func setLedger(t *testing.T, src, key string, witnesses ...string) {
	t.Helper()
	dropLedgerKeys(t, src)
	p := filepath.Join(src, "site.toml")
	var ws []string
	for _, w := range witnesses {
		ws = append(ws, fmt.Sprintf("%q", w))
	}
	table := fmt.Sprintf("[ledger]\nkey = %q\nwitnesses = [%s]\n\n", key, strings.Join(ws, ", "))
	s := readFile(t, p)
	i := strings.Index(s, "[print]")
	if err := os.WriteFile(p, []byte(s[:i]+table+s[i:]), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSignedLedger follows a board that sets up its key and two witnesses,
// publishes, has its checkpoints cosigned, and is verified from its web
// address by a supervisor holding a checkpoint saved a release earlier.
func TestSignedLedger(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo board several times")
	}
	t.Setenv("GONGKAI_LANG", "")
	root := t.TempDir()
	// The default key folder is the user's configuration folder.
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(root, "config"))
	t.Setenv("HOME", filepath.Join(root, "home"))
	t.Setenv("AppData", filepath.Join(root, "appdata"))
	src := filepath.Join(root, "content")
	copyDir(t, filepath.Join("..", "..", "content"), src)
	build := func(out, date string) {
		t.Helper()
		code, msg := gkAll(t, "build", "--src", src, "--out", out, "--date", date)
		want(t, "build", code, 0, msg)
	}

	// The demo already has a key.
	code, msg := gkAll(t, "key", "new", "--src", src)
	want(t, "key new over a configured key", code, 2, msg, "--replace")
	code, msg = gkAll(t, "key", "new", "--src", src, "--replace", "--key", filepath.Join(src, "board.key"))
	want(t, "key new inside the content folder", code, 2, msg, "内容文件夹")
	code, out, errOut := gk(t, "key", "new", "--src", src, "--replace")
	want(t, "key new", code, 0, out+errOut, "[ledger]\nkey = \"example.org/qingshi+", "gongkai publish")
	boardKey := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(out), "[ledger]\nkey = \""), "\"")
	if _, err := os.Stat(filepath.Join(root, "config", "gongkai", "keys", "example.org_qingshi.key")); err != nil {
		t.Fatalf("the key is not in the configuration folder: %v", err)
	}
	code, msg = gkAll(t, "key", "new", "--src", src, "--replace")
	want(t, "key new over an existing key file", code, 2, msg, "不会覆盖")
	code, out, _ = gk(t, "key", "show", "--src", src)
	if code != 0 || strings.TrimSpace(out) != boardKey {
		t.Fatalf("key show = %q, want %q", out, boardKey)
	}
	witness := func(name string) (string, string) {
		file := filepath.Join(root, name+".key")
		code, out, errOut := gk(t, "key", "new", "--witness", name, "--key", file)
		want(t, "key new --witness", code, 0, out+errOut, "site.toml")
		return file, strings.TrimSpace(out)
	}
	jd, jdKey := witness("青石街道办事处")
	jw, jwKey := witness("青石社区居务监督委员会")
	setLedger(t, src, boardKey, jdKey, jwKey)

	// The first publish with the new key signs the checkpoints there are.
	code, msg = gkAll(t, "publish", "--src", src, "-m", "设置签名", "--date", "2026-11-27")
	want(t, "signing publish", code, 0, msg, "已为 3 个检查点补上本居委会的签名", filepath.Join("_checkpoints", "49.txt"), "检查点记下账本此刻的条数")

	// The 街道 cosigns what the site shows; the board adds it.
	site1 := filepath.Join(root, "site1")
	build(site1, "2026-11-27")
	jdState, jwState := filepath.Join(root, "jd-state"), filepath.Join(root, "jw-state")
	cosigned := filepath.Join(root, "jd-49.txt")
	code, msg = gkAll(t, "cosign", "--site", site1, "--key", jd, "--state", jdState, "--out", cosigned)
	want(t, "first cosign", code, 0, msg, "第一次为 example.org/qingshi 副署", boardKey, "cosign --add")
	code, msg = gkAll(t, "cosign", "--add", cosigned, "--src", src)
	want(t, "cosign --add", code, 0, msg, "已加入 青石街道办事处 的签名")
	code, msg = gkAll(t, "verify", "--src", src)
	want(t, "verify with a cosignature missing", code, 0, msg, "尚未由 青石社区居务监督委员会 副署", "本居委会已签名")
	// The committee cosigns at the board's computer.
	code, msg = gkAll(t, "cosign", "--src", src, "--key", jw, "--state", jwState)
	want(t, "cosign --src", code, 0, msg, "副署已放进")
	saved := filepath.Join(root, "saved-49.txt")
	build(site1, "2026-11-27")
	os.WriteFile(saved, []byte(readFile(t, filepath.Join(site1, "ledger", "checkpoint.txt"))), 0o644)

	// A new release: signed at once, cosigned after checking it extends.
	fin := filepath.Join(src, filepath.FromSlash(finFile))
	edit(t, fin, "街道拨付", "街道下拨")
	edit(t, fin, `category = "财务公开"`, "category = \"财务公开\"\nchange_note = \"更正用词\"")
	code, msg = gkAll(t, "publish", "--src", src, "-m", "更正", "--date", "2026-11-28")
	want(t, "publish", code, 0, msg, "已登记第 4 次发布", "已由本居委会签名", filepath.Join("_checkpoints", "51.txt"), "请 青石街道办事处、青石社区居务监督委员会 用 gongkai cosign 副署它")
	site2 := filepath.Join(root, "site2")
	build(site2, "2026-11-28")
	code, msg = gkAll(t, "cosign", "--site", site2, "--key", jd, "--state", jdState, "--out", cosigned)
	want(t, "second cosign", code, 0, msg, "第 51 条的检查点是你上次副署的检查点（第 49 条）的延续")
	code, msg = gkAll(t, "cosign", "--add", cosigned, "--src", src)
	want(t, "cosign --add", code, 0, msg, "已加入")
	code, msg = gkAll(t, "cosign", "--src", src, "--key", jw, "--state", jwState)
	want(t, "cosign --src", code, 0, msg, "第 51 条的检查点是你上次副署的检查点（第 49 条）的延续")
	build(site2, "2026-11-28")

	// A supervisor checks the live site from its address, with last
	// month's checkpoint and the key on the wall.
	srv := httptest.NewServer(http.FileServer(http.Dir(site2)))
	defer srv.Close()
	code, msg = gkAll(t, "verify", "--site", srv.URL+"/", "--since", saved, "--key", boardKey)
	want(t, "verify --site URL", code, 0, msg, "账本是保存的检查点（49 条）的延续", "本居委会已签名", "青石街道办事处、青石社区居务监督委员会 已副署", "核验通过")
	// A copy of the site in a folder, without the content folder.
	code, msg = gkAll(t, "verify", "--site", site2, "--since", saved)
	want(t, "verify --site folder", code, 0, msg, "核验通过", "请与公开单上印的公钥核对")
	code, msg = gkAll(t, "verify", "--site", srv.URL+"/", "--key", jdKey)
	want(t, "verify with a wrong --key", code, 1, msg, "不是你给的")
	// With the content folder: byte for byte, and the signatures.
	code, msg = gkAll(t, "verify", "--src", src, "--site", site2, "--since", saved, "--key", boardKey)
	want(t, "verify --src --site", code, 0, msg, "逐字节相同", "青石街道办事处、青石社区居务监督委员会 已副署")

	// Without the private key a publish is refused and changes nothing.
	keyFile := filepath.Join(root, "config", "gongkai", "keys", "example.org_qingshi.key")
	if err := os.Rename(keyFile, keyFile+".away"); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, filepath.Join(src, "ledger.jsonl"))
	edit(t, fin, "更正用词", "再次更正")
	code, msg = gkAll(t, "publish", "--src", src, "-m", "再改", "--date", "2026-11-29")
	want(t, "publish without the key", code, 1, msg, "找不到它的私钥", "--key", "没有发布")
	if readFile(t, filepath.Join(src, "ledger.jsonl")) != before {
		t.Errorf("a refused publish changed the ledger")
	}
	code, msg = gkAll(t, "publish", "--src", src, "-m", "再改", "--date", "2026-11-29", "--key", keyFile+".away")
	want(t, "publish with --key", code, 0, msg, "已登记第 5 次发布", "已由本居委会签名")
}

// TestUnsignedPublishSaysSo: a board without a key publishes, and is told
// what its checkpoint is for and how to sign it.
func TestUnsignedPublishSaysSo(t *testing.T) {
	t.Setenv("GONGKAI_LANG", "")
	src := filepath.Join(t.TempDir(), "content")
	copyDir(t, filepath.Join("..", "..", "content"), src)
	for _, f := range []string{"ledger.jsonl", "_archive", "_checkpoints"} {
		os.RemoveAll(filepath.Join(src, f))
	}
	dropLedgerKeys(t, src)
	code, msg := gkAll(t, "publish", "--src", src, "-m", "首次发布", "--date", "2026-07-01")
	want(t, "unsigned publish", code, 0, msg, "检查点记下账本此刻的条数", "没有签名", filepath.Join("_checkpoints", "45.txt"), "gongkai key new")
	if !strings.HasPrefix(readFile(t, filepath.Join(src, "_checkpoints", "45.txt")), "example.org/qingshi\n45\n") {
		t.Errorf("the saved checkpoint is not the bare checkpoint")
	}
	code, msg = gkAll(t, "--lang", "en", "publish", "--src", src, "-m", "again", "--date", "2026-07-01")
	want(t, "nothing to publish", code, 0, msg, "nothing to publish")
}

func TestKeyUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		say  string
	}{
		{[]string{"key"}, 2, "gongkai key new"},
		{[]string{"key", "lose"}, 2, "gongkai key new"},
		{[]string{"key", "--help"}, 0, "--witness"},
		{[]string{"key", "new", "--witness", "有 空格", "--key", filepath.Join(t.TempDir(), "w.key")}, 2, "名称"},
		{[]string{"key", "show", "--key", filepath.Join(t.TempDir(), "none.key")}, 1, "无法读取"},
		{[]string{"cosign", "--add", filepath.Join(t.TempDir(), "none.txt"), "--src", t.TempDir()}, 2, "无法读取"},
		{[]string{"cosign", "--site", t.TempDir(), "--key", filepath.Join(t.TempDir(), "none.key")}, 2, "key new --witness"},
		{[]string{"verify", "--site", t.TempDir()}, 1, "build.json"},
		{[]string{"verify", "--site", "http://127.0.0.1:1/", "--since", "nofile"}, 2, "找不到检查点文件"},
	} {
		code, msg := gkAll(t, tc.args...)
		if code != tc.code || !strings.Contains(msg, tc.say) {
			t.Errorf("%v: exit %d, want %d, output should mention %q:\n%s", tc.args, code, tc.code, tc.say, msg)
		}
	}
}
