//go:build goexperiment.simd && amd64

package tensor

import (
	"math"
	"simd/archsimd"
)

func init() {
	if archsimd.X86.AVX512() {
		fastTokenStd = tokenStdAVX512
	}
}

// tokenStdAVX512 is TokenStd with eight columns at a time in float64
// AVX-512 lanes, kept in registers while the T rows go by (a sequence's
// [T, E] stays in cache between the two passes), with the same corrected
// two-pass formula as meanVar. About 3x the scalar loop on the book's
// [114, 51, 1280] (BenchmarkTokenStd). scratch: [T], for the tail columns
// when 8 does not divide E.
func tokenStdAVX512(x Tensor3, n int, dst, scratch []float64) {
	E, T, stride := x.e, x.t, x.stride
	base := x.rowStart(n, 0)
	data := x.data[base : base+(T-1)*stride+E]
	fT := float64(T)
	vT := archsimd.BroadcastFloat64x8(fT)
	vT1 := archsimd.BroadcastFloat64x8(fT - 1)
	e8 := E &^ 7
	for e := 0; e < e8; e += 8 {
		var sum archsimd.Float64x8
		for i := e; i < len(data); i += stride {
			sum = sum.Add(archsimd.LoadFloat32x8Slice(data[i : i+8]).ConvertToFloat64())
		}
		m := sum.Div(vT)
		var ss, comp archsimd.Float64x8
		for i := e; i < len(data); i += stride {
			d := archsimd.LoadFloat32x8Slice(data[i : i+8]).ConvertToFloat64().Sub(m)
			ss = ss.Add(d.Mul(d))
			comp = comp.Add(d)
		}
		ss.Sub(comp.Mul(comp).Div(vT)).Div(vT1).Sqrt().StoreSlice(dst[e : e+8])
	}
	for e := e8; e < E; e++ {
		for t := range T {
			scratch[t] = float64(data[t*stride+e])
		}
		_, v := meanVar(scratch)
		dst[e] = math.Sqrt(v)
	}
}
