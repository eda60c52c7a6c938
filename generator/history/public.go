package history

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"sort"
	"strings"

	"gongkai/docs"
	"gongkai/generator/ledger"
	"gongkai/generator/markdown"
	"gongkai/generator/render"
)

// Paths of what the site publishes for anyone to verify the ledger
// (docs/verify.md says what each holds).
const (
	LedgerJSONL     = ledger.FileName // the raw ledger: its lines are the leaves
	LedgerPage      = "ledger/"
	CheckpointsPage = "ledger/checkpoints/"
	VerifyPage      = "ledger/verify/"
	VerifyScript    = "ledger/verify.py"
	ProofsJSON      = "ledger/proofs.json"
)

// SourcePath returns the site-relative file holding the registered bytes
// of version n of record id: ledger/sources/<id>/v<n>.md.
func SourcePath(id string, n int) string { return fmt.Sprintf("ledger/sources/%s/v%d.md", id, n) }

// WithheldPersonal is the withheld reason in proofs.json of a personal
// record's version.
const WithheldPersonal = "personal"

// withheldNote says on a version page why its source is not published.
const withheldNote = "这是含个人信息的公示（personal = true）：为免个人信息被整份下载、转存和检索，这一版的原文文件不公开，只公布哈希。"

// Proofs is /ledger/proofs.json: the inclusion proof of every version
// page of the site against the latest checkpoint, and where the version's
// bytes are published.
type Proofs struct {
	Origin   string         `json:"origin"`
	Size     int64          `json:"size"`
	Root     string         `json:"root"`
	Versions []ProofVersion `json:"versions"`
}

// ProofVersion is one version in proofs.json.
type ProofVersion struct {
	Seq      int      `json:"seq"`
	Record   string   `json:"record"`
	Version  int      `json:"version"`
	SHA256   string   `json:"sha256"`
	Page     string   `json:"page"`
	Source   string   `json:"source"`             // "" when withheld
	Withheld string   `json:"withheld,omitempty"` // why the source is withheld
	Proof    []string `json:"proof"`
}

// LedgerView is the /ledger/ page: the board's keys, the latest
// checkpoint and who signed it, and the files to verify with.
type LedgerView struct {
	Origin     string
	Key        string // the board's verifier key, "" when it has none
	Witnesses  []KeyView
	Checkpoint string // the latest checkpoint, as published
	Size       int64
	Signers    ledger.Signers
	Releases   int
}

// KeyView is a witness's key.
type KeyView struct{ Name, Key string }

// CheckpointsView is the /ledger/checkpoints/ page.
type CheckpointsView struct {
	HasKey    bool
	Witnesses []string // names, in the order of site.toml
	Rows      []CheckpointRow
}

// CheckpointRow is one checkpoint in the index, newest first.
type CheckpointRow struct {
	Release  int
	Date     string
	Size     int64
	Root     string
	Path     string
	Board    bool   // signed by the board
	Cosigned []bool // by each witness, in the order of Witnesses
}

// notes returns the checkpoint of every release as the site publishes it
// (the stored signed note, else the bare checkpoint), and the latest.
func (h *History) notes() (map[int64]*ledger.Note, *ledger.Note) {
	out := map[int64]*ledger.Note{}
	for _, rel := range h.Ledger.Releases() {
		if n, err := h.Ledger.Note(h.Stored, rel.Checkpoint.Size); err == nil {
			out[n.Size] = n
		}
	}
	latest, _ := h.Ledger.Note(h.Stored, h.Ledger.Size())
	out[latest.Size] = latest
	return out, latest
}

// files writes /ledger.json, /ledger.jsonl, the checkpoints, the proofs,
// the verification script and /build.json.
func (h *History) files(r render.Site) error {
	var raw bytes.Buffer
	for _, e := range h.Ledger.Entries {
		raw.Write(e.Raw)
		raw.WriteString("\n")
	}
	if err := r.Write(LedgerJSON, JSONArray(h.Ledger)); err != nil {
		return err
	}
	if err := r.Write(LedgerJSONL, raw.Bytes()); err != nil {
		return err
	}
	notes, latest := h.notes()
	for _, n := range notes {
		if err := r.Write(CheckpointFile(n.Size), n.Bytes()); err != nil {
			return err
		}
	}
	if err := r.Write(CheckpointPath, latest.Bytes()); err != nil {
		return err
	}
	if err := h.proofs(r, latest.Checkpoint); err != nil {
		return err
	}
	if err := r.Write(VerifyScript, docs.VerifyScript()); err != nil {
		return err
	}
	info := BuildInfo{
		Date:       r.Today().Format("2006-01-02"),
		Checkpoint: CheckpointJSON{Size: latest.Size, Hash: latest.Hash.String()},
		Ledger:     h.Keys.Public(),
		Generator:  "gongkai",
		BaseURL:    h.BaseURL,
		Offline:    h.Offline,
	}
	js, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	return r.Write(BuildJSON, append(js, '\n'))
}

// JSONArray returns /ledger.json: the well-formed lines of the ledger as
// one JSON array, a line each.
func JSONArray(l *ledger.Ledger) []byte {
	var b bytes.Buffer
	b.WriteString("[")
	for i, e := range l.Entries {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n")
		b.Write(e.Raw)
	}
	b.WriteString("\n]\n")
	return b.Bytes()
}

