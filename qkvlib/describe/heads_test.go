package describe

import (
	"math"
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
