//go:build goexperiment.simd && amd64

package stats

import (
	"simd/archsimd"

	"gonum.org/v1/gonum/stat"
)

func init() {
	if archsimd.X86.AVX512() {
		fastStdevSum = stdevSumAVX512
	}
}

// stdevSumAVX512 is sequenceStdevSum with eight columns at a time in
// float64 AVX-512 lanes, kept in registers while the T rows go by (a
// sequence's [T, E] stays in cache between the two passes): gonum's
// two-pass formula, its means rounded differently only by gonum's unrolled
// summation. It is the statistics pass's largest cost, and this is about 3x
// the scalar version (BenchmarkLayer/HeadStdev, the book's [114, 51, 1280]:
// 4–5 ms against 14–17 ms). scratch: [T] (the tail columns, when 8 does not
// divide E).
func stdevSumAVX512(X Matrix, n int, scratch []float64) float64 {
	E, T := X.e, X.t
	stride := 3 * E
	base := n*T*stride + X.off
	data := X.data[base : base+(T-1)*stride+E]
	fT := float64(T)
	vT := archsimd.BroadcastFloat64x8(fT)
	var lanes [8]float64
	var sum float64
	e8 := E &^ 7
	for e := 0; e < e8; e += 8 {
		var m archsimd.Float64x8
		for i := e; i < len(data); i += stride {
			m = m.Add(archsimd.LoadFloat32x8Slice(data[i : i+8]).ConvertToFloat64())
		}
		m = m.Div(vT)
		var ss, comp archsimd.Float64x8
		for i := e; i < len(data); i += stride {
			d := archsimd.LoadFloat32x8Slice(data[i : i+8]).ConvertToFloat64().Sub(m)
			ss = ss.Add(d.Mul(d))
			comp = comp.Add(d)
		}
		variance := ss.Sub(comp.Mul(comp).Div(vT)).Div(archsimd.BroadcastFloat64x8(fT - 1))
		variance.Sqrt().StoreSlice(lanes[:])
		for _, v := range lanes {
			sum += v
		}
	}
	col := scratch[:T]
	for e := e8; e < E; e++ {
		for t := range T {
			col[t] = float64(data[t*stride+e])
		}
		sum += stat.StdDev(col, nil)
	}
	return sum
}
