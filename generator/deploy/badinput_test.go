package deploy

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"gongkai/generator/deploy/deploytest"
	"gongkai/generator/diag"
	"gongkai/generator/sitefs"
)

// deployed returns a rig's target holding the base site, and the site
// edited so that a deploy would change the target.
func deployed(t *testing.T, r rig) fs.FS {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "public")
	files := baseSite()
	r.deploy(t, writeSite(t, dir, files), nil)
	files["index.html"] += "（更新）"
	files["new/index.html"] = "新页面"
	delete(files, "404.html")
	return writeSite(t, dir, files)
}

func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return p
}

func TestSFTPBadInput(t *testing.T) {
	s := deploytest.StartSSHD(t)
	t.Setenv("SSH_AUTH_SOCK", "")
	dir := filepath.Join(s.Dir(t), "board")
	good := dirRig(t, mustTarget(t, "host", s.URL(dir)), dir, func(o *Options) { o.KnownHosts = []string{s.KnownHosts} })
	good.target.Identity = s.Identity
	site := deployed(t, good)
	tmp := t.TempDir()
	port := strconv.Itoa(s.Port)

	with := func(edit func(r *rig)) rig {
		r := good
		edit(&r)
		return r
	}
	write := func(name, data string) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	t.Run("unknown host", func(t *testing.T) {
		empty := write("known_hosts_empty", "")
		d := with(func(r *rig) { r.opt = func(o *Options) { o.KnownHosts = []string{empty} } }).fails(t, site, "还没有信任服务器 127.0.0.1:"+port, nil)
		if want := "ssh-keyscan -p " + port + " 127.0.0.1 >> ~/.ssh/known_hosts"; !strings.Contains(d.Hint.Zh, want) || !strings.Contains(d.Hint.En, want) {
			t.Errorf("hint does not give %q: %s", want, d.Hint.Zh)
		}
		if fp := ssh.FingerprintSHA256(s.HostKey); !strings.Contains(d.Msg.Zh, fp) {
			t.Errorf("message does not show the fingerprint %s", fp)
		}
	})
	t.Run("no known_hosts at all", func(t *testing.T) {
		with(func(r *rig) {
			r.opt = func(o *Options) { o.KnownHosts = []string{filepath.Join(tmp, "none")} }
		}).fails(t, site, "不在 known_hosts 里", nil)
	})
	t.Run("changed host key", func(t *testing.T) {
		pub, _, _ := ed25519.GenerateKey(rand.Reader)
		other, _ := ssh.NewPublicKey(pub)
		kh := write("known_hosts_other", knownhosts.Line([]string{knownhosts.Normalize("127.0.0.1:" + port)}, other)+"\n")
		d := with(func(r *rig) { r.opt = func(o *Options) { o.KnownHosts = []string{kh} } }).fails(t, site, "主机密钥变了", nil)
		if !strings.Contains(d.Hint.Zh, `ssh-keygen -R "[127.0.0.1]:`+port+`"`) {
			t.Errorf("hint: %s", d.Hint.Zh)
		}
	})
	t.Run("malformed known_hosts", func(t *testing.T) {
		kh := write("known_hosts_bad", "[127.0.0.1]:"+port+" ssh-ed25519 not-base64\n")
		with(func(r *rig) { r.opt = func(o *Options) { o.KnownHosts = []string{kh} } }).fails(t, site, "known_hosts 文件有误", nil)
	})
	t.Run("wrong key", func(t *testing.T) {
		key := filepath.Join(tmp, "id_other")
		if _, err := deploytest.NewKey(key); err != nil {
			t.Fatal(err)
		}
		with(func(r *rig) { r.target.Identity = key }).fails(t, site, "不接受用户 "+s.User+" 的密钥", nil)
	})
	t.Run("wrong user", func(t *testing.T) {
		with(func(r *rig) { r.target.User = "gongkai-nobody" }).fails(t, site, "不接受用户 gongkai-nobody 的密钥", nil)
	})
	t.Run("unreachable", func(t *testing.T) {
		with(func(r *rig) { r.target.Port = closedPort(t) }).fails(t, site, "连不上服务器 127.0.0.1:", nil)
	})
	t.Run("not ssh", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				c.Write([]byte("HTTP/1.0 400 Bad Request\r\n\r\n"))
				c.Close()
			}
		}()
		with(func(r *rig) { r.target.Port = l.Addr().(*net.TCPAddr).Port }).fails(t, site, "没有完成 SSH 握手", func(o *Options) {
			o.KnownHosts = nil
		})
	})
	t.Run("no key", func(t *testing.T) {
		with(func(r *rig) { r.target.Identity = "" }).fails(t, site, "没有可用的 SSH 密钥", nil)
	})
	t.Run("missing key file", func(t *testing.T) {
		with(func(r *rig) { r.target.Identity = filepath.Join(tmp, "nothing") }).fails(t, site, "读不了密钥文件", nil)
	})
	t.Run("public key as identity", func(t *testing.T) {
		pub := write("id.pub", string(ssh.MarshalAuthorizedKey(s.Signer.PublicKey())))
		with(func(r *rig) { r.target.Identity = pub }).fails(t, site, "不是 SSH 私钥", nil)
	})
	t.Run("key with a passphrase", func(t *testing.T) {
		_, priv, _ := ed25519.GenerateKey(rand.Reader)
		block, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "", []byte("口令"))
		if err != nil {
			t.Fatal(err)
		}
		key := write("id_locked", string(pem.EncodeToMemory(block)))
		d := with(func(r *rig) { r.target.Identity = key }).fails(t, site, "设了口令", nil)
		if !strings.Contains(d.Hint.Zh, "ssh-add "+key) {
			t.Errorf("hint: %s", d.Hint.Zh)
		}
	})
	t.Run("key inside the content folder", func(t *testing.T) {
		content := filepath.Join(tmp, "content")
		os.MkdirAll(filepath.Join(content, "keys"), 0o755)
		key := filepath.Join(content, "keys", "id")
		if _, err := deploytest.NewKey(key); err != nil {
			t.Fatal(err)
		}
		with(func(r *rig) { r.target.Identity = "content/keys/id" }).fails(t, site, "在内容文件夹里", func(o *Options) {
			o.Dir, o.Content = tmp, content
		})
	})
	t.Run("permission denied", func(t *testing.T) {
		ro := s.ReadOnlyDir(t)
		r := with(func(r *rig) { r.target.Path = ro })
		r.files = func(t *testing.T) map[string]string { return dirFiles(t, ro) }
		r.manifest = func(t *testing.T) string { return "" }
		r.fails(t, site, "没有权限写入", nil)
		r.target.Path = ro + "/board"
		r.fails(t, site, "没有权限写入", nil)
	})
	t.Run("missing parent folder", func(t *testing.T) {
		with(func(r *rig) { r.target.Path = dir + "/no/such" }).fails(t, site, "服务器上找不到文件夹", nil)
	})
	t.Run("a file, not a folder", func(t *testing.T) {
		with(func(r *rig) { r.target.Path = dir + "/index.html" }).fails(t, site, "是文件，不是文件夹", nil)
	})
	t.Run("damaged deploy.json", func(t *testing.T) {
		m := good.manifest(t)
		good.restore(t, `{"files":{"../../etc/passwd":{"size":1,"sha256":"`+strings.Repeat("0", 64)+`"}}}`)
		defer good.restore(t, m)
		good.fails(t, site, "deploy.json 已损坏", nil)
	})
	t.Run("full disk", func(t *testing.T) {
		tiny := filepath.Join(s.Dir(t), "tiny")
		os.Mkdir(tiny, 0o755)
		deploytest.TinyDisk(t, tiny, "64k")
		s.Own(t, tiny)
		big := baseSite()
		big["disclosures/q3/附件 清单.pdf"] = strings.Repeat("公开", 100_000)
		bigSite := writeSite(t, filepath.Join(t.TempDir(), "public"), big)
		r := dirRig(t, good.target, tiny, good.opt)
		r.target.Path = tiny
		d := r.fails(t, bigSite, "磁盘空间不够", nil)
		if !strings.Contains(d.Msg.Zh, "没有上传任何文件") {
			t.Errorf("message: %s", d.Msg.Zh)
		}
	})
	t.Run("disk fills during the deploy", func(t *testing.T) {
		tiny := filepath.Join(s.Dir(t), "tiny2")
		os.Mkdir(tiny, 0o755)
		deploytest.TinyDisk(t, tiny, "256k")
		s.Own(t, tiny)
		r := dirRig(t, good.target, tiny, good.opt)
		r.target.Path = tiny
		r.deploy(t, writeSite(t, filepath.Join(t.TempDir(), "public"), baseSite()), nil)
		before, manifest := r.files(t), r.manifest(t)
		files := baseSite()
		files["index.html"] = strings.Repeat("更正", 20_000)
		files["decisions/index.html"] += "！"
		delete(files, "404.html")
		_, err := runRecorded(t, r, writeSite(t, filepath.Join(t.TempDir(), "public2"), files), &recorder{after: -1, fill: tiny}, false)
		var d diag.Diagnostic
		if !errors.As(err, &d) || !strings.Contains(d.Msg.Zh, "磁盘已满") || !strings.Contains(d.Msg.Zh, "没有删除任何文件") {
			t.Fatalf("got %v", err)
		}
		after := r.files(t)
		if _, ok := after["404.html"]; !ok {
			t.Error("a deploy that failed on a full disk deleted a file")
		}
		if after["index.html"] != before["index.html"] {
			t.Error("a page was left half-written")
		}
		for name := range after {
			if strings.HasSuffix(name, tmpSuffix) {
				t.Errorf("a temporary file was left behind: %s", name)
			}
		}
		if r.manifest(t) != manifest {
			t.Error("deploy.json changed although nothing was written")
		}
	})
}

