package deploytest

import (
	"os"
	"os/exec"
	"testing"
)

// TinyDisk mounts a tmpfs of size (as mount takes it: "512k") on dir, so a
// test can fill a disk for real. It needs root; without, the test skips
// (or fails when servers are required). The mount goes when the test ends.
func TinyDisk(t testing.TB, dir, size string) {
	t.Helper()
	if os.Geteuid() != 0 {
		Missing(t, "a full disk is made with a tmpfs mount, which needs root")
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0755", "tmpfs", dir).CombinedOutput(); err != nil {
		Missing(t, "cannot mount a tmpfs: "+string(out))
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
}
