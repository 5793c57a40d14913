package gpt2

import (
	"math"
	"testing"

	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

// geluInputs sweeps [-12, 12] finely and adds edge values: zero, tiny,
// where the tanh clamp starts, large, and the float32 extremes.
func geluInputs() []float32 {
	var xs []float32
	for i := -1_200_000; i <= 1_200_000; i++ {
		xs = append(xs, float32(i)/100_000)
	}
	for _, v := range []float32{0, 1e-30, -1e-30, 1e-7, -1e-7, 3.4, 3.5, -3.5, 5.3, -5.3, 20, -20, 1e3, -1e3, 1e6, -1e6,
		math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32} {
		xs = append(xs, v)
	}
	return xs
}

// TestGeluNewSlice compares the float32 gelu_new, scalar and (where the CPU
// has it) AVX-512, with float64 gelu_new through math.Tanh. The bound is
// what float32 can hold: a few ulp of the result, plus the few ulp of x that
// tanh's error is scaled by where gelu_new is near zero (large negative x).
func TestGeluNewSlice(t *testing.T) {
	xs := geluInputs()
	paths := map[string]func(dst, src []float32){"scalar": geluNewScalar, "default": geluNewSlice}
	for name, fn := range paths {
		t.Run(name, func(t *testing.T) {
			got := make([]float32, len(xs)+3)
			fn(got[:len(xs)], xs)
			var worst float64
			var worstX float32
			for i, x := range xs {
				want := geluNewFloat64(float64(x))
				diff := math.Abs(float64(got[i]) - want)
				tol := 4e-7*math.Abs(want) + 2e-7*math.Min(math.Abs(float64(x)), 10) + 1e-37
				if !(diff <= tol) {
					t.Fatalf("gelu_new(%g) = %g, want %g (|diff| %g > %g)", x, got[i], want, diff, tol)
				}
				if r := diff / tol; r > worst {
					worst, worstX = r, x
				}
			}
			for _, x := range []float32{-20, -1e3, -math.MaxFloat32, 10, 20, 1e6, math.MaxFloat32} {
				y := []float32{0}
				fn(y, []float32{x})
				if want := max(x, 0); y[0] != want {
					t.Errorf("gelu_new(%g) = %g, want exactly %g", x, y[0], want)
				}
			}
			if got[len(xs)] != 0 {
				t.Fatalf("wrote past len(src)")
			}
			t.Logf("worst |diff|/tol %.3f at x = %g", worst, worstX)
		})
	}
	// In place: dst and src the same slice.
	in := append([]float32(nil), xs[:1000]...)
	want := make([]float32, len(in))
	geluNewSlice(want, in)
	geluNewSlice(in, in)
	for i := range in {
		if in[i] != want[i] {
			t.Fatalf("in place: [%d] = %g, want %g", i, in[i], want[i])
		}
	}
}

// BenchmarkGeluNewSlice times gelu_new on one chunk's c_fc output
// ([16·51, 5120], the values BenchmarkGELU uses), one core, and reports the
// largest error against float64 gelu_new.
func BenchmarkGeluNewSlice(b *testing.B) {
	const n = 16 * 51 * 5120 // one chunk's c_fc output
	src := make([]float32, n)
	for i := range src {
		src[i] = float32(i%2001-1000) / 150
	}
	dst := make([]float32, n)
	for name, fn := range map[string]func(dst, src []float32){"scalar": geluNewScalar, "default": geluNewSlice} {
		fn(dst, src)
		var maxErr float64
		for i, x := range src {
			maxErr = max(maxErr, math.Abs(float64(dst[i])-geluNewFloat64(float64(x))))
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(4 * n)
			for b.Loop() {
				fn(dst, src)
			}
			b.ReportMetric(maxErr, "max-err")
		})
	}
}

// TestHostGeluMatchesGraph runs the same model with gelu_new in Go between
// two graphs (hostGeluBlocks, the go backend's default where AVX-512 is
// there) and inside the block's graph (the backend's GELU), and compares
// every layer and the logits: they differ by float32 rounding only.
func TestHostGeluMatchesGraph(t *testing.T) {
	cfg := config(3, 24, 4, 16, 30)
	opt := checkpoint.RandomOptions{Seed: 5, Scale: 0.5}
	toks := randomTokens(5, 9, cfg.VocabSize, 11)
	models := map[bool]*Model{}
	for _, host := range []bool{false, true} {
		m := newTestModel(t, cfg, opt)
		m.closeExecs()
		if err := m.buildExecs(host); err != nil {
			t.Fatal(err)
		}
		models[host] = m
	}
	want, err := captureAll(t, models[false], toks)
	if err != nil {
		t.Fatal(err)
	}
	got, err := captureAll(t, models[true], toks)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != cfg.NLayers+1 {
		t.Fatalf("got %d outputs, want %d layers and the logits", len(got), cfg.NLayers)
	}
	for layer, w := range want {
		g := got[layer]
		if len(g) != len(w) {
			t.Fatalf("layer %d: %d values, want %d", layer, len(g), len(w))
		}
		var worst float64
		for i := range w {
			d := math.Abs(float64(g[i]) - float64(w[i]))
			if d > 1e-5*max(1, math.Abs(float64(w[i]))) {
				t.Fatalf("layer %d [%d]: host gelu %g, graph gelu %g", layer, i, g[i], w[i])
			}
			worst = max(worst, d)
		}
		t.Logf("layer %d: max |diff| %.2g", layer, worst)
	}
}

// geluNewFloat64 is gelu_new in float64 with math.Tanh: the reference the
// float32 versions are tested against.
func geluNewFloat64(x float64) float64 {
	return 0.5 * x * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(x+0.044715*x*x*x)))
}
