//go:build !linux

package deploytest

import "os/exec"

func dieWithParent(cmd *exec.Cmd) {}

// runAs is only needed where tests run as root, on Linux.
func runAs(cmd *exec.Cmd, uid, gid int) {}
