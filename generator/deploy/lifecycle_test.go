package deploy

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/generator/config"
)

// TestLifecycle deploys to each kind of target: a first deploy, a rerun
// that sends nothing, one edit (only the changed files travel, counted), a
// dry run, a removal kept by --no-delete and then deleted.
func TestLifecycle(t *testing.T) {
	for _, rc := range rigs {
		t.Run(rc.name, func(t *testing.T) {
			r := rc.make(t)
			dir := filepath.Join(t.TempDir(), "public")
			files := baseSite()
			site := writeSite(t, dir, files)

			rep := r.deploy(t, site, nil)
			if !rep.Plan.First || rep.Uploaded != len(files) || rep.Deleted != 0 || rep.Plan.Unchanged != 0 {
				t.Fatalf("first deploy: first=%v uploaded %d of %d, deleted %d, unchanged %d", rep.Plan.First, rep.Uploaded, len(files), rep.Deleted, rep.Plan.Unchanged)
			}
			if got := r.files(t); !sameFiles(got, files) {
				t.Fatalf("after the first deploy the target differs: %s", diffFiles(files, got))
			}
			if r.manifest(t) == "" {
				t.Fatal("no deploy.json on the target")
			}

			rep = r.deploy(t, site, nil)
			if rep.Plan.First || rep.Uploaded != 0 || rep.Plan.Unchanged != len(files) {
				t.Errorf("rerun: uploaded %d, unchanged %d of %d", rep.Uploaded, rep.Plan.Unchanged, len(files))
			}
			manifest := r.manifest(t)

			// One edit: the record's page and build.json change.
			files["decisions/2026-02/index.html"] += "（已更正）"
			files["build.json"] = `{"date":"2026-11-28"}`
			site = writeSite(t, dir, files)
			rep = r.deploy(t, site, nil)
			if got := names(rep.Plan.Uploads); !reflect.DeepEqual(got, []string{"build.json", "decisions/2026-02/index.html"}) || rep.Uploaded != 2 {
				t.Errorf("one edit sent %q (%d)", got, rep.Uploaded)
			}
			if want := int64(len(files["build.json"]) + len(files["decisions/2026-02/index.html"])); rep.Bytes != want {
				t.Errorf("one edit sent %d bytes, want %d", rep.Bytes, want)
			}
			for _, u := range rep.Plan.Uploads {
				if u.New {
					t.Errorf("%s counted as new", u.Name)
				}
			}
			if got := r.files(t); !sameFiles(got, files) {
				t.Fatalf("after one edit the target differs: %s", diffFiles(files, got))
			}
			if r.manifest(t) == manifest {
				t.Error("deploy.json did not change with the files")
			}

			// A record withdrawn from the site, another added.
			delete(files, "decisions/2026-02/v1/index.html")
			files["minutes/2026-03/index.html"] = "<!doctype html>会议记录"
			site = writeSite(t, dir, files)
			before := r.files(t)
			rep = r.deploy(t, site, func(o *Options) { o.DryRun = true })
			if !reflect.DeepEqual(names(rep.Plan.Uploads), []string{"minutes/2026-03/index.html"}) || !reflect.DeepEqual(rep.Plan.Deletes, []string{"decisions/2026-02/v1/index.html"}) || !rep.Plan.Uploads[0].New {
				t.Errorf("dry run plans uploads %q, deletes %q", names(rep.Plan.Uploads), rep.Plan.Deletes)
			}
			if after := r.files(t); !sameFiles(before, after) || rep.Uploaded != 0 || rep.Deleted != 0 {
				t.Errorf("the dry run changed the target: %s", diffFiles(before, after))
			}

			rep = r.deploy(t, site, func(o *Options) { o.NoDelete = true })
			if rep.Uploaded != 1 || rep.Deleted != 0 || !reflect.DeepEqual(rep.Plan.Kept, []string{"decisions/2026-02/v1/index.html"}) {
				t.Errorf("--no-delete: uploaded %d, deleted %d, kept %q", rep.Uploaded, rep.Deleted, rep.Plan.Kept)
			}
			if _, ok := r.files(t)["decisions/2026-02/v1/index.html"]; !ok {
				t.Error("--no-delete deleted the withdrawn page")
			}

			rep = r.deploy(t, site, nil)
			if rep.Uploaded != 0 || rep.Deleted != 1 {
				t.Errorf("deletion: uploaded %d, deleted %d", rep.Uploaded, rep.Deleted)
			}
			if got := r.files(t); !sameFiles(got, files) {
				t.Errorf("after the deletion the target differs: %s", diffFiles(files, got))
			}
			if strings.Contains(r.manifest(t), "v1/index.html") {
				t.Error("deploy.json still lists the deleted page")
			}
		})
	}
}

