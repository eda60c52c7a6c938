// Package ledger owns the versioned, tamper-evident record of a board
// (SPEC §6): the append-only file ledger.jsonl, the archived bytes of every
// registered version under _archive/<id>/v<N>.md, the Merkle tree over the
// ledger lines (RFC 6962, built with golang.org/x/mod/sumdb/tlog) and its
// checkpoints, and the two operations on them: Publish registers the
// changes of the working tree as one release, Verify recomputes everything
// and names every mismatch.
//
// The package knows nothing about Markdown or front matter: the caller
// passes the current records as Current values.
//
// # The ledger file
//
// ledger.jsonl holds one JSON object a line, with the keys in this order:
//
//	{"seq":1,"at":"2026-07-01T09:00:00+08:00","release":1,"record":"disclosures/x","version":1,"action":"publish","sha256":"…","note":"","prev":""}
//
// seq counts the lines from 1; at is the time of the release (RFC 3339);
// release numbers the publishes from 1 and is shared by all lines of one
// publish; action is publish (version 1 of a new record), amend (a new
// version), withdraw (note = the reason), expire (past unpublish_after) or
// release (the last line of each publish: record "", version 0, note = the
// publish message, sha256 = SHA-256 of the release's change lines, each
// followed by "\n", concatenated). For record lines sha256 is the SHA-256 of
// the record's normalised bytes (for withdraw and expire: of the version
// they end). prev is the SHA-256 of the previous line's exact bytes without
// the newline, "" on the first line: a hash chain.
//
// A version of a record is its text and the files it publishes (its
// attachments and the files of its tables and accounts). A publish or
// amend line of a record that has files carries them after sha256 as
// "files":{"name":"<SHA-256 of the bytes>",…}, names relative to the
// record's folder and sorted; the key is left out when the record has no
// files, so lines written before files were registered read as they
// always did. Such a line whose text is still the record's text while the
// record now has files registered none of them: the next publish registers
// them as a new version with the same text and the note FilesNote, without
// a change_note. Every later change of a file is an amendment like a
// change of the text. The bytes of every file of version N are archived
// as _archive/<id>/v<N>/<name>.
//
// Every line's exact bytes are also a leaf of the Merkle tree; leaf i is
// line i+1 ("第 N 条（seq N）" is leaf N−1). A Checkpoint (origin, tree size
// and root hash) saved by a resident can later be proved to be a prefix of
// today's ledger.
//
// # Signed checkpoints
//
// The checkpoint of every release is kept in _checkpoints/<size>.txt as a
// C2SP tlog-checkpoint signed note (golang.org/x/mod/sumdb/note, ed25519):
// Publish signs it with the board's key when site.toml names one (Keys),
// and witnesses — the 街道, the 村务/居务监督委员会 — add their
// cosignatures (AddSignatures; see package witness). Every base64 text is
// read strictly: only its one canonical spelling is accepted. Private
// keys live in key files outside the content folder (KeyDir).
//
// docs/verify.md states all these rules for anyone who checks a published
// ledger without gongkai.
package ledger

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"gongkai/generator/diag"
)

// File names inside the content folder.
const (
	// FileName is the ledger file.
	FileName = "ledger.jsonl"
	// ArchiveDir holds the registered bytes of every version.
	ArchiveDir = "_archive"
	// LockName is the lock file that keeps two publishes apart.
	LockName = ".gongkai-publish.lock"
)

// Actions of ledger lines.
const (
	ActionPublish  = "publish"  // version 1 of a new record
	ActionAmend    = "amend"    // a new version, with its change_note
	ActionWithdraw = "withdraw" // a removed record; note = the reason
	ActionExpire   = "expire"   // past its unpublish_after
	ActionRelease  = "release"  // the last line of each publish; note = the message
)

