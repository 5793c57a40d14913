package gpt2

import (
	"math"
	"os"
	"strconv"
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

// BenchmarkCaptureLargeShape runs the chapter's capture ([114, 51] tokens) on a
// random model of gpt2-large width (E 1280, 20 heads). QKV_BENCH_LAYERS sets the
// depth (default 2; 36 is the real model) to keep the benchmark short;
// QKV_BENCH_BATCH and QKV_BENCH_LANES the chunk size and lanes (default 16
// and DefaultLanes, as qkv runs it).
func BenchmarkCaptureLargeShape(b *testing.B) {
	layers := 2
	if s := os.Getenv("QKV_BENCH_LAYERS"); s != "" {
		layers, _ = strconv.Atoi(s)
	}
	cfg := checkpoint.GPT2Large()
	cfg.NLayers = layers
	_, w := writeModel(b, cfg, checkpoint.RandomOptions{Seed: 1, Scale: 0.02})
	m, err := New(testBackend(b), w)
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	toks := randomTokens(114, 51, cfg.VocabSize, 1)
	bs, lanes := 16, 0
	if s := os.Getenv("QKV_BENCH_BATCH"); s != "" {
		bs, _ = strconv.Atoi(s)
	}
	if s := os.Getenv("QKV_BENCH_LANES"); s != "" {
		lanes, _ = strconv.Atoi(s)
	}
	b.ResetTimer()
	for b.Loop() {
		err := m.CaptureLayers(toks, CaptureOptions{BatchSize: bs, Lanes: lanes}, func(LayerChunk) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
	// Matmul FLOP: every block but the last runs fully (12·E² weights per token,
	// plus attention's q·kᵀ and p·v, 2·T·E per token, causal or not); the last
	// stops after c_attn (3·E²).
	tokens, e, t := float64(114*51), 1280.0, 51.0
	flop := 2 * tokens * (float64(layers-1)*(12*e*e+2*t*e) + 3*e*e)
	b.ReportMetric(tokens*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
	b.ReportMetric(flop*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkRawMatmul times the backend's plain matrix product on the forward's
// shapes ([rows, in] · [in, out]: c_attn and c_fc over 114·51 and 32·51 rows,
// mlp.c_proj): the ceiling of the forward's speed, which is matmul-bound.
func BenchmarkRawMatmul(b *testing.B) {
	be := testBackend(b)
	for _, sh := range [][3]int{{5814, 1280, 3840}, {1632, 1280, 3840}, {5814, 1280, 5120}, {5814, 5120, 1280}} {
		m, k, n := sh[0], sh[1], sh[2]
		x := tensors.FromFlatDataAndDimensions(make([]float32, m*k), m, k)
		w := tensors.FromFlatDataAndDimensions(make([]float32, k*n), k, n)
		e := MustNewExec(be, func(x, w *Node) *Node { return Dot(x, w).Product() })
		e.MustCall1(x, w).FinalizeAll()
		b.Run("", func(b *testing.B) {
			for b.Loop() {
				e.MustCall1(x, w).FinalizeAll()
			}
			b.ReportMetric(2*float64(m*k*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkGELU times gelu_new on a c_fc output of one chunk ([16·51, 5120])
// in the forms a graph can take from outside GoMLX's backends: the fused op
// (the go backend runs math.Tanh in float64), the formula with Tanh (also
// float64), x·σ(2·inner) with Logistic (float64 exp), and a float32 rational
// approximation of tanh made of element-wise ops (Eigen's). It also reports
// each form's largest error against float64 gelu_new.
func BenchmarkGELU(b *testing.B) {
	be := testBackend(b)
	const rows, cols = 16 * 51, 5120
	data := make([]float32, rows*cols)
	for i := range data {
		data[i] = float32(i%2001-1000) / 150 // [-6.7, 6.7]
	}
	x := tensors.FromFlatDataAndDimensions(data, rows, cols)
	forms := []struct {
		name string
		fn   func(x *Node) *Node
	}{
		{"fused", geluNew},
		{"tanh-formula", geluNewFormula},
		{"logistic", func(x *Node) *Node {
			c := 2 * math.Sqrt(2/math.Pi)
			return Mul(x, Logistic(MulScalar(Add(x, MulScalar(Mul(Mul(x, x), x), 0.044715)), c)))
		}},
		{"rational-tanh", func(x *Node) *Node {
			c := math.Sqrt(2 / math.Pi)
			inner := MulScalar(Add(x, MulScalar(Mul(Mul(x, x), x), 0.044715)), c)
			return Mul(MulScalar(x, 0.5), AddScalar(rationalTanh(inner), 1))
		}},
	}
	for _, f := range forms {
		e := MustNewExec(be, f.fn)
		out := e.MustCall1(x)
		var maxErr float64
		tensors.MustConstFlatData(out, func(y []float32) {
			for i, v := range data {
				maxErr = max(maxErr, math.Abs(float64(y[i])-geluNewFloat64(float64(v))))
			}
		})
		out.FinalizeAll()
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				e.MustCall1(x).FinalizeAll()
			}
			b.ReportMetric(maxErr, "max-err")
		})
	}
}

// rationalTanh is Eigen's float32 tanh: a [13/6] rational function of the
// input clamped to ±7.9053, exact to a few ulp.
func rationalTanh(x *Node) *Node {
	x = MinScalar(MaxScalar(x, -7.90531110763549805), 7.90531110763549805)
	x2 := Mul(x, x)
	poly := func(cs ...float64) *Node {
		p := MulScalar(x2, cs[0])
		for _, c := range cs[1 : len(cs)-1] {
			p = Mul(AddScalar(p, c), x2)
		}
		return AddScalar(p, cs[len(cs)-1])
	}
	num := Mul(x, poly(-2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-08,
		1.48572235717979e-05, 6.37261928875436e-04, 4.89352455891786e-03))
	den := poly(1.19825839466702e-06, 1.18534705686654e-04, 2.26843463243900e-03, 4.89352518554385e-03)
	return Div(num, den)
}
