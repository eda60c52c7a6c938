package ledger

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"gongkai/generator/diag"
)

// LegacyOrigin is the first line of the checkpoints gongkai wrote before
// they were signed: the same for every board. Saved checkpoints of that
// form are still accepted by VerifySince, for their size and root.
const LegacyOrigin = "gongkai ledger"

// Checkpoint is the size and root hash of the ledger's Merkle tree at one
// moment, named by the board's origin. Its text form (the body of a C2SP
// tlog-checkpoint signed note) is three lines, each ending in "\n":
//
//	example.org/qingshi
//	47
//	<root hash in base64>
type Checkpoint struct {
	Origin string
	Size   int64
	Hash   tlog.Hash
}

// String returns the text form of the checkpoint, ending in a newline.
func (c Checkpoint) String() string {
	return fmt.Sprintf("%s\n%d\n%s\n", c.Origin, c.Size, c.Hash)
}

// FormatError is a malformed checkpoint, signature, key or hash, said in
// both languages.
type FormatError struct{ Text diag.Text }

func (e *FormatError) Error() string { return "ledger: " + e.Text.En }

func formatErr(zh, en string, args ...any) error { return &FormatError{diag.T(zh, en, args...)} }

// Problem returns an error diagnostic at pos saying what failed (zh, en,
// each ending in "：" or ": ") and why: a FormatError in its own words, an
// error of the system in plain words with the fix (diag.Sys).
func Problem(pos diag.Position, zh, en string, err error) diag.Diagnostic {
	var fe *FormatError
	if errors.As(err, &fe) {
		return diag.Diagnostic{Pos: pos, Severity: diag.Error, Msg: diag.Text{Zh: zh + fe.Text.Zh, En: en + fe.Text.En}, Cause: err}
	}
	return diag.Sys(pos, zh, en, err)
}

// Strict is the base64 of every hash, key and signature gongkai reads: the
// standard alphabet with padding, and nothing but the one canonical
// spelling of the bytes.
var Strict = base64.StdEncoding.Strict()

// DecodeBase64 decodes s, refusing anything but the canonical form: no
// blanks or line breaks, the padding present and its unused bits zero (a
// changed padding bit gives the same bytes under a lenient decoder).
func DecodeBase64(s string) ([]byte, error) {
	b, err := Strict.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if Strict.EncodeToString(b) != s {
		return nil, formatErr("不是规范的 base64 写法", "not the canonical base64 form")
	}
	return b, nil
}

// ParseHash decodes a hash written in canonical base64.
func ParseHash(s string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := DecodeBase64(s)
	if err != nil || len(b) != tlog.HashSize {
		return h, formatErr("%q 不是规范 base64 写法的 SHA-256 哈希", "%q is not a SHA-256 hash in canonical base64", s)
	}
	copy(h[:], b)
	return h, nil
}

// ValidOrigin reports whether s can be the origin of a checkpoint and the
// name of the key that signs it: not empty, valid UTF-8, no blank, no
// control character and no '+'.
func ValidOrigin(s string) bool {
	return s != "" && utf8.ValidString(s) && !strings.Contains(s, "+") &&
		strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) < 0
}

// Signature is one signature line of a signed checkpoint:
// "— <name> <base64 of key hash and signature>".
type Signature struct {
	Name string
	Hash uint32 // the key hash: the first four bytes of the decoded base64
	Sig  []byte // the ed25519 signature after the key hash
	// Base64 is the text after the name, exactly as written.
	Base64 string
}

// Note is a checkpoint with its signatures: a signed note in the format of
// golang.org/x/mod/sumdb/note and C2SP tlog-checkpoint. A note without
// signatures is the bare checkpoint body.
type Note struct {
	Checkpoint
	Sigs []Signature
}

// sigPrefix starts every signature line (an em dash and a blank).
const sigPrefix = "— "

