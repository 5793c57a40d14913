package tensor

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Matrix is a read-only 2-D view [R, C] of float32 activations, such as one
// token of every sequence (x[:, -1, :], [N, E]) or one head of one sequence
// (Qh[0, :, h, :], [T, D]). It is a gonum mat.Matrix, so it can be plotted
// or multiplied as it is.
type Matrix struct {
	data   []float32
	off    int // offset of element [0, 0]
	stride int // distance between rows
	r, c   int
	abs    bool // read |x| (Abs)
}

var _ mat.Matrix = Matrix{}

// Dims returns the shape [R, C].
func (m Matrix) Dims() (r, c int) { return m.r, m.c }

// Shape returns the shape [R, C], as torch's list(m.shape).
func (m Matrix) Shape() []int { return []int{m.r, m.c} }

// At returns element [i, j].
func (m Matrix) At(i, j int) float64 {
	if uint(i) >= uint(m.r) || uint(j) >= uint(m.c) {
		panic(fmt.Sprintf("tensor: index [%d, %d] out of range for %v", i, j, m.Shape()))
	}
	v := float64(m.data[m.off+i*m.stride+j])
	if m.abs {
		return math.Abs(v)
	}
	return v
}

// T returns the transpose [C, R], m.T.
func (m Matrix) T() mat.Matrix { return mat.Transpose{Matrix: m} }

// Row returns row i: [C]. It shares the activations' data unless m is an Abs
// view; do not modify it.
func (m Matrix) Row(i int) []float32 {
	if uint(i) >= uint(m.r) {
		panic(fmt.Sprintf("tensor: row %d out of range for %v", i, m.Shape()))
	}
	s := m.off + i*m.stride
	row := m.data[s : s+m.c : s+m.c]
	if !m.abs {
		return row
	}
	out := make([]float32, len(row))
	for j, v := range row {
		out[j] = float32(math.Abs(float64(v)))
	}
	return out
}

// Abs returns |m|, torch.abs(m), as a view.
func (m Matrix) Abs() Matrix {
	m.abs = true
	return m
}

// Flatten returns a copy of the values, row after row: [R·C], as
// m.flatten().
func (m Matrix) Flatten() []float32 {
	out := make([]float32, 0, m.r*m.c)
	for i := range m.r {
		out = append(out, m.Row(i)...)
	}
	return out
}

// Mean returns the mean along dim, torch.mean(m, dim=dim): dim 1 gives each
// row's mean [R], dim 0 each column's [C].
func (m Matrix) Mean(dim int) Vector {
	return m.reduce("Mean", dim, func(x []float64) float64 { mean, _ := meanVar(x); return mean })
}

// Var returns the unbiased variance (÷ n-1) along dim, torch.var(m, dim=dim):
// [R] for dim 1, [C] for dim 0. Over one value it is NaN, as in torch.
func (m Matrix) Var(dim int) Vector {
	return m.reduce("Var", dim, func(x []float64) float64 { _, v := meanVar(x); return v })
}

// Std returns the unbiased standard deviation along dim, torch.std(m,
// dim=dim): [R] for dim 1, [C] for dim 0.
func (m Matrix) Std(dim int) Vector {
	return m.reduce("Std", dim, func(x []float64) float64 { _, v := meanVar(x); return math.Sqrt(v) })
}

// reduce applies f to each row (dim 1, or -1) or column (dim 0, or -2).
func (m Matrix) reduce(name string, dim int, f func([]float64) float64) Vector {
	var lines, length int
	var fill func(k int, dst []float64)
	switch dim {
	case 1, -1:
		lines, length = m.r, m.c
		fill = func(i int, dst []float64) {
			for j := range dst {
				dst[j] = m.At(i, j)
			}
		}
		if !m.abs {
			fill = func(i int, dst []float64) {
				for j, v := range m.Row(i) {
					dst[j] = float64(v)
				}
			}
		}
	case 0, -2:
		lines, length = m.c, m.r
		fill = func(j int, dst []float64) {
			for i := range dst {
				dst[i] = m.At(i, j)
			}
		}
	default:
		panic(fmt.Sprintf("tensor: %s(dim=%d) of a matrix: dim is 0 (down the columns) or 1 (along each row)", name, dim))
	}
	out := make(Vector, lines)
	line := make([]float64, length)
	for k := range out {
		fill(k, line)
		out[k] = f(line)
	}
	return out
}

// meanVar returns the mean and the unbiased variance of x, with the
// corrected two-pass formula (gonum's stat.MeanVariance); NaN when undefined.
func meanVar(x []float64) (mean, variance float64) {
	n := float64(len(x))
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	var sum float64
	for _, v := range x {
		sum += v
	}
	mean = sum / n
	var ss, comp float64
	for _, v := range x {
		d := v - mean
		ss += d * d
		comp += d
	}
	return mean, (ss - comp*comp/n) / (n - 1)
}

// Vector is a 1-D result of a reduction.
type Vector []float64

// Mean returns the mean of every value, torch's .mean(); NaN when v is empty.
func (v Vector) Mean() float64 {
	mean, _ := meanVar(v)
	return mean
}
