//go:build goexperiment.simd && amd64

package tensor

import "simd/archsimd"

func init() {
	if archsimd.X86.AVX512() {
		sum32, absSum32, dev32 = sumAVX512, absSumAVX512, devAVX512
	}
}

// Each reads 16 float32 values per step into two float64x8 accumulators;
// the tail goes through the scalar loop.

func sumAVX512(x []float32) float64 {
	var a, b archsimd.Float64x8
	i := 0
	for ; i+16 <= len(x); i += 16 {
		a = a.Add(archsimd.LoadFloat32x8Slice(x[i : i+8]).ConvertToFloat64())
		b = b.Add(archsimd.LoadFloat32x8Slice(x[i+8 : i+16]).ConvertToFloat64())
	}
	return lanes(a.Add(b)) + sumScalar(x[i:])
}

func absSumAVX512(x []float32) float64 {
	var a, b, zero archsimd.Float64x8
	i := 0
	for ; i+16 <= len(x); i += 16 {
		u := archsimd.LoadFloat32x8Slice(x[i : i+8]).ConvertToFloat64()
		v := archsimd.LoadFloat32x8Slice(x[i+8 : i+16]).ConvertToFloat64()
		a = a.Add(u.Max(zero.Sub(u)))
		b = b.Add(v.Max(zero.Sub(v)))
	}
	return lanes(a.Add(b)) + absSumScalar(x[i:])
}

func devAVX512(x []float32, m float64) (ss, comp float64) {
	mv := archsimd.BroadcastFloat64x8(m)
	var s1, s2, c1, c2 archsimd.Float64x8
	i := 0
	for ; i+16 <= len(x); i += 16 {
		u := archsimd.LoadFloat32x8Slice(x[i : i+8]).ConvertToFloat64().Sub(mv)
		v := archsimd.LoadFloat32x8Slice(x[i+8 : i+16]).ConvertToFloat64().Sub(mv)
		s1, s2 = s1.Add(u.Mul(u)), s2.Add(v.Mul(v))
		c1, c2 = c1.Add(u), c2.Add(v)
	}
	ts, tc := devScalar(x[i:], m)
	return lanes(s1.Add(s2)) + ts, lanes(c1.Add(c2)) + tc
}

// lanes returns the sum of v's eight lanes.
func lanes(v archsimd.Float64x8) float64 {
	var a [8]float64
	v.StoreSlice(a[:])
	return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]))
}
