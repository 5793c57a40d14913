package bpe

import (
	"os"
	"path/filepath"
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
	t.cacheMu.Lock()
	clear(t.cache)
	t.cacheMu.Unlock()
}

// BenchmarkLoad times Load of the GPT-2 tokenizer: parsed from its files,
// and read back from the compiled cache.
func BenchmarkLoad(b *testing.B) {
	dir := testenv.SharedData(b, "gpt2-tokenizer")
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := FromFiles(filepath.Join(dir, "vocab.json"), filepath.Join(dir, "merges.txt")); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("compiled", func(b *testing.B) {
		b.Setenv("XDG_CACHE_HOME", b.TempDir())
		if _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := Load(dir); err != nil {
				b.Fatal(err)
			}
		}
	})
}
