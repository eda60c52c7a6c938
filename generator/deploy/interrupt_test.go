package deploy

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/generator/diag"
)

// TestInterrupted stops a deploy part way, by a broken connection and by
// Ctrl-C: nothing is deleted on the target, and a rerun completes it,
// sending only what the stopped one had not. A deploy killed before it
// could record anything is completed too.
func TestInterrupted(t *testing.T) {
	for _, rc := range rigs {
		for _, how := range []string{"error", "cancel", "killed"} {
			t.Run(rc.name+"/"+how, func(t *testing.T) {
				r := rc.make(t)
				dir := filepath.Join(t.TempDir(), "public")
				files := baseSite()
				r.deploy(t, writeSite(t, dir, files), nil)
				oldManifest := r.manifest(t)

				changed := []string{"index.html", "decisions/index.html", "decisions/2026-02/index.html", "disclosures/q3/index.html", "data/records.json", "ledger.json", "build.json"}
				for _, name := range changed {
					files[name] += " 更新"
				}
				delete(files, "disclosures/q3/附件 清单.pdf")
				delete(files, "decisions/2026-02/v1/index.html")
				site := writeSite(t, dir, files)

				rec := &recorder{after: 3}
				rep, err := runRecorded(t, r, site, rec, how == "cancel")
				if err == nil {
					t.Fatal("the stopped deploy reported success")
				}
				var d diag.Diagnostic
				if !errors.As(err, &d) {
					t.Fatalf("not a diagnostic: %v", err)
				}
				if how == "cancel" && !strings.Contains(d.Msg.Zh, "部署中断") {
					t.Errorf("message: %s", d.Format(diag.Zh))
				}
				if rep.Deleted != 0 {
					t.Errorf("a stopped deploy deleted %d files", rep.Deleted)
				}
				on := r.files(t)
				for _, gone := range []string{"disclosures/q3/附件 清单.pdf", "decisions/2026-02/v1/index.html"} {
					if _, ok := on[gone]; !ok {
						t.Errorf("%s was deleted before every upload succeeded", gone)
					}
				}
				if on["build.json"] == files["build.json"] {
					t.Error("build.json went up although the deploy stopped before the end")
				}
				if how == "killed" {
					r.restore(t, oldManifest) // it never wrote what it had sent
				}

				rep2 := r.deploy(t, site, nil)
				if got := r.files(t); !sameFiles(got, files) {
					t.Fatalf("the rerun did not complete the deploy: %s", diffFiles(files, got))
				}
				if rep2.Deleted != 2 {
					t.Errorf("the rerun deleted %d files, want 2", rep2.Deleted)
				}
				if how != "killed" && rep.Uploaded+rep2.Uploaded != len(changed) {
					t.Errorf("the stopped deploy sent %d and the rerun %d files; %d changed", rep.Uploaded, rep2.Uploaded, len(changed))
				}
				if how == "killed" && rep2.Uploaded > len(changed) {
					t.Errorf("the rerun sent %d files; %d changed", rep2.Uploaded, len(changed))
				}
			})
		}
	}
}

// TestFolderRemovedByHand: a changed file whose folder was removed on the
// server by hand still arrives (the folder is made again).
func TestFolderRemovedByHand(t *testing.T) {
	for _, rc := range rigs[:2] {
		t.Run(rc.name, func(t *testing.T) {
			r := rc.make(t)
			dir := filepath.Join(t.TempDir(), "public")
			files := baseSite()
			r.deploy(t, writeSite(t, dir, files), nil)
			if err := os.RemoveAll(filepath.Join(filepath.FromSlash(r.target.Path), "decisions", "2026-02")); err != nil {
				t.Fatal(err)
			}
			files["decisions/2026-02/index.html"] += "（更正）"
			rep := r.deploy(t, writeSite(t, dir, files), nil)
			// A folder target is listed, so the page's removed old version
			// is noticed and sent again too; SFTP trusts deploy.json.
			if want := map[string]int{"file": 2, "sftp": 1}[rc.name]; rep.Uploaded != want {
				t.Errorf("uploaded %d, want %d", rep.Uploaded, want)
			}
			if got := r.files(t)["decisions/2026-02/index.html"]; got != files["decisions/2026-02/index.html"] {
				t.Errorf("the page did not arrive: %q", got)
			}
		})
	}
}
