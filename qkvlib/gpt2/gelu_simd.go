//go:build goexperiment.simd && amd64

package gpt2

import "simd/archsimd"

func init() {
	if archsimd.X86.AVX512() {
		geluNewSlice, geluNewVectorized = geluNewAVX512, true
	}
}

// geluNewAVX512 is geluNewScalar sixteen elements at a time, with fused
// multiply-adds (so it may differ from the scalar loop in the last ulp).
func geluNewAVX512(dst, src []float32) {
	dst = dst[:len(src)]
	var (
		half   = archsimd.BroadcastFloat32x16(0.5)
		one    = archsimd.BroadcastFloat32x16(1)
		minus1 = archsimd.BroadcastFloat32x16(-1)
		c      = archsimd.BroadcastFloat32x16(geluC)
		cubic  = archsimd.BroadcastFloat32x16(geluCubic)
		lo     = archsimd.BroadcastFloat32x16(-tanhClamp)
		hi     = archsimd.BroadcastFloat32x16(tanhClamp)
		num    [len(tanhNum)]archsimd.Float32x16
		den    [len(tanhDen)]archsimd.Float32x16
	)
	for i, v := range tanhNum {
		num[i] = archsimd.BroadcastFloat32x16(v)
	}
	for i, v := range tanhDen {
		den[i] = archsimd.BroadcastFloat32x16(v)
	}
	n16 := len(src) &^ 15
	for i := 0; i < n16; i += 16 {
		x := archsimd.LoadFloat32x16Slice(src[i : i+16])
		x2 := x.Mul(x)
		z := x2.MulAdd(cubic, one).Mul(x).Mul(c) // √(2/π)·(x + 0.044715·x³)
		z = z.Max(lo).Min(hi)
		z2 := z.Mul(z)
		p := z2.MulAdd(num[0], num[1])
		for _, k := range num[2:] {
			p = p.MulAdd(z2, k)
		}
		q := z2.MulAdd(den[0], den[1])
		for _, k := range den[2:] {
			q = q.MulAdd(z2, k)
		}
		t := z.Mul(p).Div(q).Max(minus1).Min(one)
		x.Mul(half).Mul(t.Add(one)).StoreSlice(dst[i : i+16])
	}
	geluNewScalar(dst[n16:], src[n16:])
}
