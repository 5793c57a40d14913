//go:build goexperiment.simd && amd64

package paired

import "simd/archsimd"

func init() {
	switch {
	case archsimd.X86.AVX512():
		addTo = addToAVX512
	case archsimd.X86.AVX2():
		addTo = addToAVX2
	}
}

// addToAVX512 adds eight float64 lanes at a time; the tail goes through
// the scalar loop.
func addToAVX512(dst, src []float64) {
	src = src[:len(dst)]
	n := len(dst) &^ 7
	for c := 0; c < n; c += 8 {
		archsimd.LoadFloat64x8Slice(dst[c:]).Add(archsimd.LoadFloat64x8Slice(src[c:])).StoreSlice(dst[c:])
	}
	addToScalar(dst[n:], src[n:])
}

// addToAVX2 is addToAVX512 with four lanes.
func addToAVX2(dst, src []float64) {
	src = src[:len(dst)]
	n := len(dst) &^ 3
	for c := 0; c < n; c += 4 {
		archsimd.LoadFloat64x4Slice(dst[c:]).Add(archsimd.LoadFloat64x4Slice(src[c:])).StoreSlice(dst[c:])
	}
	addToScalar(dst[n:], src[n:])
}
