package ledger

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// bundle writes the files of a record bundle into the content folder dir
// and returns the record as publish sees it: its text holds the body and
// the change note, its Files the hashes of files.
func bundle(t *testing.T, dir, id, body, note string, files map[string]string) Current {
	t.Helper()
	c := rec(id, body, note)
	c.File = id + "/index.md"
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(id), filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if c.Files == nil {
			c.Files = map[string]string{}
		}
		c.Files[name] = Sum([]byte(data))
	}
	return c
}

// archived reads a file of the archive of dir.
func archived(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatalf("archive: %v", err)
	}
	return string(b)
}

const (
	csv1 = "项目,金额\n雨污分流,\"1,250,000.00\"\n"
	csv2 = "项目,金额\n雨污分流,\"1,350,000.00\"\n"
	txt1 = "验收意见：合格。\n"
)

func TestFilesAreAVersion(t *testing.T) {
	dir := t.TempDir()
	id := "disclosures/guiyuan"
	v1 := bundle(t, dir, id, "竣工验收。", "", map[string]string{"资金明细.csv": csv1, "验收意见.txt": txt1})
	r := mustPublish(t, dir, []Current{v1}, PublishOptions{Message: "首次发布", Now: day})
	line := string(r.Lines[0].Raw)
	want := `"sha256":"` + Sum(v1.Bytes) + `","files":{"资金明细.csv":"` + Sum([]byte(csv1)) + `","验收意见.txt":"` + Sum([]byte(txt1)) + `"},"note":""`
	if !strings.Contains(line, want) {
		t.Fatalf("the publish line does not register the files in order after sha256:\n%s\nwant %s", line, want)
	}
	if archived(t, dir, ArchiveFilePath(id, 1, "资金明细.csv")) != csv1 || archived(t, dir, ArchiveFilePath(id, 1, "验收意见.txt")) != txt1 {
		t.Fatal("the files of version 1 are not archived")
	}
	if ds := Verify(os.DirFS(dir), []Current{v1}); len(ds) > 0 {
		t.Fatalf("verify after publish: %s", format(ds))
	}

	// A number of the table changes, the text does not.
	changed := bundle(t, dir, id, "竣工验收。", "", map[string]string{"资金明细.csv": csv2})
	changed.Files["验收意见.txt"] = v1.Files["验收意见.txt"]
	ds := Verify(os.DirFS(dir), []Current{changed})
	if d, ok := find(ds, v1.File, "未登记的修改"); !ok || !ds.HasErrors() || !strings.Contains(d.Msg.Zh, "资金明细.csv") || !strings.Contains(d.Hint.Zh, "_archive/"+id+"/v1/") {
		t.Errorf("verify does not report the changed table as an unregistered change: %s", format(ds))
	}
	before := snapshot(t, dir)
	r, ds = Publish(openRoot(t, dir), []Current{changed}, PublishOptions{Message: "改表", Now: day.Add(time.Hour)})
	if d, ok := find(ds, v1.File, "不能发布修改"); r != nil || !ok || !strings.Contains(d.Msg.Zh, "资金明细.csv") {
		t.Errorf("publish accepted a changed table without a change_note: %v %s", r, format(ds))
	}
	if d := diff(snapshot(t, dir), before); d != "" {
		t.Errorf("a refused publish wrote %s", d)
	}

	// With a change_note (the text changes with it) the table is version 2;
	// version 1 keeps its bytes.
	v2 := bundle(t, dir, id, "竣工验收。", "更正雨污分流金额", map[string]string{"资金明细.csv": csv2, "验收意见.txt": txt1})
	r = mustPublish(t, dir, []Current{v2}, PublishOptions{Message: "更正", Now: day.Add(2 * time.Hour)})
	if actions(r.Lines) != "amend "+id+" v2; release" {
		t.Fatalf("release: %s", actions(r.Lines))
	}
	if archived(t, dir, ArchiveFilePath(id, 1, "资金明细.csv")) != csv1 || archived(t, dir, ArchiveFilePath(id, 2, "资金明细.csv")) != csv2 {
		t.Error("the archive does not keep both versions of the table")
	}
	l := readLedger(t, dir)
	if b, err := l.ArchivedFile(os.DirFS(dir), id, 1, "资金明细.csv"); err != nil || string(b) != csv1 {
		t.Errorf("ArchivedFile v1: %q %v", b, err)
	}

	// A removed attachment is a change too (its name leaves the text).
	v3 := bundle(t, dir, id, "竣工验收（删去附件）。", "删去验收意见", map[string]string{"资金明细.csv": csv2})
	os.Remove(filepath.Join(dir, id, "验收意见.txt"))
	r = mustPublish(t, dir, []Current{v3}, PublishOptions{Message: "删附件", Now: day.Add(3 * time.Hour)})
	if e := r.Lines[0]; len(e.Files) != 1 || e.Files["资金明细.csv"] != Sum([]byte(csv2)) {
		t.Errorf("version 3 registers %v", e.Files)
	}
	if archived(t, dir, ArchiveFilePath(id, 2, "验收意见.txt")) != txt1 {
		t.Error("the removed attachment's last bytes are not in the archive")
	}
	if ds := Verify(os.DirFS(dir), []Current{v3}); len(ds) > 0 {
		t.Fatalf("verify: %s", format(ds))
	}

	// Tampering with the archived files is caught.
	for _, tt := range []struct {
		name, file, msg string
		do              func(p string)
	}{
		{"edited", ArchiveFilePath(id, 1, "资金明细.csv"), "与账本登记的哈希不符", func(p string) { os.WriteFile(p, []byte(csv2), 0o644) }},
		{"deleted", ArchiveFilePath(id, 2, "验收意见.txt"), "缺少归档文件", func(p string) { os.Remove(p) }},
		{"extra", ArchiveFilePath(id, 1, "多余.csv"), "多余的归档文件", func(p string) { os.WriteFile(p, []byte("x"), 0o644) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := t.TempDir()
			copyDir(t, dir, d)
			tt.do(filepath.Join(d, filepath.FromSlash(tt.file)))
			ds := Verify(os.DirFS(d), []Current{v3})
			if _, ok := find(ds, tt.file, tt.msg); !ok || !ds.HasErrors() {
				t.Errorf("verify: want %q at %s, got %s", tt.msg, tt.file, format(ds))
			}
			if r, ds := Publish(openRoot(t, d), []Current{v3}, PublishOptions{Message: "m", Now: day.Add(4 * time.Hour)}); r != nil || !ds.HasErrors() {
				t.Errorf("publish went ahead over a tampered archive: %s", format(ds))
			}
		})
	}
}

