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
	// Leaf is the index of the version's ledger line in the Merkle tree,
	// Line that line's exact text.
	Leaf   int64
	LineNo int // Leaf + 1: the line number in ledger.jsonl
	Line   string
	// Proof is the inclusion proof (hashes in base64) against the
	// checkpoint of TreeSize lines with root hash Root.
	Proof          []string
	TreeSize       int64
	Root           string
	CheckpointPath string
}

// ViewOf builds the view of a record that is not on the board, such as a
// registered version decoded from the archive, for the page at dir
// ("disclosures/x/v1/"). Its Version and History are those of the board
// record with the same id, if any; callers set them for the version shown.
func (r *Renderer) ViewOf(rec *record.Record, dir string) (*RecordView, error) {
	v, err := r.viewAt(rec, dir)
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
