package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gongkai/generator/scaffold"

	"github.com/xuri/excelize/v2"
)

// fill replaces the 【请填写：…】 of a record written by new, as a clerk
// would: by the key of its line, or as text in the body.
func fill(t *testing.T, text string) string {
	t.Helper()
	values := map[string]string{
		"title": "2026年第四季度社区经费收支公开", "opening": "1000.00", "closing": "1400.00", "item": "街道拨付社区工作经费",
		"voucher": "记-12-01", "number": "青石居〔2026〕9号",
	}
	amounts := []string{"500.00", "100.00"} // income, then expense
	line := regexp.MustCompile(`(?m)^(\w+) = "【请填写：[^】]*】"`)
	text = line.ReplaceAllStringFunc(text, func(m string) string {
		key := line.FindStringSubmatch(m)[1]
		v, ok := values[key]
		if key == "amount" {
			v, amounts, ok = amounts[0], amounts[1:], true
		}
		if !ok {
			t.Fatalf("no value for %s", m)
		}
		return key + ` = "` + v + `"`
	})
	text = regexp.MustCompile(`【请填写：[^】]*】`).ReplaceAllString(text, "收支情况如下。")
	return text
}

// TestInitToVerify starts a board on a fresh folder and takes it through
// a clerk's first day: new records (one from the template, one with the
// quarter's accounts and a list from Excel), build, check, publish,
// verify, and an offline build that opens from the disk.
func TestInitToVerify(t *testing.T) {
	t.Setenv("GONGKAI_LANG", "")
	dir := filepath.Join(t.TempDir(), "青石社区")
	code, _, stderr := gk(t, "init", dir, "--name", "青石社区居务公开栏", "--issuer", "青石社区居民委员会",
		"--supervise-phone", "023-6851-2209", "--address", "青石路1号", "--base-url", "https://example.org/qingshi/")
	if code != 0 {
		t.Fatalf("init: %d\n%s", code, stderr)
	}
	for _, f := range []string{"content/site.toml", "content/pages/about.md", scaffold.NoteName} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("init wrote no %s", f)
		}
	}
	src := filepath.Join(dir, "content")
	// Clean but for the one warning that nothing is published yet, on
	// which --strict fails.
	code, _, stderr = gk(t, "check", "--src", src)
	if code != 0 || strings.Count(stderr, "警告") != 2 || !strings.Contains(stderr, "ledger.jsonl: 警告：还没有发布过") {
		t.Fatalf("the new board does not check clean: %d\n%s", code, stderr)
	}
	if code, _, _ = gk(t, "check", "--src", src, "--strict"); code != 1 {
		t.Errorf("check --strict of a board never published: exit %d, want 1", code)
	}
	if code, _, stderr = gk(t, "build", "--src", src, "--drafts", "--out", filepath.Join(dir, "drafts")); code != 0 || strings.Count(stderr, "警告") != 2 {
		t.Fatalf("the examples do not build: %d\n%s", code, stderr)
	}

	// A record from the template, filled in.
	if code, _, stderr = gk(t, "new", "--src", src, "disclosures", "2026-q4-jingfei"); code != 0 {
		t.Fatalf("new: %d\n%s", code, stderr)
	}
	rec := filepath.Join(src, "disclosures", "2026-q4-jingfei.md")
	b, _ := os.ReadFile(rec)
	if !strings.Contains(string(b), "[[finance.expense]]") || !strings.Contains(string(b), "[[finance.income]]") {
		t.Errorf("the disclosure template has no income and expense lines:\n%s", b)
	}
	os.WriteFile(rec, []byte(fill(t, string(b))), 0o644)

	// The quarter's accounts and a list, from Excel.
	if code, _, stderr = gk(t, "new", "--bundle", "--src", src, "disclosures", "2026-q4-caiwu"); code != 0 {
		t.Fatalf("new --bundle: %d\n%s", code, stderr)
	}
	bundle := filepath.Join(src, "disclosures", "2026-q4-caiwu")
	x := excelize.NewFile()
	x.SetSheetName("Sheet1", "明细账")
	for i, row := range [][]any{
		{"日期", "凭证号", "摘要", "收入", "支出"},
		{"2026-10-08", "记-10-01", "街道拨付社区工作经费", 30000, nil},
		{"2026-11-02", "记-11-01", "楼道照明维修材料", nil, 6842.55},
		{nil, nil, "本季合计", 30000, 6842.55},
	} {
		x.SetSheetRow("明细账", "A"+string(rune('1'+i)), &row)
	}
	x.NewSheet("名单")
	x.SetSheetRow("名单", "A1", &[]any{"序号", "姓名", "金额"})
	x.SetSheetRow("名单", "A2", &[]any{1, "张某", 300})
	x.SetSheetRow("名单", "A3", &[]any{2, "李某", 300})
	if err := x.SaveAs(filepath.Join(bundle, "账目.xlsx")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(bundle, "index.md"), []byte(`+++
title = "2026年第四季度财务公开"
date = 2026-12-01
category = "财务公开"
period = "2026-Q4"

[finance]
opening = "52310.00"
closing = "75467.45"
file = "账目.xlsx"
sheet = "明细账"

[[tables]]
title = "高龄津贴发放名单"
file = "账目.xlsx"
sheet = "名单"
sum = ["金额"]
+++

本季度收支如下。
`), 0o644)

	out := filepath.Join(dir, "public")
	if code, _, stderr = gk(t, "build", "--src", src, "--out", out); code != 0 {
		t.Fatalf("build: %d\n%s", code, stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "disclosures", "2026-q4-caiwu", "index.html"))
	if err != nil || !bytes.Contains(page, []byte("楼道照明维修材料")) || !bytes.Contains(page, []byte("张某")) || !bytes.Contains(page, []byte("600.00")) {
		t.Errorf("the accounts and the list from Excel are not on the page (%v)", err)
	}
	if code, _, stderr = gk(t, "check", "--src", src); code != 0 {
		t.Fatalf("check: %d\n%s", code, stderr)
	}
	if code, _, stderr = gk(t, "publish", "--src", src, "-m", "公开栏上线"); code != 0 {
		t.Fatalf("publish: %d\n%s", code, stderr)
	}
	if code, _, stderr = gk(t, "build", "--src", src, "--out", out); code != 0 {
		t.Fatalf("build after publish: %d\n%s", code, stderr)
	}
	if code, _, stderr = gk(t, "verify", "--src", src, "--site", out); code != 0 {
		t.Fatalf("verify: %d\n%s", code, stderr)
	}
	offline := filepath.Join(dir, "usb")
	if code, _, stderr = gk(t, "build", "--src", src, "--out", offline, "--offline"); code != 0 {
		t.Fatalf("build --offline: %d\n%s", code, stderr)
	}
	home, _ := os.ReadFile(filepath.Join(offline, "index.html"))
	if !bytes.Contains(home, []byte("index.html")) {
		t.Errorf("the offline home page does not link index.html files")
	}
}

