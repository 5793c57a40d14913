package stats

import (
	"strings"
	"testing"
)

func TestNewQKV(t *testing.T) {
	tests := []struct {
		name    string
		len     int
		n, t, e int
		wantErr string
	}{
		{"ok", 2 * 3 * 3 * 4, 2, 3, 4, ""},
		{"T=2", 1 * 2 * 3 * 1, 1, 2, 1, ""},
		{"short", 10, 2, 3, 4, "needs 72 values, have 10"},
		{"T=1", 3, 1, 1, 1, "T must be at least 2"},
		{"N=0", 0, 0, 2, 1, "N and E must be at least 1"},
		{"E=0", 0, 1, 2, 0, "N and E must be at least 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewQKV(make([]float32, tc.len), tc.n, tc.t, tc.e)
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

func TestSplitViews(t *testing.T) {
	const n, tt, e = 3, 4, 5
	data := make([]float32, n*tt*3*e)
	for i := range data {
		data[i] = float32(i)
	}
	q, err := NewQKV(data, n, tt, e)
	if err != nil {
		t.Fatal(err)
	}
	Q, K, V := q.Split()
	for b, m := range []Matrix{Q, K, V} {
		if gn, gt, ge := m.Dims(); gn != n || gt != tt || ge != e {
			t.Fatalf("block %d: Dims = %d, %d, %d", b, gn, gt, ge)
		}
		for s := range n {
			for p := range tt {
				row := m.Row(s, p)
				for d := range e {
					// Hand-computed flat index of [s, p, b·E+d] in [N, T, 3E].
					want := float32(s*tt*3*e + p*3*e + b*e + d)
					if got := m.At(s, p, d); got != want {
						t.Fatalf("block %d At(%d,%d,%d) = %v, want %v", b, s, p, d, got, want)
					}
					if row[d] != want {
						t.Fatalf("block %d Row(%d,%d)[%d] = %v, want %v", b, s, p, d, row[d], want)
					}
				}
				if len(row) != e || cap(row) != e {
					t.Fatalf("Row len/cap = %d/%d, want %d", len(row), cap(row), e)
				}
			}
		}
	}
	if got := q.Row(2, 3); len(got) != 3*e || got[0] != float32(2*tt*3*e+3*3*e) {
		t.Fatalf("QKV.Row(2,3) = %v", got)
	}
	s := q.Slice(1, 3)
	if s.N != 2 || s.Row(0, 0)[0] != float32(tt*3*e) {
		t.Fatalf("Slice(1,3): N=%d first=%v", s.N, s.Row(0, 0)[0])
	}
}

func TestMatrixIndexPanics(t *testing.T) {
	q, _ := NewQKV(make([]float32, 2*2*3*2), 2, 2, 2)
	Q, _, _ := q.Split()
	for name, f := range map[string]func(){
		"At e":    func() { Q.At(0, 0, 2) },
		"At n":    func() { Q.At(2, 0, 0) },
		"Row t":   func() { Q.Row(0, -1) },
		"Slice":   func() { q.Slice(1, 1) },
		"QKV.Row": func() { q.Row(0, 2) },
		"bad QKV": func() { QKV{Data: nil, N: 1, T: 2, E: 1}.Split() },
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
