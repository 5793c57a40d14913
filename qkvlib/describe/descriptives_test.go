package describe

import (
	"math"
	"testing"

	"github.com/qkvport/qkv/qkvlib/tensor"
)

// qkvFromRows builds a tensor.Tensor3 [N, T, 3·E] whose Q block holds q[n][t] (E values)
// and whose K and V blocks are zero.
func qkvFromRows(t *testing.T, q [][][]float32) tensor.Tensor3 {
	t.Helper()
	n, tt, e := len(q), len(q[0]), len(q[0][0])
	data := make([]float32, n*tt*3*e)
	for s := range q {
		for p := range q[s] {
			copy(data[(s*tt+p)*3*e:], q[s][p])
		}
	}
	out, err := tensor.New(data, n, tt, 3*e)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMeansAndVarHandWorked(t *testing.T) {
	tests := []struct {
		name          string
		q             [][][]float32 // [N][T][E]
		wantT, wantNT [3]float64
	}{
		{
			// T=2: target is t=1, non-target t=0.
			// target rows [1,2,3] (mean 2, L1 2, var 1) and [-1,-1,-1]
			// (constant: mean -1, L1 1, var 0) → [0.5, 1.5, 0.5].
			// non-target rows [0,0,6] (2, 2, 12) and [2,-2,0] (0, 4/3, 4)
			// → [1, 5/3, 8].
			name: "T=2",
			q: [][][]float32{
				{{0, 0, 6}, {1, 2, 3}},
				{{2, -2, 0}, {-1, -1, -1}},
			},
			wantT:  [3]float64{0.5, 1.5, 0.5},
			wantNT: [3]float64{1, 5.0 / 3, 8},
		},
		{
			// T=3: position 0 (99s) is neither target nor non-target.
			name: "T=3 ignores earlier positions",
			q: [][][]float32{
				{{99, 99}, {-4, 4}, {1, 3}},
			},
			wantT:  [3]float64{2, 2, 2},
			wantNT: [3]float64{0, 4, 32},
		},
		{
			name:   "constant rows have zero variance",
			q:      [][][]float32{{{-0.5, -0.5, -0.5, -0.5}, {0.25, 0.25, 0.25, 0.25}}},
			wantT:  [3]float64{0.25, 0.25, 0},
			wantNT: [3]float64{-0.5, 0.5, 0},
		},
		{
			// Variance over one value is undefined: NaN, as torch.var.
			name:   "E=1",
			q:      [][][]float32{{{-2}, {3}}, {{4}, {5}}},
			wantT:  [3]float64{4, 4, math.NaN()},
			wantNT: [3]float64{1, 3, math.NaN()},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			Q, K, _ := qkvFromRows(t, tc.q).Split()
			gotT, gotNT := MeansAndVar(Q)
			for i := range 3 {
				if !near(gotT[i], tc.wantT[i], 1e-15) || !near(gotNT[i], tc.wantNT[i], 1e-15) {
					t.Fatalf("target %v, want %v; non-target %v, want %v", gotT, tc.wantT, gotNT, tc.wantNT)
				}
			}
			// K is all zeros.
			kT, _ := MeansAndVar(K)
			if kT[0] != 0 || kT[1] != 0 || !(kT[2] == 0 || (len(tc.q[0][0]) == 1 && math.IsNaN(kT[2]))) {
				t.Fatalf("zero K: %v", kT)
			}
		})
	}
}
