//go:build !windows

package build

import "os"

// rename replaces the file to with from, both inside root, in one step.
func rename(root *os.Root, from, to string) error { return root.Rename(from, to) }