// recorder passes every call to a real target and notes the order of the
// uploads and deletions; it can stop the deploy after a number of uploads,
// as a broken connection or Ctrl-C would.
type recorder struct {
	target
	mu     sync.Mutex
	calls  []string
	after  int32 // uploads that succeed before the stop; <0: never stop
	n      atomic.Int32
	cancel context.CancelFunc // set: stop by cancelling, as Ctrl-C does
	fill   string             // a folder whose disk is filled up once the deploy has checked for room
}

func (r *recorder) prepare(ctx context.Context, need int64) error {
	if err := r.target.prepare(ctx, need); err != nil {
		return err
	}
	if r.fill != "" {
		f, err := os.Create(filepath.Join(r.fill, "filler"))
		if err != nil {
			return err
		}
		defer f.Close()
		chunk := make([]byte, 4096)
		for {
			if _, err := f.Write(chunk); err != nil {
				break // full
			}
		}
	}
	return nil
}

func (r *recorder) put(ctx context.Context, name string, data []byte, md5 string) error {
	if name != ManifestName && r.after >= 0 && r.n.Add(1) > r.after {
		if r.cancel != nil {
			r.cancel()
			return ctx.Err()
		}
		return fail(config.Deploy{Name: "x"}, "网线断了", "the cable was pulled").WithHint("再运行一次", "run again")
	}
	if err := r.target.put(ctx, name, data, md5); err != nil {
		return err
	}
	r.mu.Lock()
	r.calls = append(r.calls, "put "+name)
	r.mu.Unlock()
	return nil
}

func (r *recorder) remove(ctx context.Context, name string) error {
	if err := r.target.remove(ctx, name); err != nil {
		return err
	}
	r.mu.Lock()
	r.calls = append(r.calls, "delete "+name)
	r.mu.Unlock()
	return nil
}

// runRecorded deploys through rec; with cancel, rec stops the deploy by
// cancelling its context, as Ctrl-C does.
func runRecorded(t *testing.T, r rig, site fs.FS, rec *recorder, cancel bool) (*Report, error) {
	t.Helper()
	opt := r.options(site)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	if cancel {
		rec.cancel = stop
	}
	tg, err := open(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.close()
	rec.target = tg
	return run(ctx, opt, rec, time.Now())
}

// TestOrderOnTheWire checks, on a real target, that pages go up after the
// assets, the ledger and build.json last, and deletions after every
// upload.
func TestOrderOnTheWire(t *testing.T) {
	r := fileRig(t)
	dir := filepath.Join(t.TempDir(), "public")
	files := baseSite()
	site := writeSite(t, dir, files)
	r.deploy(t, site, nil)
	for name := range files {
		if name != "assets/main.5cea72aa.js" {
			files[name] += " v2"
		}
	}
	delete(files, "assets/main.5cea72aa.js")
	files["assets/main.0badc0de.js"] = "console.log(2)"
	site = writeSite(t, dir, files)
	rec := &recorder{after: -1}
	rep, err := runRecorded(t, r, site, rec, false)
	if err != nil {
		t.Fatal(err)
	}
	last := map[Phase]int{}
	first := map[Phase]int{}
	del := -1
	for i, c := range rec.calls {
		verb, name, _ := strings.Cut(c, " ")
		if verb == "delete" {
			if del < 0 {
				del = i
			}
			continue
		}
		if name == ManifestName {
			continue
		}
		if del >= 0 {
			t.Errorf("%s uploaded after a deletion", name)
		}
		p := phaseOf(name)
		if _, ok := first[p]; !ok {
			first[p] = i
		}
		last[p] = i
	}
	for p := PhaseAssets; p < PhaseLedger; p++ {
		if last[p] > first[p+1] {
			t.Errorf("phase %s went on after phase %s began: %q", p, p+1, rec.calls)
		}
	}
	for _, pair := range [][2]string{{"decisions/2026-02/v1/index.html", "decisions/2026-02/index.html"}, {"decisions/2026-02/index.html", "decisions/index.html"}, {"decisions/index.html", "index.html"}} {
		if indexOf(rec.calls, "put "+pair[0]) > indexOf(rec.calls, "put "+pair[1]) {
			t.Errorf("%s went up before %s, which it links to", pair[1], pair[0])
		}
	}
	if c := rec.calls[len(rec.calls)-1]; c != "put "+ManifestName {
		t.Errorf("the last call is %q, want the manifest", c)
	}
	if idx := indexOf(rec.calls, "put build.json"); idx < last[PhaseLedger] {
		t.Errorf("build.json is not the last file of the ledger phase: %q", rec.calls)
	}
	if rep.Deleted != 1 || del < 0 {
		t.Errorf("deleted %d", rep.Deleted)
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
