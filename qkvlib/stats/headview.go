package stats

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Heads is a read-only view [N, T, H, D] of a [Matrix] [N, T, H·D]: the E
// columns grouped into H heads of D, as torch's Q.view(N, T, H, D). No data is
// copied.
type Heads struct {
	m    Matrix
	h, d int
}

// View returns X viewed as [n, t, h, d], as torch's X.view(n, t, h, d): n and t
// must be X's N and T, and h·d its E. View panics otherwise.
func (m Matrix) View(n, t, h, d int) Heads {
	if n != m.n || t != m.t || h*d != m.e || h < 1 {
		panic(fmt.Sprintf("stats: cannot view [%d, %d, %d] as [%d, %d, %d, %d]: need N, T the same and heads × head_dim = %d",
			m.n, m.t, m.e, n, t, h, d, m.e))
	}
	return Heads{m: m, h: h, d: d}
}

// Shape returns [N, T, H, D].
func (x Heads) Shape() []int { return []int{x.m.n, x.m.t, x.h, x.d} }

// Head returns sequence n's head h, Qh[n, :, h, :]: [T, D], a mat.Matrix
// sharing the activations' data (its T() is Qh[n, :, h, :].T, [D, T]).
func (x Heads) Head(n, h int) mat.Matrix {
	if uint(n) >= uint(x.m.n) || uint(h) >= uint(x.h) {
		panic(fmt.Sprintf("stats: head [%d, :, %d, :] out of range for [%d, %d, %d, %d]", n, h, x.m.n, x.m.t, x.h, x.d))
	}
	stride := 3 * x.m.e
	return Plane{data: x.m.data, base: n*x.m.t*stride + x.m.off + h*x.d, stride: stride, n: x.m.t, e: x.d}
}

// Std returns the unbiased standard deviation along dimension dim, which must
// be 1 (the tokens), as torch's Xh.std(dim=1): [N·H·D], in [N, H, D] order.
// gonum's stat.Mean of it is the book's Xh.std(dim=1).mean().
func (x Heads) Std(dim int) []float64 {
	if dim != 1 {
		panic(fmt.Sprintf("stats: Heads.Std(dim=%d): only the token dimension, 1, is supported", dim))
	}
	m := x.m
	out := make([]float64, 0, m.n*m.e)
	col := make([]float64, m.t)
	stride := 3 * m.e
	for n := range m.n {
		base := n*m.t*stride + m.off
		for e := range m.e {
			for t := range col {
				col[t] = float64(m.data[base+t*stride+e])
			}
			out = append(out, stat.StdDev(col, nil))
		}
	}
	return out
}
