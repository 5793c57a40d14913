package bpe

import (
	"os"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
)

// BenchmarkEncodeGatsby encodes the whole book (82,439 tokens) and reports
// tokens/s. "cached" reuses one Tokenizer, so after the first pass every
// piece comes from the cache; "cold" empties the cache before each pass.
func BenchmarkEncodeGatsby(b *testing.B) {
	data, err := os.ReadFile(testenv.SharedData(b, "gatsby", "pg64317.txt"))
	if err != nil {
		b.Fatal(err)
	}
	text := string(data)
	tok := loadGPT2(b)
	for _, mode := range []string{"cached", "cold"} {
		b.Run(mode, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			tokens := 0
			for b.Loop() {
				if mode == "cold" {
					b.StopTimer()
					tok.clearCache()
					b.StartTimer()
				}
				tokens += len(tok.Encode(text))
			}
			b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

// clearCache empties the cache of encoded pieces (for benchmarks).
func (t *Tokenizer) clearCache() {
	t.cache.Clear()
	t.cacheSize.Store(0)
}
