package deploy

import (
	"encoding/json"
	"errors"
	"io/fs"
	"path"
	"strings"
	"time"

	"gongkai/generator/diag"
	"gongkai/generator/history"
	"gongkai/generator/ledger"
)

// CheckBuilt reports whether site, the output folder siteDir, is a
// complete build of the content folder as it is now, so that a deploy never
// publishes a half-written folder, a folder of something else, or a site
// older than the content. A build writes build.json and the ledger's
// checkpoint, and swaps its folder in whole only when it succeeded; so
// site is complete when build.json is there, and current when its
// checkpoint is the ledger's and no content file is newer than the folder.
func CheckBuilt(site, content fs.FS, siteDir string) error {
	var pos diag.Position
	rebuild := func(d diag.Diagnostic) diag.Diagnostic {
		return d.WithHint("先运行 gongkai build（或用 gongkai deploy --build 一步完成）", "run gongkai build first (or gongkai deploy --build, which does both)")
	}
	b, err := fs.ReadFile(site, history.BuildJSON)
	if errors.Is(err, fs.ErrNotExist) {
		return rebuild(diag.Errorf(pos, "%s 不是 gongkai 生成的完整网站：里面没有 build.json。没有部署", "%s is not a complete gongkai build: it has no build.json; nothing was deployed", siteDir))
	}
	if err != nil {
		return diag.Errorf(pos, "读不了 %s/build.json：%v", "cannot read %s/build.json: %v", siteDir, err).Wrap(err)
	}
	var info history.BuildInfo
	if err := json.Unmarshal(b, &info); err != nil || info.Generator != "gongkai" {
		return rebuild(diag.Errorf(pos, "%s/build.json 不是 gongkai 写的。没有部署", "%s/build.json was not written by gongkai; nothing was deployed", siteDir))
	}
	l, _ := ledger.Read(content)
	cp := l.Checkpoint()
	if info.Checkpoint.Size != cp.Size || info.Checkpoint.Hash != cp.Hash.String() {
		return rebuild(diag.Errorf(pos, "%s 是按账本的 %d 行生成的，账本现在有 %d 行（或内容不同）：网站不是最新的。没有部署",
			"%s was built from %d ledger lines and the ledger now has %d (or differs): the site is out of date; nothing was deployed",
			siteDir, info.Checkpoint.Size, cp.Size))
	}
	st, err := fs.Stat(site, ".")
	if err != nil {
		return diag.Errorf(pos, "读不了 %s：%v", "cannot read %s: %v", siteDir, err).Wrap(err)
	}
	built, now := st.ModTime(), time.Now().Add(time.Second)
	var newest string
	var when time.Time
	err = fs.WalkDir(content, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := path.Base(name)
		if name != "." && (strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~")) {
			if d.IsDir() {
				return fs.SkipDir // .git, editors' files: not content
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		// A time in the future (a file copied from a computer whose clock
		// is ahead) says nothing about the order of edit and build.
		if t := fi.ModTime(); t.After(built) && t.After(when) && !t.After(now) {
			newest, when = name, t
		}
		return nil
	})
	if err != nil {
		return diag.Errorf(pos, "读不了内容文件夹：%v", "cannot read the content folder: %v", err).Wrap(err)
	}
	if newest != "" {
		return rebuild(diag.Errorf(pos, "%[2]s 在 %[1]s 生成之后改过（%[3]s）：网站不是最新的。没有部署",
			"%[2]s changed after %[1]s was built (%[3]s): the site is out of date; nothing was deployed",
			siteDir, newest, when.Format("2006-01-02 15:04:05")))
	}
	return nil
}