// Current is a record of the working tree as publish and verify see it.
type Current struct {
	ID             string    // "disclosures/2026-q2-caiwu"
	File           string    // path relative to the content folder, "disclosures/2026-q2-caiwu.md" or ".../index.md"
	Bytes          []byte    // normalised bytes: UTF-8, LF, no BOM
	ChangeNote     string    // the record's change_note field ("" if none)
	UnpublishAfter time.Time // zero if none
	// Files are the files the record publishes, by their names relative
	// to the folder of File, each with the SHA-256 of its bytes; nil when
	// it has none (record.Record.Files).
	Files map[string]string
}

// Entry is one line of the ledger.
type Entry struct {
	Seq     int
	At      time.Time
	Release int
	Record  string // "" on release lines
	Version int    // 0 on release lines
	Action  string
	SHA256  string
	Files   map[string]string // publish and amend lines of a record with files
	Note    string
	Prev    string

	Line int    // the line number in ledger.jsonl, from 1
	Raw  []byte // the line's exact bytes, without the newline: the Merkle leaf
}

// Leaf returns the entry's leaf index in the Merkle tree.
func (e Entry) Leaf() int64 { return int64(e.Line - 1) }

// Version is one registered version of a record.
type Version struct {
	N       int
	At      time.Time
	Note    string // the change_note of this version
	SHA256  string
	Files   map[string]string // the files of this version; nil when none were registered
	Action  string            // publish or amend
	Seq     int
	Leaf    int64 // the leaf index of its ledger line
	Release int
	// ChangeNote is the change_note the record's text had when this
	// version was registered: Note, except on a version that only
	// registered files (Registers), where it is that of the version
	// before. A new version of the text needs a different one.
	ChangeNote string
}

// FilesNote is the note of a version that registers the files of a
// record whose last version was registered before files were.
const FilesNote = "登记附件和表格文件（此前的版本没有登记文件；正文与上一版相同）"