func TestInitRefuses(t *testing.T) {
	t.Setenv("GONGKAI_LANG", "")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "旧文件.txt"), []byte("x"), 0o644)
	code, _, stderr := gk(t, "init", dir)
	if code != 2 || !strings.Contains(stderr, "不是空的") {
		t.Errorf("a folder with files: %d\n%s", code, stderr)
	}
	code, _, stderr = gk(t, "init", filepath.Join(dir, "new"), "--base-url", "example.org")
	if code != 2 || !strings.Contains(stderr, "网站地址要以 https:// 或 http:// 开头") {
		t.Errorf("a bad address: %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "new")); err == nil {
		t.Error("a refused init wrote files")
	}
	// A folder with only .git in it is empty enough.
	git := filepath.Join(dir, "repo")
	os.MkdirAll(filepath.Join(git, ".git"), 0o755)
	if code, _, stderr = gk(t, "init", git, "--issuer", "青石村村民委员会"); code != 0 {
		t.Errorf("a fresh repository: %d\n%s", code, stderr)
	}
	site, _ := os.ReadFile(filepath.Join(git, "content", "site.toml"))
	if !strings.Contains(string(site), `"村党组织提议"`) {
		t.Errorf("a village board has no village procedure:\n%s", site)
	}
}

// TestInitAsks answers the questions as on a terminal: Enter keeps a
// default, a bad address is asked again.
func TestInitAsks(t *testing.T) {
	var out bytes.Buffer
	e := &env{stdout: &out, stderr: &out, lang: "zh"}
	old := stdin
	defer func() { stdin = old }()
	stdin = strings.NewReader("青石社区居务公开栏\n\n青石街道办事处\n023-1\n023-2\n青石路1号\nqingshi.org\nhttps://qingshi.org/\n")
	b := scaffold.Defaults()
	if !e.ask(&b) {
		t.Fatalf("ask ended early:\n%s", out.String())
	}
	want := scaffold.Board{Name: "青石社区居务公开栏", Issuer: "社区居民委员会", Parent: "青石街道办事处", Phone: "023-1",
		SupervisePhone: "023-2", Address: "青石路1号", BaseURL: "https://qingshi.org/"}
	if b != want {
		t.Errorf("answers %+v, want %+v", b, want)
	}
	if !strings.Contains(out.String(), "网站地址要以 https:// 或 http:// 开头") {
		t.Errorf("a bad address was not asked again:\n%s", out.String())
	}
}
