package tensor

import (
	"fmt"
	"math"
)

// Linspace returns the n points that torch.linspace(lo, hi, n) returns on the
// CPU in its default dtype, float32, widened exactly to float64: [n].
//
// The book's histogram edges are torch.linspace(-7, 7, 234) and
// torch.linspace(-4, 4, 101), and torch.histogram compares float32 values
// with these float32 edges. Any float32 value compares with the widened edges
// exactly as with torch's, so bin assignment agrees bit for bit. Plain float64
// edges (lo + i·(hi-lo)/(n-1)) would not: they move values that lie exactly
// on an edge into the neighbouring bin.
//
// torch's CPU kernel computes, in float32, step = (hi-lo)/(n-1) and
// point i = lo + step·i for i < n/2, else hi - step·(n-1-i), so that both
// ends are exact. Compilers may contract a + b·c into a fused multiply-add
// (one rounding instead of two), and torch's released CPU builds do: torch
// 1.12.1 on x86-64 Linux returns -2⁻²⁷ for torch.linspace(-0.5, 0.5, 11)[5]
// (pytorch issue 94809), which only one rounding gives; two give 0.
// Linspace rounds once. It matters: 80 of the 234 points of (-7, 7, 234) and
// 37 of the 101 of (-4, 4, 101) differ by one float32 step between the two.
//
// n = 1 gives [lo] and n = 0 an empty slice, as torch does. Linspace panics
// for n < 0 and for lo or hi that is not finite in float32.
func Linspace(lo, hi float64, n int) []float64 {
	if n < 0 {
		panic(fmt.Sprintf("tensor: Linspace with n = %d < 0", n))
	}
	if f, g := float64(float32(lo)), float64(float32(hi)); math.IsNaN(f-f) || math.IsNaN(g-g) {
		panic(fmt.Sprintf("tensor: Linspace(%v, %v, %d): bounds must be finite float32 values", lo, hi, n))
	}
	out := make([]float64, n)
	if n == 0 {
		return out
	}
	start, end := float32(lo), float32(hi)
	if n == 1 {
		out[0] = float64(start)
		return out
	}
	step := float32(end-start) / float32(n-1)
	half := n / 2
	for i := range out {
		if i < half {
			out[i] = float64(fusedMulAdd32(start, step, float32(i), false))
		} else {
			out[i] = float64(fusedMulAdd32(end, step, float32(n-1-i), true))
		}
	}
	return out
}

// fusedMulAdd32 returns a + b·c (or a - b·c when sub) rounded once to the
// nearest float32, ties to even, like a float32 fused multiply-add. The
// product of two float32 values is exact in float64; the sum is rounded to
// float64 "to odd" (an inexact result gets an odd last bit), after which
// rounding to float32 is correct: float64 has more than twice float32's
// precision plus two bits. (math.FMA then a float32 conversion would round
// twice, which differs on some ties.)
func fusedMulAdd32(a, b, c float32, sub bool) float32 {
	p := float64(b) * float64(c)
	if sub {
		p = -p
	}
	x := float64(a)
	s := x + p
	// TwoSum: s + e = x + p exactly.
	bv := s - x
	e := (x - (s - bv)) + (p - bv)
	if e != 0 && math.Float64bits(s)&1 == 0 {
		s = math.Nextafter(s, math.Copysign(math.Inf(1), e))
	}
	return float32(s)
}
