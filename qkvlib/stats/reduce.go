package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Mean returns the arithmetic mean of m along dimension dim, as
// torch.mean(m, dim=dim): dim 1 gives each row's mean ([rows]), dim 0 each
// column's ([cols]). The book's "means of means" is then gonum's
// stat.Mean(stats.Mean(Q.Token(-1), 1), nil).
func Mean(m mat.Matrix, dim int) []float64 {
	return reduce(m, dim, func(x []float64) float64 { return stat.Mean(x, nil) })
}

// Var returns the unbiased variance (÷ n-1) of m along dimension dim, as
// torch.var(m, dim=dim): [rows] for dim 1, [cols] for dim 0. It is NaN for a
// single value, as in torch.
func Var(m mat.Matrix, dim int) []float64 {
	return reduce(m, dim, func(x []float64) float64 { return stat.Variance(x, nil) })
}

// Abs returns the element-wise absolute value of m, as torch.abs(m), a view
// that computes |m[i, j]| when read.
func Abs(m mat.Matrix) mat.Matrix { return absView{m} }

type absView struct{ m mat.Matrix }

func (a absView) Dims() (r, c int)         { return a.m.Dims() }
func (a absView) At(i, j int) float64      { return math.Abs(a.m.At(i, j)) }
func (a absView) T() mat.Matrix            { return mat.Transpose{Matrix: a} }
func (a absView) row(i int, dst []float64) { fillRow(a.m, i, dst); absInPlace(dst) }

func absInPlace(x []float64) {
	for i, v := range x {
		x[i] = math.Abs(v)
	}
}

// rowFiller is a matrix that copies a row faster than At can.
type rowFiller interface{ row(i int, dst []float64) }

func (p Plane) row(i int, dst []float64) {
	for j, v := range p.Row(i) {
		dst[j] = float64(v)
	}
}

// fillRow copies row i of m into dst: [cols].
func fillRow(m mat.Matrix, i int, dst []float64) {
	if f, ok := m.(rowFiller); ok {
		f.row(i, dst)
		return
	}
	for j := range dst {
		dst[j] = m.At(i, j)
	}
}

// reduce applies f to each row (dim 1) or column (dim 0) of m.
func reduce(m mat.Matrix, dim int, f func([]float64) float64) []float64 {
	switch dim {
	case 1:
	case 0:
		m = mat.Transpose{Matrix: m}
	default:
		panic(fmt.Sprintf("stats: dim %d of a 2-D matrix: use 0 (down the rows) or 1 (along each row)", dim))
	}
	r, c := m.Dims()
	out := make([]float64, r)
	row := make([]float64, c)
	for i := range r {
		fillRow(m, i, row)
		out[i] = f(row)
	}
	return out
}
