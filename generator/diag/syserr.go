package diag

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"unicode"
)

// sysKind is what went wrong in an error of the operating system.
type sysKind int

const (
	sysOther sysKind = iota
	sysDiskFull
	sysPermission
	sysInUse // held open or locked by another program (Windows)
	sysNotExist
	sysExist
	sysReadOnly
	sysNameTooLong
	sysTooManyFiles
	sysIO
	sysNotDir
	sysIsDir
	sysAddrInUse
)

// Windows error codes that a clerk meets (winerror.h).
const (
	winFileNotFound     = 2
	winPathNotFound     = 3
	winTooManyOpenFiles = 4
	winAccessDenied     = 5
	winWriteProtect     = 19
	winCRC              = 23
	winSharingViolation = 32
	winLockViolation    = 33
	winHandleDiskFull   = 39
	winFileExists       = 80
	winDiskFull         = 112
	winInvalidName      = 123
	winAlreadyExists    = 183
	winFilenameTooLong  = 206
	winUserMappedFile   = 1224
	wsaAddrInUse        = 10048
)

// windowsKind classifies a Windows error code.
func windowsKind(code uintptr) sysKind {
	switch code {
	case winDiskFull, winHandleDiskFull:
		return sysDiskFull
	case winAccessDenied:
		return sysPermission
	case winSharingViolation, winLockViolation, winUserMappedFile:
		return sysInUse
	case winFileNotFound, winPathNotFound, winInvalidName:
		return sysNotExist
	case winFileExists, winAlreadyExists:
		return sysExist
	case winWriteProtect:
		return sysReadOnly
	case winFilenameTooLong:
		return sysNameTooLong
	case winTooManyOpenFiles:
		return sysTooManyFiles
	case winCRC:
		return sysIO
	case wsaAddrInUse:
		return sysAddrInUse
	}
	return sysOther
}

// opWords names what was being done, as os.PathError's Op says it.
func opWords(op string) Text {
	switch strings.TrimSuffix(op, "at") {
	case "open", "CreateFile":
		return Text{"打开", "opening"}
	case "read", "ReadFile":
		return Text{"读取", "reading"}
	case "write", "WriteFile":
		return Text{"写入", "writing"}
	case "mkdir":
		return Text{"创建文件夹", "creating the folder"}
	case "rename", "MoveFileEx":
		return Text{"改名", "renaming"}
	case "remove", "unlink", "rmdir", "DeleteFile", "RemoveDirectory":
		return Text{"删除", "deleting"}
	case "link", "symlink", "CreateHardLink":
		return Text{"建立链接", "linking"}
	case "stat", "lstat", "fstat", "GetFileAttributesEx", "GetFileType":
		return Text{"查看", "looking at"}
	case "close":
		return Text{"保存", "closing"}
	case "sync", "fsync", "FlushFileBuffers":
		return Text{"存盘", "saving to disk"}
	case "readdir", "readdirent", "getdents", "FindFirstFile", "FindNextFile":
		return Text{"读取文件夹", "reading the folder"}
	case "chmod", "chtimes", "utimes":
		return Text{"修改属性", "changing the attributes of"}
	case "truncate", "seek":
		return Text{"写入", "writing"}
	}
	return Text{"处理", "handling"}
}

// SysError describes err, an error of the operating system, in plain
// words: what was being done to which file, what went wrong (a full disk,
// a refused permission, a file held open by another program …) and how to
// fix it. An error that does not come from the system is called
// unexpected in Chinese and keeps its own text in English.
func SysError(err error) (msg, hint Text) {
	if err == nil {
		return Text{}, Text{}
	}
	what := Text{}
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		op := opWords(pe.Op)
		what = Text{fmt.Sprintf("%s %s 时出错：", op.Zh, pe.Path), fmt.Sprintf("%s %s failed: ", op.En, pe.Path)}
	case errors.As(err, &le):
		op := opWords(le.Op)
		what = Text{fmt.Sprintf("%s %s → %s 时出错：", op.Zh, le.Old, le.New), fmt.Sprintf("%s %s → %s failed: ", op.En, le.Old, le.New)}
	}
	m, h := SysReason(err)
	return Text{what.Zh + m.Zh, what.En + m.En}, h
}

