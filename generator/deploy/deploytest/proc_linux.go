package deploytest

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel end the server when the test binary dies,
// so that a crashed test leaves no server behind.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// runAs starts the command as the user uid.
func runAs(cmd *exec.Cmd, uid, gid int) {
	cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
}
