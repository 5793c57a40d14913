package tensor

import (
	"fmt"
)

// Tensor3 is a read-only view [N, T, E] of float32 activations: N sequences
// of T tokens of E values. A token's E values are contiguous; consecutive
// tokens are a stride apart (3·E for the Q, K and V blocks of a capture).
type Tensor3 struct {
	data    []float32
	off     int // offset of element [0, 0, 0]
	stride  int // distance between consecutive tokens' rows
	n, t, e int
}

// New returns data as a Tensor3 [n, t, e], row-major, without copying: a
// layer's capture is New(data, N, T, 3·E). It fails unless the sizes are
// positive and len(data) = n·t·e.
func New(data []float32, n, t, e int) (Tensor3, error) {
	if n < 1 || t < 1 || e < 1 {
		return Tensor3{}, fmt.Errorf("tensor: shape [%d, %d, %d]: every size must be at least 1", n, t, e)
	}
	if len(data) != n*t*e {
		return Tensor3{}, fmt.Errorf("tensor: shape [%d, %d, %d] needs %d values, have %d", n, t, e, n*t*e, len(data))
	}
	return Tensor3{data: data, stride: e, n: n, t: t, e: e}, nil
}

// Dims returns the shape.
func (x Tensor3) Dims() (n, t, e int) { return x.n, x.t, x.e }

// Shape returns the shape [N, T, E], as torch's list(x.shape).
func (x Tensor3) Shape() []int { return []int{x.n, x.t, x.e} }

// IsEmpty reports whether x holds no value (the zero Tensor3 does not).
func (x Tensor3) IsEmpty() bool { return x.n*x.t*x.e == 0 }

// String describes x by its shape, e.g. "tensor [114 51 1280]".
func (x Tensor3) String() string { return fmt.Sprintf("tensor %v", x.Shape()) }

// At returns element [n, t, e].
func (x Tensor3) At(n, t, e int) float32 {
	if uint(n) >= uint(x.n) || uint(t) >= uint(x.t) || uint(e) >= uint(x.e) {
		panic(fmt.Sprintf("tensor: index [%d, %d, %d] out of range for %v", n, t, e, x.Shape()))
	}
	return x.data[x.rowStart(n, t)+e]
}

// Row returns the E values [n, t, :], sharing x's data. Do not modify them.
func (x Tensor3) Row(n, t int) []float32 {
	if uint(n) >= uint(x.n) || uint(t) >= uint(x.t) {
		panic(fmt.Sprintf("tensor: row [%d, %d, :] out of range for %v", n, t, x.Shape()))
	}
	s := x.rowStart(n, t)
	return x.data[s : s+x.e : s+x.e]
}

func (x Tensor3) rowStart(n, t int) int { return x.off + (n*x.t+t)*x.stride }

// Token returns token t of every sequence, x[:, t, :]: a Matrix [N, E]. A
// negative t counts from the end, as in Python: -1 is the target, -2 the
// token before it.
func (x Tensor3) Token(t int) Matrix {
	if x.IsEmpty() {
		return Matrix{}
	}
	if t < 0 {
		t += x.t
	}
	if t < 0 || t >= x.t {
		panic(fmt.Sprintf("tensor: token %d out of range for %d tokens", t, x.t))
	}
	return Matrix{data: x.data, off: x.off + t*x.stride, stride: x.t * x.stride, r: x.n, c: x.e}
}

// Split returns the three equal blocks of x's last dimension, as
// torch.split(x, E/3, dim=-1) does to a capture's Q | K | V: zero-copy views
// [N, T, E/3]. It panics unless E is a multiple of 3.
func (x Tensor3) Split() (q, k, v Tensor3) {
	if x.IsEmpty() {
		return
	}
	if x.e%3 != 0 {
		panic(fmt.Sprintf("tensor: Split of %v: the last dimension is not Q | K | V (not a multiple of 3)", x.Shape()))
	}
	w := x.e / 3
	block := func(i int) Tensor3 {
		b := x
		b.off, b.e = x.off+i*w, w
		return b
	}
	return block(0), block(1), block(2)
}

// Sequences returns sequences [i, j), x[i:j], sharing x's data.
func (x Tensor3) Sequences(i, j int) Tensor3 {
	if i < 0 || j > x.n || i > j {
		panic(fmt.Sprintf("tensor: sequences [%d:%d] out of range for %v", i, j, x.Shape()))
	}
	s := x
	s.off, s.n = x.off+i*x.t*x.stride, j-i
	return s
}

// View returns x as [n, t, h, d], x.view(n, t, h, d): the last dimension
// split into h heads of d values. n and t must be x's; h·d must be E.
func (x Tensor3) View(n, t, h, d int) Tensor4 {
	if x.IsEmpty() {
		return Tensor4{}
	}
	if n != x.n || t != x.t || h < 1 || h*d != x.e {
		panic(fmt.Sprintf("tensor: cannot view %v as [%d, %d, %d, %d]: N and T stay, and heads × head_dim must be %d", x.Shape(), n, t, h, d, x.e))
	}
	return Tensor4{x: x, h: h, d: d}
}
