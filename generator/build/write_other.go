//go:build !unix

package build

import (
	"errors"
	"io/fs"
	"os"
)

// writeFile writes a new output file. A file already there is removed
// first, never truncated: it may be a hard link to the previous build's
// copy, which must stay as it was.
func writeFile(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		if err := os.Remove(name); err != nil {
			return err
		}
		f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err1 := f.Close(); err == nil {
		err = err1
	}
	return err
}
