package describe

import (
	"testing"

	"github.com/qkvport/qkv/qkvlib/tensor"
)

// The book's layer: 114 windows of 51 tokens, GPT-2 large (E = 1280, 20 heads).
const benchN, benchT, benchE, benchHeads = 114, 51, 1280, 20

func BenchmarkLayer(b *testing.B) {
	q := randomQKV(b, 42, benchN, benchT, benchE, 1)
	edges := tensor.Linspace(-4, 4, 101)
	Q, _, _ := q.Split()
	b.Run("MeansAndVar", func(b *testing.B) {
		for b.Loop() {
			MeansAndVar(Q)
		}
	})
	b.Run("Histograms", func(b *testing.B) {
		for b.Loop() {
			tensor.Histogram(Q.Token(-1).Flatten(), edges, true)
		}
	})
	b.Run("HeadStdev", func(b *testing.B) {
		for b.Loop() {
			HeadStdev(Q, benchHeads)
		}
	})
	b.Run("AccumulatorQKV", func(b *testing.B) {
		b.SetBytes(int64(qN(q) * benchT * 3 * benchE * 4))
		for b.Loop() {
			a, err := NewLayer(edges, benchHeads)
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < qN(q); i += 16 {
				if err := a.Add(q.Sequences(i, min(i+16, qN(q)))); err != nil {
					b.Fatal(err)
				}
			}
			a.Result()
		}
	})
}
