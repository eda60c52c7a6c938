package ledger

import (
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

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
	return Checkpoint{Origin: l.origin(), Size: size, Hash: h}, nil
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
