package gpt2

// This file is gelu_new on float32 slices, for the go backend: its fused
// GELU evaluates math.Tanh in float64 one element at a time, about a sixth
// of the whole forward. Here tanh is the [13/6] rational approximation that
// Eigen, XLA's CPU backend and ONNX Runtime's MLAS use for float32 tanh,
// within a few float32 ulp of float64 gelu_new (gelu_test.go checks it
// against math.Tanh). Its input is clamped to ±10, where the rational
// function passes ±1, and its result to [−1, 1], so that gelu_new(x) is
// exactly 0 for large negative x and exactly x for large positive x.

// geluNewSlice writes gelu_new(src[i]) = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
// into dst[i]; dst and src have the same length and may be the same slice.
// It is the AVX-512 version when the build and the CPU have it
// (gelu_simd.go), else geluNewScalar.
var geluNewSlice = geluNewScalar

// geluNewVectorized says geluNewSlice is the AVX-512 version: 25x the go
// backend's fused GELU, where the scalar loop only matches it. The go
// backend's forward runs gelu_new here only then (Model.hostGelu).
var geluNewVectorized = false

const (
	geluC     = 0.7978845608028654 // √(2/π)
	geluCubic = 0.044715

	tanhClamp = 10 // the rational tanh passes ±1 before this
)

// Numerator (odd, α₁…α₁₃) and denominator (even, β₀…β₆) of the rational
// tanh, highest power first, as Eigen states them.
var (
	tanhNum = [7]float32{-2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11,
		5.12229709037114e-08, 1.48572235717979e-05, 6.37261928875436e-04, 4.89352455891786e-03}
	tanhDen = [4]float32{1.19825839466702e-06, 1.18534705686654e-04, 2.26843463243900e-03,
		4.89352518554385e-03}
)

// tanh32 is the rational tanh of x in float32.
func tanh32(x float32) float32 {
	x = min(max(x, -tanhClamp), tanhClamp)
	x2 := x * x
	p := tanhNum[0]
	for _, c := range tanhNum[1:] {
		p = p*x2 + c
	}
	q := tanhDen[0]
	for _, c := range tanhDen[1:] {
		q = q*x2 + c
	}
	return min(max(x*p/q, -1), 1)
}

func geluNewScalar(dst, src []float32) {
	dst = dst[:len(src)]
	for i, x := range src {
		inner := geluC * (x + geluCubic*x*x*x)
		dst[i] = 0.5 * x * (1 + tanh32(inner))
	}
}
