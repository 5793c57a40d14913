package store

import (
	"encoding/binary"
	"math"
	"unsafe"
)

// littleEndianHost reports whether the machine stores numbers little-endian,
// in which case a layer file's bytes are already float32s.
func littleEndianHost() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}

// floatBytes returns data as little-endian bytes: its own memory on a
// little-endian host, else a converted copy in *scratch.
func floatBytes(data []float32, scratch *[]byte) []byte {
	if len(data) == 0 {
		return nil
	}
	if littleEndianHost() {
		return unsafe.Slice((*byte)(unsafe.Pointer(&data[0])), 4*len(data))
	}
	if cap(*scratch) < 4*len(data) {
		*scratch = make([]byte, 4*len(data))
	}
	b := (*scratch)[:4*len(data)]
	for i, v := range data {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return b
}

// bytesFloats returns little-endian bytes b as float32s: a view of b on a
// little-endian host (b must be 4-byte aligned, as a mapping is), else a
// converted copy.
func bytesFloats(b []byte) []float32 {
	if len(b) == 0 {
		return nil
	}
	if littleEndianHost() {
		return unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), len(b)/4)
	}
	f := make([]float32, len(b)/4)
	for i := range f {
		f[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return f
}
