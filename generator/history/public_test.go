package history_test

import (
	"bytes"
	"encoding/json"
	"html"
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/docs"
	"gongkai/generator/build"
	"gongkai/generator/history"
	"gongkai/generator/internal/testboard"
	"gongkai/generator/ledger"
)

// TestPublicLedger builds the demo board and checks what it publishes for
// anyone to verify: the raw ledger, the sources (never a personal
// record's), the proofs, the signed checkpoints and the pages.
func TestPublicLedger(t *testing.T) {
	src := testboard.Demo(t, nil)
	out, board, ds, err := build.ToMemory(build.Options{Src: src, Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)})
	if err != nil || out == nil || ds.HasErrors() {
		t.Fatalf("build: %v %v", err, ds)
	}
	get := func(name string) string {
		t.Helper()
		b, ok := out.Get(name)
		if !ok {
			t.Fatalf("%s is not on the site", name)
		}
		return string(b)
	}
	raw, _ := fs.ReadFile(src, ledger.FileName)
	if get(history.LedgerJSONL) != string(raw) {
		t.Errorf("/ledger.jsonl is not the ledger")
	}
	l, _ := ledger.Read(src)
	size := strconv.FormatInt(l.Size(), 10)
	for _, rel := range l.Releases() {
		name := strconv.FormatInt(rel.Checkpoint.Size, 10) + ".txt"
		stored, _ := fs.ReadFile(src, "_checkpoints/"+name)
		if len(stored) == 0 || get("ledger/checkpoints/"+name) != string(stored) {
			t.Errorf("checkpoint %s is not the stored, signed one", name)
		}
	}
	if !strings.Contains(get(history.CheckpointPath), "— 青石社区居务监督委员会 ") {
		t.Errorf("the latest checkpoint lacks the cosignature")
	}
	if get(history.VerifyScript) != string(docs.VerifyScript()) {
		t.Errorf("verify.py differs from docs/verify.py")
	}

	var p history.Proofs
	if err := json.Unmarshal([]byte(get(history.ProofsJSON)), &p); err != nil {
		t.Fatal(err)
	}
	if p.Origin != "example.org/qingshi" || p.Size != l.Size() || len(p.Versions) == 0 {
		t.Fatalf("proofs.json: %s %d, %d versions", p.Origin, p.Size, len(p.Versions))
	}

	// Personal records: the hash only, never their bytes.
	personal := map[string]bool{}
	for _, r := range board.Records {
		if r.Personal {
			personal[r.ID] = true
		}
	}
	if len(personal) < 2 {
		t.Fatalf("the demo board has %d personal records; the test needs some", len(personal))
	}
	var secrets [][]byte
	for id := range personal {
		for _, v := range l.Versions(id) {
			b, err := l.Archived(src, id, v.N)
			if err != nil {
				t.Fatal(err)
			}
			secrets = append(secrets, b)
		}
		if r := board.Get(id); r != nil {
			secrets = append(secrets, []byte(r.Text))
		}
	}
	withheld := 0
	for _, v := range p.Versions {
		switch {
		case personal[v.Record]:
			if v.Source != "" || v.Withheld != history.WithheldPersonal {
				t.Errorf("%s v%d: source %q, withheld %q", v.Record, v.Version, v.Source, v.Withheld)
			}
			withheld++
			page := get(v.Page + "index.html")
			if !strings.Contains(page, "原文文件不公开，只公布哈希") || !strings.Contains(page, v.SHA256) {
				t.Errorf("%s: the version page does not say why its source is withheld", v.Page)
			}
		default:
			if v.Source != history.SourcePath(v.Record, v.Version) {
				t.Errorf("%s v%d: source %q", v.Record, v.Version, v.Source)
			}
			if ledger.Sum([]byte(get(v.Source))) != v.SHA256 {
				t.Errorf("%s does not hash to %s", v.Source, v.SHA256)
			}
		}
	}
	if withheld == 0 {
		t.Errorf("no personal version was listed")
	}
	// Not a file, nor a line of one: a table row of the relief list names
	// a household.
	for _, name := range out.Names() {
		if !strings.HasPrefix(name, "ledger/sources/") {
			continue
		}
		b := get(name)
		for _, id := range []string{"dibao", "jiuzhu"} {
			if strings.Contains(name, id) {
				t.Errorf("%s: a personal record's source is published", name)
			}
		}
		for _, s := range secrets {
			for _, line := range bytes.Split(s, []byte("\n")) {
				if bytes.HasPrefix(line, []byte("| ")) && len(line) > 20 && strings.Contains(b, string(line)) {
					t.Errorf("%s holds a line of a personal record: %s", name, line)
				}
			}
			if b == string(s) {
				t.Errorf("%s holds a personal record's bytes", name)
			}
		}
	}

	// Ledger entries are named 第 N 条（seq N）.
	v := p.Versions[len(p.Versions)-1]
	page := get(v.Page + "index.html")
	want := "第 " + strconv.Itoa(v.Seq) + " 条（seq " + strconv.Itoa(v.Seq) + "，叶子序号 " + strconv.Itoa(v.Seq-1) + "）"
	if !strings.Contains(page, want) || strings.Contains(page, "的第 "+strconv.Itoa(v.Seq+1)+" 行") {
		t.Errorf("%s does not name its entry %q", v.Page, want)
	}

	// The pages.
	lp := html.UnescapeString(get(history.LedgerPage + "index.html"))
	key := board.Site.Ledger.Board.Text
	for _, s := range []string{key, "青石街道办事处", "本居委会：已签名", "青石社区居务监督委员会：已副署", "verify.py", "ledger.jsonl"} {
		if !strings.Contains(lp, s) {
			t.Errorf("/ledger/ lacks %q", s)
		}
	}
	cp := get(history.CheckpointsPage + "index.html")
	if strings.Count(cp, "已副署") != 2*len(l.Releases()) || !strings.Contains(cp, size+".txt") || !strings.Contains(cp, "45.txt") {
		t.Errorf("/ledger/checkpoints/ does not list both checkpoints and their cosignatures")
	}
	vp := get(history.VerifyPage + "index.html")
	if !strings.Contains(vp, "<h2") || strings.Contains(vp, "<h3") {
		t.Errorf("/ledger/verify/: its sections are not h2 under the h1")
	}
	for _, s := range []string{"如何核验公开栏的账本", "prev 规则", "发布哈希规则", "叶子 N−1", "RFC 9162", "tlog-checkpoint", "personal = true"} {
		if !strings.Contains(vp, s) {
			t.Errorf("/ledger/verify/ lacks %q", s)
		}
	}
	var info history.BuildInfo
	if err := json.Unmarshal([]byte(get(history.BuildJSON)), &info); err != nil || info.Ledger.Key != key || len(info.Ledger.Witnesses) != 2 {
		t.Errorf("build.json ledger keys: %+v %v", info.Ledger, err)
	}
	// The wall sheets carry the checkpoint size and the key.
	sheet := html.UnescapeString(get("print/disclosures/2026-q2-caiwu/index.html"))
	if !strings.Contains(sheet, "账本检查点："+size+" 条 · 公钥 "+key) {
		t.Errorf("the sheet does not pin the ledger")
	}
}
