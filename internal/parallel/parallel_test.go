package parallel

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
)

func TestForCallsEachIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 37} {
		calls := make([]atomic.Int32, n)
		if err := For(n, func(i int) error { calls[i].Add(1); return nil }); err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		for i := range calls {
			if c := calls[i].Load(); c != 1 {
				t.Errorf("n=%d: fn(%d) called %d times, want 1", n, i, c)
			}
		}
	}
}

func TestForRunsConcurrently(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS ≥ 2")
	}
	// Two calls that each wait for the other finish only if they overlap.
	var arrived atomic.Int32
	release := make(chan struct{})
	err := For(2, func(i int) error {
		if arrived.Add(1) == 2 {
			close(release)
		}
		<-release
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestForReturnsLowestError(t *testing.T) {
	err := For(20, func(i int) error {
		if i == 3 || i == 7 {
			return fmt.Errorf("piece %d", i)
		}
		return nil
	})
	if err == nil || (err.Error() != "piece 3" && err.Error() != "piece 7") {
		t.Fatalf("err = %v, want piece 3 (or piece 7 when 3 was skipped)", err)
	}
	// With one worker the order is sequential: 3 fails first and 7 is skipped.
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	var started atomic.Int32
	err = For(20, func(i int) error {
		started.Add(1)
		if i == 3 || i == 7 {
			return fmt.Errorf("piece %d", i)
		}
		return nil
	})
	if err == nil || err.Error() != "piece 3" {
		t.Fatalf("one worker: err = %v, want piece 3", err)
	}
	if s := started.Load(); s != 4 {
		t.Errorf("one worker: %d calls started, want 4 (the rest skipped after the failure)", s)
	}
}
