//go:build !windows

package diag

import (
	"errors"
	"io/fs"
	"syscall"
)

// sysKindOf classifies an error of a Unix system by its errno.
func sysKindOf(err error) sysKind {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		switch {
		case errors.Is(err, fs.ErrPermission):
			return sysPermission
		case errors.Is(err, fs.ErrNotExist):
			return sysNotExist
		case errors.Is(err, fs.ErrExist):
			return sysExist
		}
		return sysOther
	}
	switch errno {
	case syscall.ENOSPC, syscall.EDQUOT:
		return sysDiskFull
	case syscall.EACCES, syscall.EPERM:
		return sysPermission
	case syscall.ETXTBSY, syscall.EBUSY:
		return sysInUse
	case syscall.ENOENT:
		return sysNotExist
	case syscall.EEXIST, syscall.ENOTEMPTY:
		return sysExist
	case syscall.EROFS:
		return sysReadOnly
	case syscall.ENAMETOOLONG:
		return sysNameTooLong
	case syscall.EMFILE, syscall.ENFILE:
		return sysTooManyFiles
	case syscall.EIO:
		return sysIO
	case syscall.ENOTDIR:
		return sysNotDir
	case syscall.EISDIR:
		return sysIsDir
	case syscall.EADDRINUSE:
		return sysAddrInUse
	}
	return sysOther
}
