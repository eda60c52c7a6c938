package ledger

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
)

const origin = "example.org/qingshi"

// testKeys makes a board key and two witness keys.
func testKeys(t testing.TB) (Keys, note.Signer, []note.Signer) {
	t.Helper()
	mk := func(name string) (note.Signer, *Key) {
		priv, pub, err := NewKey(name)
		if err != nil {
			t.Fatal(err)
		}
		s, k, err := ParsePrivateKey(priv)
		if err != nil || k.Text != pub.Text {
			t.Fatalf("ParsePrivateKey: %v (%v vs %v)", err, k, pub)
		}
		return s, k
	}
	board, bk := mk(origin)
	w1, k1 := mk("青石街道办事处")
	w2, k2 := mk("青石社区居务监督委员会")
	return Keys{Origin: origin, Board: bk, Witnesses: []*Key{k1, k2}}, board, []note.Signer{w1, w2}
}

// flipPadding changes the unused low bit of the last base64 character
// before the padding: a lenient decoder gives the same bytes.
func flipPadding(t *testing.T, b64 string) string {
	t.Helper()
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	i := strings.IndexByte(b64, '=') - 1
	c := strings.IndexByte(alphabet, b64[i])
	out := b64[:i] + string(alphabet[c^1]) + b64[i+1:]
	a, err1 := base64.StdEncoding.DecodeString(b64)
	b, err2 := base64.StdEncoding.DecodeString(out)
	if err1 != nil || err2 != nil || string(a) != string(b) {
		t.Fatalf("flipPadding(%s) = %s does not decode to the same bytes", b64, out)
	}
	return out
}

func TestNoteStrict(t *testing.T) {
	keys, board, witnesses := testKeys(t)
	dir, _ := board2(t)
	l := readLedger(t, dir)
	l.Origin = origin
	n := &Note{Checkpoint: l.Checkpoint()}
	if err := n.Sign(board); err != nil {
		t.Fatal(err)
	}
	if err := n.Sign(witnesses[0]); err != nil {
		t.Fatal(err)
	}
	text := string(n.Bytes())
	if !strings.HasPrefix(text, origin+"\n8\n"+l.Checkpoint().Hash.String()+"\n\n— "+origin+" ") {
		t.Fatalf("signed note:\n%s", text)
	}
	// The format of golang.org/x/mod/sumdb/note, so its reader agrees.
	v1, _ := note.NewVerifier(keys.Board.Text)
	v2, _ := note.NewVerifier(keys.Witnesses[0].Text)
	if opened, err := note.Open([]byte(text), note.VerifierList(v1, v2)); err != nil || len(opened.Sigs) != 2 {
		t.Fatalf("note.Open: %v", err)
	}
	for _, ok := range []string{text, strings.ReplaceAll(text, "\n", "\r\n"), strings.TrimSuffix(text, "\n"), "\n " + text + "\n\n"} {
		got, err := ParseNote([]byte(ok))
		if err != nil || string(got.Bytes()) != text {
			t.Errorf("ParseNote(%q) = %v", ok, err)
		}
	}
	root := l.Checkpoint().Hash.String()
	sig := n.Sigs[0].Base64
	bad := map[string]string{
		"root with a changed padding bit":      strings.Replace(text, root, flipPadding(t, root), 1),
		"signature with a changed padding bit": strings.Replace(text, sig, flipPadding(t, sig), 1),
		"root without padding":                 strings.Replace(text, root, strings.TrimRight(root, "="), 1),
		"root in URL-safe base64":              strings.Replace(text, root, strings.NewReplacer("+", "-", "/", "_").Replace(root), 1),
		"size with a leading zero":             strings.Replace(text, "\n8\n", "\n08\n", 1),
		"negative size":                        strings.Replace(text, "\n8\n", "\n-8\n", 1),
		"extension line":                       strings.Replace(text, root+"\n", root+"\nextra\n", 1),
		"missing root":                         origin + "\n8\n",
		"blank line, then no signature line":   n.Checkpoint.String() + "\nx\n",
		"signature line without the dash":      strings.Replace(text, "— ", "- ", 1),
		"origin with a blank":                  strings.Replace(text, origin+"\n", "example org\n", 1),
		"short hash":                           strings.Replace(text, root, "AAAA", 1),
	}
	for name, text := range bad {
		if _, err := ParseNote([]byte(text)); err == nil {
			t.Errorf("%s: accepted\n%s", name, text)
		}
	}
	// A key has no padding bits (33 bytes), but a lenient decoder also
	// skips line breaks.
	k := keys.Board.Text
	if _, err := note.NewVerifier(k[:len(k)-8] + "\n" + k[len(k)-8:]); err != nil {
		t.Fatalf("the lenient reader refuses a broken line too; the case proves nothing: %v", err)
	}
	if _, err := ParseKey(k[:len(k)-8] + "\n" + k[len(k)-8:]); err == nil {
		t.Errorf("ParseKey accepted a key with a line break in its base64")
	}
}

