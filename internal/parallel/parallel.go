// Package parallel runs independent pieces of work on the machine's cores.
package parallel

import (
	"runtime"
	"sync"
)

// For calls fn(i) for every i in [0, n), on up to GOMAXPROCS goroutines at
// once, and returns the error of the lowest i that failed (nil if none).
// Once one call fails, the i not yet started are skipped. fn must be safe
// to call concurrently for different i.
func For(n int, fn func(i int) error) error {
	if n <= 0 {
		return nil
	}
	errs := make([]error, n)
	var (
		mu     sync.Mutex
		next   int
		failed bool
		wg     sync.WaitGroup
	)
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if failed || next == n {
			return 0, false
		}
		next++
		return next - 1, true
	}
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i, ok := take(); ok; i, ok = take() {
				if errs[i] = fn(i); errs[i] != nil {
					mu.Lock()
					failed = true
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
