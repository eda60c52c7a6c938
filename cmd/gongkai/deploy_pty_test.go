//go:build linux

package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY returns both ends of a new pseudo-terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("SKIP: no pseudo-terminal: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return m, s
}

// TestCLIDeployProgressOnTerminal draws the progress bar on a terminal,
// and clears it before the closing line.
func TestCLIDeployProgressOnTerminal(t *testing.T) {
	t.Setenv("GONGKAI_LANG", "")
	src := writeBoard(t, false)
	out := filepath.Join(filepath.Dir(src), "public")
	usb := filepath.Join(t.TempDir(), "usb")
	appendTo(t, filepath.Join(src, "site.toml"), "\n[[deploy]]\nname = \"u盘\"\nurl = \"file://"+filepath.ToSlash(usb)+"\"\n")
	if code, msg := gkAll(t, "build", "--src", src, "--out", out, "--date", "2026-11-27"); code != 0 {
		t.Fatal(msg)
	}
	master, slave := openPTY(t)
	defer master.Close()
	got := make(chan string)
	go func() {
		var b bytes.Buffer
		io.Copy(&b, master) // ends with EIO once the slave is closed
		got <- b.String()
	}()
	var stdout bytes.Buffer
	code := run([]string{"deploy", "--src", src, "--site", out}, &stdout, slave)
	slave.Close()
	text := <-got
	if code != 0 {
		t.Fatalf("exit %d: %s", code, text)
	}
	for _, want := range []string{"\r\033[K上传 [", "个文件", "\r\033[K已部署到 u盘"} {
		if !strings.Contains(text, want) {
			t.Errorf("the terminal did not get %q:\n%q", want, text)
		}
	}
}
