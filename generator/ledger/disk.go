package ledger

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"runtime"
)

// Disk is every file operation Publish performs, on slash-separated names
// relative to the content folder ("." is the folder itself). Publish writes
// only through it, so a test can fail any single step and check that the
// folder is left exactly as before or exactly as after.
type Disk interface {
	// CreateExclusive creates name with data, failing with an error that
	// wraps fs.ErrExist when it already exists (the lock).
	CreateExclusive(name string, data []byte) error
	// Mkdir creates one directory.
	Mkdir(name string) error
	// WriteTemp writes data to a new temporary file in dir, fsyncs and
	// closes it, and returns its name. On failure it leaves nothing behind.
	WriteTemp(dir string, data []byte) (string, error)
	// Rename atomically replaces to with from.
	Rename(from, to string) error
	// Remove deletes a file or an empty directory.
	Remove(name string) error
	// SyncDir flushes a directory's entries to stable storage.
	SyncDir(dir string) error
}

// RootDisk returns the Disk of the content folder opened as root: every
// name is resolved inside it, so no write can leave the folder, not even
// through a link.
func RootDisk(root *os.Root) Disk { return rootDisk{root} }

// rootDisk implements Disk with an os.Root.
type rootDisk struct{ root *os.Root }

func (d rootDisk) CreateExclusive(name string, data []byte) error {
	f, err := d.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		d.root.Remove(name)
	}
	return err
}

func (d rootDisk) Mkdir(name string) error { return d.root.Mkdir(name, 0o755) }

func (d rootDisk) WriteTemp(dir string, data []byte) (string, error) {
	var f *os.File
	var name string
	for range 100 {
		var rnd [8]byte
		if _, err := rand.Read(rnd[:]); err != nil {
			return "", err
		}
		name = path.Join(dir, tempPrefix+hex.EncodeToString(rnd[:]))
		var err error
		f, err = d.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
	if f == nil {
		return "", fmt.Errorf("cannot make a temporary file in %s", dir)
	}
	_, err := f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		d.root.Remove(name)
		return "", err
	}
	return name, nil
}

func (d rootDisk) Rename(from, to string) error { return d.root.Rename(from, to) }

func (d rootDisk) Remove(name string) error { return d.root.Remove(name) }

func (d rootDisk) SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		// Windows cannot open a directory for syncing; renames there are
		// made durable by the file system itself.
		return nil
	}
	f, err := d.root.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, os.ErrInvalid) {
		return nil
	}
	return err
}
