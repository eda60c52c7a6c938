// Package deploy uploads a built site to where the public reads it: object
// storage that speaks S3 (Aliyun OSS, Tencent COS, Huawei OBS, MinIO,
// SeaweedFS, Amazon S3), an SFTP server, or a folder (an office web server,
// a USB stick), as named by the [[deploy]] tables of site.toml.
//
// Only what changed travels: files are compared by content hash with what
// the target holds (S3's ETag, else the manifest deploy.json that every
// deploy leaves on the target). Files go up phase by phase — assets, then
// pages, then feeds, then the ledger and build.json — so a reader never
// meets a page whose parts are missing; files no longer built are deleted
// only after every upload succeeded, and only files an earlier deploy put
// there. An interrupted deploy is completed by running it again.
//
// Credentials come only from where their own tools keep them: the AWS
// variables or shared credentials file for S3, ssh-agent or a key file for
// SFTP. Every failure is a diag.Diagnostic in Chinese and English that
// says what to do, and a target that refuses is left as it was.
package deploy

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"gongkai/generator/config"
	"gongkai/generator/diag"
)

// Options are the settings of one deploy.
type Options struct {
	Site   fs.FS // the built site (public/)
	Target config.Deploy
	// Dir is the project folder: a relative identity path is read from
	// there. Content is the content folder, where no key file may be.
	Dir, Content string
	DryRun       bool // plan only: change nothing on the target
	NoDelete     bool // keep files on the target that are no longer built
	// Progress, when set, is told how the deploy advances; it is called
	// from one goroutine at a time.
	Progress func(Progress)
	// KnownHosts are the files of trusted SSH host keys; nil means
	// ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts.
	KnownHosts []string
	// Workers is the number of files sent at once; 0 picks a number that
	// suits the kind of target.
	Workers int
	// HashCache is the file that keeps the hashes of the site's files
	// between deploys (see HashCache); "" hashes every file every time.
	HashCache string
}

// Step is what a deploy is doing.
type Step int

// The steps of a deploy, as told to Progress.
const (
	StepHash   Step = iota // reading and hashing the built site
	StepUpload             // sending files
	StepDelete             // deleting files no longer built
)

// Progress is a snapshot of a running deploy.
type Progress struct {
	Step              Step
	Done, Total       int
	Bytes, TotalBytes int64 // for StepUpload
}

// Upload is a file the deploy sends.
type Upload struct {
	File
	New bool // not on the target yet (else changed)
}

// Plan is what a deploy does to a target.
type Plan struct {
	Target    config.Deploy
	Files     int // files of the site
	Uploads   []Upload
	Deletes   []string // files an earlier deploy put there that are no longer built
	Kept      []string // the same, kept because of --no-delete
	Foreign   []string // files on the target that no deploy put there: never touched
	Unchanged int
	Bytes     int64 // to upload
	First     bool  // the target has no deploy.json yet
}

// Report is the outcome of a deploy.
type Report struct {
	Plan     *Plan
	Uploaded int
	Deleted  int
	Bytes    int64
	Took     time.Duration
}

// target is one kind of place a site is deployed to.
type target interface {
	// inventory tells what the target holds.
	inventory(ctx context.Context) (*inventory, error)
	// prepare makes the target's folder when it is missing and checks,
	// leaving nothing behind, that need more bytes fit and files can be
	// written there.
	prepare(ctx context.Context, need int64) error
	// put writes one file whole: a reader sees the old file or the new
	// one, never a part.
	put(ctx context.Context, name string, data []byte, md5hex string) error
	// remove deletes one file; a file already gone is no error.
	remove(ctx context.Context, name string) error
	close() error
	// workers is how many files the target takes at once.
	workers() int
	// md5 reports whether held files carry MD5s (S3) rather than SHA-256.
	md5() bool
}

