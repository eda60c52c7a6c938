package preview

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"gongkai/generator/build"
	"gongkai/generator/diag"
)

// rss returns the resident memory of the process in bytes (Linux), or
// the memory the Go runtime holds from the system elsewhere.
func rss() float64 {
	if f, err := os.Open("/proc/self/status"); err == nil {
		defer f.Close()
		s := bufio.NewScanner(f)
		for s.Scan() {
			if rest, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
				kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
				return float64(kb) * 1024
			}
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.Sys - m.HeapReleased)
}

// liveHeap returns the heap in use after a collection.
func liveHeap() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc)
}

// BenchmarkServeMemory measures the preview server's memory under
// editing: a 2,000-record board saved 1,000 times (title and body edits
// of a few records in turn, each save rebuilt with its later stages, as
// when a clerk pauses between saves). It reports resident memory and the
// live heap after the first 10 saves and after all of them, and fails
// when the resident memory grew by more than 20 %. Run it alone:
//
//	go test ./generator/preview -run XXX -bench ServeMemory -benchtime 1x
func BenchmarkServeMemory(b *testing.B) {
	const records, saves = 2000, 1000
	for i := 0; i < b.N; i++ {
		dir := writeBoard(b, records)
		bl := NewBuilder(build.Options{Src: os.DirFS(dir), Today: testToday}, nil, diag.Zh)
		bl.ExtrasDelay = -1
		if res, err := bl.Full(); err != nil || res.Problems != nil {
			b.Fatalf("full build: %v %v", err, res.Problems)
		}
		var files []string
		for _, sec := range []string{"disclosures", "decisions", "minutes"} {
			files = append(files, firstOf(b, dir, sec))
		}
		orig := map[string][]byte{}
		for _, f := range files {
			orig[f], _ = os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		}
		var rss10, heap10 float64
		for n := 1; n <= saves; n++ {
			f := files[n%len(files)]
			text := bytes.Replace(orig[f], []byte(`title = "`), []byte(fmt.Sprintf(`title = "改%d`, n)), 1)
			text = append(text, fmt.Sprintf("\n第%d次保存。\n", n)...)
			if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f)), text, 0o644); err != nil {
				b.Fatal(err)
			}
			res, err := bl.Update([]Change{{Path: f}})
			if err != nil || res.Problems != nil {
				b.Fatalf("save %d: %v %v", n, err, res.Problems)
			}
			if n == 10 {
				debug.FreeOSMemory()
				rss10, heap10 = rss(), liveHeap()
			}
		}
		debug.FreeOSMemory()
		rssN, heapN := rss(), liveHeap()
		runtime.KeepAlive(bl)
		b.ReportMetric(rss10/(1<<20), "MiB-rss-10")
		b.ReportMetric(rssN/(1<<20), "MiB-rss-1000")
		b.ReportMetric(heap10/(1<<20), "MiB-heap-10")
		b.ReportMetric(heapN/(1<<20), "MiB-heap-1000")
		if rssN > rss10*1.2 {
			b.Errorf("resident memory grew from %.0f MiB after 10 saves to %.0f MiB after %d", rss10/(1<<20), rssN/(1<<20), saves)
		}
	}
}
