package tensor

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomTensor returns a Tensor3 [n, t, e] of normal values times scale plus
// 0.1, from a fixed seed.
func randomTensor(t testing.TB, seed uint64, n, tt, e int, scale float64) Tensor3 {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	data := make([]float32, n*tt*e)
	for i := range data {
		data[i] = float32(r.NormFloat64()*scale + 0.1)
	}
	x, err := New(data, n, tt, e)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// near reports whether a and b agree within relative tol (with an absolute
// floor of tol·1e-3 for values near zero); NaNs agree with NaNs.
func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))+tol*1e-3
}