// SysReason is SysError without the operation and the path: only what
// went wrong and how to fix it, for a diagnostic that names the file
// already.
func SysReason(err error) (msg, hint Text) {
	if err == nil {
		return Text{}, Text{}
	}
	switch sysKindOf(err) {
	case sysDiskFull:
		return Text{"磁盘已满", "the disk is full"},
			Text{"请删除不需要的文件腾出空间，或换一个空间足够的磁盘，然后再运行一次", "free some space (delete files you do not need) or use another disk, then run it again"}
	case sysPermission:
		return Text{"没有权限", "permission denied"},
			Text{"请确认这个文件或文件夹没有设为只读、当前用户可以修改它；必要时请电脑管理员帮忙", "make sure the file or folder is not read-only and that you may change it; ask the computer's administrator if needed"}
	case sysInUse:
		return Text{"文件正被其他程序打开", "the file is open in another program"},
			Text{"请在 Excel、WPS 或其他打开了它的程序里关闭这个文件，然后再运行一次", "close the file in Excel, WPS or whatever program has it open, then run it again"}
	case sysNotExist:
		return Text{"找不到这个文件或文件夹", "no such file or folder"}, Text{"请检查名称和位置是否写对", "check the name and the place"}
	case sysExist:
		return Text{"已经有同名的文件或文件夹", "a file or folder of that name already exists"},
			Text{"请换一个名称，或先把原来的移走", "choose another name, or move the old one away first"}
	case sysReadOnly:
		return Text{"磁盘是只读的（如开了写保护的 U 盘）", "the disk is read-only (a write-protected USB stick?)"},
			Text{"请关掉写保护，或换一个可以写入的位置", "turn write protection off or use another place"}
	case sysNameTooLong:
		return Text{"路径太长", "the path is too long"},
			Text{"请把项目文件夹放到较短的路径下（如 D:\\公开栏），或缩短文件名", "move the project to a shorter path (such as D:\\board) or shorten the names"}
	case sysTooManyFiles:
		return Text{"同时打开的文件太多", "too many files are open"}, Text{"请关闭其他程序后再运行一次", "close other programs and run it again"}
	case sysIO:
		return Text{"磁盘读写出错（U 盘或硬盘可能有问题）", "the disk could not be read or written (the USB stick or disk may be failing)"},
			Text{"请换一个位置或换一个 U 盘再试", "try another place or another USB stick"}
	case sysNotDir:
		return Text{"路径中有一段是文件而不是文件夹", "part of the path is a file, not a folder"}, Text{"请检查路径", "check the path"}
	case sysIsDir:
		return Text{"这是一个文件夹，不是文件", "this is a folder, not a file"}, Text{"请检查路径", "check the path"}
	case sysAddrInUse:
		return Text{"这个端口已被占用（也许另一个 gongkai serve 还开着）", "the port is in use (perhaps another gongkai serve is still running)"},
			Text{"关掉另一个预览窗口，或用 --port 换一个端口，如 --port 1314", "stop the other preview, or choose another port with --port, e.g. --port 1314"}
	}
	if plainChinese(err.Error()) {
		return Text{err.Error(), err.Error()}, Text{}
	}
	return Text{"出现了意外的错误", rootCause(err)},
		Text{"请加上 --lang en 再运行一次，把显示的详细信息告诉维护这个程序的人", "report this message to the program's maintainers"}
}

// Sys returns an error diagnostic at pos: what failed (zh, en: "无法读取：",
// "cannot read: ") and why, in plain words, with the fix as its hint.
func Sys(pos Position, zh, en string, err error) Diagnostic {
	msg, hint := SysReason(err)
	return Diagnostic{Pos: pos, Severity: Error, Msg: Text{zh + msg.Zh, en + msg.En}, Hint: hint, Cause: err}
}

// rootCause returns the text of the innermost error.
func rootCause(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err.Error()
		}
		err = u
	}
}

// plainChinese reports whether s holds no ASCII word of three or more
// letters: a message of gongkai's own, already in Chinese.
func plainChinese(s string) bool {
	run := 0
	han := false
	for _, r := range s {
		if r < 0x80 && unicode.IsLetter(r) {
			run++
			if run >= 3 {
				return false
			}
			continue
		}
		run = 0
		han = han || unicode.Is(unicode.Han, r)
	}
	return han
}
