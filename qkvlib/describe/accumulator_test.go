package describe

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/qkvport/qkv/qkvlib/tensor"
)

// wholeArray computes a layer's statistics with the whole-array functions.
func wholeArray(q tensor.Tensor3, edges []float64, nHeads int) LayerStats {
	r := LayerStats{N: qN(q), Sequences: make([][3][3][2]float64, qN(q))}
	mats := [3]tensor.Tensor3{}
	mats[Query], mats[Key], mats[Value] = q.Split()
	for m, X := range mats {
		for n, d := range Sequences(X) {
			r.Sequences[n][m] = d
		}
		t, nt := MeansAndVar(X)
		for d := range 3 {
			r.Descriptives[m][d] = [2]float64{t[d], nt[d]}
		}
		ht, hn := tensor.Histogram(X.Token(-1).Flatten(), edges, true), tensor.Histogram(X.Token(-2).Flatten(), edges, true)
		r.Histograms[m] = make([][2]float64, len(ht))
		for b := range ht {
			r.Histograms[m][b] = [2]float64{ht[b], hn[b]}
		}
		r.HeadStdev[m] = HeadStdev(X, nHeads)
	}
	return r
}

func accumulate(t *testing.T, q tensor.Tensor3, edges []float64, nHeads, chunk int) LayerStats {
	t.Helper()
	a, err := NewLayer(edges, nHeads)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < qN(q); i += chunk {
		if err := a.Add(q.Sequences(i, min(i+chunk, qN(q)))); err != nil {
			t.Fatal(err)
		}
	}
	if a.N() != qN(q) {
		t.Fatalf("N() = %d, want %d", a.N(), qN(q))
	}
	return a.Result()
}

// compareStats fails t unless got and want agree within tol (0: exactly).
func compareStats(t *testing.T, label string, got, want LayerStats, tol float64) {
	t.Helper()
	ok := func(a, b float64) bool {
		if tol == 0 {
			return same(a, b)
		}
		return near(a, b, tol)
	}
	if got.N != want.N {
		t.Errorf("%s: N = %d, want %d", label, got.N, want.N)
	}
	if want.Sequences != nil {
		compareSequences(t, label, got.Sequences, want.Sequences, ok)
	}
	for m := range 3 {
		for d := range 3 {
			for p := range 2 {
				if !ok(got.Descriptives[m][d][p], want.Descriptives[m][d][p]) {
					t.Errorf("%s: descriptives[%d][%d][%d] = %.17g, want %.17g", label, m, d, p, got.Descriptives[m][d][p], want.Descriptives[m][d][p])
				}
			}
		}
		if len(got.Histograms[m]) != len(want.Histograms[m]) {
			t.Fatalf("%s: matrix %d has %d bins, want %d", label, m, len(got.Histograms[m]), len(want.Histograms[m]))
		}
		for b := range got.Histograms[m] {
			for p := range 2 {
				if !ok(got.Histograms[m][b][p], want.Histograms[m][b][p]) {
					t.Errorf("%s: histograms[%d][%d][%d] = %.17g, want %.17g", label, m, b, p, got.Histograms[m][b][p], want.Histograms[m][b][p])
				}
			}
		}
		if !ok(got.HeadStdev[m], want.HeadStdev[m]) {
			t.Errorf("%s: head stdev[%d] = %.17g, want %.17g", label, m, got.HeadStdev[m], want.HeadStdev[m])
		}
	}
}

// compareSequences fails t unless the per-sequence descriptives agree by ok.
func compareSequences(t *testing.T, label string, got, want [][3][3][2]float64, ok func(a, b float64) bool) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d sequences of descriptives, want %d", label, len(got), len(want))
	}
	for n := range got {
		for m := range 3 {
			for d := range 3 {
				for p := range 2 {
					if !ok(got[n][m][d][p], want[n][m][d][p]) {
						t.Errorf("%s: sequence %d descriptives[%d][%d][%d] = %.17g, want %.17g", label, n, m, d, p, got[n][m][d][p], want[n][m][d][p])
					}
				}
			}
		}
	}
}

func TestAccumulatorEqualsWholeArray(t *testing.T) {
	const n, tt, e, heads = 7, 5, 12, 3
	q := randomQKV(t, 1, n, tt, e, 2)
	edges := tensor.Linspace(-4, 4, 101)
	want := wholeArray(q, edges, heads)
	for _, chunk := range []int{1, 3, n} {
		got := accumulate(t, q, edges, heads, chunk)
		// Per-sequence values summed in sequence order: exactly equal.
		compareStats(t, fmt.Sprintf("chunk %d", chunk), got, want, 0)
	}
}

func TestAccumulatorErrors(t *testing.T) {
	if _, err := NewLayer([]float64{1}, 2); err == nil || !strings.Contains(err.Error(), "at least 2 edges") {
		t.Errorf("one edge: %v", err)
	}
	if _, err := NewLayer([]float64{0, 1}, 0); err == nil {
		t.Error("nHeads 0: no error")
	}
	a, err := NewLayer([]float64{0, 1}, 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Add(randomQKV(t, 2, 2, 3, 6, 1)); err == nil || !strings.Contains(err.Error(), "do not divide E = 6") {
		t.Errorf("heads not dividing E: %v", err)
	}
	if a.N() != 0 {
		t.Fatalf("failed Add accumulated %d sequences", a.N())
	}
	if err := a.Add(randomQKV(t, 2, 2, 3, 8, 1)); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []tensor.Tensor3{randomQKV(t, 3, 2, 4, 8, 1), randomQKV(t, 3, 2, 3, 4, 1)} {
		if err := a.Add(bad); err == nil || !strings.Contains(err.Error(), "same T and E") {
			t.Errorf("shape change %v: %v", bad.Shape(), err)
		}
	}
	if err := a.Add(tensor.Tensor3{}); err == nil {
		t.Error("empty chunk: no error")
	}
	if a.N() != 2 {
		t.Fatalf("N = %d after failed adds, want 2", a.N())
	}
}

func TestAccumulatorEmptyIsNaN(t *testing.T) {
	a, err := NewLayer([]float64{0, 1, 2}, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := a.Result()
	if r.N != 0 || !math.IsNaN(r.Descriptives[Key][Variance][NonTarget]) ||
		!math.IsNaN(r.HeadStdev[Value]) || !math.IsNaN(r.Histograms[Query][1][Target]) || len(r.Histograms[Query]) != 2 {
		t.Fatalf("empty result %+v", r)
	}
}
