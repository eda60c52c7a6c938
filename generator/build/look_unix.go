//go:build unix

package build

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// looker looks at entries of one folder by their slash-separated names,
// without following a link at the end: on unix one fstatat each,
// relative to the folder, without the path and FileInfo os.Lstat makes.
// A rebuild of a large site looks at every file the last build left.
type looker struct{ fd int }

func openLooker(dir string) (*looker, error) {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	return &looker{fd}, nil
}

func (l *looker) look(name string) (entry, error) {
	var st unix.Stat_t
	for {
		err := unix.Fstatat(l.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return entry{}, &fs.PathError{Op: "lstat", Path: name, Err: err}
		}
		break
	}
	e := entry{kind: kindOther, stamp: Stamp{st.Size, st.Mtim.Nano()}}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
		e.kind = kindFile
	case unix.S_IFDIR:
		e.kind = kindDir
	}
	return e, nil
}

func (l *looker) close() { unix.Close(l.fd) }
