package witness

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"gongkai/generator/diag"
	"gongkai/generator/ledger"
)

var day = time.Date(2026, 7, 1, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))

func format(ds diag.List) string {
	var b strings.Builder
	ds.Print(&b, diag.Zh)
	return b.String()
}

func key(t *testing.T, name string) (note.Signer, *ledger.Key) {
	t.Helper()
	priv, pub, err := ledger.NewKey(name)
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := ledger.ParsePrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s, pub
}

func rec(id, body string) ledger.Current {
	b := "+++\ntitle = \"" + id + "\"\n+++\n" + body + "\n"
	return ledger.Current{ID: id, File: id + ".md", Bytes: []byte(b)}
}

// board is a content folder whose checkpoints the board signs.
type board struct {
	t      *testing.T
	dir    string
	keys   ledger.Keys
	signer note.Signer
	cur    []ledger.Current
	n      int
}

func newBoard(t *testing.T) *board {
	s, k := key(t, "example.org/qingshi")
	return &board{t: t, dir: t.TempDir(), keys: ledger.Keys{Origin: "example.org/qingshi", Board: k}, signer: s}
}

// publish adds a record and publishes a release signed by the board.
func (b *board) publish() {
	b.t.Helper()
	b.n++
	b.cur = append(b.cur, rec("pages/p"+string(rune('a'+b.n)), "第"+string(rune('0'+b.n))+"条。"))
	r, ds := ledger.Publish(openRoot(b.t, b.dir), b.cur, ledger.PublishOptions{Message: "发布", Now: day.Add(time.Duration(b.n) * time.Hour), Keys: b.keys, Signer: b.signer})
	if r == nil || ds.HasErrors() {
		b.t.Fatalf("publish: %s", format(ds))
	}
}

func (b *board) request() Request {
	b.t.Helper()
	req, ds := FromContent(os.DirFS(b.dir), b.keys, b.dir)
	if ds.HasErrors() {
		b.t.Fatalf("request: %s", format(ds))
	}
	return req
}

func TestCosign(t *testing.T) {
	b := newBoard(t)
	w, wk := key(t, "青石街道办事处")
	b.keys.Witnesses = []*ledger.Key{wk}
	state := filepath.Join(t.TempDir(), "state")
	opt := Options{State: state, Now: day}
	b.publish()

	res, ds := Cosign(b.request(), w, opt)
	if res == nil || ds.HasErrors() || res.FirstKey != b.keys.Board.Text || res.Previous != nil {
		t.Fatalf("first cosign: %+v %s", res, format(ds))
	}
	if s := res.Note.Check(b.keys); !s.Board || len(s.Witnessed) != 1 {
		t.Errorf("cosigned note %+v", s)
	}
	if added, ds := ledger.AddSignatures(openRoot(t, b.dir), b.keys, res.Note.Bytes(), nil); len(added) != 1 || ds.HasErrors() {
		t.Errorf("AddSignatures: %v %s", added, format(ds))
	}
	first := res.Note.Checkpoint

	// The next release extends it.
	b.publish()
	b.publish()
	res, ds = Cosign(b.request(), w, opt)
	if res == nil || ds.HasErrors() || res.Previous == nil || *res.Previous != first || res.FirstKey != "" {
		t.Fatalf("second cosign: %+v %s", res, format(ds))
	}
	// The same checkpoint again is fine.
	if res, ds := Cosign(b.request(), w, opt); res == nil || ds.HasErrors() {
		t.Errorf("cosigning the same checkpoint again: %s", format(ds))
	}
	last, _ := ReadLog(state, b.keys.Origin)
	if last == nil || !strings.Contains(last.Checkpoint, "\n6\n") {
		t.Fatalf("state: %+v", last)
	}

	// The board rewrites its history and re-signs with its own key: the
	// witness refuses, and remembers the checkpoint it cosigned.
	rewritten := newBoardFrom(t, b, func(cur []ledger.Current) []ledger.Current {
		cur[0] = rec(cur[0].ID, "改写过的第一条。")
		return cur
	})
	res, ds = Cosign(rewritten.request(), w, opt)
	if res != nil || !strings.Contains(format(ds), "不是你上次副署的检查点（6 条）的延续") {
		t.Errorf("cosign of a rewritten history: %+v %s", res, format(ds))
	}
	if after, _ := ReadLog(state, b.keys.Origin); after.Checkpoint != last.Checkpoint {
		t.Errorf("a refused cosign changed the state")
	}

	// An older checkpoint.
	older := b.request()
	l, _ := ledger.Read(os.DirFS(b.dir))
	l.Origin = b.keys.Origin
	stored, _ := l.ReadCheckpoints(os.DirFS(b.dir))
	older.Note = stored[2]
	if res, ds := Cosign(older, w, opt); res != nil || !strings.Contains(format(ds), "还旧") {
		t.Errorf("cosign of an older checkpoint: %s", format(ds))
	}

	// The board's key replaced: refused until the witness accepts it.
	newSigner, newKey := key(t, "example.org/qingshi")
	b.keys.Board, b.signer = newKey, newSigner
	b.publish()
	if res, ds := Cosign(b.request(), w, opt); res != nil || !strings.Contains(format(ds), "密钥被换过") {
		t.Errorf("cosign after a key change: %s", format(ds))
	}
	if res, ds := Cosign(b.request(), w, Options{State: state, TrustKey: newKey.Text}); res == nil || ds.HasErrors() {
		t.Errorf("cosign accepting the new key: %s", format(ds))
	}

	// The board's own key cannot cosign.
	if res, ds := Cosign(b.request(), b.signer, opt); res != nil || !strings.Contains(format(ds), "本居委会自己的私钥") {
		t.Errorf("cosign with the board's key: %s", format(ds))
	}
}

