//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package deploy

import (
	"errors"
	"io/fs"
	"syscall"

	"golang.org/x/sys/unix"
)

// diskFree returns the bytes an unprivileged user may still write on the
// file system of dir.
func diskFree(dir string) (uint64, bool) {
	var st unix.Statfs_t
	if unix.Statfs(dir, &st) != nil {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true
}

func isDiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

func isReadOnly(err error) bool { return errors.Is(err, syscall.EROFS) }

// inode returns the file's inode number.
func inode(info fs.FileInfo) uint64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
