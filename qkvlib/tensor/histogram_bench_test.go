package tensor

import (
	"fmt"
	"testing"
)

// BenchmarkHistogram bins one token of the book's [114, 51, 1280] (a
// notebook cell bins 216 of these per evaluation of part 4's histograms).
func BenchmarkHistogram(b *testing.B) {
	for _, scale := range []float64{1.5, 0.1} {
		x := randomTensor(b, 1, 114, 51, 1280, scale)
		values := x.Token(-1).Flatten()
		edges := Linspace(-4, 4, 101)
		b.Run(fmt.Sprintf("std%g", scale), func(b *testing.B) {
			b.SetBytes(int64(len(values) * 4))
			for b.Loop() {
				Histogram(values, edges, true)
			}
		})
	}
}
