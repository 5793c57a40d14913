package describe

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// numpyReference is what testdata/reference.py prints.
type numpyReference struct {
	Edges     []float64            `json:"edges"`
	BookEdges map[string][]float64 `json:"book_edges"`
	Desc      [3][3][2]float64     `json:"desc"`
	Hist      [3][][2]float64      `json:"hist"`
	HeadStdev [3]float64           `json:"head_stdev"`
}

// TestAgainstNumpy compares every statistic, from the whole-array functions
// and from the accumulator, with an independent numpy implementation of the
// book's torch code, on random layers in which the target and non-target
// values also include values exactly on the edges, one float32 either side of
// them, and outside them.
func TestAgainstNumpy(t *testing.T) {
	python := testenv.Python(t)
	tests := []struct {
		n, t, e, heads int
		scale          float64
		lo, hi         float64
		nEdges         int
	}{
		{6, 4, 12, 3, 2.5, -4, 4, 101},
		{5, 2, 8, 2, 4, -7, 7, 234}, // T = 2: non-target is the first token
		{3, 6, 20, 4, 0.4, -0.5, 0.5, 11},
	}
	for i, tc := range tests {
		t.Run(fmt.Sprintf("N%d_T%d_E%d", tc.n, tc.t, tc.e), func(t *testing.T) {
			q := randomQKV(t, uint64(10+i), tc.n, tc.t, tc.e, tc.scale)
			edges := tensor.Linspace(tc.lo, tc.hi, tc.nEdges)
			injectEdgeValues(q, edges, uint64(i))

			path := testenv.WriteLE(t, t.TempDir(), "qkv.f32", rowsOf(q))
			var ref numpyReference
			testenv.RunReference(t, python, &ref, "reference.py", path,
				fmt.Sprint(tc.n), fmt.Sprint(tc.t), fmt.Sprint(tc.e), fmt.Sprint(tc.heads),
				fmt.Sprint(tc.lo), fmt.Sprint(tc.hi), fmt.Sprint(tc.nEdges))

			// Edges: bit for bit.
			checkEdgesEqual(t, fmt.Sprintf("tensor.Linspace(%v, %v, %d)", tc.lo, tc.hi, tc.nEdges), edges, ref.Edges)
			checkEdgesEqual(t, "tensor.Linspace(-7, 7, 234)", tensor.Linspace(-7, 7, 234), ref.BookEdges["m7_7_234"])
			checkEdgesEqual(t, "tensor.Linspace(-4, 4, 101)", tensor.Linspace(-4, 4, 101), ref.BookEdges["m4_4_101"])

			want := LayerStats{N: tc.n, Descriptives: ref.Desc, Histograms: ref.Hist, HeadStdev: ref.HeadStdev}
			const tol = 1e-9
			compareStats(t, "whole-array", wholeArray(q, edges, tc.heads), want, tol)
			compareStats(t, "accumulator", accumulate(t, q, edges, tc.heads, 2), want, tol)
		})
	}
}

func checkEdgesEqual(t *testing.T, label string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d points, numpy %d", label, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s[%d] = %.10g, numpy reference %.10g", label, i, got[i], want[i])
		}
	}
}

// injectEdgeValues overwrites about a third of the target and non-target
// values of q with edge values, their float32 neighbours and values outside.
func injectEdgeValues(q tensor.Tensor3, edges []float64, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 77))
	last := len(edges) - 1
	n, tt, _ := q.Dims()
	for s := range n {
		for _, p := range []int{tt - 1, tt - 2} {
			row := q.Row(s, p)
			for i := range row {
				if r.IntN(3) != 0 {
					continue
				}
				e := float32(edges[r.IntN(len(edges))])
				switch r.IntN(6) {
				case 0:
					row[i] = e
				case 1:
					row[i] = math.Nextafter32(e, float32(math.Inf(-1)))
				case 2:
					row[i] = math.Nextafter32(e, float32(math.Inf(1)))
				case 3:
					row[i] = float32(edges[last])
				case 4:
					row[i] = float32(edges[0])
				default:
					row[i] = float32(edges[last]) + 1
				}
			}
		}
	}
}
