package deploytest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// SSHD is OpenSSH's sshd running for one test on 127.0.0.1. When the tests
// run as root, sshd runs as the user nobody, so that permissions on the
// server mean what they mean for a real deploy account.
type SSHD struct {
	Port       int
	User       string
	HostKey    ssh.PublicKey
	KnownHosts string // a known_hosts file that trusts this server
	Identity   string // the user's private key file
	Signer     ssh.Signer
	base       string
	uid, gid   int // -1: the tests' own
	p          *process
}

// StartSSHD starts sshd for the test and stops it when the test ends.
func StartSSHD(t testing.TB) *SSHD {
	t.Helper()
	bin := "/usr/sbin/sshd"
	if _, err := os.Stat(bin); err != nil {
		p, err := exec.LookPath("sshd")
		if err != nil {
			Missing(t, "OpenSSH's sshd is not installed (apt-get install openssh-server)")
		}
		bin = p
	}
	dir, err := tempDir("gongkai-sshd-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := &SSHD{base: dir, uid: -1, gid: -1}
	if os.Geteuid() == 0 {
		s.uid, s.gid, s.User = 65534, 65534, "nobody"
	} else if u, err := user.Current(); err == nil {
		s.User = u.Username
	} else {
		t.Fatal(err)
	}
	host, err := NewKey(filepath.Join(dir, "host_key"))
	if err != nil {
		t.Fatal(err)
	}
	s.HostKey = host.PublicKey()
	s.Identity = filepath.Join(dir, "id_ed25519")
	if s.Signer, err = NewKey(s.Identity); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "authorized_keys"), ssh.MarshalAuthorizedKey(s.Signer.PublicKey()), 0o644); err != nil {
		t.Fatal(err)
	}
	if s.Port, err = freePort(); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %s
PidFile none
AuthorizedKeysFile %s
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM yes
PermitRootLogin prohibit-password
Subsystem sftp internal-sftp
ForceCommand internal-sftp
LogLevel VERBOSE
`, s.Port, filepath.Join(dir, "host_key"), filepath.Join(dir, "authorized_keys"))
	cfg := filepath.Join(dir, "sshd_config")
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if s.uid >= 0 {
		if err := os.Chown(filepath.Join(dir, "host_key"), s.uid, s.gid); err != nil {
			t.Fatal(err)
		}
	}
	s.KnownHosts = filepath.Join(dir, "known_hosts")
	line := knownhosts.Line([]string{knownhosts.Normalize("127.0.0.1:" + strconv.Itoa(s.Port))}, s.HostKey)
	if err := os.WriteFile(s.KnownHosts, []byte(line+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.p, err = start(bin, []string{"-D", "-e", "-f", cfg}, func(cmd *exec.Cmd) {
		if s.uid >= 0 {
			runAs(cmd, s.uid, s.gid)
		}
	})
	if err != nil {
		t.Fatalf("starting sshd: %v", err)
	}
	t.Cleanup(s.p.stop)
	if !waitPort(s.Port, 10*time.Second, s.p.exited) {
		t.Fatalf("sshd did not start:\n%s", s.p.log)
	}
	return s
}

// Log returns what sshd wrote.
func (s *SSHD) Log() string { return s.p.log.String() }

// Dir makes a folder the server's user may write, for one test.
func (s *SSHD) Dir(t testing.TB) string {
	t.Helper()
	d, err := os.MkdirTemp(s.base, "site-")
	if err != nil {
		t.Fatal(err)
	}
	s.Own(t, d)
	return d
}

// ReadOnlyDir makes a folder the server's user may read but not write.
func (s *SSHD) ReadOnlyDir(t testing.TB) string {
	t.Helper()
	d, err := os.MkdirTemp(s.base, "ro-")
	if err != nil {
		t.Fatal(err)
	}
	if s.uid < 0 {
		t.Cleanup(func() { os.Chmod(d, 0o755) })
	}
	if err := os.Chmod(d, 0o555); err != nil {
		t.Fatal(err)
	}
	return d
}

// Own gives p, which must exist, to the server's user.
func (s *SSHD) Own(t testing.TB, p string) {
	t.Helper()
	if err := os.Chmod(p, 0o755); err != nil {
		t.Fatal(err)
	}
	if s.uid >= 0 {
		if err := os.Chown(p, s.uid, s.gid); err != nil {
			t.Fatal(err)
		}
	}
}

// URL returns the sftp:// address of folder dir on the server.
func (s *SSHD) URL(dir string) string {
	return "sftp://" + s.User + "@127.0.0.1:" + strconv.Itoa(s.Port) + "/" + strings.TrimPrefix(filepath.ToSlash(dir), "/")
}
