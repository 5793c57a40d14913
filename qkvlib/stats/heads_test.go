package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestHeadStdevHandWorked(t *testing.T) {
	tests := []struct {
		name   string
		q      [][][]float32 // Q block [N][T][E]
		nHeads int
		want   float64
	}{
		{
			// Columns across T: [0,2] (std √2) and [1,1] (std 0) → √2/2.
			name:   "T=2",
			q:      [][][]float32{{{0, 1}, {2, 1}}},
			nHeads: 2,
			want:   math.Sqrt2 / 2,
		},
		{
			// Seq 0 columns [1,2,3] (std 1), [0,0,0] (0); seq 1 columns
			// [0,0,6] (std √12), [2,4,6] (std 2) → (1+0+√12+2)/4.
			name:   "two sequences, one head",
			q:      [][][]float32{{{1, 0}, {2, 0}, {3, 0}}, {{0, 2}, {0, 4}, {6, 6}}},
			nHeads: 1,
			want:   (3 + math.Sqrt(12)) / 4,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			Q, _, _ := qkvFromRows(t, tc.q).Split()
			if got := HeadStdev(Q, tc.nHeads); !near(got, tc.want, 1e-15) {
				t.Fatalf("HeadStdev = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestHeadStdevPanicsOnBadHeads(t *testing.T) {
	Q, _, _ := qkvFromRows(t, [][][]float32{{{0, 1, 2}, {2, 1, 0}}}).Split()
	for _, h := range []int{0, 2, -1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("nHeads %d: no panic", h)
				}
			}()
			HeadStdev(Q, h)
		}()
	}
}

// TestStdevSumPaths checks the vector sequenceStdevSum (where the CPU has
// one) against the scalar gonum one, on odd widths (a tail after the
// vectors) and on columns whose mean dwarfs their spread.
func TestStdevSumPaths(t *testing.T) {
	if fastStdevSum == nil {
		t.Skip("no vector sequenceStdevSum on this CPU or build (needs GOEXPERIMENT=simd and AVX-512)")
	}
	for _, tc := range []struct {
		n, t, e        int
		offset, spread float64
	}{
		{2, 51, 1280, 0, 1},
		{3, 7, 13, 0, 1},
		{2, 2, 8, 0, 1},
		{2, 51, 24, 1e4, 1e-2},
	} {
		rng := rand.New(rand.NewPCG(uint64(tc.e), 9))
		data := make([]float32, tc.n*tc.t*3*tc.e)
		for i := range data {
			data[i] = float32(tc.offset + tc.spread*rng.NormFloat64())
		}
		q, err := NewQKV(data, tc.n, tc.t, tc.e)
		if err != nil {
			t.Fatal(err)
		}
		for m, X := range splitArray(q) {
			scratch := make([]float64, tc.t)
			for s := range tc.n {
				fast := sequenceStdevSum(X, s, scratch)
				saved := fastStdevSum
				fastStdevSum = nil
				slow := sequenceStdevSum(X, s, scratch)
				fastStdevSum = saved
				if !near(fast, slow, 1e-12) {
					t.Errorf("[%d %d %d] matrix %d sequence %d: vector %v, gonum %v", tc.n, tc.t, tc.e, m, s, fast, slow)
				}
			}
		}
	}
}

func splitArray(q QKV) [3]Matrix {
	Q, K, V := q.Split()
	return [3]Matrix{Q, K, V}
}
