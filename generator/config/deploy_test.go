package config

import (
	"io/fs"
	"strings"
	"testing"
)

const head = "title = \"x\"\nissuer = \"y\"\nbase_url = \"https://e.org/\"\n"

func TestDeployTargets(t *testing.T) {
	s, ds := Parse(head + `
[[deploy]]
name = "oss"
url = "s3://qingshi-board/site/v1?endpoint=https://oss-cn-hangzhou.aliyuncs.com&region=cn-hangzhou"

[[deploy]]
name = "主机"
url = "sftp://board@example.org:2222/srv/board/"
identity = "~/.ssh/id_ed25519"

[[deploy]]
name = "home"
url = "sftp://example.org/~/board"

[[deploy]]
name = "usb"
url = "file:///D:/site"

[[deploy]]
name = "web"
url = "file:///var/www/%E5%85%AC%E5%BC%80"
`)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	want := []Deploy{
		{Name: "oss", Kind: DeployS3, Bucket: "qingshi-board", Prefix: "site/v1", Endpoint: "https://oss-cn-hangzhou.aliyuncs.com", Region: "cn-hangzhou"},
		{Name: "主机", Kind: DeploySFTP, User: "board", Host: "example.org", Port: 2222, Path: "/srv/board", Identity: "~/.ssh/id_ed25519"},
		{Name: "home", Kind: DeploySFTP, Host: "example.org", Port: 22, Path: "board"},
		{Name: "usb", Kind: DeployFile, Path: "D:/site"},
		{Name: "web", Kind: DeployFile, Path: "/var/www/公开"},
	}
	if len(s.Deploy) != len(want) {
		t.Fatalf("got %d targets", len(s.Deploy))
	}
	for i, w := range want {
		g := s.Deploy[i]
		g.URL = ""
		if g.Pos.Line == 0 {
			t.Errorf("%s: no position", g.Name)
		}
		g.Pos = w.Pos
		if g != w {
			t.Errorf("target %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	if a := s.Deploy[1].Address(); a != "example.org:2222" {
		t.Errorf("Address() = %q", a)
	}
}

func TestDeployErrors(t *testing.T) {
	for _, c := range []struct {
		text, want string
		line       int
	}{
		{"[[deploy]]\nname = \"a\"\nurl = \"ftp://h/x\"\n", "ftp://", 6},
		{"[[deploy]]\nname = \"a\"\nurl = \"example.org/x\"\n", "s3://", 6},
		{"[[deploy]]\nname = \"a\"\nurl = \"sftp://u:secret@h/x\"\n", "密码", 6},
		{"[[deploy]]\nname = \"a\"\nurl = \"s3://KEY:SECRET@bucket/x\"\n", "密钥", 6},
		{"[[deploy]]\nname = \"a\"\nurl = \"s3://bucket?endpoint=oss.example.org\"\n", "endpoint", 6},
		{"[[deploy]]\nname = \"a\"\nurl = \"s3://bucket?acl=public\"\n", "acl", 6},
		{"[[deploy]]\nname = \"a\"\nurl = \"s3://Bucket_1/x\"\n", "存储桶", 6},
		{"[[deploy]]\nname = \"a\"\nurl = \"s3://bucket/a/../b\"\n", "..", 6},
		{"[[deploy]]\nname = \"a\"\nurl = \"sftp://h\"\n", "文件夹", 6},
		{"[[deploy]]\nname = \"a\"\nurl = \"sftp://h/~\"\n", "主目录", 6},
		{"[[deploy]]\nname = \"a\"\nurl = \"sftp://h:99999/x\"\n", "端口", 6},
		{"[[deploy]]\nname = \"a\"\nurl = \"file://server/share\"\n", "本机", 6},
		{"[[deploy]]\nname = \"a\"\nurl = \"file:///D:/\"\n", "根", 6},
		{"[[deploy]]\nname = \"a\"\nurl = \"file:///\"\n", "根", 6},
		{"[[deploy]]\nname = \"a\"\nurl = \"file:///srv/../etc\"\n", "..", 6},
		{"[[deploy]]\nname = \"a\"\nurl = \"file:///srv/x\"\nidentity = \"k\"\n", "identity", 7},
		{"[[deploy]]\nname = \"a\"\nurl = \"sftp://h/x\"\nidentity = \"\"\n", "identity", 7},
		{"[[deploy]]\nname = \"a\"\nurl = \"sftp://h/x\"\npasword = \"k\"\n", "pasword", 7},
		{"[[deploy]]\nname = \"a b\"\nurl = \"sftp://h/x\"\n", "名称", 5},
		{"[[deploy]]\nurl = \"sftp://h/x\"\n", "name", 4},
		{"[[deploy]]\nname = \"a\"\nurl = \"sftp://h/x\"\n[[deploy]]\nname = \"a\"\nurl = \"file:///x\"\n", "两次", 8},
		{"deploy = \"sftp://h/x\"\n", "deploy", 4},
	} {
		_, ds := Parse(head + c.text)
		if !ds.HasErrors() {
			t.Errorf("%q: no error", c.text)
			continue
		}
		d := ds.Sorted()[0]
		if !strings.Contains(d.Format("zh"), c.want) || d.Pos.Line != c.line {
			t.Errorf("%q: got %s (line %d), want %q at line %d", c.text, d.Format("zh"), d.Pos.Line, c.want, c.line)
		}
		if en := d.Format("en"); strings.ContainsFunc(en, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			t.Errorf("%q: the English message holds Chinese: %s", c.text, en)
		}
	}
}

// FuzzDeployURL: any address either fails cleanly or gives a target whose
// paths stay inside what was named.
func FuzzDeployURL(f *testing.F) {
	for _, s := range []string{"s3://b-1/x?endpoint=http://127.0.0.1:8333&region=r", "sftp://u@h:22/srv/x", "sftp://h/~/x",
		"file:///D:/site", "file://localhost/srv/%2e%2e/x", "s3://b..c", "sftp://[::1]:2/x", "file://C:/a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		d, err := ParseDeployURL(raw)
		if err != nil {
			return
		}
		switch d.Kind {
		case DeployS3:
			if d.Bucket == "" || (d.Prefix != "" && !fs.ValidPath(d.Prefix)) {
				t.Fatalf("%q: %+v", raw, d)
			}
		case DeploySFTP:
			if d.Host == "" || d.Path == "" || d.Path == "/" || d.Port < 1 || !fs.ValidPath(strings.TrimPrefix(d.Path, "/")) {
				t.Fatalf("%q: %+v", raw, d)
			}
		case DeployFile:
			for _, part := range strings.Split(d.Path, "/") {
				if part == ".." || part == "." {
					t.Fatalf("%q: %+v", raw, d)
				}
			}
		default:
			t.Fatalf("%q: no kind", raw)
		}
	})
}