func TestCheckSigners(t *testing.T) {
	keys, board, ws := testKeys(t)
	c := Checkpoint{Origin: origin, Size: 3}
	n := &Note{Checkpoint: c}
	for _, s := range []note.Signer{board, ws[1]} {
		if err := n.Sign(s); err != nil {
			t.Fatal(err)
		}
	}
	s := n.Check(keys)
	if !s.Board || strings.Join(s.Witnessed, ",") != "青石社区居务监督委员会" || strings.Join(s.Missing, ",") != "青石街道办事处" || len(s.Invalid)+len(s.Unknown) > 0 {
		t.Errorf("Check = %+v", s)
	}
	// Signing again replaces, it does not repeat.
	if err := n.Sign(board); err != nil || len(n.Sigs) != 2 || n.Sigs[1].Name != origin {
		t.Errorf("re-signing: %v, %d signatures", err, len(n.Sigs))
	}
	// Another checkpoint with the same signatures: none verifies.
	forged := &Note{Checkpoint: Checkpoint{Origin: origin, Size: 4}, Sigs: n.Sigs}
	if s := forged.Check(keys); s.Board || len(s.Invalid) != 2 {
		t.Errorf("forged Check = %+v", s)
	}
	// A key of the same name that site.toml does not list.
	other, _, _ := testKeys(t)
	if s := n.Check(Keys{Origin: origin, Board: other.Board}); s.Board || len(s.Unknown) != 2 {
		t.Errorf("Check with another board key = %+v", s)
	}
	m := &Note{Checkpoint: c}
	m.Sign(ws[0])
	if err := m.Merge(n); err != nil || len(m.Check(keys).Witnessed) != 2 || !m.Check(keys).Board {
		t.Errorf("Merge: %v %+v", err, m.Check(keys))
	}
	if err := m.Merge(forged); err == nil {
		t.Errorf("Merge of another checkpoint succeeded")
	}
}

func TestKeyFiles(t *testing.T) {
	dir := t.TempDir()
	priv, pub, err := NewKey(origin)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "keys", "board.key")
	if err := WriteKeyFile(name, priv); err != nil {
		t.Fatal(err)
	}
	if err := WriteKeyFile(name, priv); !errors.Is(err, ErrKeyExists) {
		t.Errorf("a second WriteKeyFile: %v", err)
	}
	if runtime.GOOS != "windows" {
		if st, _ := os.Stat(name); st.Mode().Perm() != 0o600 {
			t.Errorf("key file mode %v", st.Mode())
		}
	}
	if _, k, err := ReadKeyFile(name); err != nil || k.Text != pub.Text {
		t.Errorf("ReadKeyFile = %v, %v", k, err)
	}
	for _, bad := range []string{"", "PRIVATE+KEY+x", pub.Text, strings.Replace(priv, "PRIVATE", "private", 1)} {
		if _, _, err := ParsePrivateKey(bad); err == nil {
			t.Errorf("ParsePrivateKey(%q) accepted", bad)
		}
	}
	if _, _, err := NewKey("有 空格"); err == nil {
		t.Errorf("a key name with a blank was accepted")
	}
	if !Inside(filepath.Join(dir, "content", "k.key"), filepath.Join(dir, "content")) ||
		Inside(filepath.Join(dir, "k.key"), filepath.Join(dir, "content")) ||
		Inside(filepath.Join(dir, "content2", "k.key"), filepath.Join(dir, "content")) {
		t.Errorf("Inside is wrong")
	}
	// A symbolic link into the content folder is inside it.
	os.MkdirAll(filepath.Join(dir, "content"), 0o755)
	if err := os.Symlink(filepath.Join(dir, "content"), filepath.Join(dir, "link")); err == nil {
		if !Inside(filepath.Join(dir, "link", "k.key"), filepath.Join(dir, "content")) {
			t.Errorf("a key under a link into the content folder is not inside it")
		}
	}
}

