package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/generator/deploy/deploytest"
)

// tree reads every file below dir (deploy.json and README.md aside).
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	if _, err := os.Stat(dir); err != nil {
		return out
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "deploy.json" || rel == "README.md" {
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || v != w {
			return false
		}
	}
	return true
}

func appendTo(t *testing.T, file, text string) {
	t.Helper()
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// TestCLIDeploy deploys the small board to a folder through the command
// line: before any build, first deploy, rerun, one edit (dry run first),
// a removed record kept by --no-delete and then deleted, a site older than
// its content, a build that failed, and --build.
func TestCLIDeploy(t *testing.T) {
	t.Setenv("GONGKAI_LANG", "")
	src := writeBoard(t, false)
	root := filepath.Dir(src)
	out := filepath.Join(root, "public")
	usb := filepath.Join(t.TempDir(), "usb")
	siteToml := filepath.Join(src, "site.toml")

	code, msg := gkAll(t, "deploy", "--src", src, "--site", out)
	want(t, "no target", code, 1, msg, "site.toml 里没有部署目标", "[[deploy]]")
	appendTo(t, siteToml, "\n[[deploy]]\nname = \"u盘\"\nurl = \"file://"+filepath.ToSlash(usb)+"\"\n")
	deploy := func(args ...string) (int, string) {
		return gkAll(t, append([]string{"deploy", "--src", src, "--site", out}, args...)...)
	}
	build := func() {
		t.Helper()
		code, msg := gkAll(t, "build", "--src", src, "--out", out, "--date", "2026-11-27")
		want(t, "build", code, 0, msg, "已生成")
	}

	code, msg = deploy()
	want(t, "before a build", code, 1, msg, "找不到网站文件夹", "gongkai build")
	code, msg = deploy("--target", "u")
	want(t, "unknown target", code, 2, msg, "没有名为 \"u\" 的部署目标", "u盘")

	build()
	built := tree(t, out)
	code, msg = deploy()
	want(t, "first deploy", code, 0, msg, "已部署到 u盘", "上传 "+strconv.Itoa(len(built))+" 个文件", "新 "+strconv.Itoa(len(built))+" 个")
	if strings.Contains(msg, "\r") {
		t.Error("a progress bar was drawn on a pipe")
	}
	if got := tree(t, usb); !sameTree(got, built) {
		t.Fatalf("the folder does not hold the site")
	}
	code, msg = deploy()
	want(t, "rerun", code, 0, msg, "上传 0 个文件", strconv.Itoa(len(built))+" 个不变")

	// One edit: only the files whose bytes changed travel.
	edit(t, filepath.Join(src, "pages", "about.md"), "依法公开", "依法及时公开")
	build()
	rebuilt := tree(t, out)
	changed := 0
	for k, v := range rebuilt {
		if built[k] != v {
			changed++
		}
	}
	before := tree(t, usb)
	code, o, e := gk(t, "deploy", "--src", src, "--site", out, "--dry-run")
	want(t, "dry run", code, 0, o+e, "上传（改）  pages/about/index.html", "试运行", "会上传 "+strconv.Itoa(changed)+" 个文件", "目标没有改动")
	if !sameTree(tree(t, usb), before) {
		t.Error("the dry run changed the folder")
	}
	code, msg = deploy()
	want(t, "one edit", code, 0, msg, "上传 "+strconv.Itoa(changed)+" 个文件", "改 "+strconv.Itoa(changed)+" 个")
	if changed == 0 || changed > 12 {
		t.Errorf("one edit changed %d files", changed)
	}

	// A record removed: kept by --no-delete, deleted by the next deploy.
	if err := os.Remove(filepath.Join(src, "pages", "about.md")); err != nil {
		t.Fatal(err)
	}
	build()
	after := tree(t, out)
	gone := 0
	for k := range rebuilt {
		if _, ok := after[k]; !ok {
			gone++
		}
	}
	code, msg = deploy("--no-delete")
	want(t, "--no-delete", code, 0, msg, "删除 0 个", "保留了 "+strconv.Itoa(gone)+" 个不再生成的文件")
	code, msg = deploy()
	want(t, "deletion", code, 0, msg, "删除 "+strconv.Itoa(gone)+" 个")
	if got := tree(t, usb); !sameTree(got, after) {
		t.Error("after the deletion the folder does not hold the site")
	}
	if _, err := os.Stat(filepath.Join(usb, "pages", "about")); err == nil {
		t.Error("the removed record's folder was left behind")
	}

	// Content changed after the build: refused, the folder untouched.
	deployed := tree(t, usb)
	time.Sleep(20 * time.Millisecond)
	now := time.Now()
	os.Chtimes(filepath.Join(src, "decisions", "2026-02.md"), now, now)
	code, msg = deploy()
	want(t, "stale site", code, 1, msg, "decisions/2026-02.md 在 "+out+" 生成之后改过", "gongkai build", "没有部署")

	// A build that failed: nothing deployed, whether deploy builds or not.
	edit(t, filepath.Join(src, "minutes", "2026-03-18-daibiao.md"), "present = 22", "present = 27")
	code, msg = deploy("--build", "--date", "2026-11-27")
	want(t, "failed build", code, 1, msg, "实到人数 27 超过应到人数 26", "生成失败，没有部署")
	code, msg = gkAll(t, "build", "--src", src, "--out", out, "--date", "2026-11-27")
	want(t, "failed build", code, 1, msg, "保持不变")
	code, msg = deploy()
	want(t, "deploy after a failed build", code, 1, msg, "生成之后改过", "没有部署")
	if !sameTree(tree(t, usb), deployed) {
		t.Error("a refused deploy changed the folder")
	}

	// --build: build, then deploy.
	edit(t, filepath.Join(src, "minutes", "2026-03-18-daibiao.md"), "present = 27", "present = 23")
	code, msg = deploy("--build", "--date", "2026-11-27")
	want(t, "--build", code, 0, msg, "已生成", "已部署到 u盘")
	if got := tree(t, usb); !sameTree(got, tree(t, out)) {
		t.Error("after --build the folder does not hold the new site")
	}
	code, msg = gkAll(t, "--lang", "en", "deploy", "--src", src, "--site", out)
	want(t, "english", code, 0, msg, "deployed to u盘", "uploaded 0 files")
}

// TestCLIDeploySFTP deploys to sshd with the key named in site.toml: a new
// host is refused with the command that trusts it, and that very command
// makes the next deploy work.
func TestCLIDeploySFTP(t *testing.T) {
	t.Setenv("GONGKAI_LANG", "")
	s := deploytest.StartSSHD(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("SSH_AUTH_SOCK", "")
	src := writeBoard(t, false)
	root := filepath.Dir(src)
	os.Mkdir(filepath.Join(root, "keys"), 0o700)
	key, _ := os.ReadFile(s.Identity)
	os.WriteFile(filepath.Join(root, "keys", "deploy"), key, 0o600)
	dir := filepath.Join(s.Dir(t), "board")
	appendTo(t, filepath.Join(src, "site.toml"), "\n[[deploy]]\nname = \"主机\"\nurl = \""+s.URL(dir)+"\"\nidentity = \"keys/deploy\"\n")
	out := filepath.Join(root, "public")
	code, msg := gkAll(t, "build", "--src", src, "--out", out, "--date", "2026-11-27")
	want(t, "build", code, 0, msg)

	port := strconv.Itoa(s.Port)
	command := "ssh-keyscan -p " + port + " 127.0.0.1 >> ~/.ssh/known_hosts"
	code, msg = gkAll(t, "deploy", "--src", src, "--site", out)
	want(t, "unknown host", code, 1, msg, "site.toml:", "还没有信任服务器 127.0.0.1:"+port, command)
	if _, err := os.Stat(dir); err == nil {
		t.Fatal("the refused deploy made the folder")
	}
	os.Mkdir(filepath.Join(home, ".ssh"), 0o700)
	if _, err := exec.LookPath("ssh-keyscan"); err == nil {
		if out, err := exec.Command("sh", "-c", command).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", command, err, out)
		}
	} else {
		kh, _ := os.ReadFile(s.KnownHosts)
		os.WriteFile(filepath.Join(home, ".ssh", "known_hosts"), kh, 0o600)
	}
	code, msg = gkAll(t, "deploy", "--src", src, "--site", out)
	want(t, "deploy", code, 0, msg, "已部署到 主机")
	if got := tree(t, dir); !sameTree(got, tree(t, out)) {
		t.Error("the server does not hold the site")
	}
	code, msg = gkAll(t, "deploy", "--src", src, "--site", out)
	want(t, "rerun", code, 0, msg, "上传 0 个文件")
}

// TestCLIDeployS3AndVerifySite deploys the demo board to S3-compatible
// storage, then verifies the live site through the storage's web address:
// one changed byte, a missing file and files left by --no-delete are each
// named.
func TestCLIDeployS3AndVerifySite(t *testing.T) {
	t.Setenv("GONGKAI_LANG", "")
	s := deploytest.StartS3(t)
	s.Env(t, false)
	bucket := s.Bucket(t)
	root := t.TempDir()
	src := filepath.Join(root, "content")
	copyDir(t, filepath.Join("..", "..", "content"), src)
	extra := filepath.Join(src, "pages", "extra.md")
	if err := os.WriteFile(extra, []byte("+++\ntitle = \"临时页面\"\ndate = 2026-11-01\n+++\n\n临时。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	appendTo(t, filepath.Join(src, "site.toml"), "\n[[deploy]]\nname = \"oss\"\nurl = \""+s.URL(bucket, "qingshi")+"\"\n")
	out := filepath.Join(root, "public")
	code, msg := gkAll(t, "deploy", "--build", "--src", src, "--site", out, "--date", "2026-11-27")
	want(t, "deploy", code, 0, msg, "已部署到 oss")
	n := len(tree(t, out))
	if objs := s.Objects(t, bucket, "qingshi/"); len(objs) != n+1 {
		t.Errorf("the bucket holds %d objects, want %d files and deploy.json", len(objs), n)
	}
	if _, h := s.Get(t, bucket, "qingshi/index.html"); h.Get("Content-Type") != "text/html; charset=utf-8" || h.Get("Cache-Control") != "public, max-age=300" {
		t.Errorf("index.html headers: %v", h)
	}
	live := s.Site(bucket, "qingshi")
	verify := func() (int, string) { return gkAll(t, "verify", "--src", src, "--site", live) }
	code, msg = verify()
	want(t, "verify the live site", code, 0, msg, "逐字节相同", "核验通过")

	// One changed byte on the server.
	page, _ := s.Get(t, bucket, "qingshi/index.html")
	i := bytes.Index(page, []byte("<title>"))
	page[i+1] = 'T'
	s.Put(t, bucket, "qingshi/index.html", page)
	code, msg = verify()
	want(t, "one changed byte", code, 1, msg, "内容不同：index.html", "有 1 个文件")
	code, msg = gkAll(t, "deploy", "--src", src, "--site", out)
	want(t, "deploy repairs it", code, 0, msg, "上传 1 个文件")
	code, msg = verify()
	want(t, "verify after the repair", code, 0, msg, "逐字节相同")

	// A file missing on the server.
	s.Delete(t, bucket, "qingshi/changes/index.html")
	code, msg = verify()
	want(t, "missing file", code, 1, msg, "缺少文件：changes/index.html")
	code, msg = gkAll(t, "deploy", "--src", src, "--site", out)
	want(t, "deploy restores it", code, 0, msg, "上传 1 个文件")

	// Pages left on the server by --no-delete, found through deploy.json.
	if err := os.Remove(extra); err != nil {
		t.Fatal(err)
	}
	code, msg = gkAll(t, "deploy", "--build", "--no-delete", "--src", src, "--site", out, "--date", "2026-11-27")
	want(t, "deploy --no-delete", code, 0, msg, "保留了")
	code, msg = verify()
	want(t, "added files", code, 1, msg, "多出的文件：pages/extra/index.html")
	code, msg = gkAll(t, "deploy", "--src", src, "--site", out)
	want(t, "deploy deletes them", code, 0, msg, "删除")
	code, msg = verify()
	want(t, "verify at last", code, 0, msg, "逐字节相同")
}