func TestCosignNeedsTheBoardsSignature(t *testing.T) {
	b := newBoard(t)
	w, _ := key(t, "青石街道办事处")
	b.signer = nil
	b.publish() // unsigned
	res, ds := Cosign(b.request(), w, Options{State: t.TempDir()})
	if res != nil || !strings.Contains(format(ds), "没有本居委会的有效签名") {
		t.Errorf("cosign of an unsigned checkpoint: %s", format(ds))
	}
	// A checkpoint that is not the ledger's.
	b2 := newBoard(t)
	b2.publish()
	req := b2.request()
	forged := *req.Note
	forged.Size = 1
	forged.Sigs = nil
	forged.Sign(b2.signer)
	req.Note = &forged
	if res, ds := Cosign(req, w, Options{State: t.TempDir()}); res != nil || !strings.Contains(format(ds), "根哈希与账本") {
		t.Errorf("cosign of a checkpoint that is not the ledger's: %s", format(ds))
	}
}

// newBoardFrom publishes the releases of b again, one record changed by
// change, into a new folder with the same keys: a rewritten history.
func newBoardFrom(t *testing.T, b *board, change func([]ledger.Current) []ledger.Current) *board {
	t.Helper()
	nb := &board{t: t, dir: t.TempDir(), keys: b.keys, signer: b.signer}
	cur := change(append([]ledger.Current(nil), b.cur...))
	for i := range cur {
		nb.cur = cur[:i+1]
		nb.n = i + 1
		r, ds := ledger.Publish(openRoot(t, nb.dir), nb.cur, ledger.PublishOptions{Message: "发布", Now: day.Add(time.Duration(i+1) * time.Hour), Keys: nb.keys, Signer: nb.signer})
		if r == nil || ds.HasErrors() {
			t.Fatalf("publish: %s", format(ds))
		}
	}
	return nb
}

func TestCosignContentNeedsAListedKey(t *testing.T) {
	b := newBoard(t)
	b.publish()
	w, _ := key(t, "青石街道办事处")
	state := t.TempDir()
	if res, ds := CosignContent(openRoot(t, b.dir), b.keys, w, Options{State: state}); res != nil || !strings.Contains(format(ds), "不在 site.toml") {
		t.Errorf("cosign with an unlisted key: %s", format(ds))
	}
	if l, _ := ReadLog(state, b.keys.Origin); l != nil {
		t.Errorf("a refused cosign wrote the state")
	}
	w, wk := key(t, "青石街道办事处")
	b.keys.Witnesses = []*ledger.Key{wk}
	res, ds := CosignContent(openRoot(t, b.dir), b.keys, w, Options{State: state})
	if res == nil || ds.HasErrors() {
		t.Fatalf("cosign at the board's computer: %s", format(ds))
	}
	if sts, _ := ledger.VerifyCheckpoints(os.DirFS(b.dir), b.keys, true); len(sts[0].Signers.Witnessed) != 1 {
		t.Errorf("the cosignature is not in the content folder: %+v", sts)
	}
}

// openRoot opens dir as the content folder, for the test's duration.
func openRoot(t testing.TB, dir string) *os.Root {
	t.Helper()
	r, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}
