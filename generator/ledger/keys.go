package ledger

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"gongkai/generator/diag"
)

// Key is a verifier (public) key of the board or of a witness, in the
// text form of golang.org/x/mod/sumdb/note:
//
//	<name>+<key hash, 8 hex digits>+<base64 of 0x01 and the ed25519 public key>
//
// The board's key is named by the board's origin; a witness's key by the
// witness ("青石街道办事处").
type Key struct {
	Text string
	Name string
	Hash uint32

	verifier note.Verifier
}

// ParseKey parses a verifier key, refusing any base64 but the canonical
// form.
func ParseKey(s string) (*Key, error) {
	name, rest, _ := strings.Cut(s, "+")
	hash16, b64, _ := strings.Cut(rest, "+")
	if !ValidOrigin(name) {
		return nil, formatErr("公钥应以名字（不含空格和“+”）和“+”开头", "a key starts with its name (no blanks, no '+') and a '+'")
	}
	if _, err := DecodeBase64(b64); err != nil {
		return nil, formatErr("%s 的公钥不是规范的 base64 写法", "the key of %s is not in canonical base64", name)
	}
	v, err := note.NewVerifier(s)
	if err != nil {
		return nil, formatErr("不是 ed25519 公钥，或者抄错了（名字、8 位校验码和公钥要一字不差）", "not an ed25519 verifier key, or miscopied (the name, the 8-digit check and the key must match exactly)")
	}
	h, _ := strconv.ParseUint(hash16, 16, 32)
	return &Key{Text: s, Name: name, Hash: uint32(h), verifier: v}, nil
}

// String returns the key's text form.
func (k *Key) String() string { return k.Text }

// Keys are the verifier keys a board's checkpoints are checked against
// (site.toml [ledger]).
type Keys struct {
	// Origin is the first line of the board's checkpoints.
	Origin string
	// Board is the board's own key; nil when none is configured.
	Board *Key
	// Witnesses are the keys of those who cosign the checkpoints: the
	// 街道, the 村务监督委员会 or 居务监督委员会.
	Witnesses []*Key
}

// find returns the key named name with hash hash.
func (k Keys) find(name string, hash uint32) *Key {
	for _, key := range append([]*Key{k.Board}, k.Witnesses...) {
		if key != nil && key.Name == name && key.Hash == hash {
			return key
		}
	}
	return nil
}

// Lookup returns the key with the given name, nil when none is known.
func (k Keys) Lookup(name string) *Key {
	for _, key := range append([]*Key{k.Board}, k.Witnesses...) {
		if key != nil && key.Name == name {
			return key
		}
	}
	return nil
}

// OriginOf returns the origin a board's checkpoints carry when site.toml
// names none: its base_url without the scheme and the final slash
// ("https://example.org/qingshi/" → "example.org/qingshi"), as C2SP
// tlog-checkpoint recommends.
func OriginOf(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Host) + strings.TrimSuffix(u.EscapedPath(), "/")
}

// NewKey makes a new ed25519 key named name. It returns the private key
// text, which belongs in a key file (WriteKeyFile) and nowhere else, and
// the verifier key, which is published.
func NewKey(name string) (private string, public *Key, err error) {
	if !ValidOrigin(name) {
		return "", nil, formatErr("%q 不能作密钥的名字（不能有空格或“+”）", "%q cannot name a key (no blanks, no '+')", name)
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		return "", nil, fmt.Errorf("ledger: %w", err)
	}
	k, err := ParseKey(vkey)
	if err != nil {
		return "", nil, err
	}
	return skey, k, nil
}

// ErrKeyExists is returned (wrapped) by WriteKeyFile when the file exists.
var ErrKeyExists = errors.New("ledger: the key file already exists")

// WriteKeyFile writes a private key to a new file that only its owner can
// read, creating the folders above it. It never replaces a file: a lost
// key cannot be made again.
func WriteKeyFile(name, private string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%w: %s", ErrKeyExists, name)
	}
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	_, err = f.WriteString(private + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("ledger: %w", err)
	}
	return nil
}

