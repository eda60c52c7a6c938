package audit_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/docs"
	"gongkai/generator/audit"
	"gongkai/generator/build"
	"gongkai/generator/internal/testboard"
)

// python returns the python3 command, skipping the test visibly without
// it, or failing it when GONGKAI_REQUIRE_PYTHON=1.
func python(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("GONGKAI_REQUIRE_PYTHON") == "1" {
			t.Fatalf("python3 is required (GONGKAI_REQUIRE_PYTHON=1): %v", err)
		}
		t.Skipf("SKIP: python3 not found, the reference script is not run: %v", err)
	}
	return p
}

func TestScriptIsShort(t *testing.T) {
	if n := strings.Count(string(docs.VerifyScript()), "\n"); n > 60 {
		t.Errorf("verify.py has %d lines; the method promises at most 60", n)
	}
	for _, imp := range strings.Fields("base64 hashlib json os sys urllib.request") {
		if !strings.Contains(string(docs.VerifyScript()), imp) {
			t.Errorf("verify.py does not import %s", imp)
		}
	}
	if strings.Contains(string(docs.VerifyScript()), "pip") || strings.Contains(string(docs.VerifyScript()), "nacl") {
		t.Errorf("verify.py must use the standard library only")
	}
}

// TestScriptVerifiesDemo runs the script the demo site publishes against
// the built site, from a folder and from a web address, and against
// tampered copies.
func TestScriptVerifiesDemo(t *testing.T) {
	py := python(t)
	dir := filepath.Join(t.TempDir(), "public")
	if _, ds, err := build.ToDir(build.Options{Src: os.DirFS(testboard.Dir(t)), Today: today}, dir); err != nil || ds.HasErrors() {
		t.Fatalf("build: %v %s", err, format(ds))
	}
	script := filepath.Join(dir, "ledger", "verify.py")
	saved := filepath.Join(testboard.Dir(t), "_checkpoints", "45.txt")
	run := func(site string, args ...string) (int, string) {
		t.Helper()
		cmd := exec.Command(py, append([]string{script, site}, args...)...)
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}
	code, out := run(dir, saved)
	rep, _ := audit.Verify(os.DirFS(dir), audit.Options{})
	counts := fmt.Sprintf("账本 %d 条，包含证明 %d 条，原文 %d 份，附件和表格文件 %d 份，全部相符", rep.Size, rep.Versions, rep.Sources, rep.Files)
	if rep.Files == 0 {
		t.Fatal("the demo site publishes no registered files: the script's file check is not exercised")
	}
	if code != 0 || !strings.Contains(out, "保存的检查点（45 条）是今天账本的前缀") || !strings.Contains(out, counts) {
		t.Fatalf("the script does not verify the demo site: exit %d\n%s", code, out)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	if code, out := run(srv.URL+"/", saved); code != 0 || !strings.Contains(out, "全部相符") {
		t.Errorf("the script does not verify the demo site over HTTP: exit %d\n%s", code, out)
	}

	tamper := func(name string, do func(site string), args ...string) {
		t.Run(name, func(t *testing.T) {
			site := filepath.Join(t.TempDir(), "public")
			if err := os.CopyFS(site, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
			do(site)
			if code, out := run(site, args...); code == 0 {
				t.Errorf("the script passed a site with %s:\n%s", name, out)
			}
		})
	}
	replace := func(file, old, new string) func(string) {
		return func(site string) {
			p := filepath.Join(site, filepath.FromSlash(file))
			b, err := os.ReadFile(p)
			if err != nil || !strings.Contains(string(b), old) {
				t.Fatalf("%s does not hold %q", file, old)
			}
			os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644)
		}
	}
	tamper("an edited source", replace("ledger/sources/disclosures/2026-q2-caiwu/v1.md", "第二季度", "第三季度"))
	tamper("an edited ledger line", replace("ledger.jsonl", "公开栏上线", "公开栏开通"))
	tamper("an edited registered table", replace("ledger/sources/disclosures/guiyuan-gaizao/v2/资金明细.csv", "0", "1"))
	tamper("a registered attachment gone", func(site string) {
		if err := os.Remove(filepath.Join(site, "ledger", "sources", "disclosures", "guiyuan-gaizao", "v2", "验收意见.txt")); err != nil {
			t.Fatal(err)
		}
	})
	root := mustNote(t, site(t, testboard.Demo(t, nil)), "ledger/checkpoint.txt").Hash.String()
	i := strings.IndexByte(root, '=') - 1
	const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	flipped := root[:i] + string(abc[strings.IndexByte(abc, root[i])^1]) + root[i+1:]
	tamper("a root with a changed padding bit", replace("ledger/checkpoint.txt", root, flipped))
	other := filepath.Join(t.TempDir(), "other.txt")
	b, _ := os.ReadFile(saved)
	os.WriteFile(other, []byte(strings.Replace(string(b), "\n45\n", "\n44\n", 1)), 0o644)
	tamper("a saved checkpoint this ledger does not extend", func(string) {}, other)
}
