package describe

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/qkvport/qkv/qkvlib/tensor"
)

// randomQKV returns a tensor.Tensor3 [n, t, 3·e] of normal values times scale, from a
// fixed seed.
func randomQKV(t testing.TB, seed uint64, n, tt, e int, scale float64) tensor.Tensor3 {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	data := make([]float32, n*tt*3*e)
	for i := range data {
		data[i] = float32(r.NormFloat64()*scale + 0.1)
	}
	q, err := tensor.New(data, n, tt, 3*e)
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

// qN returns the number of sequences of q.
func qN(q tensor.Tensor3) int {
	n, _, _ := q.Dims()
	return n
}

// rowsOf returns every value of q, row-major: [N·T·E].
func rowsOf(q tensor.Tensor3) []float32 {
	n, t, _ := q.Dims()
	var out []float32
	for i := range n {
		for j := range t {
			out = append(out, q.Row(i, j)...)
		}
	}
	return out
}