// ReadKeyFile reads a private key file and returns its signer and its
// verifier key.
func ReadKeyFile(name string) (note.Signer, *Key, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, fmt.Errorf("ledger: %w", err)
	}
	return ParsePrivateKey(strings.TrimSpace(string(b)))
}

// ParsePrivateKey parses the text of a private key
// (PRIVATE+KEY+<name>+<hash>+<base64>) and returns its signer and its
// verifier key.
func ParsePrivateKey(text string) (note.Signer, *Key, error) {
	bad := formatErr("不是 gongkai 的私钥文件（私钥以 PRIVATE+KEY+ 开头）", "not a gongkai private key (it starts with PRIVATE+KEY+)")
	rest, ok := strings.CutPrefix(text, "PRIVATE+KEY+")
	if !ok {
		return nil, nil, bad
	}
	name, rest, _ := strings.Cut(rest, "+")
	_, b64, _ := strings.Cut(rest, "+")
	raw, err := DecodeBase64(b64)
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return nil, nil, bad
	}
	signer, err := note.NewSigner(text)
	if err != nil {
		return nil, nil, bad
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		return nil, nil, fmt.Errorf("ledger: %w", err)
	}
	k, err := ParseKey(vkey)
	if err != nil {
		return nil, nil, err
	}
	return signer, k, nil
}

// KeyDir returns the folder where gongkai keeps private keys by default:
// gongkai/keys in the user's configuration folder (~/.config on Linux,
// %AppData% on Windows, ~/Library/Application Support on macOS), outside
// every content folder.
func KeyDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("ledger: no configuration folder for keys: %w", err)
	}
	return filepath.Join(dir, "gongkai", "keys"), nil
}

// BoardKeyFile returns the default key file of the board with the given
// origin: <KeyDir>/<origin with every character but letters, digits, '.'
// and '-' as '_'>.key.
func BoardKeyFile(origin string) (string, error) {
	dir, err := KeyDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, SafeName(origin)+".key"), nil
}

// SafeName returns origin as a file name on every system: every character
// but ASCII letters, digits, '.' and '-' becomes '_'.
func SafeName(origin string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, origin)
}

// WitnessKeyFile returns the default key file of a witness:
// <KeyDir>/witness.key.
func WitnessKeyFile() (string, error) {
	dir, err := KeyDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "witness.key"), nil
}

// Inside reports whether the file name lies inside the folder dir (after
// making both absolute and resolving symbolic links where they exist): a
// private key there would be copied, committed or published with the
// content.
func Inside(name, dir string) bool {
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			return p
		}
		// Resolve the longest existing parent, so a key file that does not
		// exist yet is judged by where its folder really is.
		rest := ""
		for cur := a; ; cur = filepath.Dir(cur) {
			if r, err := filepath.EvalSymlinks(cur); err == nil {
				return filepath.Join(r, rest)
			}
			if filepath.Dir(cur) == cur {
				return a
			}
			rest = filepath.Join(filepath.Base(cur), rest)
		}
	}
	rel, err := filepath.Rel(abs(dir), abs(name))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// BoardSigner returns the signer of the board's key keys.Board, read from
