package deploy

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"gongkai/generator/config"
)

// tmpSuffix marks a file being written; it replaces its final name only
// once it is complete.
const tmpSuffix = ".gongkai-tmp"

// tmpName is the temporary name of name while it is written, in the same
// folder so that the rename never crosses a file system.
func tmpName(name string) string {
	dir, base := path.Split(name)
	return dir + "." + base + tmpSuffix
}

// fileTarget is a folder on this computer, reached through os.Root so that
// no name and no symbolic link in it leads outside.
type fileTarget struct {
	t    config.Deploy
	dir  string
	root *os.Root // nil while the folder does not exist

	mu   sync.Mutex
	dirs map[string]bool
}

func openFile(opt Options) (target, error) {
	t := opt.Target
	dir := filepath.FromSlash(t.Path)
	if runtime.GOOS != "windows" && len(t.Path) >= 2 && t.Path[1] == ':' {
		return nil, fail(t, "%s 是 Windows 的路径，这台电脑上没有", "%s is a Windows path; this computer has none", t.Path).
			WithHint("在这台电脑上写成 file:///某个/文件夹", "on this computer write file:///some/folder")
	}
	ft := &fileTarget{t: t, dir: dir, dirs: map[string]bool{}}
	st, err := os.Stat(dir)
	switch {
	case err == nil && !st.IsDir():
		return nil, fail(t, "%s 是文件，不是文件夹", "%s is a file, not a folder", dir).
			WithHint("在 site.toml 的地址里写一个文件夹", "name a folder in the address in site.toml")
	case err == nil:
		root, err := os.OpenRoot(dir)
		if err != nil {
			return nil, ft.osError(err, dir)
		}
		ft.root = root
	case errors.Is(err, fs.ErrNotExist):
		parent := filepath.Dir(dir)
		if pst, err := os.Stat(parent); err != nil || !pst.IsDir() {
			return nil, fail(t, "找不到文件夹 %s（%s 的上一级）", "folder %s (the parent of %s) not found", parent, dir).
				WithHint("检查 site.toml 里的地址；用 U 盘时，先插好 U 盘", "check the address in site.toml; for a USB stick, plug it in first")
		}
	default:
		return nil, ft.osError(err, dir)
	}
	return ft, nil
}

func (ft *fileTarget) workers() int { return 4 }
func (ft *fileTarget) md5() bool    { return false }

func (ft *fileTarget) close() error {
	if ft.root != nil {
		return ft.root.Close()
	}
	return nil
}

func (ft *fileTarget) inventory(ctx context.Context) (*inventory, error) {
	inv := &inventory{held: map[string]held{}, listed: true}
	if ft.root == nil {
		return inv, nil
	}
	fsys := ft.root.FS()
	if b, err := fs.ReadFile(fsys, ManifestName); err == nil {
		m, err := ParseManifest(b)
		if err != nil {
			return nil, badManifest(ft.t, err)
		}
		inv.manifest, inv.manifestRaw = m, b
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, ft.osError(err, ManifestName)
	}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d.IsDir() || name == ManifestName || strings.HasSuffix(name, tmpSuffix) {
			return nil
		}
		if !d.Type().IsRegular() {
			inv.held[name] = held{size: -1} // never the same as a built file: replaced, never followed
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		h := held{size: info.Size()}
		if e, ok := inv.manifest.entry(name); ok && e.Size == h.size {
			h.sha256 = e.SHA256 // trusted when the size agrees: hashing a USB stick every time is slow
		} else if h.sha256, err = hashOf(fsys, name); err != nil {
			return err
		}
		inv.held[name] = h
		return nil
	})
	if err != nil {
		return nil, ft.osError(err, ft.dir)
	}
	return inv, nil
}

func (m *Manifest) entry(name string) (Entry, bool) {
	if m == nil {
		return Entry{}, false
	}
	e, ok := m.Files[name]
	return e, ok
}

func hashOf(fsys fs.FS, name string) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (ft *fileTarget) prepare(ctx context.Context, need int64) error {
	if ft.root == nil {
		if err := os.Mkdir(ft.dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return ft.osError(err, ft.dir)
		}
		root, err := os.OpenRoot(ft.dir)
		if err != nil {
			return ft.osError(err, ft.dir)
		}
		ft.root = root
	}
	if free, ok := diskFree(ft.dir); ok && free < uint64(need) {
		return diskFull(ft.t, ft.dir, need, int64(free))
	}
	// Can files be written here at all? A probe, removed at once.
	probe := "." + tmpSuffix[1:] + "-probe"
	if err := ft.root.WriteFile(probe, []byte("gongkai"), 0o644); err != nil {
		return ft.osError(err, ft.dir)
	}
	if err := ft.root.Remove(probe); err != nil {
		return ft.osError(err, ft.dir)
	}
	return nil
}

func (ft *fileTarget) mkdirs(dir string) error {
	if dir == "." {
		return nil
	}
	ft.mu.Lock()
	made := ft.dirs[dir]
	ft.mu.Unlock()
	if made {
		return nil
	}
	if err := ft.root.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	ft.mu.Lock()
	ft.dirs[dir] = true
	ft.mu.Unlock()
	return nil
}

func (ft *fileTarget) put(ctx context.Context, name string, data []byte, _ string) error {
	if err := ft.mkdirs(path.Dir(name)); err != nil {
		return ft.osError(err, name)
	}
	tmp := tmpName(name)
	if err := ft.root.WriteFile(tmp, data, 0o644); err != nil {
		_ = ft.root.Remove(tmp)
		return ft.osError(err, name)
	}
	if err := ft.root.Rename(tmp, name); err != nil {
		_ = ft.root.Remove(tmp)
		return ft.osError(err, name)
	}
	return nil
}

func (ft *fileTarget) remove(ctx context.Context, name string) error {
	if err := ft.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return ft.osError(err, name)
	}
	// Folders left empty go too; one still in use refuses, as it should.
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		if ft.root.Remove(dir) != nil {
			break
		}
		ft.mu.Lock()
		delete(ft.dirs, dir)
		ft.mu.Unlock()
	}
	return nil
}

// osError explains an error of the local file system.
func (ft *fileTarget) osError(err error, name string) error {
	t := ft.t
	switch {
	case errors.Is(err, fs.ErrPermission):
		return fail(t, "没有权限写入 %s", "no permission to write %s", filepath.Join(ft.dir, filepath.FromSlash(name))).
			WithHint("换一个你能写的文件夹，或请管理员给这个文件夹写权限", "use a folder you can write to, or ask the administrator for write access").Wrap(err)
	case isDiskFull(err):
		free, _ := diskFree(ft.dir)
		return fail(t, "%s 所在的磁盘已满（剩 %s）", "the disk of %s is full (%s left)", ft.dir, Format(int64(free))).
			WithHint("腾出空间或换一个更大的 U 盘，再运行一次 gongkai deploy；已传的文件会保留，网站上没有删除任何文件", "free some space or use a larger stick, then run gongkai deploy again; files already copied stay and nothing was deleted").Wrap(err)
	case isReadOnly(err):
		return fail(t, "%s 是只读的", "%s is read-only", ft.dir).
			WithHint("U 盘的写保护开关是否打开了？", "is the stick's write-protect switch on?").Wrap(err)
	}
	return fail(t, "写入 %s 失败：%v", "writing %s failed: %v", name, err).
		WithHint("检查这个文件夹能否写入，再运行 gongkai deploy；没有删除任何文件", "check that the folder can be written, then run gongkai deploy again; nothing was deleted").Wrap(err)
}

func md5Hex(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}
