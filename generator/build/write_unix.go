//go:build unix

package build

import (
	"os"
	"syscall"
)

// writeFile writes a new output file with three system calls: the files of
// a site are many and small, and os.WriteFile's extra work per file (the
// poller, descriptor flags) showed in profiles of large builds. A file
// already there is removed first, never truncated: it may be a hard link
// to the previous build's copy, which must stay as it was.
func writeFile(name string, data []byte) error {
	const flags = syscall.O_WRONLY | syscall.O_CREAT | syscall.O_EXCL | syscall.O_CLOEXEC
	fd, err := syscall.Open(name, flags, 0o644)
	if err == syscall.EEXIST {
		if err := syscall.Unlink(name); err != nil {
			return &os.PathError{Op: "remove", Path: name, Err: err}
		}
		fd, err = syscall.Open(name, flags, 0o644)
	}
	if err != nil {
		return &os.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 {
		n, err := syscall.Write(fd, data)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			syscall.Close(fd)
			return &os.PathError{Op: "write", Path: name, Err: err}
		}
		data = data[n:]
	}
	if err := syscall.Close(fd); err != nil {
		return &os.PathError{Op: "close", Path: name, Err: err}
	}
	return nil
}