// inventory is what a target holds.
type inventory struct {
	manifest    *Manifest // nil: no deploy.json
	manifestRaw []byte
	// held are files known to be on the target with their hash: the
	// listing of the target where it can be listed, else the manifest.
	held map[string]held
	// listed reports whether held is a full listing of the target.
	listed bool
}

type held struct {
	size        int64
	sha256, md5 string // one of them, hex
}

func (h held) same(f File) bool {
	if h.size != f.Size {
		return false
	}
	if h.md5 != "" {
		return h.md5 == f.MD5
	}
	return h.sha256 != "" && h.sha256 == f.SHA256
}

// Run deploys opt.Site to opt.Target.
func Run(ctx context.Context, opt Options) (*Report, error) {
	start := time.Now()
	tg, err := open(ctx, opt)
	if err != nil {
		return nil, err
	}
	defer tg.close()
	return run(ctx, opt, tg, start)
}

// run deploys to an opened target.
func run(ctx context.Context, opt Options, tg target, start time.Time) (*Report, error) {
	inv, err := tg.inventory(ctx)
	if err != nil {
		return nil, err
	}
	files, err := scan(opt.Site, tg.md5(), opt.HashCache, func(done, total int) {
		if opt.Progress != nil {
			opt.Progress(Progress{Step: StepHash, Done: done, Total: total})
		}
	})
	if err != nil {
		return nil, siteError(opt.Target, err)
	}
	plan := makePlan(opt.Target, files, inv, opt.NoDelete)
	rep := &Report{Plan: plan}
	if opt.DryRun {
		rep.Took = time.Since(start)
		return rep, nil
	}
	d := &deployer{opt: opt, tg: tg, plan: plan, inv: inv, files: files}
	if err := d.run(ctx, rep); err != nil {
		return rep, err
	}
	rep.Took = time.Since(start)
	return rep, nil
}

func open(ctx context.Context, opt Options) (target, error) {
	switch opt.Target.Kind {
	case config.DeployS3:
		return openS3(ctx, opt)
	case config.DeploySFTP:
		return openSFTP(ctx, opt)
	case config.DeployFile:
		return openFile(opt)
	}
	return nil, fail(opt.Target, "部署目标 %s 的种类未知", "deploy target %s is of an unknown kind", opt.Target.Name).
		WithHint("地址以 s3://、sftp:// 或 file:// 开头", "the address starts with s3://, sftp:// or file://")
}

// makePlan compares the built files with what the target holds.
func makePlan(t config.Deploy, files []File, inv *inventory, noDelete bool) *Plan {
	p := &Plan{Target: t, Files: len(files), First: inv.manifest == nil}
	built := make(map[string]bool, len(files))
	for _, f := range files {
		built[f.Name] = true
		h, ok := inv.held[f.Name]
		if ok && h.same(f) {
			p.Unchanged++
			continue
		}
		p.Uploads = append(p.Uploads, Upload{File: f, New: !ok})
		p.Bytes += f.Size
	}
	ours := map[string]bool{}
	if inv.manifest != nil {
		for name := range inv.manifest.Files {
			ours[name] = true
			if built[name] {
				continue
			}
			if _, there := inv.held[name]; inv.listed && !there {
				continue // already gone
			}
			if noDelete {
				p.Kept = append(p.Kept, name)
			} else {
				p.Deletes = append(p.Deletes, name)
			}
		}
	}
	if inv.listed {
		for name := range inv.held {
			if !built[name] && !ours[name] && name != ManifestName {
				p.Foreign = append(p.Foreign, name)
			}
		}
	}
	sort.Strings(p.Deletes)
	sort.Strings(p.Kept)
	sort.Strings(p.Foreign)
	return p
}

// deployer carries out a plan.
type deployer struct {
	opt   Options
	tg    target
	plan  *Plan
	inv   *inventory
	files []File

	mu       sync.Mutex
	state    *Manifest // what the target is known to hold, as a manifest
	saved    int       // uploads when state was last written
	uploaded int
	bytes    int64
}