// proofList returns every version page the site has, as proofs.json
// lists it: the versions of each record on the site and of each withdrawn
// one whose page stays, as the stage writes their pages (recordPages).
// It is worked out from the ledger and the views, not from the pages
// written, since a rebuild writes the pages of the changed records only.
func (h *History) proofList(r render.Reader) ([]ProofVersion, error) {
	var out []ProofVersion
	for _, id := range h.Ledger.Records() {
		cur := r.View(id)
		if cur == nil && h.Board.Get(id) != nil {
			continue // past its unpublish_after
		}
		if withdrawn, _, expired := h.Ledger.State(id); cur == nil && (!withdrawn || expired) {
			continue
		}
		vs := h.Ledger.Versions(id)
		if len(vs) == 0 {
			continue
		}
		if cur == nil {
			// A withdrawn record's pages are there when its last version
			// still decodes.
			if a, err := h.archived(id, vs[len(vs)-1].N); err != nil {
				return nil, err
			} else if a.rec == nil {
				continue
			}
		}
		for _, v := range vs {
			a, err := h.archived(id, v.N)
			if err != nil {
				return nil, err
			}
			if a.rec == nil {
				continue
			}
			var proof []string
			if p, err := h.Ledger.InclusionProof(v.Leaf); err == nil {
				for _, x := range p {
					proof = append(proof, x.String())
				}
			}
			out = append(out, h.proofVersion(a.rec, cur, v, proof))
		}
	}
	return out, nil
}

// proofs writes /ledger/proofs.json, one version a line.
func (h *History) proofs(r render.Site, cp ledger.Checkpoint) error {
	vs, err := h.proofList(r)
	if err != nil {
		return err
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].Seq < vs[j].Seq })
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	head, err := json.Marshal(struct {
		Origin string `json:"origin"`
		Size   int64  `json:"size"`
		Root   string `json:"root"`
	}{cp.Origin, cp.Size, cp.Hash.String()})
	if err != nil {
		return err
	}
	b.Write(head[:len(head)-1])
	b.WriteString(`,"versions":[`)
	for i, v := range vs {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n")
		if err := enc.Encode(v); err != nil {
			return err
		}
		b.Truncate(b.Len() - 1)
	}
	b.WriteString("\n]}\n")
	return r.Write(ProofsJSON, b.Bytes())
}

// pages writes /ledger/, /ledger/checkpoints/ and /ledger/verify/.
func (h *History) pages(r render.Site) error {
	notes, latest := h.notes()
	lv := &LedgerView{Origin: h.Keys.Origin, Checkpoint: string(latest.Bytes()), Size: latest.Size,
		Signers: latest.Check(h.Keys), Releases: len(h.Ledger.Releases())}
	if k := h.Keys.Board; k != nil {
		lv.Key = k.Text
	}
	cv := &CheckpointsView{HasKey: h.Keys.Board != nil}
	for _, w := range h.Keys.Witnesses {
		lv.Witnesses = append(lv.Witnesses, KeyView{Name: w.Name, Key: w.Text})
		cv.Witnesses = append(cv.Witnesses, w.Name)
	}
	crumbs := []render.Crumb{{Name: "发布记录", Path: ChangesPath}}
	if err := r.Page("ledger", &render.Page{Path: LedgerPage, Title: "账本与核验", Main: lv, Crumbs: crumbs}); err != nil {
		return err
	}
	for _, rel := range h.Ledger.Releases() {
		n := notes[rel.Checkpoint.Size]
		s := n.Check(h.Keys)
		row := CheckpointRow{Release: rel.Number, Date: rel.At.In(h.loc).Format("2006年1月2日 15:04"), Size: n.Size,
			Root: n.Hash.String(), Path: CheckpointFile(n.Size), Board: s.Board}
		for _, w := range h.Keys.Witnesses {
			row.Cosigned = append(row.Cosigned, contains(s.Witnessed, w.Name))
		}
		cv.Rows = append([]CheckpointRow{row}, cv.Rows...)
	}
	crumbs = append(crumbs, render.Crumb{Name: "账本与核验", Path: LedgerPage})
	if err := r.Page("checkpoints", &render.Page{Path: CheckpointsPage, Title: "检查点", Main: cv, Crumbs: crumbs}); err != nil {
		return err
	}
	title, body, err := method(r)
	if err != nil {
		return err
	}
	return r.Page("page", &render.Page{Path: VerifyPage, Title: title,
		Main: &struct {
			Title string
			Body  template.HTML
		}{title, body}, Crumbs: crumbs})
}

// method renders docs/verify.md for /ledger/verify/: its first line is the
// title. The document's sections (##) become the page's h2: the record
// body converter moves every heading one level down, under a record's
// title, so they are raised one level first.
func method(r render.Site) (string, template.HTML, error) {
	text := docs.VerifyMethod()
	first, rest, _ := strings.Cut(text, "\n")
	lines := strings.Split(rest, "\n")
	fenced := false
	for i, l := range lines {
		switch {
		case strings.HasPrefix(strings.TrimSpace(l), "```"):
			fenced = !fenced
		case !fenced && strings.HasPrefix(l, "##"):
			lines[i] = l[1:]
		}
	}
	res, err := markdown.New(false).Convert(strings.Join(lines, "\n"), markdown.Page{Dir: VerifyPage, Offline: r.Offline()})
	if err != nil {
		return "", "", fmt.Errorf("history: %s: %w", VerifyPage, err)
	}
	return strings.TrimPrefix(first, "# "), template.HTML(r.Minify("text/html", res.HTML)), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
