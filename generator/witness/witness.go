// Package witness is the part of gongkai a board's supervisors run: the
// 街道 or the 村务/居务监督委员会 cosign a checkpoint of the board's ledger
// after checking, on their own, that it extends the last checkpoint they
// cosigned. They keep that last checkpoint, and the board's key they
// first saw, in a state folder of their own, outside the board's reach:
// a board that rewrites its history then cannot get their signature
// again, and a checkpoint carrying both signatures shows that the
// supervisor saw this history and no other.
package witness

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/mod/sumdb/note"

	"gongkai/generator/diag"
	"gongkai/generator/ledger"
)

// Request is a checkpoint a witness is asked to cosign, with the ledger it
// claims to be the checkpoint of.
type Request struct {
	// Ledger holds ledger.jsonl: a board's content folder or its
	// published site.
	Ledger fs.FS
	// Note is the checkpoint, signed by the board.
	Note *ledger.Note
	// Keys are the board's keys as the board publishes them.
	Keys ledger.Keys
	// Where says where the request came from, for messages.
	Where string
}

// Log is what a witness remembers of one board's ledger: the board's key
// and the last checkpoint it cosigned. It is one JSON file in the state
// folder.
type Log struct {
	Origin     string `json:"origin"`
	BoardKey   string `json:"board_key"`
	Checkpoint string `json:"checkpoint"` // the last cosigned checkpoint, with its signatures
	Cosigned   string `json:"cosigned"`   // when, RFC 3339
}

// StateDir returns the default state folder of a witness: gongkai/witness
// in the user's configuration folder.
func StateDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("witness: no configuration folder: %w", err)
	}
	return filepath.Join(dir, "gongkai", "witness"), nil
}

// logFile returns the state file of the ledger with the given origin.
func logFile(dir, origin string) string {
	return filepath.Join(dir, ledger.SafeName(origin)+".json")
}

// ReadLog returns the witness's log of origin in the state folder dir,
// nil when it has cosigned nothing of that ledger yet.
func ReadLog(dir, origin string) (*Log, error) {
	b, err := os.ReadFile(logFile(dir, origin))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("witness: %w", err)
	}
	var l Log
	if err := json.Unmarshal(b, &l); err != nil || l.Origin != origin {
		return nil, fmt.Errorf("witness: the state file %s is damaged", logFile(dir, origin))
	}
	return &l, nil
}

// writeLog replaces the log file atomically.
func writeLog(dir string, l *Log) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("witness: %w", err)
	}
	b, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".gongkai-tmp-*")
	if err != nil {
		return fmt.Errorf("witness: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), logFile(dir, l.Origin))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("witness: %w", err)
	}
	return nil
}

// Options are the choices of one cosign.
type Options struct {
	// State is the witness's state folder.
	State string
	// TrustKey, when set, is the board's key the witness accepts: on the
	// first cosign, instead of taking the key the board publishes on
	// trust; later, to accept a key the board replaced.
	TrustKey string
	// Now is the time recorded in the state; zero means time.Now().
	Now time.Time
}

// Result is a successful cosign.
type Result struct {
	Note *ledger.Note // the checkpoint with the witness's signature added
	// Previous is the checkpoint cosigned before, nil on the first cosign
	// of this ledger.
	Previous *ledger.Checkpoint
	// FirstKey is set on the first cosign: the board's key the witness now
	// trusts, to compare with the one posted on the wall.
	FirstKey string
}

