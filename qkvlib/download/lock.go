package download

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// lockPoll is how often a process waiting for another one's download tries
// the lock again.
const lockPoll = 200 * time.Millisecond

// lock takes the lock file p (an flock(2) lock, as Python's filelock takes
// on Linux and macOS, so Python and qkv wait for each other), waiting as
// long as another process holds it; it says on Options.Log that it waits.
// The kernel drops the lock of a process that dies, so no lock is stale. The
// lock file is left in place, as Python leaves it.
func (c *client) lock(ctx context.Context, p, file, id string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, &diskError{op: "making " + filepath.Dir(p), err: err}
	}
	said := false
	for {
		fl := flock.New(p)
		ok, err := fl.TryLock()
		if err == nil && !ok {
			if !said {
				c.notice("hub: another process is downloading %s of %s into the cache; waiting for it (lock %s)", file, id, p)
				said = true
			}
			ok, err = fl.TryLockContext(ctx, lockPoll)
		}
		if err != nil {
			fl.Close()
			return nil, fmt.Errorf("locking %s: %w", p, err)
		}
		// Hold the lock of the file that is at p now: a lock file that was
		// removed and made anew while we waited is another lock.
		held, err1 := fl.Stat()
		now, err2 := os.Stat(p)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			return func() { fl.Unlock(); fl.Close() }, nil
		}
		fl.Unlock()
		fl.Close()
	}
}

// notice writes one line on Options.Log, if set.
func (c *client) notice(format string, args ...any) {
	if c.opt.Log != nil {
		fmt.Fprintf(c.opt.Log, format+"\n", args...)
	}
}
