package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"gongkai/generator/config"
	"gongkai/generator/deploy"
	"gongkai/generator/diag"
	"gongkai/generator/sitefs"
)

func cmdDeploy(e *env, args []string) int {
	fs := e.flags("deploy", "[--target NAME] [--dry-run] [--no-delete] [--build] [--site public] [--src content]",
		"把生成的网站上传到 site.toml 里 [[deploy]] 写的目标（S3 对象存储、SFTP 服务器或文件夹）。只传改动过的文件；全部上传成功后才删除不再生成的文件；中断后再运行一次即可补完。\n"+
			"Upload the built site to the [[deploy]] targets of site.toml (S3 storage, an SFTP server or a folder). Only changed files travel; files no longer built are deleted only after every upload succeeded; rerun to complete an interrupted deploy.")
	c := addCommon(fs)
	site := fs.String("site", "public", "生成的网站文件夹 / the built site")
	name := fs.String("target", "", "只部署到这个目标（[[deploy]] 的 name）/ deploy to this target only")
	dry := fs.Bool("dry-run", false, "只列出会上传和删除的文件，不改动目标 / list what would be uploaded and deleted, change nothing")
	noDelete := fs.Bool("no-delete", false, "保留目标上不再生成的文件 / keep files on the target that are no longer built")
	doBuild := fs.Bool("build", false, "先生成网站（同 gongkai build），成功后再部署 / build first, deploy only if the build succeeds")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !e.noArgs("deploy", pos) {
		return exitUsage
	}
	src, ok := e.srcFS(*c.src)
	if !ok {
		return exitUsage
	}
	defer src.Close()
	cfg, ds := config.Load(src.FS())
	if cfg == nil || ds.HasErrors() {
		e.report(ds)
		return exitContent
	}
	targets, code := e.deployTargets(cfg.Deploy, *name)
	if targets == nil {
		return code
	}
	if *doBuild {
		bargs := []string{"--src", src.Dir(), "--out", *site}
		if *c.date != "" {
			bargs = append(bargs, "--date", *c.date)
		}
		if code := cmdBuild(e, bargs); code != exitOK {
			e.say("生成失败，没有部署：目标上的网站没有改动。", "the build failed; nothing was deployed and the targets are unchanged.")
			return code
		}
	}
	siteFS, err := sitefs.Open(*site)
	if err != nil || sitefs.IsURL(*site) {
		e.say("找不到网站文件夹 %s。先运行 gongkai build。", "site folder %s not found; run gongkai build first.", *site)
		return exitContent
	}
	if err := deploy.CheckBuilt(siteFS, src.FS(), *site); err != nil {
		e.deployError(err)
		return exitContent
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	failed := 0
	for _, t := range targets {
		opt := deploy.Options{Site: siteFS, Target: t, Dir: filepath.Dir(src.Dir()), Content: src.Dir(), DryRun: *dry, NoDelete: *noDelete, HashCache: deploy.HashCache(*site)}
		end := e.deployProgress(&opt)
		rep, err := deploy.Run(ctx, opt)
		end()
		if err != nil {
			e.deployError(err)
			failed++
			if ctx.Err() != nil {
				break
			}
			continue
		}
		e.deployReport(rep, *dry)
	}
	if failed > 0 {
		return exitContent
	}
	return exitOK
}

// deployTargets picks the targets of this run.
func (e *env) deployTargets(all []config.Deploy, name string) ([]config.Deploy, int) {
	if len(all) == 0 {
		e.say("site.toml 里没有部署目标。请加上：\n\n[[deploy]]\nname = \"网站\"\nurl = \"sftp://用户@主机/srv/board\"   # 或 s3://存储桶/路径?endpoint=…&region=…，或 file:///D:/site",
			"site.toml has no deploy target. Add one:\n\n[[deploy]]\nname = \"site\"\nurl = \"sftp://user@host/srv/board\"   # or s3://bucket/prefix?endpoint=…&region=…, or file:///D:/site")
		return nil, exitContent
	}
	if name == "" {
		return all, exitOK
	}
	var names []string
	for _, t := range all {
		if t.Name == name {
			return []config.Deploy{t}, exitOK
		}
		names = append(names, t.Name)
	}
	e.say("site.toml 里没有名为 %q 的部署目标；有：%s", "site.toml has no deploy target named %q; there are: %s", name, strings.Join(names, ", "))
	if s := diag.Suggest(name, names); s != "" {
		e.say("是不是想写 --target %s？", "did you mean --target %s?", s)
	}
	return nil, exitUsage
}

// deployError prints an error of the deploy package.
func (e *env) deployError(err error) {
	var d diag.Diagnostic
	if errors.As(err, &d) {
		fmt.Fprintln(e.stderr, d.Format(e.lang))
		return
	}
	e.fail("部署失败：", "deploy failed: ", err)
}

func (e *env) deployReport(rep *deploy.Report, dry bool) {
	p := rep.Plan
	news := 0
	for _, u := range p.Uploads {
		if u.New {
			news++
		}
	}
	if dry {
		for _, u := range p.Uploads {
			if u.New {
				fmt.Fprintln(e.stdout, diag.T("上传（新）", "upload (new)").In(e.lang)+"  "+u.Name)
			} else {
				fmt.Fprintln(e.stdout, diag.T("上传（改）", "upload (changed)").In(e.lang)+"  "+u.Name)
			}
		}
		for _, n := range p.Deletes {
			fmt.Fprintln(e.stdout, diag.T("删除", "delete").In(e.lang)+"  "+n)
		}
		e.say("试运行 %s：会上传 %d 个文件（%s；新 %d 个、改 %d 个），删除 %d 个，%d 个不变。目标没有改动。",
			"dry run %s: would upload %d files (%s; %d new, %d changed), delete %d, leave %d as they are. Nothing was changed.",
			p.Target, len(p.Uploads), deploy.Format(p.Bytes), news, len(p.Uploads)-news, len(p.Deletes), p.Unchanged)
	} else {
		e.say("已部署到 %s：上传 %d 个文件（%s；新 %d 个、改 %d 个），删除 %d 个，%d 个不变，用时 %s。",
			"deployed to %s: uploaded %d files (%s; %d new, %d changed), deleted %d, %d as they were, in %s.",
			p.Target, rep.Uploaded, deploy.Format(rep.Bytes), news, len(p.Uploads)-news, rep.Deleted, p.Unchanged, rep.Took.Round(time.Millisecond))
	}
	if len(p.Kept) > 0 {
		e.say("按 --no-delete 保留了 %d 个不再生成的文件（下次不加 --no-delete 时删除）。", "kept %d files that are no longer built (--no-delete); a deploy without it deletes them.", len(p.Kept))
	}
	if len(p.Foreign) > 0 {
		show := p.Foreign[:min(len(p.Foreign), 5)]
		more := ""
		if len(p.Foreign) > len(show) {
			more = " …"
		}
		e.say("目标上另有 %d 个文件不是 gongkai 部署的，没有动它们：%s%s", "the target holds %d more files that gongkai did not deploy; they were left alone: %s%s",
			len(p.Foreign), strings.Join(show, ", "), more)
	}
}

// deployProgress draws a progress bar while a deploy runs, on a terminal
// only, at most a few times a second; it returns the function that ends
// it.
func (e *env) deployProgress(opt *deploy.Options) (end func()) {
	f, ok := e.stderr.(*os.File)
	if !ok {
		return func() {}
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return func() {}
	}
	var (
		mu    sync.Mutex
		drawn time.Time
	)
	opt.Progress = func(p deploy.Progress) {
		mu.Lock()
		defer mu.Unlock()
		if p.Total == 0 || (time.Since(drawn) < 150*time.Millisecond && p.Done < p.Total) {
			return
		}
		drawn = time.Now()
		fmt.Fprint(f, "\r\033[K"+progressLine(p, e.lang))
	}
	return func() {
		mu.Lock()
		defer mu.Unlock()
		if !drawn.IsZero() {
			fmt.Fprint(f, "\r\033[K")
		}
	}
}

// progressLine is one line of the progress bar.
func progressLine(p deploy.Progress, lang diag.Lang) string {
	const width = 24
	filled := 0
	if p.Total > 0 {
		filled = min(width, p.Done*width/p.Total)
	}
	bar := "[" + strings.Repeat("#", filled) + strings.Repeat("-", width-filled) + "]"
	switch p.Step {
	case deploy.StepHash:
		return diag.T("比较 %s %d/%d 个文件", "comparing %s %d/%d files", bar, p.Done, p.Total).In(lang)
	case deploy.StepDelete:
		return diag.T("删除 %s %d/%d 个文件", "deleting %s %d/%d files", bar, p.Done, p.Total).In(lang)
	}
	return diag.T("上传 %s %d/%d 个文件 %s/%s", "uploading %s %d/%d files %s/%s", bar, p.Done, p.Total, deploy.Format(p.Bytes), deploy.Format(p.TotalBytes)).In(lang)
}
