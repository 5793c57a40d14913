package tensor

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

func TestLinspaceTorchValues(t *testing.T) {
	tests := []struct {
		name      string
		lo, hi    float64
		n, i      int
		want      float64
		reference string
	}{
		// pytorch/pytorch issue 94809: torch 1.12.1, x86-64 Linux, prints
		// -7.4506e-09 at index 5; with two roundings it would be 0.
		{"fma midpoint", -0.5, 0.5, 11, 5, -math.Ldexp(1, -27), "torch 1.12.1 output"},
		{"first", -7, 7, 234, 0, -7, "exact end"},
		{"last", -7, 7, 234, 233, 7, "exact end"},
		{"last 101", -4, 4, 101, 100, 4, "exact end"},
		// Hand-worked: step = float32(8)/100 = 10737418·2⁻²⁷ (0x3DA3D70A);
		// point 50 = 4 - 50·step rounded once = 1.5·2⁻²⁴, not 0.
		{"middle of -4..4", -4, 4, 101, 50, 8.940696716308594e-08, "hand-worked fma"},
		{"float32 bounds", 0.1, 0.3, 3, 0, float64(float32(0.1)), "torch casts bounds to float32"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Linspace(tc.lo, tc.hi, tc.n)
			if len(got) != tc.n {
				t.Fatalf("len = %d, want %d", len(got), tc.n)
			}
			if got[tc.i] != tc.want {
				t.Errorf("Linspace(%v, %v, %d)[%d] = %.17g, want %.17g (%s)", tc.lo, tc.hi, tc.n, tc.i, got[tc.i], tc.want, tc.reference)
			}
		})
	}
}

func TestLinspaceShapes(t *testing.T) {
	if got := Linspace(1, 2, 0); len(got) != 0 {
		t.Errorf("n=0: %v", got)
	}
	if got := Linspace(1.5, 2, 1); len(got) != 1 || got[0] != 1.5 {
		t.Errorf("n=1: %v, want [1.5]", got)
	}
	// Symmetric bounds give points symmetric bit for bit (the kernel counts
	// from each end) except the middle one of an odd n, which is counted
	// from the top; all are float32 values, strictly increasing.
	for _, n := range []int{101, 234} {
		e := Linspace(-7, 7, n)
		for i := range e {
			if i != n-1-i && e[i] != -e[n-1-i] {
				t.Fatalf("n=%d: e[%d] = %v, -e[%d] = %v", n, i, e[i], n-1-i, -e[n-1-i])
			}
			if float64(float32(e[i])) != e[i] {
				t.Fatalf("n=%d: e[%d] = %v is not a float32", n, i, e[i])
			}
			if i > 0 && !(e[i-1] < e[i]) {
				t.Fatalf("n=%d: not increasing at %d", n, i)
			}
		}
	}
	for name, f := range map[string]func(){
		"n<0": func() { Linspace(0, 1, -1) },
		"NaN": func() { Linspace(math.NaN(), 1, 3) },
		"Inf": func() { Linspace(0, 1e300, 3) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			f()
		})
	}
}

// fusedMulAdd32Big is fusedMulAdd32 computed exactly with math/big, the
// reference: products and sums of float32 values are exact in 600 bits.
func fusedMulAdd32Big(a, b, c float32, sub bool) float32 {
	const prec = 600
	p := new(big.Float).SetPrec(prec).SetFloat64(float64(b))
	p.Mul(p, new(big.Float).SetFloat64(float64(c)))
	s := new(big.Float).SetPrec(prec).SetFloat64(float64(a))
	if sub {
		s.Sub(s, p)
	} else {
		s.Add(s, p)
	}
	f, _ := s.Float32()
	return f
}

// TestFusedMulAdd32 checks the round-to-odd fused multiply-add against
// math/big on Linspace's own operands, on random ones and on ties.
func TestFusedMulAdd32(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	check := func(a, b, c float32, sub bool) {
		if got, want := fusedMulAdd32(a, b, c, sub), fusedMulAdd32Big(a, b, c, sub); got != want && !(got != got && want != want) {
			t.Fatalf("fusedMulAdd32(%g, %g, %g, %v) = %g, exact rounding %g", a, b, c, sub, got, want)
		}
	}
	for _, tc := range []struct {
		lo, hi float32
		n      int
	}{{-7, 7, 234}, {-4, 4, 101}, {-0.5, 0.5, 11}, {-3, 3, 61}, {0, 1, 1000}} {
		step := (tc.hi - tc.lo) / float32(tc.n-1)
		for i := range tc.n {
			check(tc.lo, step, float32(i), false)
			check(tc.hi, step, float32(tc.n-1-i), true)
		}
	}
	// a - b·c = 1 + 2⁻²⁴ + 2⁻⁶⁰, just above a float32 tie: rounded to
	// float64 first it would land on the tie and round down, to even.
	for k := -20; k <= 20; k++ {
		sc := float32(math.Ldexp(1, k))
		check(sc*(1+1.0/(1<<23)), sc*float32(math.Ldexp(1-math.Ldexp(1, -18), -24)), 1+float32(math.Ldexp(1, -18)), true)
		check(-sc*(1+1.0/(1<<23)), sc*float32(math.Ldexp(1-math.Ldexp(1, -18), -24)), 1+float32(math.Ldexp(1, -18)), false)
	}
	for range 200000 {
		a := float32(r.NormFloat64() * math.Pow(2, float64(r.IntN(40)-20)))
		b := float32(r.NormFloat64() * math.Pow(2, float64(r.IntN(40)-20)))
		c := float32(r.IntN(1 << 20))
		check(a, b, c, r.IntN(2) == 0)
		// Near-ties: a·(1 + 2⁻²⁴) style operands.
		check(math.Float32frombits(r.Uint32()&0x3fffffff), 1+1.0/(1<<23), math.Float32frombits(0x33800000|r.Uint32()&0xff), r.IntN(2) == 0)
	}
}
