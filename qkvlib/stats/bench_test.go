package stats

import "testing"

// The book's layer: 114 windows of 51 tokens, GPT-2 large (E = 1280, 20 heads).
const benchN, benchT, benchE, benchHeads = 114, 51, 1280, 20

func BenchmarkLayer(b *testing.B) {
	q := randomQKV(b, 42, benchN, benchT, benchE, 1)
	edges := Linspace(-4, 4, 101)
	Q, _, _ := q.Split()
	b.Run("MeansAndVar", func(b *testing.B) {
		for b.Loop() {
			MeansAndVar(Q)
		}
	})
	b.Run("Histograms", func(b *testing.B) {
		for b.Loop() {
			Histograms(Q, edges)
		}
	})
	b.Run("HeadStdev", func(b *testing.B) {
		for b.Loop() {
			HeadStdev(Q, benchHeads)
		}
	})
	b.Run("AccumulatorQKV", func(b *testing.B) {
		b.SetBytes(int64(len(q.Data) * 4))
		for b.Loop() {
			a, err := NewLayerAccumulator(edges, benchHeads)
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < q.N; i += 16 {
				if err := a.Add(q.Slice(i, min(i+16, q.N))); err != nil {
					b.Fatal(err)
				}
			}
			a.Result()
		}
	})
}
