// Package sitediff compares a published site with a fresh build of its
// content: `gongkai verify --site`. Builds are reproducible (same content,
// same date, same settings, same bytes), so every file of a site that was
// altered, lost or slipped in is found and named. The site is an fs.FS
// (see package sitefs): a folder, a copy on a USB stick, or the live
// website, which cannot be listed: files added there are found through
// the deploy's deploy.json and the sitemap, which name the site's files.
package sitediff

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"slices"
	"sort"
	"sync"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/deploy"
	"gongkai/generator/diag"
	"gongkai/generator/history"
)

// Report says how a site differs from a fresh build of its content.
type Report struct {
	Date    time.Time // the build date compared with
	Files   int       // files of the fresh build
	Differ  []string  // in both, with other bytes
	Missing []string  // built, but not in the site
	Added   []string  // in the site, but not built
	// Listed reports whether the site's files could be listed, and so
	// Added found; a web site cannot be listed. ListedFrom names the files
	// of the site that named its files instead (deploy.json, the sitemap),
	// whose files beyond the build are then Added.
	Listed     bool
	ListedFrom []string
}

// OK reports whether the site matches the fresh build.
func (r *Report) OK() bool { return len(r.Differ)+len(r.Missing)+len(r.Added) == 0 }

// Compare builds the content of opt afresh with the date, base URL and
// offline setting that the site's build.json records (opt.Today, when
// set, overrides the date) and compares every file of the build with the
// site. The fresh build is compared file by file as it is made, never
// held in memory whole. The report is nil when the site cannot be
// compared; the diagnostics say why (the content's own errors among
// them).
func Compare(opt build.Options, site fs.FS) (*Report, diag.List) {
	pos := diag.Position{File: history.BuildJSON}
	b, err := fs.ReadFile(site, history.BuildJSON)
	switch {
	case err == nil:
		var info history.BuildInfo
		if err := json.Unmarshal(b, &info); err != nil {
			return nil, diag.List{diag.Errorf(pos, "网站的 build.json 无法读取：%v", "the site's build.json is unreadable: %v", err).Wrap(err)}
		}
		if opt.Today.IsZero() {
			t, err := time.Parse(time.DateOnly, info.Date)
			if err != nil {
				return nil, diag.List{diag.Errorf(pos, "网站的 build.json 里的日期 %q 无效", "the site's build.json has an invalid date %q", info.Date).Wrap(err)}
			}
			opt.Today = t
		}
		opt.BaseURL, opt.Offline = info.BaseURL, info.Offline
	case opt.Today.IsZero():
		return nil, diag.List{diag.Errorf(pos, "网站里没有 build.json，不知道生成日期", "the site has no build.json, so its build date is unknown").
			WithHint("用 --date 指定生成日期", "give the build date with --date").Wrap(err)}
	}
	opt.Reload, opt.Progress = false, nil
	out := &compare{site: site}
	res, ds, err := build.To(opt, out)
	if err != nil || res == nil {
		if err != nil {
			ds.Add(diag.Errorf(diag.Position{}, "无法重新生成网站来比较：%v", "cannot rebuild the site to compare it: %v", err).Wrap(err))
		} else if !ds.HasErrors() {
			ds.Add(diag.Errorf(diag.Position{}, "无法重新生成网站来比较", "cannot rebuild the site to compare it"))
		}
		return nil, ds
	}
	r := &Report{Date: build.Today(opt, res.Board), Files: len(res.Files), Differ: out.differ, Missing: out.missing}
	built := make(map[string]bool, len(res.Files))
	for _, name := range res.Files {
		built[name] = true
	}
	err = fs.WalkDir(site, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && build.Kept(p) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && !built[p] && p != deploy.ManifestName {
			r.Added = append(r.Added, p)
		}
		return nil
	})
	r.Listed = err == nil
	if err != nil {
		// A web site: the files that its deploy.json and sitemap name
		// beyond the build are there when they can be opened.
		r.Added = nil
		base := opt.BaseURL
		if base == "" {
			base = res.Board.Site.BaseURL
		}
		listed, from, err := deploy.Listed(site, base)
		if err != nil {
			return nil, append(ds, diag.Errorf(diag.Position{}, "读不了网站上的文件清单：%v", "cannot read the site's list of files: %v", err).Wrap(err))
		}
		r.ListedFrom = from
		for _, name := range listed {
			if built[name] || build.Kept(name) {
				continue
			}
			if _, err := fs.Stat(site, name); err == nil {
				r.Added = append(r.Added, name)
			}
		}
	}
	for _, l := range []*[]string{&r.Differ, &r.Missing, &r.Added} {
		sort.Strings(*l)
		*l = slices.Compact(*l) // a file the build writes twice is counted once
	}
	return r, ds
}

// compare is the Output of the fresh build: it compares each file with
// the site's.
type compare struct {
	site            fs.FS
	mu              sync.Mutex
	differ, missing []string
}

func (c *compare) WriteFile(name string, data []byte) error {
	have, err := fs.ReadFile(c.site, name)
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		c.missing = append(c.missing, name)
	case err != nil || !bytes.Equal(have, data):
		c.differ = append(c.differ, name)
	}
	return nil
}

func (c *compare) Remove(string) error { return nil }