func TestS3BadInput(t *testing.T) {
	s := deploytest.StartS3(t)
	good := s3Rig(t)
	site := deployed(t, good)
	with := func(edit func(r *rig)) rig {
		r := good
		edit(&r)
		return r
	}
	t.Run("wrong secret", func(t *testing.T) {
		t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong"+s.Secret)
		good.fails(t, site, "不接受这个访问密钥", nil)
	})
	t.Run("unknown key", func(t *testing.T) {
		t.Setenv("AWS_ACCESS_KEY_ID", "NOSUCHKEY")
		good.fails(t, site, "不接受这个访问密钥", nil)
	})
	t.Run("no key", func(t *testing.T) {
		t.Setenv("AWS_ACCESS_KEY_ID", "")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "")
		d := good.fails(t, site, "没有找到 S3 的访问密钥", nil)
		if !strings.Contains(d.Hint.Zh, "AWS_ACCESS_KEY_ID") {
			t.Errorf("hint: %s", d.Hint.Zh)
		}
	})
	t.Run("shared credentials file", func(t *testing.T) {
		// The keys may also come from the shared file, as the AWS tools keep them.
		creds := filepath.Join(t.TempDir(), "credentials")
		os.WriteFile(creds, []byte(fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", s.Key, s.Secret)), 0o600)
		t.Setenv("AWS_ACCESS_KEY_ID", "")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "")
		t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
		rep := good.deploy(t, site, func(o *Options) { o.DryRun = true })
		if len(rep.Plan.Uploads) != 2 || len(rep.Plan.Deletes) != 1 {
			t.Errorf("plan with the shared file: %q %q", names(rep.Plan.Uploads), rep.Plan.Deletes)
		}
	})
	t.Run("missing bucket", func(t *testing.T) {
		with(func(r *rig) { r.target.Bucket = "no-such-bucket-here" }).fails(t, site, "存储桶 no-such-bucket-here 不存在", nil)
	})
	t.Run("permission denied", func(t *testing.T) {
		s.Env(t, true)
		good.fails(t, site, "没有权限", nil)
	})
	t.Run("unreachable", func(t *testing.T) {
		with(func(r *rig) { r.target.Endpoint = "http://127.0.0.1:" + strconv.Itoa(closedPort(t)) }).fails(t, site, "连不上存储服务", nil)
	})
	t.Run("damaged deploy.json", func(t *testing.T) {
		m := good.manifest(t)
		good.restore(t, `{"files":[1,2]}`)
		defer good.restore(t, m)
		good.fails(t, site, "deploy.json 已损坏", nil)
	})
}

