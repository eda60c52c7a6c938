package diag

import (
	"errors"
	"syscall"
)

// sysKindOf classifies an error of Windows by its error code.
func sysKindOf(err error) sysKind {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return windowsKind(uintptr(errno))
	}
	return sysOther
}
