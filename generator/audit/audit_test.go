package audit_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai/generator/audit"
	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/history"
	"gongkai/generator/internal/testboard"
	"gongkai/generator/ledger"
)

var today = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

func format(ds diag.List) string {
	var b strings.Builder
	ds.Print(&b, diag.Zh)
	return b.String()
}

// site builds the content folder dir into memory.
func site(t *testing.T, src fs.FS) *build.MemOutput {
	t.Helper()
	out, _, ds, err := build.ToMemory(build.Options{Src: src, Today: today})
	if err != nil || out == nil || ds.HasErrors() {
		t.Fatalf("build: %v %s", err, format(ds))
	}
	return out
}

// copyDemo copies the demo board into a new folder.
func copyDemo(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(dst, os.DirFS(testboard.Dir(t))); err != nil {
		t.Fatal(err)
	}
	return dst
}

func saved(t *testing.T, size string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testboard.Dir(t), "_checkpoints", size+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func boardKey(t *testing.T) string {
	t.Helper()
	k, err := audit.SiteKeys(site(t, testboard.Demo(t, nil)).FS())
	if err != nil || k.Board == nil {
		t.Fatalf("the demo has no key: %v", err)
	}
	return k.Board.Text
}

func TestDemoSite(t *testing.T) {
	out := site(t, testboard.Demo(t, nil))
	rep, ds := audit.Verify(out.FS(), audit.Options{Since: saved(t, "45"), Key: boardKey(t)})
	if len(ds) > 0 {
		t.Fatalf("the demo site does not verify: %s", format(ds))
	}
	// Every checkpoint of the demo is signed and cosigned, though its
	// private keys are not in the repository.
	for _, c := range rep.Checkpoints {
		if !c.Stored || !c.Signers.Board || len(c.Signers.Witnessed) != 2 {
			t.Errorf("demo checkpoint %d: %+v", c.Size, c)
		}
	}
	last := rep.Checkpoints[len(rep.Checkpoints)-1]
	l, _ := ledger.Read(testboard.Demo(t, nil))
	if rep.Size != l.Size() || rep.Releases != len(l.Releases()) || rep.Versions < 40 || rep.Withheld < 2 || rep.Sources != rep.Versions-rep.Withheld ||
		rep.Since == nil || rep.Since.Size != 45 || !last.Signers.Board || len(last.Signers.Witnessed) != 2 {
		t.Errorf("report %+v, latest %+v", rep, last.Signers)
	}
}

// line is a ledger line with the keys in the ledger's order.
type line struct {
	Seq     int               `json:"seq"`
	At      string            `json:"at"`
	Release int               `json:"release"`
	Record  string            `json:"record"`
	Version int               `json:"version"`
	Action  string            `json:"action"`
	SHA256  string            `json:"sha256"`
	Files   map[string]string `json:"files,omitempty"`
	Note    string            `json:"note"`
	Prev    string            `json:"prev"`
}

// rewrite forges the history of the content folder dir: version 1 of the
// third-quarter accounts never had the wrong voucher number. The archive,
// its ledger line, every later prev and every release hash are made to
// agree, so the forged ledger passes every check of its own.
func rewrite(t *testing.T, dir string) {
	t.Helper()
	const id = "disclosures/2026-q3-caiwu"
	arch := filepath.Join(dir, "_archive", id, "v1.md")
	b, _ := os.ReadFile(arch)
	forged := bytes.Replace(b, []byte(`voucher = "记-07-03"`), []byte(`voucher = "记-07-02"`), 1)
	if bytes.Equal(b, forged) {
		t.Fatal("the forgery changed nothing")
	}
	os.WriteFile(arch, forged, 0o644)
	raw, _ := os.ReadFile(filepath.Join(dir, ledger.FileName))
	var out, group []byte
	prev := ""
	for _, s := range strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n") {
		var l line
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			t.Fatal(err)
		}
		if l.Record == id && l.Version == 1 && l.Action == ledger.ActionPublish {
			l.SHA256 = ledger.Sum(forged)
		}
		l.Prev = prev
		if l.Action == ledger.ActionRelease {
			l.SHA256, group = ledger.Sum(group), nil
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.Encode(l)
		enc2 := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if l.Action != ledger.ActionRelease {
			group = append(append(group, enc2...), '\n')
		}
		out = append(append(out, enc2...), '\n')
		prev = ledger.Sum(enc2)
	}
	os.WriteFile(filepath.Join(dir, ledger.FileName), out, 0o644)
	// The signed checkpoints no longer match; the forger drops them.
	os.RemoveAll(filepath.Join(dir, ledger.CheckpointDir))
	if ds := ledger.Verify(os.DirFS(dir), nil); ds.HasErrors() {
		t.Fatalf("the forged ledger does not hold together: %s", format(ds))
	}
}