func TestOriginOf(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.org/qingshi/": "example.org/qingshi",
		"https://Example.ORG/":         "example.org",
		"http://10.0.0.1:8080/村/":      "10.0.0.1:8080/%E6%9D%91",
		"not a url":                    "",
	} {
		if got := OriginOf(in); got != want {
			t.Errorf("OriginOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBoardSigner(t *testing.T) {
	keys, _, _ := testKeys(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "content")
	os.MkdirAll(src, 0o755)
	if s, _, ds := BoardSigner(Keys{Origin: origin}, "", src); s != nil || len(ds) > 0 {
		t.Errorf("no key configured: %v %s", s, format(ds))
	}
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("HOME", filepath.Join(dir, "home"))
	t.Setenv("AppData", filepath.Join(dir, "appdata"))
	if _, file, ds := BoardSigner(keys, "", src); !ds.HasErrors() || !strings.Contains(ds[0].Msg.Zh, "找不到它的私钥") || !strings.HasPrefix(file, dir) {
		t.Errorf("missing key file: %s %s", file, format(ds))
	}
	priv, pub, _ := NewKey(origin)
	inside := filepath.Join(src, "board.key")
	os.WriteFile(inside, []byte(priv), 0o600)
	if _, _, ds := BoardSigner(Keys{Origin: origin, Board: pub}, inside, src); !ds.HasErrors() || !strings.Contains(ds[0].Msg.Zh, "在内容文件夹里") {
		t.Errorf("key inside the content folder: %s", format(ds))
	}
	outside := filepath.Join(dir, "board.key")
	os.WriteFile(outside, []byte(priv), 0o600)
	if _, _, ds := BoardSigner(keys, outside, src); !ds.HasErrors() || !strings.Contains(ds[0].Msg.Zh, "不是 site.toml 里写的") {
		t.Errorf("another key: %s", format(ds))
	}
	if _, _, ds := BoardSigner(Keys{Origin: origin}, outside, src); !ds.HasErrors() || !strings.Contains(ds[0].Hint.Zh, pub.Text) {
		t.Errorf("key file without a key in site.toml: %s", format(ds))
	}
	if s, _, ds := BoardSigner(Keys{Origin: origin, Board: pub}, outside, src); s == nil || len(ds) > 0 {
		t.Errorf("the right key: %s", format(ds))
	}
	// The default place.
	def, err := BoardKeyFile(origin)
	if err != nil || !strings.HasPrefix(def, dir) || Inside(def, src) {
		t.Fatalf("BoardKeyFile = %s, %v", def, err)
	}
	if err := WriteKeyFile(def, priv); err != nil {
		t.Fatal(err)
	}
	if s, file, ds := BoardSigner(Keys{Origin: origin, Board: pub}, "", src); s == nil || file != def || len(ds) > 0 {
		t.Errorf("the default key file: %s %s", file, format(ds))
	}
}

// board2 is a content folder with two releases (8 lines).
func board2(t *testing.T) (string, []Current) {
	t.Helper()
	return board(t)
}

func TestPublishSigns(t *testing.T) {
	keys, board, ws := testKeys(t)
	dir := t.TempDir()
	a := rec("pages/about", "关于。", "")
	// Before the board has a key: the checkpoint file is written unsigned.
	r := mustPublish(t, dir, []Current{a}, PublishOptions{Message: "首次发布", Now: day, Keys: Keys{Origin: origin}})
	if r.File != "_checkpoints/2.txt" || len(r.Note.Sigs) != 0 || r.Note.Origin != origin {
		t.Fatalf("unsigned release: %+v", r)
	}
	// With a key configured, a build warns and verify fails until publish signs.
	if _, ds := VerifyCheckpoints(os.DirFS(dir), keys, false); ds.HasErrors() || len(ds) != 1 {
		t.Errorf("build check of an unsigned checkpoint: %s", format(ds))
	}
	if _, ds := VerifyCheckpoints(os.DirFS(dir), keys, true); !ds.HasErrors() {
		t.Errorf("verify accepted an unsigned checkpoint")
	}
	// A wrong signer is refused before anything is written.
	other, otherSigner, _ := testKeys(t)
	_ = other
	if r, ds := Publish(openRoot(t, dir), []Current{a}, PublishOptions{Message: "m", Now: day, Keys: keys, Signer: otherSigner}); r != nil || !ds.HasErrors() {
		t.Errorf("publish with another key: %v %s", r, format(ds))
	}
	// Nothing new to register: publish signs the existing checkpoints.
	r, ds := Publish(openRoot(t, dir), []Current{a}, PublishOptions{Message: "签名", Now: day, Keys: keys, Signer: board})
	if r == nil || r.Number != 0 || len(r.Signed) != 1 || !r.Note.Check(keys).Board || ds.HasErrors() {
		t.Fatalf("signing publish: %+v %s", r, format(ds))
	}
	if r, _ := Publish(openRoot(t, dir), []Current{a}, PublishOptions{Message: "签名", Now: day, Keys: keys, Signer: board}); r != nil {
		t.Errorf("a second signing publish did something: %+v", r)
	}
	// A release is signed at once.
	b := rec("decisions/b", "乙。", "")
	r = mustPublish(t, dir, []Current{a, b}, PublishOptions{Message: "新增", Now: day.Add(time.Hour), Keys: keys, Signer: board})
	if r.File != "_checkpoints/4.txt" || !r.Note.Check(keys).Board {
		t.Fatalf("signed release: %+v", r)
	}
	sts, ds := VerifyCheckpoints(os.DirFS(dir), keys, true)
	if ds.HasErrors() || len(sts) != 2 || !sts[0].Signers.Board || !sts[1].Signers.Board {
		t.Errorf("VerifyCheckpoints: %+v %s", sts, format(ds))
	}
	if _, ok := find(ds, "_checkpoints/4.txt", "尚未由 青石街道办事处、青石社区居务监督委员会 副署"); !ok || len(ds) != 1 {
		t.Errorf("verify should name the missing cosignatures of the latest checkpoint only: %s", format(ds))
	}

	// A witness's cosignature is added; an unknown key's is refused.
	n, _ := ParseNote(mustRead(t, filepath.Join(dir, "_checkpoints", "4.txt")))
	n.Sign(ws[0])
	if added, ds := AddSignatures(openRoot(t, dir), keys, n.Bytes(), nil); len(added) != 1 || added[0] != "青石街道办事处" || len(ds) > 0 {
		t.Errorf("AddSignatures: %v %s", added, format(ds))
	}
	if added, ds := AddSignatures(openRoot(t, dir), keys, n.Bytes(), nil); len(added) != 0 || len(ds) > 0 {
		t.Errorf("AddSignatures again: %v %s", added, format(ds))
	}
	_, _, strangers := testKeys(t)
	m, _ := ParseNote(mustRead(t, filepath.Join(dir, "_checkpoints", "4.txt")))
	m.Sign(strangers[1])
	if _, ds := AddSignatures(openRoot(t, dir), keys, m.Bytes(), nil); !ds.HasErrors() || !strings.Contains(format(ds), "不在 site.toml 里") {
		t.Errorf("AddSignatures of an unknown key: %s", format(ds))
	}
	// A signature that does not verify.
	m, _ = ParseNote(mustRead(t, filepath.Join(dir, "_checkpoints", "4.txt")))
	m.Sign(ws[1])
	last := &m.Sigs[len(m.Sigs)-1]
	raw, _ := base64.StdEncoding.DecodeString(last.Base64)
	raw[10] ^= 1
	last.Base64 = base64.StdEncoding.EncodeToString(raw)
	if _, ds := AddSignatures(openRoot(t, dir), keys, m.Bytes(), nil); !ds.HasErrors() || !strings.Contains(format(ds), "签名无效") {
		t.Errorf("AddSignatures of a bad signature: %s", format(ds))
	}
	if sts, _ := VerifyCheckpoints(os.DirFS(dir), keys, true); len(sts[1].Signers.Witnessed) != 1 {
		t.Errorf("after AddSignatures: %+v", sts[1].Signers)
	}

	// Tampering with the stored checkpoints.
	editFile(t, filepath.Join(dir, "_checkpoints", "4.txt"), "\n4\n", "\n3\n")
	if _, ds := VerifyCheckpoints(os.DirFS(dir), keys, true); !ds.HasErrors() {
		t.Errorf("a checkpoint whose size was edited passed")
	}
	os.WriteFile(filepath.Join(dir, "_checkpoints", "9.txt"), n.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "_checkpoints", "notes.txt"), []byte("x"), 0o644)
	_, ds = VerifyCheckpoints(os.DirFS(dir), keys, true)
	for _, want := range []string{"_checkpoints/9.txt", "_checkpoints/notes.txt", "_checkpoints/4.txt"} {
		if !strings.Contains(format(ds), want) {
			t.Errorf("verify does not name %s: %s", want, format(ds))
		}
	}
	// A publish refuses to go on over broken checkpoints.
	if r, ds := Publish(openRoot(t, dir), []Current{a, b, rec("pages/c", "丙。", "")}, PublishOptions{Message: "m", Now: day.Add(2 * time.Hour), Keys: keys, Signer: board}); r != nil || !ds.HasErrors() {
		t.Errorf("publish over broken checkpoints: %v %s", r, format(ds))
	}
}

func TestVerifySinceSigned(t *testing.T) {
	keys, board, _ := testKeys(t)
	dir := t.TempDir()
	a := rec("pages/about", "关于。", "")
	r := mustPublish(t, dir, []Current{a}, PublishOptions{Message: "首次发布", Now: day, Keys: keys, Signer: board})
	saved := r.Note.Bytes()
	mustPublish(t, dir, []Current{a, rec("pages/b", "乙。", "")}, PublishOptions{Message: "新增", Now: day.Add(time.Hour), Keys: keys, Signer: board})
	fsys := os.DirFS(dir)
	if ds := VerifySince(fsys, keys, saved); len(ds) > 0 {
		t.Errorf("honest: %s", format(ds))
	}
	// The board's key replaced by another of the same name.
	other, _, _ := testKeys(t)
	if ds := VerifySince(fsys, Keys{Origin: origin, Board: other.Board}, saved); !strings.Contains(format(ds), "密钥被换过") {
		t.Errorf("replaced key: %s", format(ds))
	}
	// A saved checkpoint altered by hand: its signature fails.
	altered := strings.Replace(string(saved), "\n2\n", "\n1\n", 1)
	if ds := VerifySince(fsys, keys, []byte(altered)); !strings.Contains(format(ds), "签名无效") {
		t.Errorf("altered saved checkpoint: %s", format(ds))
	}
	// A checkpoint of another board.
	if ds := VerifySince(fsys, keys, []byte(strings.Replace(string(saved), origin+"\n", "example.org/other\n", 1))); !strings.Contains(format(ds), "另一个账本") {
		t.Errorf("another board's checkpoint: %s", format(ds))
	}
	// An unsigned saved checkpoint is checked for size and root only.
	if ds := VerifySince(fsys, keys, []byte(r.Checkpoint.String())); ds.HasErrors() || !strings.Contains(format(ds), "只核对了条数和根哈希") {
		t.Errorf("unsigned saved checkpoint: %s", format(ds))
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func FuzzParseNote(f *testing.F) {
	keys, board, ws := testKeys(f)
	n := &Note{Checkpoint: Checkpoint{Origin: origin, Size: 47}}
	n.Sign(board)
	n.Sign(ws[0])
	f.Add(n.Bytes())
	f.Add([]byte(n.Checkpoint.String()))
	f.Add([]byte("gongkai ledger\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"))
	f.Add([]byte("\n\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseNote(data)
		if err != nil {
			return
		}
		n.Check(keys)
		again, err := ParseNote(n.Bytes())
		if err != nil || string(again.Bytes()) != string(n.Bytes()) {
			t.Fatalf("a parsed note does not parse back: %v\n%q", err, n.Bytes())
		}
	})
}

func FuzzParseKey(f *testing.F) {
	priv, pub, _ := NewKey(origin)
	f.Add(pub.Text)
	f.Add(priv)
	f.Add("example.org/qingshi+00000000+AQ==")
	f.Add("+++")
	f.Fuzz(func(t *testing.T, s string) {
		if k, err := ParseKey(s); err == nil {
			if again, err := ParseKey(k.Text); err != nil || again.Text != s || !ValidOrigin(k.Name) {
				t.Fatalf("ParseKey(%q) does not round-trip: %v", s, err)
			}
		}
		if _, k, err := ParsePrivateKey(s); err == nil {
			if _, err := ParseKey(k.Text); err != nil {
				t.Fatalf("the public half of %q does not parse: %v", s, err)
			}
		}
	})
}

// TestOriginChanged: base_url moved, so the checkpoints' origin changed;
// the stored checkpoints say how to keep the ledger's name.
func TestOriginChanged(t *testing.T) {
	keys, board, _ := testKeys(t)
	dir := t.TempDir()
	mustPublish(t, dir, []Current{rec("pages/about", "关于。", "")}, PublishOptions{Message: "m", Now: day, Keys: keys, Signer: board})
	_, ds := VerifyCheckpoints(os.DirFS(dir), Keys{Origin: "example.net/qingshi"}, true)
	d, ok := find(ds, "_checkpoints/2.txt", "检查点的来源是")
	if !ok || !strings.Contains(d.Hint.Zh, `origin = "example.org/qingshi"`) {
		t.Errorf("a moved base_url: %s", format(ds))
	}
}
