package stats

import (
	"testing"

	"gonum.org/v1/gonum/stat"
)

// TestViewsAgainstWholeArrayFunctions checks the notebook's vocabulary
// (Token, Split, Mean, Var, Abs, Histogram, View, Std) against the whole-array
// functions, which TestAgainstNumpy checks against numpy: the book's
// meansAndVar, histograms and head standard deviations written with the
// vocabulary must give the same numbers.
func TestViewsAgainstWholeArrayFunctions(t *testing.T) {
	for _, tc := range []struct{ n, t, e, heads int }{{6, 4, 12, 3}, {3, 7, 20, 4}, {1, 2, 2, 1}} {
		x := randomQKV(t, 7, tc.n, tc.t, tc.e, 1.5)
		Q, K, V := Split(x, tc.e)
		for m, X := range []Matrix{Q, K, V} {
			wantT, wantN := MeansAndVar(X)
			for p, tok := range []int{-1, -2} {
				got := [3]float64{
					stat.Mean(Mean(X.Token(tok), 1), nil),
					stat.Mean(Mean(Abs(X.Token(tok)), 1), nil),
					stat.Mean(Var(X.Token(tok), 1), nil),
				}
				want := [2][3]float64{wantT, wantN}[p]
				for d := range got {
					if !near(got[d], want[d], 1e-12) {
						t.Errorf("%v matrix %d token %d descriptive %d: vocabulary %v, MeansAndVar %v", tc, m, tok, d, got[d], want[d])
					}
				}
			}
			edges := Linspace(-2, 2, 21)
			ht, hn := Histograms(X, edges)
			for p, h := range [][]float64{ht, hn} {
				got := Histogram(X.Token(-1-p).Flatten(), edges, true)
				for b := range got {
					if !same(got[b], h[b]) {
						t.Fatalf("%v matrix %d position %d bin %d: Histogram %v, Histograms %v", tc, m, p, b, got[b], h[b])
					}
				}
			}
			Xh := X.View(tc.n, tc.t, tc.heads, tc.e/tc.heads)
			if got, want := stat.Mean(Xh.Std(1), nil), HeadStdev(X, tc.heads); !near(got, want, 1e-12) {
				t.Errorf("%v matrix %d: mean of Std(1) %v, HeadStdev %v", tc, m, got, want)
			}
			d := tc.e / tc.heads
			for n := range tc.n {
				for h := range tc.heads {
					H := Xh.Head(n, h)
					for tt := range tc.t {
						for j := range d {
							if H.At(tt, j) != float64(X.At(n, tt, h*d+j)) || H.T().At(j, tt) != H.At(tt, j) {
								t.Fatalf("Head(%d, %d)[%d, %d] is not Q[%d, %d, %d]", n, h, tt, j, n, tt, h*d+j)
							}
						}
					}
				}
			}
		}
		wide := x.Token(-1)
		if r, c := wide.Dims(); r != tc.n || c != 3*tc.e {
			t.Errorf("QKV.Token(-1) is [%d, %d], want [%d, %d]", r, c, tc.n, 3*tc.e)
		}
		for n := range tc.n {
			for j := range 3 * tc.e {
				if wide.At(n, j) != float64(x.Row(n, tc.t-1)[j]) {
					t.Fatalf("QKV.Token(-1)[%d, %d] is not activations[%d, -1, %d]", n, j, n, j)
				}
			}
		}
	}
}

// TestArray checks Array's indexing against the values written one by one in
// row-major order.
func TestArray(t *testing.T) {
	a := Zeros(2, 3, 2)
	for i := range a.Data {
		a.Data[i] = float64(i)
	}
	tests := []struct {
		idx  []int
		want []float64
	}{
		{[]int{All, 1, 0}, []float64{2, 8}},
		{[]int{1, All, 1}, []float64{7, 9, 11}},
		{[]int{-1, 0, All}, []float64{6, 7}},
		{[]int{0, All, All}, []float64{0, 1, 2, 3, 4, 5}},
	}
	for _, tc := range tests {
		got := a.Slice(tc.idx...)
		if len(got) != len(tc.want) {
			t.Fatalf("Slice%v = %v, want %v", tc.idx, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("Slice%v = %v, want %v", tc.idx, got, tc.want)
			}
		}
	}
	if d := a.DiffLast(All, 2, All); d[0] != 1 || d[1] != 1 {
		t.Errorf("DiffLast = %v, want [1 1]", d)
	}
	if m := a.MeanLast(All, 1, All); m[0] != 2.5 || m[1] != 8.5 {
		t.Errorf("MeanLast = %v, want [2.5 8.5]", m)
	}
	m := a.Matrix(All, All, 1)
	if r, c := m.Dims(); r != 2 || c != 3 || m.At(1, 2) != 11 || m.At(0, 1) != 3 {
		t.Errorf("Matrix(All, All, 1) = %v", m)
	}
	a.SetSlice([]float64{-1, -2, -3}, 0, All, 0)
	if a.At(0, 2, 0) != -3 || a.At(0, 2, 1) != 5 {
		t.Errorf("SetSlice wrote %v", a.Data)
	}
}
