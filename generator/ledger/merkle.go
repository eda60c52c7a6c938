package ledger

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// checkpointHeader is the first line of a checkpoint's text form.
const checkpointHeader = "gongkai ledger"

// Checkpoint is the size and root hash of the ledger's Merkle tree at one
// moment. Its text form, which residents can save and later check with
// VerifySince, is
//
//	gongkai ledger
//	<size>
//	<root hash in base64>
type Checkpoint struct {
	Size int64
	Hash tlog.Hash
}

// String returns the text form of the checkpoint, ending in a newline.
func (c Checkpoint) String() string {
	return fmt.Sprintf("%s\n%d\n%s\n", checkpointHeader, c.Size, c.Hash)
}

// ParseCheckpoint parses the text form of a checkpoint. CRLF line endings,
// a missing final newline and surrounding blank space are accepted, since
// checkpoints are copied by hand; lines after the third are ignored.
func ParseCheckpoint(text string) (Checkpoint, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	lines := strings.Split(text, "\n")
	if len(lines) < 3 || strings.TrimSpace(lines[0]) != checkpointHeader {
		return Checkpoint{}, fmt.Errorf("ledger: a checkpoint starts with the line %q followed by the size and the hash", checkpointHeader)
	}
	s := strings.TrimSpace(lines[1])
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || s != strconv.FormatInt(n, 10) {
		return Checkpoint{}, fmt.Errorf("ledger: checkpoint size %q is not a number", s)
	}
	h, err := base64.StdEncoding.DecodeString(strings.TrimSpace(lines[2]))
	if err != nil || len(h) != tlog.HashSize {
		return Checkpoint{}, fmt.Errorf("ledger: checkpoint hash %q is not a base64 SHA-256", strings.TrimSpace(lines[2]))
	}
	var c Checkpoint
	c.Size = n
	copy(c.Hash[:], h)
	return c, nil
}

// hashReader reads stored hashes from the in-memory slice.
type hashReader []tlog.Hash

// ReadHashes implements tlog.HashReader.
func (r hashReader) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		if x < 0 || x >= int64(len(r)) {
			return nil, fmt.Errorf("ledger: no stored hash %d", x)
		}
		out[i] = r[x]
	}
	return out, nil
}

// reader returns a tlog.HashReader over the stored hashes.
func (l *Ledger) reader() tlog.HashReader { return hashReader(l.hashes) }

// Checkpoint returns the checkpoint of the whole ledger.
func (l *Ledger) Checkpoint() Checkpoint {
	c, _ := l.CheckpointAt(l.Size())
	return c
}

// CheckpointAt returns the checkpoint of the first size lines.
func (l *Ledger) CheckpointAt(size int64) (Checkpoint, error) {
	if size < 0 || size > l.Size() {
		return Checkpoint{}, fmt.Errorf("ledger: checkpoint size %d outside 0..%d", size, l.Size())
	}
	h, err := tlog.TreeHash(size, l.reader())
	if err != nil {
		return Checkpoint{}, fmt.Errorf("ledger: %w", err)
	}
	return Checkpoint{Size: size, Hash: h}, nil
}

// LeafHash returns the Merkle leaf hash of a ledger line.
func LeafHash(raw []byte) tlog.Hash { return tlog.RecordHash(raw) }

// InclusionProof returns the proof that leaf is in the current tree
// (l.Checkpoint()). Check it with CheckInclusion or tlog.CheckRecord.
func (l *Ledger) InclusionProof(leaf int64) (tlog.RecordProof, error) {
	if leaf < 0 || leaf >= l.Size() {
		return nil, fmt.Errorf("ledger: leaf %d outside 0..%d", leaf, l.Size()-1)
	}
	p, err := tlog.ProveRecord(l.Size(), leaf, l.reader())
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	return p, nil
}

// CheckInclusion verifies that raw is leaf number leaf of the tree of
// checkpoint c, given the proof p.
func CheckInclusion(c Checkpoint, leaf int64, raw []byte, p tlog.RecordProof) error {
	return tlog.CheckRecord(p, c.Size, c.Hash, leaf, tlog.RecordHash(raw))
}

// ErrNotExtends is returned (wrapped) when today's ledger does not extend a
// saved checkpoint.
var ErrNotExtends = errors.New("ledger: the ledger does not extend the checkpoint")

// ProveExtends returns the proof that the current tree contains the tree of
// old as a prefix, and checks it: an error wrapping ErrNotExtends means
// history was rewritten (or old is not a checkpoint of this ledger).
func (l *Ledger) ProveExtends(old Checkpoint) (tlog.TreeProof, error) {
	cur := l.Checkpoint()
	switch {
	case old.Size < 0:
		return nil, fmt.Errorf("%w: negative size", ErrNotExtends)
	case old.Size > cur.Size:
		return nil, fmt.Errorf("%w: the checkpoint has %d lines, the ledger only %d", ErrNotExtends, old.Size, cur.Size)
	case old.Size == 0:
		empty, _ := tlog.TreeHash(0, nil)
		if old.Hash != empty {
			return nil, fmt.Errorf("%w: wrong hash for an empty ledger", ErrNotExtends)
		}
		return tlog.TreeProof{}, nil
	}
	p, err := tlog.ProveTree(cur.Size, old.Size, l.reader())
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	if err := CheckExtends(old, cur, p); err != nil {
		return nil, err
	}
	return p, nil
}

// CheckExtends verifies that p proves the tree of cur contains the tree of
// old as a prefix (a consistency proof).
func CheckExtends(old, cur Checkpoint, p tlog.TreeProof) error {
	if old.Size == 0 {
		empty, _ := tlog.TreeHash(0, nil)
		if old.Hash != empty {
			return fmt.Errorf("%w: wrong hash for an empty ledger", ErrNotExtends)
		}
		return nil
	}
	if err := tlog.CheckTree(p, cur.Size, cur.Hash, old.Size, old.Hash); err != nil {
		return fmt.Errorf("%w: %v", ErrNotExtends, err)
	}
	return nil
}
