//go:build unix

package mmap

import (
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// File maps the first size bytes of f read-only; release unmaps them. The
// mapping outlives f's descriptor. The bytes are page-aligned.
func File(f *os.File, size int64) (b []byte, release func() error, err error) {
	if size == 0 {
		return nil, func() error { return nil }, nil
	}
	if int64(int(size)) != size {
		return nil, nil, fmt.Errorf("%d bytes do not fit the address space", size)
	}
	b, err = unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, nil, fmt.Errorf("mmap %s: %w", f.Name(), err)
	}
	return b, func() error { return unix.Munmap(b) }, nil
}

// DontNeed drops the whole pages inside b, a part of a mapping made by File,
// from the process's resident memory (madvise MADV_DONTNEED). b stays valid:
// reading it again pages it back in from the file. Errors are ignored: the
// advice only saves memory.
func DontNeed(b []byte) {
	if len(b) == 0 {
		return
	}
	page := os.Getpagesize()
	off := int(uintptr(unsafePointer(b)) % uintptr(page)) // b's offset in its first page
	first := 0
	if off != 0 {
		first = page - off // the first page boundary inside b
	}
	last := len(b) - (off+len(b))%page // the last page boundary inside b
	if last > first {
		_ = unix.Madvise(b[first:last], unix.MADV_DONTNEED)
	}
}

// WillNeed asks the system to read the pages that hold b, a part of a mapping
// made by File, in the background (madvise MADV_WILLNEED), so that reading b
// later does not wait for the disk one page fault at a time. Errors are
// ignored: the advice only saves time.
func WillNeed(b []byte) {
	if len(b) == 0 {
		return
	}
	off := int(uintptr(unsafePointer(b)) % uintptr(os.Getpagesize())) // b's offset in its first page
	first := unsafe.Add(unsafePointer(b), -off)                       // that page's start, inside the mapping
	_ = unix.Madvise(unsafe.Slice((*byte)(first), off+len(b)), unix.MADV_WILLNEED)
}
