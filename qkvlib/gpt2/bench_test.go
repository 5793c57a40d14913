package gpt2

import (
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
		err := m.CaptureChunks(toks, CaptureOptions{BatchSize: bs, Lanes: lanes}, func(Chunk) error { return nil })
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