func TestFileBadInput(t *testing.T) {
	good := fileRig(t)
	site := deployed(t, good)
	with := func(path string) rig {
		r := good
		r.target.Path = path
		return r
	}
	t.Run("stick not plugged in", func(t *testing.T) {
		with("/no/such/usb/site").fails(t, site, "找不到文件夹 /no/such/usb", nil)
	})
	t.Run("a file, not a folder", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "file")
		os.WriteFile(f, nil, 0o644)
		with(f).fails(t, site, "是文件，不是文件夹", nil)
	})
	t.Run("windows path", func(t *testing.T) {
		with("D:/site").fails(t, site, "Windows 的路径", nil)
	})
	t.Run("full disk", func(t *testing.T) {
		tiny := t.TempDir()
		deploytest.TinyDisk(t, tiny, "64k")
		big := baseSite()
		big["disclosures/q3/附件 清单.pdf"] = strings.Repeat("公开", 100_000)
		r := dirRig(t, good.target, tiny, nil)
		r.target.Path = tiny
		r.fails(t, writeSite(t, filepath.Join(t.TempDir(), "public"), big), "磁盘空间不够", nil)
	})
	t.Run("read-only", func(t *testing.T) {
		ro := t.TempDir()
		deploytest.TinyDisk(t, ro, "64k")
		if out, err := exec.Command("mount", "-o", "remount,ro", ro).CombinedOutput(); err != nil {
			deploytest.Missing(t, "cannot remount read-only: "+string(out))
		}
		r := dirRig(t, good.target, ro, nil)
		r.target.Path = ro
		r.fails(t, site, "是只读的", nil)
	})
	t.Run("symbolic link in the site", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "public")
		writeSite(t, dir, baseSite())
		if err := os.Symlink("/etc/passwd", filepath.Join(dir, "passwd.html")); err != nil {
			t.Fatal(err)
		}
		s2, err := sitefs.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		good.fails(t, s2, "不是普通文件", nil)
	})
	t.Run("deploy.json in the site", func(t *testing.T) {
		files := baseSite()
		files["deploy.json"] = "{}"
		good.fails(t, writeSite(t, filepath.Join(t.TempDir(), "public"), files), "不应有 deploy.json", nil)
	})
}
