//go:build windows

package build

import (
	"errors"
	"io/fs"
	"os"
	"time"
)

// rename replaces the file to with from, both inside root, in one step.
// Windows refuses to replace a file that another program holds open
// without sharing it for deletion (a browser showing it, an antivirus
// scanning it), usually for a moment: the rename is tried again for up to
// two seconds before it fails, naming the file.
func rename(root *os.Root, from, to string) error {
	var err error
	for wait := 10 * time.Millisecond; ; wait *= 2 {
		if err = root.Rename(from, to); err == nil || !errors.Is(err, fs.ErrPermission) {
			return err
		}
		if wait > time.Second {
			return err
		}
		time.Sleep(wait)
	}
}
