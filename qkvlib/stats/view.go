package stats

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Plane is a read-only 2-D view of one token position of a [QKV] or a
// [Matrix]: row n is sequence n's values at that token, e.g. Q[:, -1, :].
// It implements gonum's mat.Matrix, so it can be plotted or multiplied as is.
//
// Shape: [N, E] (or [N, 3·E] for a QKV).
type Plane struct {
	data   []float32
	base   int // offset of row 0's first value
	stride int // distance between rows
	n, e   int
}

var _ mat.Matrix = Plane{}

// Dims returns the shape [N, E].
func (p Plane) Dims() (r, c int) { return p.n, p.e }

// At returns element [i, j].
func (p Plane) At(i, j int) float64 {
	if uint(i) >= uint(p.n) || uint(j) >= uint(p.e) {
		panic(errIndex)
	}
	return float64(p.data[p.base+i*p.stride+j])
}

// T returns the transpose [E, N].
func (p Plane) T() mat.Matrix { return mat.Transpose{Matrix: p} }

// Row returns row i's values, sharing the activations' data: [E]. Do not
// modify them.
func (p Plane) Row(i int) []float32 {
	if uint(i) >= uint(p.n) {
		panic(errIndex)
	}
	start := p.base + i*p.stride
	return p.data[start : start+p.e : start+p.e]
}

// Flatten returns a copy of the values, row after row: [N·E], as
// torch's X[:, -1, :].flatten().
func (p Plane) Flatten() []float32 {
	out := make([]float32, 0, p.n*p.e)
	for i := range p.n {
		out = append(out, p.Row(i)...)
	}
	return out
}

// token resolves a token index t of T tokens, counting from the end when
// negative as Python does (-1 is the last), and panics when out of range.
func token(t, T int) int {
	if t < 0 {
		t += T
	}
	if t < 0 || t >= T {
		panic(fmt.Sprintf("stats: token %d out of range for %d tokens", t, T))
	}
	return t
}

// Token returns the values at token position t of every sequence, X[:, t, :]:
// [N, E]. A negative t counts from the end: -1 is the target, -2 the token
// before it.
func (m Matrix) Token(t int) Plane {
	t = token(t, m.t)
	return Plane{data: m.data, base: t*3*m.e + m.off, stride: m.t * 3 * m.e, n: m.n, e: m.e}
}

// Token returns the Q|K|V values at token position t of every sequence,
// activations[:, t, :]: [N, 3·E]. A negative t counts from the end.
func (q QKV) Token(t int) Plane {
	q.mustCheck()
	t = token(t, q.T)
	w := 3 * q.E
	return Plane{data: q.Data, base: t * w, stride: q.T * w, n: q.N, e: w}
}

// Shape returns [N, T, E], as torch's list(Q.shape).
func (m Matrix) Shape() []int { return []int{m.n, m.t, m.e} }

// Shape returns [N, T, 3·E].
func (q QKV) Shape() []int { return []int{q.N, q.T, 3 * q.E} }

// Split splits x's last axis into blocks of width nEmb, as torch.split(x,
// nEmb, dim=-1) does for Q|K|V: zero-copy views, each [N, T, nEmb]. It panics
// unless nEmb is x's E.
func Split(x QKV, nEmb int) (Q, K, V Matrix) {
	if nEmb != x.E {
		panic(fmt.Sprintf("stats: Split into blocks of %d: the activations are [%d, %d, 3·%d], so n_emb must be %d", nEmb, x.N, x.T, x.E, x.E))
	}
	return x.Split()
}
