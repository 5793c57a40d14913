package npz

import (
	"encoding/binary"
	"io"
	"math"
	"unsafe"
)

// elem is an element type this package writes: 4- or 8-byte numbers.
type elem interface{ float32 | int64 }

// littleEndianHost reports whether the machine stores numbers little-endian,
// in which case a slice's memory already is the .npy byte layout.
func littleEndianHost() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}

// writeElems writes data little-endian. On little-endian hosts the slice's
// memory is written as is; otherwise it is converted through *scratch.
func writeElems[T elem](w io.Writer, data []T, scratch *[]byte) error {
	if len(data) == 0 {
		return nil
	}
	size := int(unsafe.Sizeof(data[0]))
	if littleEndianHost() {
		_, err := w.Write(unsafe.Slice((*byte)(unsafe.Pointer(&data[0])), len(data)*size))
		return err
	}
	const chunk = 1 << 14
	if cap(*scratch) < chunk*size {
		*scratch = make([]byte, chunk*size)
	}
	for len(data) > 0 {
		n := min(len(data), chunk)
		b := (*scratch)[:n*size]
		for i, v := range data[:n] {
			switch x := any(v).(type) {
			case float32:
				binary.LittleEndian.PutUint32(b[i*4:], math.Float32bits(x))
			case int64:
				binary.LittleEndian.PutUint64(b[i*8:], uint64(x))
			}
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

// readElems fills data from little-endian bytes in r.
func readElems[T elem](r io.Reader, data []T) error {
	if len(data) == 0 {
		return nil
	}
	size := int(unsafe.Sizeof(data[0]))
	raw := unsafe.Slice((*byte)(unsafe.Pointer(&data[0])), len(data)*size)
	if _, err := io.ReadFull(r, raw); err != nil {
		return err
	}
	if !littleEndianHost() {
		for i := range data {
			switch any(data[i]).(type) {
			case float32:
				data[i] = T(math.Float32frombits(binary.LittleEndian.Uint32(raw[i*4:])))
			case int64:
				data[i] = T(int64(binary.LittleEndian.Uint64(raw[i*8:])))
			}
		}
	}
	return nil
}
