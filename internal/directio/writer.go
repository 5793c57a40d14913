package directio

import (
	"fmt"
	"os"
	"unsafe"
)

// Block is the alignment O_DIRECT needs of buffer addresses, file offsets
// and lengths here: 4096 bytes, a multiple of every common logical block size.
const Block = 4096

// bufSize is the staging buffer: bytes that do not arrive aligned are
// gathered here and written a buffer at a time.
const bufSize = 1 << 20

// Writer appends to a file from its current size on, which must be a
// multiple of Block (a new file is). It is an io.Writer; Flush writes what
// is pending, the unaligned tail included, and must be called before the
// file is synced, closed or read. Not safe for concurrent use.
type Writer struct {
	f      *os.File
	direct bool   // O_DIRECT is on
	buf    []byte // [bufSize], Block-aligned; buf[:n] pending
	n      int
	err    error
}

// NewWriter turns O_DIRECT on for f (opened for writing, at a Block-aligned
// end) if the system allows it, else writes through the page cache.
// QKV_DIRECT_IO=off in the environment keeps every Writer on the page
// cache (for a disk slower than the forward: direct writes make the forward
// wait for it, where the page cache would absorb them).
func NewWriter(f *os.File) *Writer {
	w := &Writer{f: f}
	w.direct = os.Getenv(EnvOff) != "off" && setDirect(f, true) == nil
	return w
}

// EnvOff is the environment variable that turns direct writes off ("off").
const EnvOff = "QKV_DIRECT_IO"

// Direct says whether the writes bypass the page cache.
func (w *Writer) Direct() bool { return w.direct }

// Write appends p. With O_DIRECT it writes every whole Block it can at
// once (from p itself when p is aligned and nothing is pending) and keeps
// the rest, under a Block, for the next call or Flush.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if !w.direct {
		if err := w.Flush(); err != nil { // bytes left from before a fallback
			return 0, err
		}
		return w.write(p)
	}
	total := len(p)
	for len(p) > 0 {
		if w.n == 0 && aligned(p) && len(p) >= Block {
			k := len(p) &^ (Block - 1)
			if _, err := w.write(p[:k]); err != nil {
				return total - len(p), err
			}
			p = p[k:]
			continue
		}
		if w.buf == nil {
			w.buf = alignedBuffer(bufSize)
		}
		c := copy(w.buf[w.n:], p)
		w.n += c
		p = p[c:]
		if k := w.n &^ (Block - 1); k > 0 && (w.n == len(w.buf) || len(p) == 0) {
			if _, err := w.write(w.buf[:k]); err != nil {
				return total - len(p) - c, err
			}
			w.n = copy(w.buf, w.buf[k:w.n])
		}
	}
	return total, nil
}

// Flush writes the pending bytes. The last piece of a file is rarely a
// whole Block: it is written with O_DIRECT turned off, and the writer then
// stays on the page cache (a file has one such tail, at its end).
func (w *Writer) Flush() error {
	if w.err != nil || w.n == 0 {
		return w.err
	}
	if w.direct {
		if err := setDirect(w.f, false); err != nil {
			w.err = fmt.Errorf("directio: turning O_DIRECT off for %s: %w", w.f.Name(), err)
			return w.err
		}
		w.direct = false
	}
	_, err := w.write(w.buf[:w.n])
	w.n = 0
	return err
}

func (w *Writer) write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil && w.direct && w.tryBuffered(err) {
		// The file system refused O_DIRECT at the first write: go on without.
		var m int
		m, err = w.f.Write(p[n:])
		n += m
	}
	if err != nil {
		w.err = err
	}
	return n, err
}

// aligned says whether p starts on a Block boundary.
func aligned(p []byte) bool {
	return uintptr(unsafe.Pointer(unsafe.SliceData(p)))&(Block-1) == 0
}

// alignedBuffer returns n bytes starting on a Block boundary (Go's heap does
// not move objects).
func alignedBuffer(n int) []byte {
	b := make([]byte, n+Block)
	off := int(-uintptr(unsafe.Pointer(unsafe.SliceData(b))) & (Block - 1))
	return b[off : off+n : off+n]
}