// saveEvery is how many uploads pass between two writes of the manifest
// during a long deploy, so that an interrupted one resumes near where it
// stopped.
const saveEvery = 2000

func (d *deployer) run(ctx context.Context, rep *Report) error {
	p := d.plan
	d.state = newManifest()
	if d.inv.manifest != nil {
		d.state = d.inv.manifest.clone()
	}
	// Files of an earlier deploy stay the deploy's while they are there;
	// built files already on the target with the right bytes become its
	// own.
	if d.inv.listed {
		for name := range d.state.Files {
			if _, ok := d.inv.held[name]; !ok {
				delete(d.state.Files, name)
			}
		}
	}
	for _, f := range d.files {
		if h, ok := d.inv.held[f.Name]; ok && h.same(f) {
			d.state.Files[f.Name] = Entry{Size: f.Size, SHA256: f.SHA256}
		}
	}
	need := int64(0)
	for _, u := range p.Uploads {
		if old, ok := d.inv.held[u.Name]; ok {
			need += max(0, u.Size-old.size)
		} else {
			need += u.Size
		}
	}
	if len(p.Uploads) > 0 || len(p.Deletes) > 0 || d.inv.manifest == nil {
		if err := d.tg.prepare(ctx, need+int64(len(d.state.encode()))+p.Bytes/100); err != nil {
			return err
		}
	}
	defer func() {
		rep.Uploaded, rep.Bytes = d.uploaded, d.bytes
	}()
	// Upload phase by phase.
	total := len(p.Uploads)
	for _, batch := range phases(p.Uploads) {
		if err := d.upload(ctx, batch, total); err != nil {
			d.saveAfterFailure()
			return err
		}
	}
	// Delete only now that every upload succeeded.
	if len(p.Deletes) > 0 {
		if err := d.save(ctx); err != nil {
			return err
		}
		if err := d.delete(ctx, p.Deletes, rep); err != nil {
			d.saveAfterFailure()
			return err
		}
	}
	final := d.state.encode()
	if string(final) != string(d.inv.manifestRaw) {
		return d.save(ctx)
	}
	return nil
}

// phases splits uploads, which are in order, into batches that run one
// after the other (the files of a batch go up at once): one per phase, and
// within the pages one per depth, deepest first, so that a page goes up
// only after the pages it links down to; build.json, which says the
// deploy is whole, alone at the end.
func phases(ups []Upload) [][]Upload {
	key := func(u Upload) [3]int {
		k := [3]int{int(u.Phase)}
		switch {
		case u.Phase == PhasePages:
			k[1] = -strings.Count(u.Name, "/")
		case u.Name == "build.json":
			k[2] = 1
		}
		return k
	}
	var out [][]Upload
	for i := 0; i < len(ups); {
		j := i
		for j < len(ups) && key(ups[j]) == key(ups[i]) {
			j++
		}
		out = append(out, ups[i:j])
		i = j
	}
	return out
}

func (d *deployer) upload(ctx context.Context, batch []Upload, total int) error {
	g, gctx := errgroup.WithContext(ctx)
	n := d.opt.Workers
	if n <= 0 {
		n = d.tg.workers()
	}
	g.SetLimit(n)
	for _, u := range batch {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			data, err := fs.ReadFile(d.opt.Site, u.Name)
			if err != nil {
				return siteError(d.opt.Target, err)
			}
			if int64(len(data)) != u.Size {
				return fail(d.opt.Target, "%s 在上传时变了：网站正在重新生成吗？", "%s changed while being uploaded: is the site being rebuilt?", u.Name).
					WithHint("等 gongkai build 结束后再运行 gongkai deploy", "run gongkai deploy again once gongkai build has finished")
			}
			if err := d.tg.put(gctx, u.Name, data, u.MD5); err != nil {
				return err
			}
			d.mu.Lock()
			d.state.Files[u.Name] = Entry{Size: u.Size, SHA256: u.SHA256}
			d.uploaded++
			d.bytes += u.Size
			done, bytes := d.uploaded, d.bytes
			due := done-d.saved >= saveEvery
			if d.opt.Progress != nil {
				d.opt.Progress(Progress{Step: StepUpload, Done: done, Total: total, Bytes: bytes, TotalBytes: d.plan.Bytes})
			}
			d.mu.Unlock()
			if due {
				return d.save(gctx)
			}
			return nil
		})
	}
	err := g.Wait()
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil {
		return d.interrupted(err)
	}
	return nil
}