// ParseNote parses a checkpoint, signed or not. CRLF line endings and a
// missing final newline and blanks around the whole text are accepted,
// since checkpoints are copied by hand and through chat programs;
// everything else is strict: exactly the three body lines,
// a decimal size without leading zeros, a root hash and signatures in
// canonical base64, and at most 100 signatures. Signatures are parsed, not
// verified: see Note.Check.
func ParseNote(text []byte) (*Note, error) {
	s := strings.TrimSpace(strings.ReplaceAll(string(text), "\r\n", "\n")) + "\n"
	if !utf8.ValidString(s) {
		return nil, formatErr("不是 UTF-8 文字", "it is not UTF-8 text")
	}
	body, sigs, signed := strings.Cut(s, "\n\n")
	lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	if len(lines) != 3 {
		return nil, formatErr("签名之前应有三行（来源、条数、根哈希），这里是 %d 行", "a checkpoint has three lines (origin, size, root hash) before its signatures, not %d", len(lines))
	}
	var n Note
	n.Origin = lines[0]
	if !ValidOrigin(n.Origin) && n.Origin != LegacyOrigin {
		return nil, formatErr("来源 %q 无效", "the origin %q is not valid", n.Origin)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || lines[1] != strconv.FormatInt(size, 10) {
		return nil, formatErr("条数 %q 不是数字", "the size %q is not a number", lines[1])
	}
	n.Size = size
	if n.Hash, err = ParseHash(lines[2]); err != nil {
		return nil, formatErr("根哈希 %q 不是规范 base64 写法的 SHA-256 哈希", "the root hash %q is not a SHA-256 hash in canonical base64", lines[2])
	}
	if !signed {
		return &n, nil
	}
	if sigs == "" {
		return nil, formatErr("空行之后没有签名", "a blank line after the checkpoint but no signature")
	}
	for _, line := range strings.Split(strings.TrimSuffix(sigs, "\n"), "\n") {
		sig, err := parseSignature(line)
		if err != nil {
			return nil, err
		}
		n.Sigs = append(n.Sigs, sig)
		if len(n.Sigs) > 100 {
			return nil, formatErr("签名超过 100 个", "more than 100 signatures")
		}
	}
	return &n, nil
}

// parseSignature parses one signature line.
func parseSignature(line string) (Signature, error) {
	rest, ok := strings.CutPrefix(line, sigPrefix)
	name, b64, ok2 := strings.Cut(rest, " ")
	if !ok || !ok2 || !ValidOrigin(name) {
		return Signature{}, formatErr("%q 不是签名行（— 名字 签名）", "%q is not a signature line (— name signature)", line)
	}
	raw, err := DecodeBase64(b64)
	if err != nil || len(raw) < 5 {
		return Signature{}, formatErr("%s 的签名不是规范的 base64 写法", "the signature of %s is not in canonical base64", name)
	}
	return Signature{Name: name, Hash: binary.BigEndian.Uint32(raw), Sig: raw[4:], Base64: b64}, nil
}

// Bytes returns the note's text: the body, then, when signed, a blank line
// and one line per signature.
func (n *Note) Bytes() []byte {
	var b bytes.Buffer
	b.WriteString(n.Checkpoint.String())
	if len(n.Sigs) > 0 {
		b.WriteString("\n")
	}
	for _, s := range n.Sigs {
		b.WriteString(sigPrefix + s.Name + " " + s.Base64 + "\n")
	}
	return b.Bytes()
}

// Signed reports whether the note carries a signature by the key named
// name with hash hash (valid or not).
func (n *Note) Signed(name string, hash uint32) bool {
	for _, s := range n.Sigs {
		if s.Name == name && s.Hash == hash {
			return true
		}
	}
	return false
}

// Sign adds the signature of signer, replacing an earlier one by the same
// key. Signatures by other keys are kept in their order; the new one comes
// last.
func (n *Note) Sign(signer note.Signer) error {
	if !ValidOrigin(n.Origin) {
		return fmt.Errorf("ledger: cannot sign a checkpoint with origin %q", n.Origin)
	}
	sig, err := signer.Sign([]byte(n.Checkpoint.String()))
	if err != nil {
		return fmt.Errorf("ledger: signing: %w", err)
	}
	raw := binary.BigEndian.AppendUint32(nil, signer.KeyHash())
	s := Signature{Name: signer.Name(), Hash: signer.KeyHash(), Sig: sig, Base64: Strict.EncodeToString(append(raw, sig...))}
	kept := n.Sigs[:0:0]
	for _, o := range n.Sigs {
		if o.Name != s.Name || o.Hash != s.Hash {
			kept = append(kept, o)
		}
	}
	n.Sigs = append(kept, s)
	return nil
}

// Merge adds the signatures of o that n lacks. Both must be the same
// checkpoint.
func (n *Note) Merge(o *Note) error {
	if n.Checkpoint != o.Checkpoint {
		return formatErr("两个检查点不是同一个", "the two checkpoints differ")
	}
	for _, s := range o.Sigs {
		if !n.Signed(s.Name, s.Hash) {
			n.Sigs = append(n.Sigs, s)
		}
	}
	return nil
}

// Signers says which keys of a board signed a checkpoint.
type Signers struct {
	// Board is true when the board's key signed it validly.
	Board bool
	// Witnessed are the names of the witnesses whose valid signature it
	// carries, in the order of site.toml; Missing those without one.
	Witnessed, Missing []string
	// Invalid names every signature that claims a known key but does not
	// verify: the checkpoint or the signature was altered.
	Invalid []string
	// Unknown names signatures by keys site.toml does not list.
	Unknown []string
}

// Check verifies every signature of n against the board's keys.
func (n *Note) Check(k Keys) Signers {
	var s Signers
	msg := []byte(n.Checkpoint.String())
	valid := map[*Key]bool{}
	for _, sig := range n.Sigs {
		key := k.find(sig.Name, sig.Hash)
		switch {
		case key == nil:
			s.Unknown = append(s.Unknown, sig.Name)
		case key.verifier.Verify(msg, sig.Sig):
			valid[key] = true
		default:
			s.Invalid = append(s.Invalid, sig.Name)
		}
	}
	s.Board = k.Board != nil && valid[k.Board]
	for _, w := range k.Witnesses {
		if valid[w] {
			s.Witnessed = append(s.Witnessed, w.Name)
		} else {
			s.Missing = append(s.Missing, w.Name)
		}
	}
	return s
}

// ParseCheckpoint parses the text of a checkpoint, signed or not, and
// returns it without its signatures.
func ParseCheckpoint(text string) (Checkpoint, error) {
	n, err := ParseNote([]byte(text))
	if err != nil {
		return Checkpoint{}, err
	}
	return n.Checkpoint, nil
}
