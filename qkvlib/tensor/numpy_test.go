package tensor

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
)

// opsReference is what testdata/ops_reference.py prints (null for NaN).
type opsReference struct {
	Rows     map[string]map[string][]*float64 `json:"rows"`
	Means    map[string]map[string]*float64   `json:"means"`
	HeadsStd []*float64                       `json:"heads_std"`
	Hist     []*float64                       `json:"hist"`
	Counts   []*float64                       `json:"counts"`
	AMean    []*float64                       `json:"a_mean"`
	ADiff    []*float64                       `json:"a_diff"`
	AMatrix  [][]*float64                     `json:"a_matrix"`
}

// TestOpsAgainstNumpy checks the torch operations the notebook's cells use
// (Token, Abs, Mean, Var, Std along a dim, Vector.Mean, View + Std(1),
// Histogram, Array's Slice, Mean, Diff and matrix view) against numpy on
// random tensors, with values injected exactly on histogram edges.
func TestOpsAgainstNumpy(t *testing.T) {
	python := testenv.Python(t)
	// The last case's token has enough values for Histogram to count them in
	// parts on several cores (minPart).
	for i, tc := range []struct{ n, t, e, heads, nEdges int }{{6, 4, 12, 3, 21}, {3, 2, 20, 4, 11}, {1, 3, 8, 8, 5}, {520, 2, 128, 4, 41}} {
		t.Run(fmt.Sprintf("N%d_T%d_E%d", tc.n, tc.t, tc.e), func(t *testing.T) {
			x := randomTensor(t, uint64(20+i), tc.n, tc.t, tc.e, 1.5)
			edges := Linspace(-2, 2, tc.nEdges)
			row := x.Row(0, tc.t-1)
			row[0], row[1], row[2] = float32(edges[3]), float32(edges[len(edges)-1]), float32(edges[0])
			a := Zeros(5, 3, 3, 2)
			r := rand.New(rand.NewPCG(uint64(i), 3))
			for k := range a.Data() {
				a.Data()[k] = r.NormFloat64()
			}
			dir := t.TempDir()
			xPath := testenv.WriteLE(t, dir, "x.f32", x.data)
			testenv.WriteLE(t, dir, "x.f32.edges", edges)
			aPath := testenv.WriteLE(t, dir, "a.f64", a.Data())
			var ref opsReference
			cmd := exec.Command(python, filepath.Join("testdata", "ops_reference.py"), xPath,
				fmt.Sprint(tc.n), fmt.Sprint(tc.t), fmt.Sprint(tc.e), fmt.Sprint(tc.heads), "-2", "2", fmt.Sprint(tc.nEdges), aPath, "5,3,3,2")
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("ops_reference.py: %v\n%s", err, stderr.String())
			}
			if err := json.Unmarshal(out, &ref); err != nil {
				t.Fatal(err)
			}
			const tol = 1e-12
			for _, tok := range []int{-1, -2} {
				m := x.Token(tok)
				got := map[string]Vector{"mean": m.Mean(1), "abs_mean": m.Abs().Mean(1), "var": m.Var(1), "std": m.Std(1),
					"col_mean": m.Mean(0), "col_var": m.Var(0)}
				for name, v := range got {
					want := ref.Rows[fmt.Sprint(tok)][name]
					checkAll(t, fmt.Sprintf("Token(%d) %s", tok, name), v, want, tol)
					checkAll(t, fmt.Sprintf("Token(%d) %s .Mean()", tok, name), []float64{v.Mean()}, []*float64{ref.Means[fmt.Sprint(tok)][name]}, tol)
				}
			}
			checkAll(t, "View(…).Std(1)", x.View(tc.n, tc.t, tc.heads, tc.e/tc.heads).Std(1), ref.HeadsStd, 1e-10)
			flat := x.Token(-1).Flatten()
			checkAll(t, "Histogram(density)", Histogram(flat, edges, true), ref.Hist, 1e-15)
			checkAll(t, "Histogram(counts)", Histogram(flat, edges, false), ref.Counts, 0)
			checkAll(t, "Array Mean(-1)", a.Slice(All, 0, 1, All).Mean(-1).Data(), ref.AMean, 1e-15)
			checkAll(t, "Array Diff(-1)", a.Slice(All, 1, 2, All).Diff(-1).Data(), ref.ADiff, 1e-15)
			m := a.Slice(All, 1, All, 0)
			for r, want := range ref.AMatrix {
				for c := range want {
					checkAll(t, fmt.Sprintf("Array matrix [%d, %d]", r, c), []float64{m.At(r, c)}, want[c:c+1], 0)
				}
			}
		})
	}
}

// checkAll compares got with numpy's want (nil: NaN) within relative tol.
func checkAll(t *testing.T, name string, got []float64, want []*float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, numpy %d", name, len(got), len(want))
	}
	for i, g := range got {
		w := math.NaN()
		if want[i] != nil {
			w = *want[i]
		}
		if !near(g, w, tol) {
			t.Errorf("%s[%d] = %.17g, numpy %.17g", name, i, g, w)
		}
	}
}