// Cosign checks req and signs its checkpoint with signer. It refuses, and
// signs nothing, when the board's signature is missing or invalid, the
// board's key is not the one the witness trusted before, the ledger's
// chain is broken, the checkpoint is not the ledger's, or it does not
// extend the checkpoint the witness cosigned last (computed from the
// full ledger: the old root must be the root of its first lines). On
// success the state remembers the new checkpoint.
func Cosign(req Request, signer note.Signer, opt Options) (*Result, diag.List) {
	pos := diag.Position{File: req.Where}
	fail := func(zh, en string, args ...any) (*Result, diag.List) {
		return nil, diag.List{diag.Errorf(pos, zh, en, args...).
			WithHint("不要副署；请把这条消息告诉居委会和上级，核实后再说", "do not cosign; tell the board and its superiors what this says, and find out why")}
	}
	n, keys := req.Note, req.Keys
	if n.Origin != keys.Origin {
		return fail("检查点的来源 %q 与公开栏的来源 %q 不同", "the checkpoint's origin %q differs from the board's %q", n.Origin, keys.Origin)
	}
	if signer.Name() == keys.Origin {
		return nil, diag.List{diag.Errorf(pos, "这是本居委会自己的私钥，不是副署方的", "this is the board's own key, not a witness's").
			WithHint("副署方用 gongkai key new --witness 名称 生成自己的密钥", "a witness makes its own key with gongkai key new --witness NAME")}
	}
	prev, err := ReadLog(opt.State, n.Origin)
	if err != nil {
		return nil, diag.List{ledger.Problem(diag.Position{File: opt.State}, "无法读取副署状态：", "cannot read the cosigning state: ", err)}
	}
	res := &Result{}
	trusted := opt.TrustKey
	switch {
	case trusted == "" && prev != nil:
		trusted = prev.BoardKey
	case trusted == "" && keys.Board != nil:
		trusted, res.FirstKey = keys.Board.Text, keys.Board.Text
	}
	if trusted == "" {
		return fail("%s 没有公布本居委会的公钥，检查点没有签名", "%s publishes no board key; the checkpoint is not signed", req.Where)
	}
	board, err := ledger.ParseKey(trusted)
	if err != nil {
		return nil, diag.List{ledger.Problem(pos, "认可的本居委会公钥无效：", "the board key accepted is not valid: ", err)}
	}
	if keys.Board == nil || keys.Board.Text != board.Text {
		published := "（无）"
		if keys.Board != nil {
			published = keys.Board.Text
		}
		return nil, diag.List{diag.Errorf(pos, "公开栏现在公布的公钥 %s 不是你之前认可的 %s：本居委会的密钥被换过",
			"the board now publishes the key %s, not %s which you accepted before: the board's key was replaced", published, board.Text).
			WithHint("向居委会核实换钥匙的原因；确认无误后，用 --board-key 新公钥 再副署", "ask the board why its key changed; once satisfied, cosign with --board-key NEWKEY")}
	}
	keys.Board = board
	if s := n.Check(keys); !s.Board {
		return fail("检查点没有本居委会的有效签名", "the checkpoint does not carry a valid signature of the board")
	}
	l, ds := ledger.Read(req.Ledger)
	l.Origin = n.Origin
	ds.Add(l.CheckChain()...)
	if ds.HasErrors() {
		ds.Add(diag.Errorf(pos, "%s 上的账本本身就有错误，不能副署", "the ledger at %s is itself faulty; it cannot be cosigned", req.Where))
		return nil, ds
	}
	if n.Size > l.Size() {
		return fail("检查点有 %d 条，而账本只有 %d 条", "the checkpoint covers %d lines but the ledger has only %d", n.Size, l.Size())
	}
	if c, _ := l.CheckpointAt(n.Size); c.Hash != n.Hash {
		return fail("检查点的根哈希与账本的前 %d 条不符", "the checkpoint's root hash does not match the first %d lines of the ledger", n.Size)
	}
	if prev != nil {
		old, err := ledger.ParseNote([]byte(prev.Checkpoint))
		if err != nil {
			return nil, diag.List{ledger.Problem(diag.Position{File: opt.State}, "保存的副署状态已损坏：", "the saved cosigning state is damaged: ", err)}
		}
		res.Previous = &old.Checkpoint
		if n.Size < old.Size {
			return fail("这个检查点（%d 条）比你上次副署的（%d 条）还旧", "this checkpoint (%d lines) is older than the one you cosigned last (%d lines)", n.Size, old.Size)
		}
		if c, _ := l.CheckpointAt(old.Size); c.Hash != old.Hash {
			return fail("这个检查点不是你上次副署的检查点（%d 条）的延续：账本的前 %d 条被改过，历史被改写",
				"this checkpoint does not extend the one you cosigned last (%d lines): the first %d lines of the ledger were changed and history rewritten", old.Size, old.Size)
		}
	}
	signed := *n
	signed.Sigs = append([]ledger.Signature(nil), n.Sigs...)
	if err := signed.Sign(signer); err != nil {
		return nil, diag.List{ledger.Problem(pos, "签名失败：", "signing failed: ", err)}
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	err = writeLog(opt.State, &Log{Origin: n.Origin, BoardKey: board.Text, Checkpoint: string(signed.Bytes()), Cosigned: now.Format(time.RFC3339)})
	if err != nil {
		return nil, diag.List{ledger.Problem(diag.Position{File: opt.State}, "无法保存副署状态，没有副署：", "cannot save the cosigning state, so nothing was cosigned: ", err)}
	}
	res.Note = &signed
	return res, nil
}
