//go:build linux

package directio

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// setDirect turns O_DIRECT on or off for f.
func setDirect(f *os.File, on bool) error {
	fd := int(f.Fd())
	flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		return err
	}
	if on {
		flags |= unix.O_DIRECT
	} else {
		flags &^= unix.O_DIRECT
	}
	_, err = unix.FcntlInt(uintptr(fd), unix.F_SETFL, flags)
	return err
}

// tryBuffered turns O_DIRECT off when a write failed with EINVAL (a file
// system that accepts the flag but not direct writes), so that the caller
// can retry through the page cache.
func (w *Writer) tryBuffered(err error) bool {
	if !errors.Is(err, unix.EINVAL) || setDirect(w.f, false) != nil {
		return false
	}
	w.direct = false
	return true
}