// TestForgedRewrite: a board rewrites its history and recomputes
// everything. Without the board's private key its checkpoints are
// unsigned; with a key of its own in their place, the site verifies by
// itself, but not against a checkpoint saved before nor against the key on
// the wall.
func TestForgedRewrite(t *testing.T) {
	saved45, key := saved(t, "45"), boardKey(t)

	t.Run("keeping the key", func(t *testing.T) {
		dir := copyDemo(t)
		rewrite(t, dir)
		out := site(t, os.DirFS(dir))
		_, ds := audit.Verify(out.FS(), audit.Options{})
		if !strings.Contains(format(ds), "没有本居委会的签名") {
			t.Errorf("unsigned checkpoints passed the signature check: %s", format(ds))
		}
		_, ds = audit.Verify(out.FS(), audit.Options{Since: saved45})
		if !strings.Contains(format(ds), "不是保存的检查点（45 条）的延续") {
			t.Errorf("--since missed the rewrite: %s", format(ds))
		}
	})

	t.Run("with a new key", func(t *testing.T) {
		dir := copyDemo(t)
		rewrite(t, dir)
		priv, pub, _ := ledger.NewKey("example.org/qingshi")
		signer, _, _ := ledger.ParsePrivateKey(priv)
		toml := filepath.Join(dir, "site.toml")
		b, _ := os.ReadFile(toml)
		s := string(b)
		i, j := strings.Index(s, "[ledger]"), strings.Index(s, "[print]")
		os.WriteFile(toml, []byte(s[:i]+"[ledger]\nkey = \""+pub.Text+"\"\n\n"+s[j:]), 0o644)
		board, ds := build.Load(build.Options{Src: os.DirFS(dir)})
		if ds.HasErrors() {
			t.Fatal(format(ds))
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer root.Close()
		r, ds := ledger.Publish(root, history.Current(board), ledger.PublishOptions{
			Message: "x", Now: time.Date(2026, 11, 27, 13, 0, 0, 0, time.FixedZone("CST", 8*3600)), Keys: board.Site.Ledger, Signer: signer})
		if r == nil || len(r.Signed) != 3 || ds.HasErrors() { // the demo's three releases
			t.Fatalf("re-signing: %+v %s", r, format(ds))
		}
		out := site(t, os.DirFS(dir))
		// By itself the forged site holds together: only outside
		// knowledge catches it.
		if _, ds := audit.Verify(out.FS(), audit.Options{}); ds.HasErrors() {
			t.Fatalf("the forged site should hold together by itself: %s", format(ds))
		}
		_, ds = audit.Verify(out.FS(), audit.Options{Since: saved45})
		for _, want := range []string{"不是保存的检查点（45 条）的延续", "密钥被换过"} {
			if !strings.Contains(format(ds), want) {
				t.Errorf("--since with the saved signed checkpoint: no %q in %s", want, format(ds))
			}
		}
		_, ds = audit.Verify(out.FS(), audit.Options{Key: key})
		if !strings.Contains(format(ds), "不是你给的") {
			t.Errorf("--key from the wall sheet missed the new key: %s", format(ds))
		}
	})
}

// TestTamperedSite edits single files of the built demo site.
func TestTamperedSite(t *testing.T) {
	key := boardKey(t)
	edit := func(name string, fn func(string) string) func(*build.MemOutput) {
		return func(o *build.MemOutput) {
			b, ok := o.Get(name)
			if !ok {
				t.Fatalf("no %s", name)
			}
			o.Files[name] = []byte(fn(string(b)))
		}
	}
	flip := func(s string) string {
		const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
		i := strings.IndexByte(s, '=') - 1
		return s[:i] + string(abc[strings.IndexByte(abc, s[i])^1]) + s[i+1:]
	}
	demo := site(t, testboard.Demo(t, nil))
	root := mustNote(t, demo, history.CheckpointPath).Hash.String()
	sig := mustNote(t, demo, "ledger/checkpoints/45.txt").Sigs[1].Base64
	if b, _ := base64.StdEncoding.DecodeString(flip(root)); base64.StdEncoding.EncodeToString(b) != root {
		t.Fatal("flip does not keep the bytes")
	}
	for _, tc := range []struct {
		name, want string
		do         func(*build.MemOutput)
	}{
		{"source edited", "原文被改动", edit("ledger/sources/disclosures/2026-q2-caiwu/v1.md", func(s string) string { return strings.Replace(s, "第二季度", "第三季度", 1) })},
		{"source removed", "不见了", func(o *build.MemOutput) { delete(o.Files, "ledger/sources/disclosures/2026-q2-caiwu/v1.md") }},
		{"registered table edited", "公开的文件 ledger/sources/disclosures/guiyuan-gaizao/v2/资金明细.csv 与登记的哈希不符", edit("ledger/sources/disclosures/guiyuan-gaizao/v2/资金明细.csv", func(s string) string { return strings.Replace(s, "0", "1", 1) })},
		{"registered attachment removed", "登记的文件 ledger/sources/disclosures/guiyuan-gaizao/v2/验收意见.txt 不见了", func(o *build.MemOutput) {
			delete(o.Files, "ledger/sources/disclosures/guiyuan-gaizao/v2/验收意见.txt")
		}},
		{"root in proofs.json with a changed padding bit", "不是对最新检查点", edit(history.ProofsJSON, func(s string) string { return strings.Replace(s, root, flip(root), 1) })},
		{"latest checkpoint root with a changed padding bit", "规范 base64", edit(history.CheckpointPath, func(s string) string { return strings.Replace(s, root, flip(root), 1) })},
		{"cosignature with a changed padding bit", "规范的 base64", edit("ledger/checkpoints/45.txt", func(s string) string { return strings.Replace(s, sig, flip(sig), 1) })},
		{"a proof hash changed", "包含证明不成立", edit(history.ProofsJSON, func(s string) string {
			i := strings.Index(s, `"proof":["`) + len(`"proof":["`)
			return s[:i] + "A" + s[i+1:]
		})},
		{"ledger.json edited", "ledger.json 与 ledger.jsonl", edit(history.LedgerJSON, func(s string) string { return strings.Replace(s, "公开栏上线", "公开栏开通", 1) })},
		{"build.json's checkpoint with a changed padding bit", "build.json 里的检查点", edit(history.BuildJSON, func(s string) string { return strings.Replace(s, root, flip(root), 1) })},
		{"a checkpoint dropped", "45.txt", func(o *build.MemOutput) { delete(o.Files, "ledger/checkpoints/45.txt") }},
		{"a cosignature forged", "签名无效", edit(history.CheckpointFile(mustNote(t, demo, history.CheckpointPath).Size), func(s string) string {
			n, _ := ledger.ParseNote([]byte(s))
			raw, _ := base64.StdEncoding.DecodeString(n.Sigs[2].Base64)
			raw[20] ^= 0x40
			return strings.Replace(s, n.Sigs[2].Base64, base64.StdEncoding.EncodeToString(raw), 1)
		})},
		{"the board's key replaced in build.json", "不是你给的", edit(history.BuildJSON, func(s string) string {
			_, pub, _ := ledger.NewKey("example.org/qingshi")
			return strings.Replace(s, key, pub.Text, 1)
		})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := build.NewMemOutput()
			for _, n := range demo.Names() {
				b, _ := demo.Get(n)
				o.Files[n] = b
			}
			tc.do(o)
			_, ds := audit.Verify(o.FS(), audit.Options{Key: key})
			if !ds.HasErrors() || !strings.Contains(format(ds), tc.want) {
				t.Errorf("want an error mentioning %q: %s", tc.want, format(ds))
			}
		})
	}
}

func mustNote(t *testing.T, o *build.MemOutput, name string) *ledger.Note {
	t.Helper()
	b, _ := o.Get(name)
	n, err := ledger.ParseNote(b)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestNoPrivateKeyInTheRepository: the demo's checkpoints are signed, but
// no private key is kept anywhere in the module, the demo board included.
func TestNoPrivateKeyInTheRepository(t *testing.T) {
	key := regexp.MustCompile(`PRIVATE\+KEY\+[^+\s"]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]{40,}`)
	root := filepath.Dir(testboard.Dir(t))
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); p != root && (strings.HasPrefix(name, ".") || name == "public") {
				return filepath.SkipDir
			}
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		if key.Match(b) {
			t.Errorf("%s holds a private key", p)
		}
		return nil
	})
	if err != nil || n < 100 {
		t.Fatalf("walked %d files: %v", n, err)
	}
}
