//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly || windows)

package deploy

import "io/fs"

// diskFree is unknown here.
func diskFree(dir string) (uint64, bool) { return 0, false }

func isDiskFull(err error) bool { return false }

func isReadOnly(err error) bool { return false }

func inode(info fs.FileInfo) uint64 { return 0 }
