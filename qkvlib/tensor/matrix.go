package tensor

import (
	"fmt"
	"math"
)

// Matrix is a read-only 2-D view [R, C] of float32 activations, such as one
// token of every sequence (x[:, -1, :], [N, E]) or one head of one sequence
// (Qh[0, :, h, :], [T, D]). It has gonum's Dims and At, so pyplot draws it
// and gonum's mat.Matrix functions take it with a T of their own.
type Matrix struct {
	data   []float32
	off    int // offset of element [0, 0]
	stride int // distance between rows
	cs     int // distance between columns: 1, or stride's of the matrix it transposes
	r, c   int
	abs    bool // read |x| (Abs)
}

// Dims returns the shape [R, C].
func (m Matrix) Dims() (r, c int) { return m.r, m.c }

// Shape returns the shape [R, C], as torch's list(m.shape).
func (m Matrix) Shape() []int { return []int{m.r, m.c} }

// At returns element [i, j].
func (m Matrix) At(i, j int) float64 {
	if uint(i) >= uint(m.r) || uint(j) >= uint(m.c) {
		panic(fmt.Sprintf("tensor: index [%d, %d] out of range for %v", i, j, m.Shape()))
	}
	v := float64(m.data[m.off+i*m.stride+j*m.colStride()])
	if m.abs {
		return math.Abs(v)
	}
	return v
}

// T returns the transpose [C, R], m.T, as a view.
func (m Matrix) T() Matrix {
	t := m
	t.r, t.c, t.stride, t.cs = m.c, m.r, m.colStride(), m.stride
	return t
}

// colStride is the distance between columns (the zero cs means 1).
func (m Matrix) colStride() int {
	if m.cs == 0 {
		return 1
	}
	return m.cs
}

// Row returns row i: [C]. It shares the activations' data unless m is an Abs
// or a transposed view; do not modify it.
func (m Matrix) Row(i int) []float32 {
	if uint(i) >= uint(m.r) {
		panic(fmt.Sprintf("tensor: row %d out of range for %v", i, m.Shape()))
	}
	s := m.off + i*m.stride
	if m.colStride() == 1 && !m.abs {
		return m.data[s : s+m.c : s+m.c]
	}
	out := make([]float32, m.c)
	for j := range out {
		out[j] = float32(m.At(i, j))
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
	return m.reduce("Mean", dim, func(x []float32) float64 {
		if m.abs {
			return absSum32(x) / float64(len(x))
		}
		return sum32(x) / float64(len(x))
	})
}

// Var returns the unbiased variance (÷ n-1) along dim, torch.var(m, dim=dim):
// [R] for dim 1, [C] for dim 0. Over one value it is NaN, as in torch.
func (m Matrix) Var(dim int) Vector {
	return m.reduce("Var", dim, func(x []float32) float64 { _, v := rowMeanVar(m.absolute(x)); return v })
}

// Std returns the unbiased standard deviation along dim, torch.std(m,
// dim=dim): [R] for dim 1, [C] for dim 0.
func (m Matrix) Std(dim int) Vector {
	return m.reduce("Std", dim, func(x []float32) float64 { _, v := rowMeanVar(m.absolute(x)); return math.Sqrt(v) })
}

// absolute returns x, or |x| in place when m is an Abs view (x is then a
// copy of m's values).
func (m Matrix) absolute(x []float32) []float32 {
	if m.abs {
		for i, v := range x {
			x[i] = float32(math.Abs(float64(v)))
		}
	}
	return x
}

// reduce applies f to each row (dim 1, or -1) or column (dim 0, or -2) of
// m's stored values (f applies Abs itself).
func (m Matrix) reduce(name string, dim int, f func([]float32) float64) Vector {
	var lines, length int
	var line func(k int, buf []float32) []float32
	switch dim {
	case 1, -1:
		lines, length = m.r, m.c
		line = func(i int, buf []float32) []float32 { return m.stored(i, 0, 0, 1, buf) }
	case 0, -2:
		lines, length = m.c, m.r
		line = func(j int, buf []float32) []float32 { return m.stored(0, j, 1, 0, buf) }
	default:
		panic(fmt.Sprintf("tensor: %s(dim=%d) of a matrix: dim is 0 (down the columns) or 1 (along each row)", name, dim))
	}
	out := make(Vector, lines)
	buf := make([]float32, length)
	for k := range out {
		out[k] = f(line(k, buf))
	}
	return out
}

// stored returns the stored values (not |x|) of the line from [i, j] in
// steps of (di, dj): shared with the activations when they are contiguous
// and m is not an Abs view, else copied into buf.
func (m Matrix) stored(i, j, di, dj int, buf []float32) []float32 {
	start := m.off + i*m.stride + j*m.colStride()
	step := di*m.stride + dj*m.colStride()
	if step == 1 && !m.abs {
		return m.data[start : start+len(buf) : start+len(buf)]
	}
	for k := range buf {
		buf[k] = m.data[start+k*step]
	}
	return buf
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
