package tensor

import (
	"fmt"
	"slices"
)

// All selects a whole dimension in an index, like numpy's ":".
const All = -1 << 62

// Array is a dense float64 n-d array, row-major, for the notebook's result
// tables. A 2-D Array has gonum's Dims and At, so pyplot draws it. A nil
// *Array is empty.
type Array struct {
	shape []int
	data  []float64
}

// Zeros returns an Array of the given shape filled with zeros,
// torch.zeros(shape).
func Zeros(shape ...int) *Array {
	n := 1
	for _, s := range shape {
		if s < 0 {
			panic(fmt.Sprintf("tensor: Zeros%v: negative size", shape))
		}
		n *= s
	}
	return &Array{shape: slices.Clone(shape), data: make([]float64, n)}
}

// FromValues returns values as an Array of the given shape (sharing them),
// or an error when their number does not fit it.
func FromValues(values []float64, shape ...int) (*Array, error) {
	a := &Array{shape: slices.Clone(shape), data: values}
	n := 1
	for _, s := range shape {
		n *= s
	}
	if n != len(values) {
		return nil, fmt.Errorf("tensor: %d values do not fill shape %v", len(values), shape)
	}
	return a, nil
}

// Shape returns the shape, as torch's list(a.shape).
func (a *Array) Shape() []int {
	if a == nil {
		return nil
	}
	return slices.Clone(a.shape)
}

// Data returns the values in row-major order, sharing them.
func (a *Array) Data() []float64 {
	if a == nil {
		return nil
	}
	return a.data
}

// String describes a by its shape, e.g. "array [36 3 3 2]".
func (a *Array) String() string { return fmt.Sprintf("array %v", a.Shape()) }

// Item returns the value of a one-value Array, a.item().
func (a *Array) Item() float64 {
	if a == nil || len(a.data) != 1 {
		panic(fmt.Sprintf("tensor: Item of an array of shape %v: it needs exactly one value", a.Shape()))
	}
	return a.data[0]
}

// Set sets the value at idx (no All) to v: a[idx] = v.
func (a *Array) Set(v float64, idx ...int) { a.SetSlice([]float64{v}, idx...) }

// SetSlice copies v into the values idx selects, in Slice's order:
// descriptives[layeri, 0, :, 0] = T is SetSlice(T, layeri, 0, All, 0). It
// panics unless len(v) is the number of values selected. A nil v, what a
// failed declaration (or an exercise's unfilled blank) leaves, sets nothing.
func (a *Array) SetSlice(v []float64, idx ...int) {
	if a == nil || v == nil {
		return
	}
	offs, _ := a.offsets(idx)
	if len(v) != len(offs) {
		panic(fmt.Sprintf("tensor: assigning %d values to %d places %s of shape %v", len(v), len(offs), indexString(idx), a.shape))
	}
	for k, o := range offs {
		a.data[o] = v[k]
	}
}

// Slice returns a copy of the values idx selects, a[idx], as an Array of
// the All dimensions: Slice(All, 0, i, All) of a [n_layers, 3, 3, 2] array
// is descriptives[:, 0, i, :], [n_layers, 2]. A negative index counts from
// the end.
func (a *Array) Slice(idx ...int) *Array {
	if a == nil {
		return nil
	}
	offs, free := a.offsets(idx)
	out := &Array{shape: make([]int, len(free)), data: make([]float64, len(offs))}
	for k, d := range free {
		out.shape[k] = a.shape[d]
	}
	for k, o := range offs {
		out.data[k] = a.data[o]
	}
	return out
}

// Mean returns the mean along dimension dim (-1 is the last), a.mean(dim=dim).
func (a *Array) Mean(dim int) *Array {
	return a.alongDim("Mean", dim, func(v []float64) float64 { mean, _ := meanVar(v); return mean })
}

// Diff returns the difference of the two values along dimension dim, which
// must be of size 2: a.diff(dim=dim), the second minus the first (for the
// chapter's [..., 2] tables, non-target minus target).
func (a *Array) Diff(dim int) *Array {
	return a.alongDim("Diff", dim, func(v []float64) float64 {
		if len(v) != 2 {
			panic(fmt.Sprintf("tensor: Diff along a dimension of size %d: only size 2 is supported", len(v)))
		}
		return v[1] - v[0]
	})
}

// alongDim reduces dimension dim with f, dropping it.
func (a *Array) alongDim(name string, dim int, f func([]float64) float64) *Array {
	if a == nil {
		return nil
	}
	if dim < 0 {
		dim += len(a.shape)
	}
	if dim < 0 || dim >= len(a.shape) {
		panic(fmt.Sprintf("tensor: %s(dim) of an array of shape %v: no such dimension", name, a.shape))
	}
	inner := 1
	for _, s := range a.shape[dim+1:] {
		inner *= s
	}
	size := a.shape[dim]
	shape := slices.Delete(slices.Clone(a.shape), dim, dim+1)
	out := Zeros(shape...)
	line := make([]float64, size)
	for k := range out.data {
		outer, in := k/inner, k%inner
		for j := range size {
			line[j] = a.data[(outer*size+j)*inner+in]
		}
		out.data[k] = f(line)
	}
	return out
}

// Dims returns the shape of a 2-D Array; it panics for another number of
// dimensions.
func (a *Array) Dims() (r, c int) {
	if a == nil {
		return 0, 0
	}
	if len(a.shape) != 2 {
		panic(fmt.Sprintf("tensor: an array of shape %v is not a matrix: Slice it down to 2 dimensions", a.shape))
	}
	return a.shape[0], a.shape[1]
}

// At returns element [i, j] of a 2-D Array.
func (a *Array) At(i, j int) float64 {
	r, c := a.Dims()
	if uint(i) >= uint(r) || uint(j) >= uint(c) {
		panic(fmt.Sprintf("tensor: index [%d, %d] out of range for %v", i, j, a.shape))
	}
	return a.data[i*c+j]
}

// T returns the transpose of a 2-D Array (a copy).
func (a *Array) T() *Array {
	r, c := a.Dims()
	t := Zeros(c, r)
	for i := range r {
		for j := range c {
			t.data[j*r+i] = a.data[i*c+j]
		}
	}
	return t
}

// offsets returns the flat offsets that idx selects (one per value of the
// All dimensions, in row-major order) and which dimensions are All.
func (a *Array) offsets(idx []int) (offs []int, free []int) {
	if len(idx) != len(a.shape) {
		panic(fmt.Sprintf("tensor: %d indices %s for an array of shape %v", len(idx), indexString(idx), a.shape))
	}
	offs = []int{0}
	for d, i := range idx {
		next := offs[:0:0]
		if i == All {
			free = append(free, d)
			for _, o := range offs {
				for j := range a.shape[d] {
					next = append(next, o*a.shape[d]+j)
				}
			}
		} else {
			if i < 0 {
				i += a.shape[d]
			}
			if i < 0 || i >= a.shape[d] {
				panic(fmt.Sprintf("tensor: index %s out of range for shape %v", indexString(idx), a.shape))
			}
			for _, o := range offs {
				next = append(next, o*a.shape[d]+i)
			}
		}
		offs = next
	}
	return offs, free
}

// indexString writes idx as numpy would, with ":" for All: "[3, :, 0]".
func indexString(idx []int) string {
	s := "["
	for k, i := range idx {
		if k > 0 {
			s += ", "
		}
		if i == All {
			s += ":"
		} else {
			s += fmt.Sprint(i)
		}
	}
	return s + "]"
}
