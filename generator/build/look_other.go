//go:build !unix

package build

import (
	"os"
	"path/filepath"
)

// looker looks at entries of one folder by their slash-separated names,
// without following a link at the end.
type looker struct{ dir string }

func openLooker(dir string) (*looker, error) { return &looker{dir}, nil }

func (l *looker) look(name string) (entry, error) {
	fi, err := os.Lstat(filepath.Join(l.dir, filepath.FromSlash(name)))
	if err != nil {
		return entry{}, err
	}
	return entryOf(fi), nil
}

func (l *looker) close() {}