func TestFilesChangedDuringPublish(t *testing.T) {
	dir := t.TempDir()
	c := bundle(t, dir, "disclosures/x", "表。", "", map[string]string{"表.csv": csv1})
	// The file changes after the board was checked (Files hashed).
	os.WriteFile(filepath.Join(dir, "disclosures", "x", "表.csv"), []byte(csv2), 0o644)
	before := snapshot(t, dir)
	r, ds := Publish(openRoot(t, dir), []Current{c}, PublishOptions{Message: "m", Now: day})
	if _, ok := find(ds, "disclosures/x/表.csv", "在检查之后又被改动了"); r != nil || !ok {
		t.Errorf("publish registered a file it did not check: %v %s", r, format(ds))
	}
	if d := diff(snapshot(t, dir), before); d != "" {
		t.Errorf("a refused publish wrote %s", d)
	}
}

func TestFilesThroughALink(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.csv")
	os.WriteFile(outside, []byte("秘密,1\n"), 0o600)
	dir := t.TempDir()
	c := bundle(t, dir, "disclosures/x", "表。", "", nil)
	os.MkdirAll(filepath.Join(dir, "disclosures", "x"), 0o755)
	if err := os.Symlink(outside, filepath.Join(dir, "disclosures", "x", "表.csv")); err != nil {
		t.Skipf("SKIP: no symbolic links here: %v", err)
	}
	c.Files = map[string]string{"表.csv": Sum([]byte("秘密,1\n"))}
	r, ds := Publish(openRoot(t, dir), []Current{c}, PublishOptions{Message: "m", Now: day})
	if r != nil || !ds.HasErrors() {
		t.Fatalf("publish archived a file through a link that leads outside: %s", format(ds))
	}
	if strings.Contains(format(ds), "秘密") || strings.Contains(format(ds), outside) {
		t.Errorf("the message shows what the link leads to: %s", format(ds))
	}
	if _, err := os.Stat(filepath.Join(dir, ArchiveDir)); err == nil {
		t.Error("a refused publish wrote an archive")
	}
}

