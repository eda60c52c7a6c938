//go:build unix

package build

import (
	"os"
	"syscall"
)

// mapFile returns the bytes of a file of the cache, mapped from the page
// cache rather than copied: a rebuild reads tens of megabytes of cache,
// and fresh memory to copy them into costs more than the reading.
// release unmaps them; no byte may be used after it. The cache's files
// are only ever replaced by a rename, never rewritten in place, so a
// mapping keeps the bytes it showed.
func mapFile(name string) (data []byte, release func(), err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := fi.Size()
	if size == 0 || size != int64(int(size)) || !fi.Mode().IsRegular() {
		b, err := os.ReadFile(name)
		return b, func() {}, err
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED|mapPopulate)
	if err != nil {
		b, err := os.ReadFile(name)
		return b, func() {}, err
	}
	return b, func() { _ = syscall.Munmap(b) }, nil
}