// the key file file, or from BoardKeyFile(keys.Origin) when file is "",
// and the name of the file it read. With no board key in site.toml and no
// file given it returns nil and nothing to report: checkpoints are then
// not signed. It refuses a key file inside the content folder src and a
// key that is not the one site.toml names.
func BoardSigner(keys Keys, file, src string) (note.Signer, string, diag.List) {
	pos := diag.Position{File: "site.toml"}
	if keys.Board == nil && file == "" {
		return nil, "", nil
	}
	given := file != ""
	if !given {
		var err error
		if file, err = BoardKeyFile(keys.Origin); err != nil {
			return nil, "", diag.List{diag.Errorf(pos, "这台电脑上找不到存放私钥的配置文件夹", "this computer has no configuration folder for private keys").
				WithHint("用 --key 指定本居委会的私钥文件", "name the board's private key file with --key").Wrap(err)}
		}
	}
	if src != "" && Inside(file, src) {
		return nil, file, diag.List{diag.Errorf(diag.Position{File: file}, "私钥文件 %s 在内容文件夹里：它会随内容被复制、提交甚至发布",
			"the private key file %s is inside the content folder: it would be copied, committed or even published with the content", file).
			WithHint("把它移到内容文件夹之外（默认位置是 %s），再用 --key 指定", "move it out of the content folder (the default place is %s) and name it with --key", filepath.Dir(must(BoardKeyFile(keys.Origin))))}
	}
	signer, key, err := ReadKeyFile(file)
	switch {
	case errors.Is(err, fs.ErrNotExist) && keys.Board != nil:
		return nil, file, diag.List{diag.Errorf(pos, "site.toml 写了本居委会的公钥，但这台电脑上找不到它的私钥 %s，检查点无法签名",
			"site.toml names the board's key but its private key %s is not on this computer, so the checkpoint cannot be signed", file).
			WithHint("把私钥文件复制到 %s，或用 --key 指定它的位置；私钥丢失时，运行 gongkai key new --replace 生成新的一把，并把新公钥写进 site.toml",
				"copy the private key file to %s or name it with --key; if the key is lost, run gongkai key new --replace and put the new key in site.toml", file)}
	case err != nil:
		return nil, file, diag.List{Problem(diag.Position{File: file}, "无法读取私钥文件：", "cannot read the private key file: ", err)}
	case keys.Board == nil:
		return nil, file, diag.List{diag.Errorf(pos, "site.toml 的 [ledger] 里还没有本居委会的公钥", "site.toml has no board key under [ledger]").
			WithHint("在 site.toml 里加上：\n[ledger]\nkey = %q", "add to site.toml:\n[ledger]\nkey = %q", key.Text)}
	case key.Text != keys.Board.Text:
		return nil, file, diag.List{diag.Errorf(pos, "私钥文件 %s 对应的公钥是 %s，不是 site.toml 里写的 %s",
			"the private key file %s belongs to the key %s, not to the key %s that site.toml names", file, key.Text, keys.Board.Text).
			WithHint("用 --key 指定本居委会的私钥文件", "name the board's private key file with --key")}
	}
	return signer, file, nil
}

// must returns s, or "" on an error.
func must(s string, err error) string {
	if err != nil {
		return ""
	}
	return s
}

// PublicKeys is the JSON form of Keys, as build.json publishes them.
type PublicKeys struct {
	Origin    string   `json:"origin"`
	Key       string   `json:"key,omitempty"`
	Witnesses []string `json:"witnesses,omitempty"`
}

// Public returns the JSON form of k.
func (k Keys) Public() PublicKeys {
	p := PublicKeys{Origin: k.Origin}
	if k.Board != nil {
		p.Key = k.Board.Text
	}
	for _, w := range k.Witnesses {
		p.Witnesses = append(p.Witnesses, w.Text)
	}
	return p
}

// Keys parses the keys of p strictly.
func (p PublicKeys) Keys() (Keys, error) {
	k := Keys{Origin: p.Origin}
	if !ValidOrigin(p.Origin) {
		return k, formatErr("来源 %q 无效", "origin %q is not valid", p.Origin)
	}
	if p.Key != "" {
		b, err := ParseKey(p.Key)
		if err != nil {
			return k, err
		}
		if b.Name != p.Origin {
			return k, formatErr("本居委会的公钥名叫 %q，不是来源 %q", "the board's key is named %q, not after the origin %q", b.Name, p.Origin)
		}
		k.Board = b
	}
	for _, w := range p.Witnesses {
		wk, err := ParseKey(w)
		if err != nil {
			return k, err
		}
		k.Witnesses = append(k.Witnesses, wk)
	}
	return k, nil
}