func TestFilesOfOldLedgers(t *testing.T) {
	dir := t.TempDir()
	id := "disclosures/guiyuan"
	// A ledger written before files were registered: the same record
	// without Files.
	c := bundle(t, dir, id, "竣工验收。", "", map[string]string{"资金明细.csv": csv1})
	old := c
	old.Files = nil
	mustPublish(t, dir, []Current{old, rec("pages/about", "关于。", "")}, PublishOptions{Message: "首次发布", Now: day})
	oldLedger, _ := os.ReadFile(filepath.Join(dir, FileName))
	if bytes.Contains(oldLedger, []byte(`"files"`)) {
		t.Fatalf("a record without files got a files key:\n%s", oldLedger)
	}
	about := rec("pages/about", "关于。", "")

	// Verify warns, and does not fail, about the files never registered.
	ds := Verify(os.DirFS(dir), []Current{c, about})
	if d, ok := find(ds, c.File, "还没有登记"); !ok || ds.HasErrors() || !strings.Contains(d.Msg.Zh, "资金明细.csv") {
		t.Errorf("verify: %s", format(ds))
	}
	// Publish registers them without a change_note, as version 2 of the
	// same text, and leaves the old lines as they were.
	r := mustPublish(t, dir, []Current{c, about}, PublishOptions{Message: "登记文件", Now: day.Add(time.Hour)})
	if actions(r.Lines) != "amend "+id+" v2; release" {
		t.Fatalf("release: %s", actions(r.Lines))
	}
	e := r.Lines[0]
	if e.SHA256 != Sum(c.Bytes) || e.Note != FilesNote || !SameFiles(e.Files, c.Files) {
		t.Errorf("the registering line: %s", e.Raw)
	}
	if now, _ := os.ReadFile(filepath.Join(dir, FileName)); !bytes.HasPrefix(now, oldLedger) {
		t.Error("the old lines were rewritten")
	}
	if ds := Verify(os.DirFS(dir), []Current{c, about}); len(ds) > 0 {
		t.Errorf("verify after registering: %s", format(ds))
	}
	// The change_note a new text needs is still one the record never had.
	edited := bundle(t, dir, id, "竣工验收（改）。", "", map[string]string{"资金明细.csv": csv1})
	if r, ds := Publish(openRoot(t, dir), []Current{edited, about}, PublishOptions{Message: "m", Now: day.Add(2 * time.Hour)}); r != nil || !ds.HasErrors() {
		t.Errorf("an edit without a change_note went through after the files were registered: %s", format(ds))
	}
	l := readLedger(t, dir)
	if vs := l.Versions(id); len(vs) != 2 || vs[1].ChangeNote != "" || vs[1].Note != FilesNote {
		t.Errorf("versions: %+v", vs)
	}
}

