package build

import (
	"fmt"
	"path/filepath"
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
