package diag

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

func TestSysError(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the errno values below are Unix ones; windowsKind is tested on its own")
	}
	wrap := func(op, path string, errno syscall.Errno) error {
		return fmt.Errorf("build: %w", &fs.PathError{Op: op, Path: path, Err: errno})
	}
	tests := []struct {
		err        error
		zh, en, hz string
	}{
		{wrap("write", "public/big.txt", syscall.ENOSPC), "写入 public/big.txt 时出错：磁盘已满", "writing public/big.txt failed: the disk is full", "腾出空间"},
		{wrap("open", "content/site.toml", syscall.EACCES), "打开 content/site.toml 时出错：没有权限", "opening content/site.toml failed: permission denied", "只读"},
		{wrap("mkdir", "public", syscall.EROFS), "创建文件夹 public 时出错：磁盘是只读的（如开了写保护的 U 盘）", "creating the folder public failed: the disk is read-only (a write-protected USB stick?)", "写保护"},
		{wrap("rename", "a", syscall.ENAMETOOLONG), "改名 a 时出错：路径太长", "renaming a failed: the path is too long", "D:\\公开栏"},
		{&os.LinkError{Op: "rename", Old: "a", New: "b", Err: syscall.EBUSY}, "改名 a → b 时出错：文件正被其他程序打开", "renaming a → b failed: the file is open in another program", "Excel"},
		{fmt.Errorf("serve: %w", &os.SyscallError{Syscall: "bind", Err: syscall.EADDRINUSE}), "这个端口已被占用（也许另一个 gongkai serve 还开着）", "the port is in use (perhaps another gongkai serve is still running)", "--port 1314"},
		{errors.New("模板里缺少页面布局"), "模板里缺少页面布局", "模板里缺少页面布局", ""},
		{errors.New("render: template: page.html:3: unexpected EOF"), "出现了意外的错误", "render: template: page.html:3: unexpected EOF", "--lang en"},
	}
	for _, tt := range tests {
		msg, hint := SysError(tt.err)
		if msg.Zh != tt.zh || msg.En != tt.en || !strings.Contains(hint.Zh, tt.hz) {
			t.Errorf("%v:\n got %q / %q / %q\nwant %q / %q / …%q…", tt.err, msg.Zh, msg.En, hint.Zh, tt.zh, tt.en, tt.hz)
		}
		if hint.Zh != "" && hint.En == "" {
			t.Errorf("%v: no English hint", tt.err)
		}
	}
}

// TestSysErrorDiskFull writes to /dev/full, which fails as a full disk
// does.
func TestSysErrorDiskFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	err := os.WriteFile("/dev/full", []byte("公开"), 0o644)
	if err == nil {
		t.Fatal("writing /dev/full succeeded")
	}
	msg, hint := SysError(err)
	if msg.Zh != "写入 /dev/full 时出错：磁盘已满" || !strings.Contains(hint.Zh, "腾出空间") {
		t.Errorf("got %q / %q", msg.Zh, hint.Zh)
	}
}

func TestWindowsKind(t *testing.T) {
	for code, want := range map[uintptr]sysKind{
		32: sysInUse, 33: sysInUse, 112: sysDiskFull, 39: sysDiskFull, 5: sysPermission,
		2: sysNotExist, 19: sysReadOnly, 206: sysNameTooLong, 10048: sysAddrInUse, 87: sysOther,
	} {
		if got := windowsKind(code); got != want {
			t.Errorf("windows error %d: kind %d, want %d", code, got, want)
		}
	}
}

func TestSys(t *testing.T) {
	d := Sys(Position{File: "ledger.jsonl"}, "无法读取账本：", "cannot read the ledger: ", &fs.PathError{Op: "read", Path: "x", Err: syscall.EIO})
	if got := d.Format(Zh); got != "ledger.jsonl: 错误：无法读取账本：磁盘读写出错（U 盘或硬盘可能有问题）\n    提示：请换一个位置或换一个 U 盘再试" {
		t.Errorf("got %q", got)
	}
	if !errors.Is(d, syscall.EIO) {
		t.Error("the cause is lost")
	}
}
