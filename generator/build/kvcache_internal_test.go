package build

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A value given again under a key of the base (the search index's
// state) wins over the base in every later build, whether or not it
// changes again; values a build did not use stay while only a delta is
// written, for the pages it did not render.
func TestKVCacheKeys(t *testing.T) {
	file := filepath.Join(t.TempDir(), "kv")
	key := func(i int) Sum { return kvKey(fmt.Sprint(i)) }
	state := kvKey("state")
	build := func(stateValue string, used int) map[Sum]string {
		t.Helper()
		c := openKV(file, "test")
		defer c.close()
		got := map[Sum]string{}
		if v, ok := c.Get(state); ok {
			got[state] = string(v)
		}
		for i := range used {
			if v, ok := c.Get(key(i)); ok {
				got[key(i)] = string(v)
			} else {
				c.Put(key(i), []byte(fmt.Sprint("value ", i)))
			}
		}
		c.Put(state, []byte(stateValue))
		if err := c.write(); err != nil {
			t.Fatal(err)
		}
		return got
	}
	build("one", 100) // the base
	steps := []struct {
		put, want string
		used      int
	}{
		{"two", "one", 100},   // a delta holds "two"
		{"two", "two", 100},   // the same again: the delta must keep it
		{"three", "two", 100}, //
		{"three", "three", 100},
		{"four", "three", 20}, // most values unused: kept
		{"four", "four", 100},
	}
	for i, st := range steps {
		got := build(st.put, st.used)
		if got[state] != st.want {
			t.Errorf("step %d: the state read is %q, want %q", i, got[state], st.want)
		}
		if n := len(got) - 1; n != st.used {
			t.Errorf("step %d: %d of %d values read back", i, n, st.used)
		}
	}
	c := openKV(file, "test")
	defer c.close()
	<-c.ready
	if c.held != 101 {
		t.Errorf("the cache holds %d values, want all 101", c.held)
	}
}

// Every value written is found by its key in the file read back, and no
// content of a file, however made, makes reading or looking up fail
// other than by refusing it or not finding the key.
func FuzzKV(f *testing.F) {
	file := filepath.Join(f.TempDir(), "kv")
	vals := map[Sum][]byte{}
	var keys []Sum
	for i := range 50 {
		k := kvKey(fmt.Sprint(i))
		keys = append(keys, k)
		vals[k] = []byte(strings.Repeat("值", i))
	}
	if err := writeKV(file, "test", "base-1", keys, vals); err != nil {
		f.Fatal(err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		f.Fatal(err)
	}
	_, body, _ := bytes.Cut(b, []byte("\n"))
	t, ok := readKV(body, "base-1")
	if !ok || t.len() != len(vals) {
		f.Fatalf("the file written reads back as %d values (%v), want %d", t.len(), ok, len(vals))
	}
	for k, v := range vals {
		if got, ok := t.get(k); !ok || !bytes.Equal(got, v) {
			f.Errorf("the value of a key reads back as %q (%v), want %q", got, ok, v)
		}
	}
	if _, ok := t.get(kvKey("absent")); ok {
		f.Error("a key never written is found")
	}
	if _, ok := readKV(body, "another base"); ok {
		f.Error("a delta of another base is read")
	}
	f.Add(body, []byte("k"))
	f.Add(body[:len(body)/2], []byte("0"))
	f.Fuzz(func(t *testing.T, body, key []byte) {
		tab, ok := readKV(body, "base-1")
		if !ok {
			return
		}
		tab.get(kvKey(string(key)))
		for i := range tab.len() {
			if v, ok := tab.get(tab.key(i)); !ok || !bytes.Equal(v, tab.value(i)) {
				t.Fatalf("entry %d is not found by its key", i)
			}
		}
	})
}