func (d *deployer) delete(ctx context.Context, names []string, rep *Report) error {
	g, gctx := errgroup.WithContext(ctx)
	n := d.opt.Workers
	if n <= 0 {
		n = d.tg.workers()
	}
	g.SetLimit(n)
	for _, name := range names {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if err := d.tg.remove(gctx, name); err != nil {
				return err
			}
			d.mu.Lock()
			delete(d.state.Files, name)
			rep.Deleted++
			if d.opt.Progress != nil {
				d.opt.Progress(Progress{Step: StepDelete, Done: rep.Deleted, Total: len(names)})
			}
			d.mu.Unlock()
			return nil
		})
	}
	err := g.Wait()
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	return err
}

// save writes the manifest of what the target now holds.
func (d *deployer) save(ctx context.Context) error {
	d.mu.Lock()
	data := d.state.encode()
	d.saved = d.uploaded
	d.mu.Unlock()
	return d.tg.put(ctx, ManifestName, data, md5Hex(data))
}

// saveAfterFailure records, when the target still answers, what the
// failed deploy did manage to send, so that the next run sends only the
// rest.
func (d *deployer) saveAfterFailure() {
	d.mu.Lock()
	n := d.uploaded
	d.mu.Unlock()
	if n == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = d.save(ctx)
}

// interrupted turns a cancelled deploy's error into the message that says
// what happened.
func (d *deployer) interrupted(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		d.mu.Lock()
		done := d.uploaded
		d.mu.Unlock()
		return fail(d.opt.Target, "部署中断：%d 个文件中已上传 %d 个，目标上没有删除任何文件", "deploy interrupted: %d of %d files uploaded, nothing deleted on the target",
			len(d.plan.Uploads), done).
			WithHint("再运行一次 gongkai deploy 就会补完", "run gongkai deploy again to complete it")
	}
	return err
}

// fail returns a diagnostic about target t.
func fail(t config.Deploy, zh, en string, args ...any) diag.Diagnostic {
	return diag.Errorf(t.Pos, zh, en, args...)
}

// siteError explains a problem with the built site itself.
func siteError(t config.Deploy, err error) error {
	var nr *notRegularError
	var rs *reservedError
	switch {
	case errors.As(err, &nr):
		return fail(t, "网站文件夹里的 %s 不是普通文件（符号链接？）：gongkai 不会生成这样的文件，没有上传", "%s in the site folder is not a regular file (a symbolic link?): gongkai never makes one; nothing was uploaded", nr.name).
			WithHint("删掉网站文件夹，重新运行 gongkai build", "delete the site folder and run gongkai build again")
	case errors.As(err, &rs):
		return fail(t, "网站文件夹里不应有 %s：这个名字留给部署记录", "the site folder must not hold %s: the name is kept for the deploy's record", rs.name).
			WithHint("删掉网站文件夹，重新运行 gongkai build", "delete the site folder and run gongkai build again")
	}
	return fail(t, "读不了生成的网站：%v", "cannot read the built site: %v", err).
		WithHint("重新运行 gongkai build", "run gongkai build again").Wrap(err)
}

// Format renders a byte count for people: 1.2 MB.
func Format(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f KB", float64(n)/1000)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1000/1000)
	}
	return fmt.Sprintf("%.2f GB", float64(n)/1000/1000/1000)
}
