package tensor

import (
	"fmt"
	"math"

	"github.com/qkvport/qkv/internal/parallel"
)

// Tensor4 is a [N, T, H, D] view of a Tensor3 [N, T, H·D]: its last
// dimension split into H heads of D values (Q.view(N, T, H, D)).
type Tensor4 struct {
	x    Tensor3
	h, d int
}

// Shape returns [N, T, H, D].
func (q Tensor4) Shape() []int { return []int{q.x.n, q.x.t, q.h, q.d} }

// Head returns head h of sequence n, q[n, :, h, :]: a Matrix [T, D].
func (q Tensor4) Head(n, h int) Matrix {
	if uint(n) >= uint(q.x.n) || uint(h) >= uint(q.h) {
		panic(fmt.Sprintf("tensor: head [%d, :, %d, :] out of range for %v", n, h, q.Shape()))
	}
	return Matrix{data: q.x.data, off: q.x.rowStart(n, 0) + h*q.d, stride: q.x.stride, r: q.x.t, c: q.d}
}

// Std returns the unbiased standard deviation across the tokens,
// q.std(dim=1), flattened: [N·H·D], sequence by sequence, then head by head.
// Only dim 1 is supported. The sequences are shared among the cores.
func (q Tensor4) Std(dim int) Vector {
	if dim != 1 {
		panic(fmt.Sprintf("tensor: Std(dim=%d) of a heads view: only dim 1 (the tokens) is supported", dim))
	}
	x := q.x
	out := make(Vector, x.n*x.e)
	_ = parallel.For(x.n, func(n int) error {
		TokenStd(x, n, out[n*x.e:(n+1)*x.e], make([]float64, x.t))
		return nil
	})
	return out
}

// TokenStd writes into dst the unbiased standard deviation across the tokens
// of each of the E columns of sequence n of x: [E]. scratch: [T].
func TokenStd(x Tensor3, n int, dst, scratch []float64) {
	if fastTokenStd != nil && x.e >= 8 {
		fastTokenStd(x, n, dst, scratch)
		return
	}
	base := x.rowStart(n, 0)
	for e := range x.e {
		for t := range scratch {
			scratch[t] = float64(x.data[base+t*x.stride+e])
		}
		_, v := meanVar(scratch)
		dst[e] = math.Sqrt(v)
	}
}

// fastTokenStd is TokenStd with vector instructions, where the build and the
// CPU have them (std_simd.go).
var fastTokenStd func(x Tensor3, n int, dst, scratch []float64)
