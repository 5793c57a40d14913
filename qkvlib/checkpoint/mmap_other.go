//go:build !unix

package checkpoint

import (
	"io"
	"os"
)

// mapFile reads the whole of f: systems without mmap get a copy in memory.
func mapFile(f *os.File, size int64) (data []byte, release func() error, err error) {
	data = make([]byte, size)
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, nil, err
	}
	return data, func() error { return nil }, nil
}

// dontNeed does nothing where the file is a copy in memory.
func dontNeed([]byte) {}