// SameFiles reports whether a and b name the same files with the same
// hashes.
func SameFiles(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// Matches reports whether text of SHA-256 sum and files are version v.
func (v Version) Matches(sum string, files map[string]string) bool {
	return sum == v.SHA256 && SameFiles(files, v.Files)
}

// Registers reports whether the record whose text has SHA-256 sum and
// whose files are files differs from its last version v only in that v
// predates the registration of files: same text, no files registered,
// files now. Publish then registers the files without a change_note.
func (v Version) Registers(sum string, files map[string]string) bool {
	return sum == v.SHA256 && len(v.Files) == 0 && len(files) > 0
}

// FileChanges names the files that differ between the registered files
// reg and the files cur: changed, added (+) or removed (−), sorted.
func FileChanges(reg, cur map[string]string) []string {
	var out []string
	for name, h := range cur {
		switch r, ok := reg[name]; {
		case !ok:
			out = append(out, "+"+name)
		case r != h:
			out = append(out, name)
		}
	}
	for name := range reg {
		if _, ok := cur[name]; !ok {
			out = append(out, "−"+name)
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.TrimLeft(out[i], "+−") < strings.TrimLeft(out[j], "+−") })
	return out
}

// ArchivePath returns the slash-separated path, relative to the content
// folder, of version n of record id: _archive/<id>/v<n>.md.
func ArchivePath(id string, n int) string {
	return path.Join(ArchiveDir, id, fmt.Sprintf("v%d.md", n))
}

// ArchiveFilePath returns the content-relative path of the file name of
// version n of record id: _archive/<id>/v<n>/<name>.
func ArchiveFilePath(id string, n int, name string) string {
	return path.Join(ArchiveDir, id, fmt.Sprintf("v%d", n), name)
}

// Sum returns the lowercase hex SHA-256 of b, the form of every hash in the
// ledger.
func Sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// line is the JSON form of an Entry; the field order is the key order.
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

// encode returns the canonical bytes of a ledger line, without newline.
func encode(l line) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(l); err != nil {
		// A struct of strings and ints always encodes.
		return nil
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// Ledger is a parsed ledger.jsonl with its Merkle tree.
type Ledger struct {
	// Entries are the well-formed lines in file order.
	Entries []Entry
	// Origin is the first line of the ledger's checkpoints: the board's
	// origin (site.toml [ledger] origin, by default derived from
	// base_url). Read leaves it empty, which stands for LegacyOrigin.
	Origin string

	lines    [][]byte         // every line's bytes, well-formed or not: the leaves
	hashes   []tlog.Hash      // the stored hashes of the tree over lines
	byRecord map[string][]int // indexes into Entries of each record's lines
}

// origin returns the origin of the ledger's checkpoints.
func (l *Ledger) origin() string {
	if l.Origin == "" {
		return LegacyOrigin
	}
	return l.Origin
}

// Size returns the number of lines (leaves) of the ledger.
func (l *Ledger) Size() int64 { return int64(len(l.lines)) }

// Read parses ledger.jsonl from fsys. A missing file is an empty ledger.
// Malformed lines are reported at ledger.jsonl:LINE and left out of
// Entries; they still count as leaves of the Merkle tree, so checkpoints
// cover the file as it is.
func Read(fsys fs.FS) (*Ledger, diag.List) {
	data, err := fs.ReadFile(fsys, FileName)
	if errors.Is(err, fs.ErrNotExist) {
		return parse(nil)
	}
	if err != nil {
		l, _ := parse(nil)
		return l, diag.List{diag.Sys(diag.Position{File: FileName}, "无法读取账本：", "cannot read the ledger: ", err)}
	}
	return parse(data)
}

// parse splits data into lines, builds the tree and decodes every line.
func parse(data []byte) (*Ledger, diag.List) {
	l := &Ledger{byRecord: map[string][]int{}}
	var ds diag.List
	if len(data) > 0 {
		l.lines = bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	}
	for i, raw := range l.lines {
		l.addLeaf(int64(i), raw)
		e, d, ok := decodeLine(raw, i+1)
		if !ok {
			ds.Add(d)
			continue
		}
		if e.Record != "" {
			l.byRecord[e.Record] = append(l.byRecord[e.Record], len(l.Entries))
		}
		l.Entries = append(l.Entries, e)
	}
	return l, ds
}

// addLeaf appends the stored hashes of leaf n.
func (l *Ledger) addLeaf(n int64, raw []byte) {
	hs, err := tlog.StoredHashes(n, raw, l.reader())
	if err != nil {
		// The reader holds every hash StoredHashes asks for.
		return
	}
	l.hashes = append(l.hashes, hs...)
}

// decodeLine decodes and checks one line. The line must be exactly what
// Publish writes, so a hand edit that keeps the JSON valid is still caught.
func decodeLine(raw []byte, n int) (Entry, diag.Diagnostic, bool) {
	pos := diag.Position{File: FileName, Line: n}
	bad := func(zh, en string, args ...any) (Entry, diag.Diagnostic, bool) {
		d := diag.Errorf(pos, "第 %d 条格式错误："+zh, "line %d is malformed: "+en, append([]any{n}, args...)...).
			WithHint("账本由 gongkai publish 自动写出，请勿手工修改；请从备份恢复 ledger.jsonl",
				"the ledger is written by gongkai publish and must not be edited by hand; restore ledger.jsonl from a backup")
		return Entry{}, d, false
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return bad("空行", "empty line")
	}
	var ln line
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ln); err != nil {
		e, d, ok := bad("", "not valid JSON (%v)", err)
		d.Msg.Zh = fmt.Sprintf("第 %d 条格式错误：内容已损坏，不是 gongkai publish 写出的样子", n)
		return e, d, ok
	}
	if dec.More() {
		return bad("一行里有多个 JSON 对象", "more than one JSON object on the line")
	}
	if !bytes.Equal(encode(ln), raw) {
		return bad("与 gongkai 写出的格式不同（键的顺序、空格、转义或缺少的键）",
			"it differs from what gongkai writes (key order, spaces, escapes or a missing key)")
	}
	at, err := time.Parse(time.RFC3339, ln.At)
	if err != nil {
		return bad("时间 at = %q 不是 RFC 3339 格式", "at = %q is not an RFC 3339 time", ln.At)
	}
	if !isHex(ln.SHA256) {
		return bad("sha256 不是 64 位十六进制哈希", "sha256 is not a 64-digit hex hash")
	}
	if ln.Prev != "" && !isHex(ln.Prev) {
		return bad("prev 不是 64 位十六进制哈希", "prev is not a 64-digit hex hash")
	}
	if ln.Release < 1 {
		return bad("release 必须从 1 开始", "release must be 1 or more")
	}
	switch ln.Action {
	case ActionRelease:
		if ln.Record != "" || ln.Version != 0 {
			return bad("release 行的 record 必须为空、version 必须为 0", "a release line must have record \"\" and version 0")
		}
	case ActionPublish, ActionAmend, ActionWithdraw, ActionExpire:
		if !validID(ln.Record) {
			return bad("记录编号 record = %q 无效", "record = %q is not a valid record id", ln.Record)
		}
		if ln.Version < 1 {
			return bad("version 必须从 1 开始", "version must be 1 or more")
		}
	default:
		return bad("未知的 action = %q", "unknown action %q", ln.Action)
	}
	if ln.Files != nil && ln.Action != ActionPublish && ln.Action != ActionAmend {
		return bad("只有 publish 和 amend 行可以有 files", "only publish and amend lines may have files")
	}
	for name, h := range ln.Files {
		if !ValidFileName(name) {
			return bad("files 里的文件名 %q 无效", "the file name %q in files is not valid", name)
		}
		if !isHex(h) {
			return bad("files 里 %s 的哈希不是 64 位十六进制", "the hash of %s in files is not a 64-digit hex hash", name)
		}
	}
	return Entry{
		Seq: ln.Seq, At: at, Release: ln.Release, Record: ln.Record, Version: ln.Version,
		Action: ln.Action, SHA256: ln.SHA256, Files: ln.Files, Note: ln.Note, Prev: ln.Prev,
		Line: n, Raw: raw,
	}, diag.Diagnostic{}, true
}

// isHex reports whether s is a lowercase hex SHA-256.
func isHex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// validID reports whether id can name a record and its archive folder.
func validID(id string) bool {
	return id != "" && fs.ValidPath(id) && id != "." && !strings.ContainsAny(id, "\\:") &&
		!strings.HasPrefix(id, ArchiveDir+"/") && id != ArchiveDir
}

// ValidFileName reports whether name can name a file of a record in the
// ledger and in its archive folder: a slash-separated path below the
// record's folder, without "..", backslashes or colons.
func ValidFileName(name string) bool {
	return name != "" && fs.ValidPath(name) && name != "." && !strings.ContainsAny(name, "\\:")
}

// Versions returns the registered versions of record id, oldest first.
func (l *Ledger) Versions(id string) []Version {
	var vs []Version
	for _, i := range l.byRecord[id] {
		if e := l.Entries[i]; e.Action == ActionPublish || e.Action == ActionAmend {
			v := Version{
				N: e.Version, At: e.At, Note: e.Note, SHA256: e.SHA256, Files: e.Files, Action: e.Action,
				Seq: e.Seq, Leaf: e.Leaf(), Release: e.Release, ChangeNote: e.Note,
			}
			if n := len(vs); n > 0 && vs[n-1].SHA256 == v.SHA256 {
				// Same text: this version only registered files.
				v.ChangeNote = vs[n-1].ChangeNote
			}
			vs = append(vs, v)
		}
	}
	return vs
}

// Last returns the latest registered version of record id.
func (l *Ledger) Last(id string) (Version, bool) {
	vs := l.Versions(id)
	if len(vs) == 0 {
		return Version{}, false
	}
	return vs[len(vs)-1], true
}

// State reports whether record id is withdrawn (with the reason) or
// expired: what the last line about it since its latest version says.
func (l *Ledger) State(id string) (withdrawn bool, reason string, expired bool) {
	for _, i := range l.byRecord[id] {
		switch l.Entries[i].Action {
		case ActionPublish, ActionAmend:
			withdrawn, reason, expired = false, "", false
		case ActionWithdraw:
			withdrawn, reason = true, l.Entries[i].Note
		case ActionExpire:
			expired = true
		}
	}
	return withdrawn, reason, expired
}

// Records returns the ids of all records in the ledger, in order of first
// appearance.
func (l *Ledger) Records() []string {
	seen := map[string]bool{}
	var ids []string
	for _, e := range l.Entries {
		if e.Record != "" && !seen[e.Record] {
			seen[e.Record] = true
			ids = append(ids, e.Record)
		}
	}
	return ids
}

// ReleaseInfo is one release of the ledger.
type ReleaseInfo struct {
	Number     int
	At         time.Time
	Message    string  // the -m message of publish
	Lines      []Entry // the change lines, without the release line
	Seq        int     // the seq of the release line
	Checkpoint Checkpoint
}

// Releases returns every completed release (one that ends in a release
// line), oldest first, each with the checkpoint of the ledger right after
// it.
func (l *Ledger) Releases() []ReleaseInfo {
	var out []ReleaseInfo
	var pending []Entry
	for _, e := range l.Entries {
		if e.Action != ActionRelease {
			pending = append(pending, e)
			continue
		}
		var lines []Entry
		for _, p := range pending {
			if p.Release == e.Release {
				lines = append(lines, p)
			}
		}
		cp, _ := l.CheckpointAt(int64(e.Line))
		out = append(out, ReleaseInfo{
			Number: e.Release, At: e.At, Message: e.Note, Lines: lines, Seq: e.Seq, Checkpoint: cp,
		})
		pending = nil
	}
	return out
}

// Archived returns the archived bytes of version n of record id, checked
// against the hash the ledger registered for it.
func (l *Ledger) Archived(fsys fs.FS, id string, n int) ([]byte, error) {
	var want string
	for _, v := range l.Versions(id) {
		if v.N == n {
			want = v.SHA256
		}
	}
	if want == "" {
		return nil, fmt.Errorf("ledger: %s has no version %d", id, n)
	}
	return readArchived(fsys, ArchivePath(id, n), want)
}

// ArchivedFile returns the archived bytes of the file name of version n
// of record id, checked against the hash the ledger registered for it.
func (l *Ledger) ArchivedFile(fsys fs.FS, id string, n int, name string) ([]byte, error) {
	var want string
	for _, v := range l.Versions(id) {
		if v.N == n {
			want = v.Files[name]
		}
	}
	if want == "" {
		return nil, fmt.Errorf("ledger: version %d of %s has no file %s", n, id, name)
	}
	return readArchived(fsys, ArchiveFilePath(id, n, name), want)
}

// readArchived reads the archive file name and checks it against want.
func readArchived(fsys fs.FS, name, want string) ([]byte, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	if Sum(b) != want {
		return nil, fmt.Errorf("ledger: %s does not match the hash registered in the ledger", name)
	}
	return b, nil
}

// Standing is where a record of the ledger stands after its last line.
type Standing struct {
	Version   int  // the last registered version
	Withdrawn bool // withdrawn since then
	Expired   bool // past its unpublish_after since then
}

// Standings reads only which records the ledger of fsys registered and
// where each stands, without building the Merkle tree or checking the
// lines: what a board needs to know on every load and every edit under
// serve. Lines it cannot read are left out (Verify reports them); a
// missing ledger is an empty map.
func Standings(fsys fs.FS) map[string]Standing {
	out := map[string]Standing{}
	data, err := fs.ReadFile(fsys, FileName)
	if err != nil {
		return out
	}
	for len(data) > 0 {
		raw := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		var ln struct {
			Record  string `json:"record"`
			Version int    `json:"version"`
			Action  string `json:"action"`
		}
		if json.Unmarshal(raw, &ln) != nil || ln.Record == "" {
			continue
		}
		s := out[ln.Record]
		switch ln.Action {
		case ActionPublish, ActionAmend:
			s = Standing{Version: ln.Version}
		case ActionWithdraw:
			s.Withdrawn = true
		case ActionExpire:
			s.Expired = true
		default:
			continue
		}
		out[ln.Record] = s
	}
	return out
}
