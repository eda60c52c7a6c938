// Package par runs the per-record work of a build on a fixed set of
// workers, one per processor.
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls f(0) … f(n-1) on GOMAXPROCS goroutines and returns the
// first error; after an error no further call starts. The workers live
// for the whole loop rather than one goroutine per item: rendering a page
// runs deep, and a fresh goroutine grows its stack again for every page.
func Each(n int, f func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	var (
		next   atomic.Int64
		failed atomic.Bool
		once   sync.Once
		first  error
		wg     sync.WaitGroup
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					once.Do(func() { first = err })
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	return first
}
