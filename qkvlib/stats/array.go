package stats

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// All selects a whole dimension in [Array.Slice], [Array.SetSlice] and
// [Array.Matrix], like numpy's ":".
const All = -1 << 62

// Array is a small dense float64 n-dimensional array, row-major, for the
// notebook's result tables: torch.zeros((n_layers, 3, 3, 2)) is Zeros(n_layers,
// 3, 3, 2), descriptives[layeri, 0, :, 0] = T is SetSlice(T, layeri, 0, All, 0),
// and descriptives[:, 0, i, 0] is Slice(All, 0, i, 0).
type Array struct {
	Shape []int
	Data  []float64
}

// Zeros returns an Array of the given shape filled with zeros.
func Zeros(shape ...int) *Array {
	n := 1
	for _, s := range shape {
		if s < 0 {
			panic(fmt.Sprintf("stats: Zeros%v: negative dimension", shape))
		}
		n *= s
	}
	return &Array{Shape: append([]int(nil), shape...), Data: make([]float64, n)}
}

// offsets returns the flat offsets that idx selects (one per value of the All
// dimensions, in order) and which dimensions are All.
func (a *Array) offsets(idx []int) (offs []int, free []int) {
	if len(idx) != len(a.Shape) {
		panic(fmt.Sprintf("stats: %d indices for an array of shape %v", len(idx), a.Shape))
	}
	offs = []int{0}
	for d, i := range idx {
		next := offs[:0:0]
		if i == All {
			free = append(free, d)
			for _, o := range offs {
				for j := range a.Shape[d] {
					next = append(next, o*a.Shape[d]+j)
				}
			}
		} else {
			if i < 0 {
				i += a.Shape[d]
			}
			if i < 0 || i >= a.Shape[d] {
				panic(fmt.Sprintf("stats: index %d out of range for dimension %d of shape %v", idx[d], d, a.Shape))
			}
			for _, o := range offs {
				next = append(next, o*a.Shape[d]+i)
			}
		}
		offs = next
	}
	return offs, free
}

// At returns the value at idx (no All).
func (a *Array) At(idx ...int) float64 { return a.Slice(idx...)[0] }

// Set sets the value at idx (no All) to v.
func (a *Array) Set(v float64, idx ...int) { a.SetSlice([]float64{v}, idx...) }

// Slice returns a copy of the values idx selects, All dimensions varying
// fastest on the right: descriptives[:, 0, i, 0] is Slice(All, 0, i, 0).
// A negative index counts from the end.
func (a *Array) Slice(idx ...int) []float64 {
	offs, _ := a.offsets(idx)
	out := make([]float64, len(offs))
	for k, o := range offs {
		out[k] = a.Data[o]
	}
	return out
}

// SetSlice copies v into the values idx selects, in Slice's order. It panics
// unless len(v) is the number selected.
func (a *Array) SetSlice(v []float64, idx ...int) {
	offs, _ := a.offsets(idx)
	if len(v) != len(offs) {
		panic(fmt.Sprintf("stats: assigning %d values to %d places %v of shape %v", len(v), len(offs), idx, a.Shape))
	}
	for k, o := range offs {
		a.Data[o] = v[k]
	}
}

// Matrix returns a copy of the values idx selects as a gonum matrix; idx
// must hold exactly two All: histograms[:, i, :, 0] is Matrix(All, i, All, 0),
// [n_layers, bins].
func (a *Array) Matrix(idx ...int) *mat.Dense {
	offs, free := a.offsets(idx)
	if len(free) != 2 {
		panic(fmt.Sprintf("stats: Matrix%v of shape %v needs exactly two All dimensions", idx, a.Shape))
	}
	r, c := a.Shape[free[0]], a.Shape[free[1]]
	out := mat.NewDense(r, c, nil)
	for k, o := range offs {
		out.Set(k/c, k%c, a.Data[o])
	}
	return out
}

// DiffLast returns x[idx].diff(dim=-1) for a last dimension of 2: the second
// value minus the first (non-target minus target) of the values idx selects,
// whose last index must be All.
func (a *Array) DiffLast(idx ...int) []float64 {
	v := a.lastPairs(idx)
	out := make([]float64, len(v)/2)
	for i := range out {
		out[i] = v[2*i+1] - v[2*i]
	}
	return out
}

// MeanLast returns x[idx].mean(dim=-1) for a last dimension of 2: the mean of
// the two values (target and non-target) of the values idx selects, whose
// last index must be All.
func (a *Array) MeanLast(idx ...int) []float64 {
	v := a.lastPairs(idx)
	out := make([]float64, len(v)/2)
	for i := range out {
		out[i] = (v[2*i] + v[2*i+1]) / 2
	}
	return out
}

// lastPairs returns Slice(idx...) after checking that the last dimension is
// All and of size 2.
func (a *Array) lastPairs(idx []int) []float64 {
	if len(idx) == 0 || idx[len(idx)-1] != All || a.Shape[len(a.Shape)-1] != 2 {
		panic(fmt.Sprintf("stats: %v of shape %v: the last dimension must be All and of size 2", idx, a.Shape))
	}
	return a.Slice(idx...)
}
