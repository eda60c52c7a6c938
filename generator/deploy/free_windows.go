package deploy

import (
	"errors"
	"io/fs"

	"golang.org/x/sys/windows"
)

// diskFree returns the bytes the user may still write on the drive of dir.
func diskFree(dir string) (uint64, bool) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, false
	}
	var free, total, totalFree uint64
	if windows.GetDiskFreeSpaceEx(p, &free, &total, &totalFree) != nil {
		return 0, false
	}
	return free, true
}

func isDiskFull(err error) bool {
	return errors.Is(err, windows.ERROR_DISK_FULL) || errors.Is(err, windows.ERROR_HANDLE_DISK_FULL)
}

func isReadOnly(err error) bool {
	return errors.Is(err, windows.ERROR_WRITE_PROTECT)
}

// inode is not told by Windows' FileInfo; size and time stand alone.
func inode(info fs.FileInfo) uint64 { return 0 }
