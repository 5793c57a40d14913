//go:build goexperiment.simd && amd64

package paired

import (
	"math/rand/v2"
	"simd/archsimd"
	"slices"
	"testing"
)

// TestAddToVectors checks each vector addTo against the scalar loop, on
// every length up to three vectors and a tail, where the CPU has it.
func TestAddToVectors(t *testing.T) {
	for _, tc := range []struct {
		name string
		has  bool
		add  func(dst, src []float64)
	}{
		{"AVX-512", archsimd.X86.AVX512(), addToAVX512},
		{"AVX2", archsimd.X86.AVX2(), addToAVX2},
	} {
		if !tc.has {
			t.Logf("%s: this CPU lacks it; not tested", tc.name)
			continue
		}
		r := rand.New(rand.NewPCG(1, 1))
		for n := range 28 {
			dst, src := make([]float64, n), make([]float64, n+3) // src may be longer
			for i := range dst {
				dst[i] = r.NormFloat64()
			}
			for i := range src {
				src[i] = r.NormFloat64()
			}
			want := slices.Clone(dst)
			addToScalar(want, src)
			tc.add(dst, src)
			if !slices.Equal(dst, want) {
				t.Errorf("%s, length %d: %v, want %v", tc.name, n, dst, want)
			}
		}
	}
}
