package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomQKV returns a QKV [n, t, 3·e] of normal values times scale, from a
// fixed seed.
func randomQKV(t testing.TB, seed uint64, n, tt, e int, scale float64) QKV {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	data := make([]float32, n*tt*3*e)
	for i := range data {
		data[i] = float32(r.NormFloat64()*scale + 0.1)
	}
	q, err := NewQKV(data, n, tt, e)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// near reports whether a and b agree within relative tol (with an absolute
// floor of tol·1e-3 for values near zero); NaNs agree with NaNs.
func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))+tol*1e-3
}

// same reports whether a and b are identical, NaN equal to NaN.
func same(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}
