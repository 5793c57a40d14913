//go:build !unix

package store

import (
	"fmt"
	"io"
	"os"
)

// mapFile reads the first size bytes of path into memory (no mmap on this
// system). release drops nothing; the garbage collector frees the memory.
func mapFile(path string, size int) (b []byte, release func() error, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	// Allocate as float32 so the bytes are 4-byte aligned for bytesFloats.
	words := make([]float32, (size+3)/4)
	b = floatBytes(words, new([]byte))[:size]
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return b, func() error { return nil }, nil
}
