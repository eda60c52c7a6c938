// Package searchtest runs the search page's script under node for tests,
// through the harness in generator/search/testdata/harness.js: the
// script's own grams, its ranking on a built index, and the whole page
// against a small fake DOM. Without node a test skips visibly, or fails
// when GONGKAI_REQUIRE_BROWSER=1.
package searchtest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"gongkai/generator/internal/browsertest"
)

// Out is what the harness prints (see harness.js).
type Out struct {
	Grams   [][]string `json:"grams"`
	Queries []struct {
		URLs    []string `json:"urls"`
		Ranks   []int    `json:"ranks"`
		Fetched []string `json:"fetched"`
	} `json:"queries"`
	Page []struct {
		Status  string   `json:"status"`
		HTML    string   `json:"html"`
		Fetched []string `json:"fetched"`
		Input   string   `json:"input"`
		More    bool     `json:"more"`
	} `json:"page"`
}

// Node returns the path of node, or skips the test (see
// browsertest.Missing).
func Node(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("node")
	if err != nil {
		browsertest.Missing(t, "node not found: search.js is not run")
	}
	return p
}

// WriteSite writes files (site-relative path → content) under dir.
func WriteSite(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	for p, b := range files {
		f := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Run runs the harness with script (a file) on the site in dir for req
// ({"grams": […], "queries": […], "page": […], "today": "2026-04-12"}).
func Run(t testing.TB, script, dir string, req map[string]any) Out {
	t.Helper()
	bin := Node(t)
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("searchtest: cannot find the harness")
	}
	harness := filepath.Join(filepath.Dir(file), "..", "..", "search", "testdata", "harness.js")
	in, _ := json.Marshal(req)
	cmd := exec.Command(bin, harness, script, dir)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("node harness: %v\n%s", err, stderr.String())
	}
	var out Out
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("node harness output: %v\n%.300s", err, b)
	}
	return out
}
