package tensor

import (
	"math/rand/v2"
	"testing"
)

// TestTokenStdPaths checks the vector TokenStd (where the CPU has AVX-512
// and the build GOEXPERIMENT=simd) against the scalar loop, on widths that 8
// does and does not divide and on columns whose mean is 10⁶ times their
// spread.
func TestTokenStdPaths(t *testing.T) {
	if fastTokenStd == nil {
		t.Skip("no vector TokenStd on this CPU or build (needs GOEXPERIMENT=simd and AVX-512)")
	}
	for _, tc := range []struct {
		n, t, e        int
		offset, spread float64
	}{
		{2, 51, 1280, 0, 1},
		{3, 7, 13, 0, 1},
		{2, 2, 8, 0, 1},
		{2, 51, 24, 1e4, 1e-2},
	} {
		rng := rand.New(rand.NewPCG(uint64(tc.e), 9))
		data := make([]float32, tc.n*tc.t*3*tc.e)
		for i := range data {
			data[i] = float32(tc.offset + tc.spread*rng.NormFloat64())
		}
		x, err := New(data, tc.n, tc.t, 3*tc.e)
		if err != nil {
			t.Fatal(err)
		}
		q, k, v := x.Split()
		for m, X := range []Tensor3{q, k, v} {
			scratch := make([]float64, tc.t)
			fast, slow := make([]float64, tc.e), make([]float64, tc.e)
			for s := range tc.n {
				TokenStd(X, s, fast, scratch)
				saved := fastTokenStd
				fastTokenStd = nil
				TokenStd(X, s, slow, scratch)
				fastTokenStd = saved
				for e := range fast {
					if !near(fast[e], slow[e], 1e-12) {
						t.Fatalf("[%d %d %d] matrix %d sequence %d column %d: vector %v, scalar %v", tc.n, tc.t, tc.e, m, s, e, fast[e], slow[e])
					}
				}
			}
		}
	}
}

func BenchmarkTokenStd(b *testing.B) {
	x := randomTensor(b, 42, 114, 51, 3*1280, 1)
	q, _, _ := x.Split()
	dst, scratch := make([]float64, 1280), make([]float64, 51)
	for b.Loop() {
		for s := range 114 {
			TokenStd(q, s, dst, scratch)
		}
	}
}
