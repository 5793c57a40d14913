package tensor

import (
	"slices"
	"strings"
	"testing"
)

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		len     int
		n, t, e int
		wantErr string
	}{
		{"ok", 2 * 3 * 12, 2, 3, 12, ""},
		{"one of each", 1, 1, 1, 1, ""},
		{"short", 10, 2, 3, 4, "needs 24 values, have 10"},
		{"N=0", 0, 0, 2, 1, "at least 1"},
		{"E=0", 0, 1, 2, 0, "at least 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(make([]float32, tc.len), tc.n, tc.t, tc.e)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

// TestSplitViews checks every element of the Q, K, V blocks, their tokens
// and their sequences against hand-computed flat indices of [N, T, 3E].
func TestSplitViews(t *testing.T) {
	const n, tt, e = 3, 4, 5
	data := make([]float32, n*tt*3*e)
	for i := range data {
		data[i] = float32(i)
	}
	x, err := New(data, n, tt, 3*e)
	if err != nil {
		t.Fatal(err)
	}
	flat := func(s, p, col int) float32 { return float32(s*tt*3*e + p*3*e + col) }
	Q, K, V := x.Split()
	for b, m := range []Tensor3{Q, K, V} {
		if gn, gt, ge := m.Dims(); gn != n || gt != tt || ge != e {
			t.Fatalf("block %d: Dims = %d, %d, %d", b, gn, gt, ge)
		}
		for s := range n {
			for p := range tt {
				row := m.Row(s, p)
				if len(row) != e || cap(row) != e {
					t.Fatalf("Row len/cap = %d/%d, want %d", len(row), cap(row), e)
				}
				for d := range e {
					want := flat(s, p, b*e+d)
					if m.At(s, p, d) != want || row[d] != want {
						t.Fatalf("block %d [%d, %d, %d] = %v / %v, want %v", b, s, p, d, m.At(s, p, d), row[d], want)
					}
					if got := m.Token(p-tt).At(s, d); got != float64(want) {
						t.Fatalf("block %d Token(%d)[%d, %d] = %v, want %v", b, p-tt, s, d, got, want)
					}
				}
			}
		}
		sub := m.Sequences(1, 3)
		if got := sub.At(1, 2, 3); got != flat(2, 2, b*e+3) {
			t.Fatalf("block %d Sequences(1, 3)[1, 2, 3] = %v, want %v", b, got, flat(2, 2, b*e+3))
		}
	}
	wide := x.Token(-1)
	if r, c := wide.Dims(); r != n || c != 3*e || wide.At(2, 7) != float64(flat(2, tt-1, 7)) {
		t.Fatalf("x.Token(-1): [%d, %d], [2, 7] = %v", r, c, wide.At(2, 7))
	}
	heads := Q.View(n, tt, 5, 1)
	if h := heads.Head(2, 4); h.At(3, 0) != float64(flat(2, 3, 4)) || h.T().At(0, 3) != h.At(3, 0) {
		t.Fatalf("Q.View(…).Head(2, 4)[3, 0] = %v, want %v", h.At(3, 0), flat(2, 3, 4))
	}
}

func TestIndexPanics(t *testing.T) {
	x, _ := New(make([]float32, 2*2*6), 2, 2, 6)
	Q, _, _ := x.Split()
	for name, f := range map[string]func(){
		"At e":       func() { Q.At(0, 0, 2) },
		"At n":       func() { Q.At(2, 0, 0) },
		"Row t":      func() { Q.Row(0, -1) },
		"Token":      func() { Q.Token(-3) },
		"Sequences":  func() { x.Sequences(1, 3) },
		"Split":      func() { Q.Split() },
		"View":       func() { Q.View(2, 2, 3, 1) },
		"Head":       func() { Q.View(2, 2, 2, 1).Head(0, 2) },
		"Matrix.At":  func() { Q.Token(0).At(2, 0) },
		"Mean(dim)":  func() { Q.Token(0).Mean(2) },
		"Array dims": func() { Zeros(2, 2, 2).Dims() },
		"Slice":      func() { Zeros(2, 2).Slice(2, All) },
		"SetSlice":   func() { Zeros(2, 2).SetSlice([]float64{1}, All, 0) },
		"Diff":       func() { Zeros(2, 3).Diff(-1) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			f()
		})
	}
}

// TestZeroValues checks that the zero views and a nil *Array are empty
// rather than panicking, so that code over activations that failed to load
// computes nothing.
func TestZeroValues(t *testing.T) {
	var x Tensor3
	q, _, _ := x.Split()
	if !q.IsEmpty() || len(q.Token(-1).Flatten()) != 0 || len(q.View(0, 0, 1, 0).Std(1)) != 0 {
		t.Error("the zero Tensor3's views are not empty")
	}
	if m := q.Token(-1).Abs().Mean(1).Mean(); m == m {
		t.Errorf("the mean of an empty matrix is %v, want NaN", m)
	}
	var a *Array
	if a.Slice(All, 0).Mean(-1).Data() != nil || a.Shape() != nil {
		t.Error("a nil *Array is not empty")
	}
	a.SetSlice([]float64{1}, 0)
	b := Zeros(2, 3)
	b.SetSlice(nil, 0, All)
	if slices.ContainsFunc(b.Data(), func(v float64) bool { return v != 0 }) {
		t.Error("SetSlice(nil) set values")
	}
}

// TestTransposedViews checks T against the matrix it transposes: elements,
// rows, reductions along the swapped dims, and |x|.
func TestTransposedViews(t *testing.T) {
	x := randomTensor(t, 5, 4, 3, 6, 1)
	m := x.Token(-1)
	mt := m.T()
	if r, c := mt.Dims(); r != 6 || c != 4 {
		t.Fatalf("T() is [%d, %d], want [6, 4]", r, c)
	}
	for i := range 4 {
		for j := range 6 {
			if mt.At(j, i) != m.At(i, j) || mt.Row(j)[i] != float32(m.At(i, j)) || mt.Abs().At(j, i) != m.Abs().At(i, j) {
				t.Fatalf("T()[%d, %d] is not m[%d, %d]", j, i, i, j)
			}
		}
	}
	for i, v := range mt.Mean(1) {
		if !near(v, m.Mean(0)[i], 1e-15) {
			t.Fatalf("T().Mean(1)[%d] = %v, Mean(0) = %v", i, v, m.Mean(0)[i])
		}
	}
	if back := mt.T(); back.At(3, 5) != m.At(3, 5) {
		t.Fatal("T().T() is not the matrix")
	}
	a := Zeros(2, 3)
	copy(a.Data(), []float64{1, 2, 3, 4, 5, 6})
	if at := a.T(); at.At(2, 1) != 6 || at.At(0, 1) != 4 {
		t.Fatalf("Array T() = %v", at.Data())
	}
}
