package deploy

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gongkai/generator/config"
	"gongkai/generator/deploy/deploytest"
	"gongkai/generator/diag"
	"gongkai/generator/sitefs"
)

func TestMain(m *testing.M) {
	code := m.Run()
	deploytest.StopS3()
	os.Exit(code)
}

// rig is a real server (or folder) to deploy to, and a way to see what it
// holds.
type rig struct {
	target config.Deploy
	opt    func(*Options)
	// files returns every file of the target but deploy.json, by name
	// relative to the site's root.
	files func(t *testing.T) map[string]string
	// manifest returns the target's deploy.json ("" when there is none),
	// and restore puts back an earlier one.
	manifest func(t *testing.T) string
	restore  func(t *testing.T, m string)
}

func mustTarget(t *testing.T, name, url string) config.Deploy {
	t.Helper()
	d, err := config.ParseDeployURL(url)
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	d.Name = name
	d.Pos = diag.Position{File: "site.toml", Line: 20, Col: 1}
	return d
}

// dirFiles reads a folder on this machine.
func dirFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return out
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == ManifestName {
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

func dirRig(t *testing.T, target config.Deploy, dir string, opt func(*Options)) rig {
	return rig{
		target: target, opt: opt,
		files: func(t *testing.T) map[string]string { return dirFiles(t, dir) },
		manifest: func(t *testing.T) string {
			b, err := os.ReadFile(filepath.Join(dir, ManifestName))
			if errors.Is(err, fs.ErrNotExist) {
				return ""
			}
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		},
		restore: func(t *testing.T, m string) {
			if err := os.WriteFile(filepath.Join(dir, ManifestName), []byte(m), 0o644); err != nil {
				t.Fatal(err)
			}
		},
	}
}

func fileRig(t *testing.T) rig {
	dir := filepath.Join(t.TempDir(), "usb", "site")
	if err := os.Mkdir(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	return dirRig(t, mustTarget(t, "usb", "file://"+filepath.ToSlash(dir)), dir, nil)
}

func sftpRig(t *testing.T) rig {
	s := deploytest.StartSSHD(t)
	t.Setenv("SSH_AUTH_SOCK", "")
	dir := filepath.Join(s.Dir(t), "board")
	target := mustTarget(t, "host", s.URL(dir))
	target.Identity = s.Identity
	return dirRig(t, target, dir, func(o *Options) { o.KnownHosts = []string{s.KnownHosts} })
}

func s3Rig(t *testing.T) rig {
	s := deploytest.StartS3(t)
	s.Env(t, false)
	bucket := s.Bucket(t)
	const prefix = "board/"
	return rig{
		target: mustTarget(t, "oss", s.URL(bucket, "board")),
		files: func(t *testing.T) map[string]string {
			out := map[string]string{}
			for key := range s.Objects(t, bucket, prefix) {
				name := strings.TrimPrefix(key, prefix)
				if name == ManifestName {
					continue
				}
				b, _ := s.Get(t, bucket, key)
				out[name] = string(b)
			}
			return out
		},
		manifest: func(t *testing.T) string {
			if _, ok := s.Objects(t, bucket, prefix+ManifestName)[prefix+ManifestName]; !ok {
				return ""
			}
			b, _ := s.Get(t, bucket, prefix+ManifestName)
			return string(b)
		},
		restore: func(t *testing.T, m string) { s.Put(t, bucket, prefix+ManifestName, []byte(m)) },
	}
}

var rigs = []struct {
	name string
	make func(t *testing.T) rig
}{{"file", fileRig}, {"sftp", sftpRig}, {"s3", s3Rig}}

// baseSite is a small site shaped like a build: assets, pages at several
// depths, data, feeds, the ledger and build.json.
func baseSite() map[string]string {
	return map[string]string{
		"assets/style.8cd9c9c7.css":        "body{color:#000}",
		"assets/main.5cea72aa.js":          "console.log(1)",
		"index.html":                       "<!doctype html><title>青石社区</title>首页",
		"404.html":                         "<!doctype html>找不到",
		"decisions/index.html":             "<!doctype html>三重一大",
		"decisions/2026-02/index.html":     "<!doctype html>关于实施环境整治项目的决定",
		"decisions/2026-02/v1/index.html":  "<!doctype html>第1版",
		"disclosures/q3/index.html":        "<!doctype html>第三季度财务公开",
		"disclosures/q3/附件 清单.pdf":         "%PDF-1.4 not really",
		"data/records.json":                `{"records":[]}`,
		"data/disclosures/q3/accounts.csv": "\ufeff科目,金额\n",
		"feed.xml":                         "<feed/>",
		"sitemap.xml":                      "<urlset/>",
		"robots.txt":                       "User-agent: *\n",
		"ledger.json":                      `{"lines":[]}`,
		"ledger/checkpoint.txt":            "gongkai ledger\n3\nAAAA\n",
		"ledger/checkpoints/3.txt":         "gongkai ledger\n3\nAAAA\n",
		"build.json":                       `{"date":"2026-11-27"}`,
	}
}

// writeSite makes the built-site folder hold exactly files, and returns it
// as the deploy reads it.
func writeSite(t *testing.T, dir string, files map[string]string) fs.FS {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	site, err := sitefs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return site
}

func (r rig) options(site fs.FS) Options {
	opt := Options{Site: site, Target: r.target}
	if r.opt != nil {
		r.opt(&opt)
	}
	return opt
}

// deploy runs a deploy that must succeed.
func (r rig) deploy(t *testing.T, site fs.FS, edit func(*Options)) *Report {
	t.Helper()
	opt := r.options(site)
	if edit != nil {
		edit(&opt)
	}
	rep, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatalf("deploy: %v", err)
	}
	return rep
}

// fails runs a deploy that must fail with a message holding want, and
// must leave the target as it was.
func (r rig) fails(t *testing.T, site fs.FS, want string, edit func(*Options)) diag.Diagnostic {
	t.Helper()
	before, manifest := r.files(t), r.manifest(t)
	opt := r.options(site)
	if edit != nil {
		edit(&opt)
	}
	_, err := Run(context.Background(), opt)
	if err == nil {
		t.Fatalf("deploy did not fail (want %q)", want)
	}
	var d diag.Diagnostic
	if !errors.As(err, &d) {
		t.Fatalf("error is not a diagnostic: %v", err)
	}
	if msg := d.Format(diag.Zh); !strings.Contains(msg, want) {
		t.Errorf("message does not hold %q:\n%s", want, msg)
	}
	if d.Hint.Zh == "" || d.Hint.En == "" || d.Msg.En == "" {
		t.Errorf("message without a hint or without English: %+v", d)
	}
	if d.Pos.Line != 20 {
		t.Errorf("message not at the target's line of site.toml: %s", d.Format(diag.Zh))
	}
	for _, s := range []string{os.Getenv("AWS_SECRET_ACCESS_KEY"), "PRIVATE KEY"} {
		if s != "" && (strings.Contains(d.Format(diag.Zh), s) || strings.Contains(d.Format(diag.En), s)) {
			t.Errorf("the message shows a secret: %s", d.Format(diag.Zh))
		}
	}
	if after := r.files(t); !sameFiles(before, after) {
		t.Errorf("the failed deploy changed the target: %s", diffFiles(before, after))
	}
	if m := r.manifest(t); m != manifest {
		t.Errorf("the failed deploy changed deploy.json")
	}
	return d
}

func sameFiles(a, b map[string]string) bool { return diffFiles(a, b) == "" }

func diffFiles(a, b map[string]string) string {
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			out = append(out, "-"+k)
		} else if v != w {
			out = append(out, "~"+k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, "+"+k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func names(ups []Upload) []string {
	var out []string
	for _, u := range ups {
		out = append(out, u.Name)
	}
	sort.Strings(out)
	return out
}

// quick is a context for calls that must not hang.
func quick(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
