package deploy

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/config"
	"gongkai/generator/deploy/deploytest"
	"gongkai/generator/internal/corpus"
	"gongkai/generator/sitefs"
)

// BenchmarkDeployEdit measures a deploy after one edit of a 10,000-record
// board to servers on this machine (sshd, SeaweedFS) and to a folder: the
// site is built and deployed once, then each iteration edits one record,
// rebuilds (not timed) and deploys (timed). It reports the files sent.
//
//	go test ./generator/deploy -run XXX -bench DeployEdit -benchtime 1x -timeout 60m
func BenchmarkDeployEdit(b *testing.B) {
	n := 10000
	if s := os.Getenv("GONGKAI_BENCH_RECORDS"); s != "" {
		fmt.Sscan(s, &n)
	}
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	board := corpus.FS(n, 1)
	var victim string
	for name := range board {
		if strings.HasPrefix(name, "disclosures/") && strings.HasSuffix(name, ".md") && (victim == "" || name < victim) {
			victim = name
		}
	}
	root := b.TempDir()
	public := filepath.Join(root, "public")
	rebuild := func(b *testing.B) {
		b.Helper()
		start := time.Now()
		res, ds, err := build.ToDir(build.Options{Src: board, Today: day}, public)
		if err != nil || res == nil {
			b.Fatalf("build: %v %v", err, ds)
		}
		b.Logf("built %d records, %d files in %s", res.Records, len(res.Files), time.Since(start).Round(time.Millisecond))
	}
	rebuild(b)
	edits := 0
	editOne := func(b *testing.B) {
		edits++
		text := string(board[victim].Data)
		board[victim] = &fstest.MapFile{Data: []byte(strings.Replace(text, "+++\n\n", fmt.Sprintf("+++\n\n第%d次更正。", edits), 1)), Mode: 0o644}
		rebuild(b)
	}
	for _, kind := range []string{"file", "sftp", "s3"} {
		b.Run(kind, func(b *testing.B) {
			opt := Options{}
			switch kind {
			case "file":
				dir := filepath.Join(b.TempDir(), "site")
				opt.Target = benchTarget(b, "file://"+dir)
			case "sftp":
				s := deploytest.StartSSHD(b)
				b.Setenv("SSH_AUTH_SOCK", "")
				opt.Target = benchTarget(b, s.URL(filepath.Join(s.Dir(b), "board")))
				opt.Target.Identity = s.Identity
				opt.KnownHosts = []string{s.KnownHosts}
			case "s3":
				s := deploytest.StartS3(b)
				s.Env(b, false)
				opt.Target = benchTarget(b, s.URL(s.Bucket(b), "board"))
			}
			site, err := sitefs.Open(public)
			if err != nil {
				b.Fatal(err)
			}
			opt.Site = site
			opt.HashCache = filepath.Join(b.TempDir(), "hashes.txt")
			start := time.Now()
			rep, err := Run(context.Background(), opt)
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("first deploy: %d files, %s in %s", rep.Uploaded, Format(rep.Bytes), time.Since(start).Round(time.Millisecond))
			sent := 0
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				editOne(b)
				b.StartTimer()
				// The build swapped in a new folder: open it again, as each
				// run of gongkai deploy does.
				if opt.Site, err = sitefs.Open(public); err != nil {
					b.Fatal(err)
				}
				rep, err := Run(context.Background(), opt)
				if err != nil {
					b.Fatal(err)
				}
				sent += rep.Uploaded
			}
			b.ReportMetric(float64(sent)/float64(b.N), "files-sent/op")
			b.ReportMetric(float64(rep.Plan.Files), "files-in-site")
		})
	}
}

func benchTarget(b *testing.B, url string) config.Deploy {
	b.Helper()
	t, err := config.ParseDeployURL(url)
	if err != nil {
		b.Fatal(err)
	}
	t.Name = "bench"
	return t
}
