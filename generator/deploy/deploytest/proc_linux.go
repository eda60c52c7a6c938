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
