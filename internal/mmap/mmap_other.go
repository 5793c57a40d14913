//go:build !unix

package mmap

import (
	"fmt"
	"io"
	"os"
	"unsafe"
)

// File reads the first size bytes of f into memory (no mmap on this system),
// 8-byte aligned; release drops nothing, the garbage collector frees them.
func File(f *os.File, size int64) (b []byte, release func() error, err error) {
	words := make([]uint64, (size+7)/8)
	if len(words) > 0 {
		b = unsafe.Slice((*byte)(unsafe.Pointer(&words[0])), 8*len(words))[:size]
	}
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", f.Name(), err)
	}
	return b, func() error { return nil }, nil
}

// DontNeed does nothing where the file is a copy in memory.
func DontNeed([]byte) {}

// WillNeed does nothing where the file is a copy in memory.
func WillNeed([]byte) {}