func TestReadFiles(t *testing.T) {
	dir := t.TempDir()
	c := bundle(t, dir, "disclosures/x", "表。", "", map[string]string{"表.csv": csv1})
	mustPublish(t, dir, []Current{c}, PublishOptions{Message: "m", Now: day})
	good, _ := os.ReadFile(filepath.Join(dir, FileName))
	first := strings.SplitN(string(good), "\n", 2)[0]
	for _, tt := range []struct{ name, old, new string }{
		{"empty files", `"files":{"表.csv":"` + Sum([]byte(csv1)) + `"}`, `"files":{}`},
		{"bad hash", Sum([]byte(csv1)), "xyz"},
		{"bad name", `"表.csv"`, `"../表.csv"`},
		{"backslash", `"表.csv"`, `"a\\表.csv"`},
		{"files on a release", `"note":"m"`, `"files":{"a":"` + Sum(nil) + `"},"note":"m"`},
		{"unsorted", `"files":{"表.csv":"` + Sum([]byte(csv1)) + `"}`, `"files":{"表.csv":"` + Sum([]byte(csv1)) + `","a.csv":"` + Sum(nil) + `"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := strings.Replace(string(good), tt.old, tt.new, 1)
			if data == string(good) {
				t.Fatalf("%q not in the ledger", tt.old)
			}
			_, ds := parse([]byte(data))
			if !ds.HasErrors() || !strings.Contains(format(ds), "格式错误") {
				t.Errorf("accepted: %s\n%s", format(ds), data)
			}
		})
	}
	if l, ds := parse(good); len(ds) > 0 || l.Entries[0].Files["表.csv"] != Sum([]byte(csv1)) || string(l.Entries[0].Raw) != first {
		t.Errorf("the good ledger: %s", format(ds))
	}
}

func TestFilesPublishCrashSafety(t *testing.T) {
	base := t.TempDir()
	id := "disclosures/guiyuan"
	v1 := bundle(t, base, id, "竣工验收。", "", map[string]string{"资金明细.csv": csv1, "附件/验收意见.txt": txt1})
	mustPublish(t, base, []Current{v1}, PublishOptions{Message: "首次发布", Now: day})
	v2 := bundle(t, base, id, "竣工验收。", "更正金额", map[string]string{"资金明细.csv": csv2, "附件/验收意见.txt": txt1})
	cur := []Current{v2, bundle(t, base, "disclosures/new", "新。", "", map[string]string{"表.csv": csv1})}
	opt := PublishOptions{Message: "第二次", Now: day.Add(time.Hour)}
	old := snapshot(t, base)
	want := t.TempDir()
	copyDir(t, base, want)
	mustPublish(t, want, cur, opt)
	next := snapshot(t, want)
	if _, ok := next[ArchiveFilePath(id, 2, "附件/验收意见.txt")]; !ok {
		t.Fatalf("the archive lacks the nested file: %v", next)
	}
	for k := 1; ; k++ {
		dir := t.TempDir()
		copyDir(t, base, dir)
		disk := &faultyDisk{Disk: RootDisk(openRoot(t, dir)), failAt: k}
		o := opt
		o.Disk = disk
		r, ds := Publish(openRoot(t, dir), cur, o)
		got := snapshot(t, dir)
		if disk.failed == "" {
			if r == nil || len(ds) > 0 || diff(got, next) != "" {
				t.Fatalf("without failures: %v %s %s", r, format(ds), diff(got, next))
			}
			break
		}
		switch {
		case disk.failed == "remove "+LockName:
			// The release stands; the stale lock is reported.
			delete(got, LockName)
			os.Remove(filepath.Join(dir, LockName))
			if d := diff(got, next); d != "" || r == nil {
				t.Errorf("step %d (%s): not the new state: %s", k, disk.failed, d)
			}
		case ds.HasErrors():
			if d := diff(got, old); d != "" || r != nil {
				t.Errorf("step %d (%s): not the old state: %s", k, disk.failed, d)
			}
			// Publishing again, as a clerk would, completes the release.
			mustPublish(t, dir, cur, opt)
			if d := diff(snapshot(t, dir), next); d != "" {
				t.Errorf("step %d (%s): publishing again does not reach the new state: %s", k, disk.failed, d)
			}
		default:
			if d := diff(got, next); d != "" && !strings.Contains(disk.failed, CheckpointDir) {
				t.Errorf("step %d (%s): not the new state: %s", k, disk.failed, d)
			}
		}
		if ds := Verify(os.DirFS(dir), cur); ds.HasErrors() {
			t.Errorf("step %d (%s): the folder does not verify afterwards: %s", k, disk.failed, format(ds))
		}
	}
}

// TestFilesOfAKilledFirstPublish: a first publish killed after writing the
// archive, files included, and before the ledger is completed by
// publishing again; an archive with other bytes is a deleted ledger.
func TestFilesOfAKilledFirstPublish(t *testing.T) {
	for _, tt := range []struct {
		name string
		csv  string
		ok   bool
	}{
		{"what the publish wrote", csv1, true},
		{"other bytes", csv2, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			c := bundle(t, dir, "disclosures/x", "表。", "", map[string]string{"表.csv": csv1})
			for name, data := range map[string]string{ArchivePath(c.ID, 1): string(c.Bytes), ArchiveFilePath(c.ID, 1, "表.csv"): tt.csv} {
				p := filepath.Join(dir, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte(data), 0o644)
			}
			r, ds := Publish(openRoot(t, dir), []Current{c}, PublishOptions{Message: "首次发布", Now: day})
			if tt.ok != (r != nil && !ds.HasErrors()) {
				t.Errorf("publish: %v %s", r, format(ds))
			}
			if !tt.ok {
				if _, ok := find(ds, FileName, "账本被删除了"); !ok {
					t.Errorf("not reported as a deleted ledger: %s", format(ds))
				}
			}
		})
	}
}
