package gpt2

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/gomlx/compute/gobackend"
)

// BenchmarkCaptureLargeShape runs the chapter's capture ([114, 51] tokens) on a
// random model of gpt2-large width (E 1280, 20 heads). QKV_BENCH_LAYERS sets the
// depth (default 2; 36 is the real model) to keep the benchmark short.
func BenchmarkCaptureLargeShape(b *testing.B) {
	layers := 2
	if s := os.Getenv("QKV_BENCH_LAYERS"); s != "" {
		layers, _ = strconv.Atoi(s)
	}
	cfg := Config{NLayer: layers, NEmbd: 1280, NHead: 20, NPositions: 1024, VocabSize: 50257}
	w := randomWeights(cfg, 0.02, 1)
	m, err := New(gobackend.GetBackend(), cfg, w.source)
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	r := rand.New(rand.NewPCG(1, 2))
	toks := make([][]int32, 114)
	for i := range toks {
		toks[i] = make([]int32, 51)
		for j := range toks[i] {
			toks[i][j] = int32(r.IntN(cfg.VocabSize))
		}
	}
	bs := 0
	if s := os.Getenv("QKV_BENCH_BATCH"); s != "" {
		bs, _ = strconv.Atoi(s)
	}
	b.ResetTimer()
	for b.Loop() {
		err := m.CaptureChunks(toks, CaptureOptions{BatchSize: bs}, func(Chunk) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
	tokens := float64(114 * 51)
	flop := 2 * tokens * float64(layers) * 12 * 1280 * 1280
	b.ReportMetric(tokens*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
	b.ReportMetric(flop*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
