package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/generator/deploy/deploytest"
)

// envMain makes the test binary run as gongkai itself: the tests that need
// a process of their own (serve until a signal; a build killed half way)
// start it again with this set and the command line as its arguments.
const envMain = "GONGKAI_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(envMain) == "1" {
		main()
		return
	}
	// The builds of the tests keep their notes in a folder of their own.
	cache, err := os.MkdirTemp("", "gongkai-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("GONGKAI_CACHE", cache)
	code := m.Run()
	deploytest.StopS3()
	os.RemoveAll(cache)
	os.Exit(code)
}

// process is gongkai running as a process of its own.
type process struct {
	t   *testing.T
	cmd *exec.Cmd
	mu  sync.Mutex
	out strings.Builder // stdout and stderr as they come
	got chan string     // each line of stderr
}

// start runs gongkai with args as a process.
func start(t *testing.T, args ...string) *process {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), envMain+"=1", "GONGKAI_LANG=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{t: t, cmd: cmd, got: make(chan string, 1000)}
	cmd.Stdout = writerFunc(func(b []byte) (int, error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.out.Write(b)
	})
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s := bufio.NewScanner(stderr)
		for s.Scan() {
			p.mu.Lock()
			p.out.WriteString(s.Text() + "\n")
			p.mu.Unlock()
			select {
			case p.got <- s.Text():
			default:
			}
		}
		close(p.got)
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return p
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

var _ io.Writer = writerFunc(nil)

// output returns everything the process wrote so far.
func (p *process) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// waitLine waits for a line of stderr that matches re and returns its
// submatches.
func (p *process) waitLine(re *regexp.Regexp, within time.Duration) []string {
	p.t.Helper()
	deadline := time.After(within)
	for {
		select {
		case line, ok := <-p.got:
			if !ok {
				p.t.Fatalf("the process ended without printing %s:\n%s", re, p.output())
			}
			if m := re.FindStringSubmatch(line); m != nil {
				return m
			}
		case <-deadline:
			p.t.Fatalf("no line matching %s within %s:\n%s", re, within, p.output())
		}
	}
}
