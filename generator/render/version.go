package render

import (
	"gongkai/generator/link"
	"gongkai/generator/record"
)

// VersionNote is shown on the page of one registered version of a record
// (/<id>/v<N>/): which version it is, where the latest one is, and the
// proof that its ledger line is in the published Merkle tree.
type VersionNote struct {
	N        int
	Latest   bool   // this is the latest registered version
	Current  string // site-relative path of the record's current page
	DiffPath string // the diff against the previous version, "" for v1
	// Seq is the version's entry in the ledger ("第 N 条（seq N）", line N
	// of ledger.jsonl), Leaf its index in the Merkle tree (Seq − 1), Line
	// the entry's exact text.
	Seq  int
	Leaf int64
	Line string
	// SHA256 is the hash the ledger registered for the version's bytes;
	// Source the site-relative file holding those bytes, "" when they are
	// withheld, and then Withheld says why.
	SHA256   string
	Source   string
	Withheld string
	// Files are the files registered with the version (attachments and
	// the files of tables and accounts), by name; each Path is the
	// site-relative copy of the archived bytes, "" when withheld.
	Files []VersionFile
	// Proof is the inclusion proof (hashes in base64) against the
	// checkpoint of TreeSize lines with root hash Root.
	Proof          []string
	TreeSize       int64
	Root           string
	CheckpointPath string
	// LedgerPath is the page of the ledger, VerifyPath the page telling
	// how to check all this.
	LedgerPath, VerifyPath string
}

// VersionFile is a file registered with a version.
type VersionFile struct {
	Name, Path, SHA256 string
}

// ViewOf builds the view of a record that is not on the board, such as a
// registered version decoded from the archive, for the page at dir
// ("disclosures/x/v1/"). Its Version and History are those of the board
// record with the same id, if any; callers set them for the version shown.
// Its links to other records resolve whether or not those are on the
// board now: a registered version says what it said, and its page does
// not change when other records come or go.
func (r *Renderer) ViewOf(rec *record.Record, dir string) (*RecordView, error) {
	v, err := r.viewAt(rec, dir, func(string) bool { return true })
	if err != nil || dir == link.Page(rec.ID) {
		return v, err
	}
	// The data files hold the current version only.
	if v.Finance != nil {
		v.Finance.CSVPath = ""
	}
	for i := range v.Tables {
		v.Tables[i].CSVPath = ""
	}
	return v, nil
}
