// Package deploytest starts real servers for the tests of deploying: an
// S3-compatible object store (SeaweedFS's `weed mini`, from $GONGKAI_WEED
// or PATH) and OpenSSH's sshd on 127.0.0.1 with a throwaway host key and
// user key. A test whose server cannot be started skips visibly, or fails
// when GONGKAI_REQUIRE_DEPLOY=1 (as .ci/run sets it).
package deploytest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// EnvRequire makes a server that cannot be started a test failure
// instead of a skip when set to 1.
const EnvRequire = "GONGKAI_REQUIRE_DEPLOY"

// EnvWeed names the SeaweedFS binary.
const EnvWeed = "GONGKAI_WEED"

// Required reports whether tests must not skip for want of a server.
func Required() bool { return os.Getenv(EnvRequire) == "1" }

// Missing skips the test with why, or fails it when servers are required.
func Missing(t testing.TB, why string) {
	t.Helper()
	if Required() {
		t.Fatalf("%s (%s=1)", why, EnvRequire)
	}
	t.Skipf("SKIP: %s (set %s=1 to make this a failure)", why, EnvRequire)
}

// freePort returns a port on 127.0.0.1 that is free now, and whose
// neighbour 10000 above is free too (SeaweedFS puts gRPC there).
func freePort() (int, error) {
	for range 200 {
		n, err := rand.Int(rand.Reader, big.NewInt(10000))
		if err != nil {
			return 0, err
		}
		p := 20000 + int(n.Int64())
		if free(p) && free(p+10000) {
			return p, nil
		}
	}
	return 0, fmt.Errorf("no free port")
}

func free(p int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// waitPort waits until something listens on 127.0.0.1:p.
func waitPort(p int, d time.Duration, exited <-chan struct{}) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)), time.Second)
		if err == nil {
			c.Close()
			return true
		}
		select {
		case <-exited:
			return false
		case <-time.After(100 * time.Millisecond):
		}
	}
	return false
}

// NewKey makes an ed25519 key pair and writes the private key, in
// OpenSSH's format and readable by its owner only, to file.
func NewKey(file string) (ssh.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(file, pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, err
	}
	return ssh.NewSignerFromKey(priv)
}

// logBuffer keeps a server's output for the test's log.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<20 {
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// process is a started server.
type process struct {
	cmd    *exec.Cmd
	log    *logBuffer
	exited chan struct{}
}

func start(name string, args []string, setup func(*exec.Cmd)) (*process, error) {
	cmd := exec.Command(name, args...)
	p := &process{cmd: cmd, log: &logBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.log, p.log
	dieWithParent(cmd)
	if setup != nil {
		setup(cmd)
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { cmd.Wait(); close(p.exited) }()
	return p, nil
}

// stop ends the server and waits for it.
func (p *process) stop() {
	if p == nil {
		return
	}
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// tempDir makes a folder that outlives a single test, for servers shared
// by the tests of a package.
func tempDir(pattern string) (string, error) {
	d, err := os.MkdirTemp("", pattern)
	if err != nil {
		return "", err
	}
	return filepath.Abs(d)
}
