//go:build unix

package checkpoint

import (
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mapFile maps the whole of f read-only. release unmaps it.
func mapFile(f *os.File, size int64) (data []byte, release func() error, err error) {
	if size == 0 {
		return nil, func() error { return nil }, nil
	}
	if int64(int(size)) != size {
		return nil, nil, fmt.Errorf("%d bytes do not fit the address space", size)
	}
	data, err = unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, nil, fmt.Errorf("mmap: %w", err)
	}
	return data, func() error { return unix.Munmap(data) }, nil
}

// dontNeed drops the whole pages inside b from the process's resident set
// (madvise MADV_DONTNEED); b must lie in a file mapping. Errors are ignored:
// the advice only saves memory.
func dontNeed(b []byte) {
	page := os.Getpagesize()
	if len(b) == 0 {
		return
	}
	start := int(uintptr(unsafe.Pointer(&b[0])) % uintptr(page)) // offset of b in its first page
	first := 0
	if start != 0 {
		first = page - start // skip to the next page boundary
	}
	last := len(b) - (start+len(b))%page // up to the last page boundary
	if last <= first {
		return
	}
	_ = unix.Madvise(b[first:last], unix.MADV_DONTNEED)
}
