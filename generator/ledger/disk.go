package ledger

import (
	"errors"
	"os"
	"path/filepath"
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

// OSDisk returns the Disk of the real file system under root.
func OSDisk(root string) Disk { return osDisk{root} }

// osDisk implements Disk with package os.
type osDisk struct{ root string }

func (d osDisk) path(name string) string { return filepath.Join(d.root, filepath.FromSlash(name)) }

func (d osDisk) CreateExclusive(name string, data []byte) error {
	f, err := os.OpenFile(d.path(name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

func (d osDisk) Mkdir(name string) error { return os.Mkdir(d.path(name), 0o755) }

func (d osDisk) WriteTemp(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(d.path(dir), tempPrefix+"*")
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	rel, err := filepath.Rel(d.root, f.Name())
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return filepath.ToSlash(rel), nil
}

func (d osDisk) Rename(from, to string) error { return os.Rename(d.path(from), d.path(to)) }

func (d osDisk) Remove(name string) error { return os.Remove(d.path(name)) }

func (d osDisk) SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		// Windows cannot open a directory for syncing; renames there are
		// made durable by the file system itself.
		return nil
	}
	f, err := os.Open(d.path(dir))
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
