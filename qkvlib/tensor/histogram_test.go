package tensor

import (
	"math"
	"slices"
	"testing"
)

func TestHistogramEdgeRules(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		values []float32
		edges  []float64
		want   []float64 // hand-worked: count / (in-range count × width)
	}{
		{
			name:   "inner edge goes up",
			values: []float32{1, 1, 0.5, 2.5},
			edges:  []float64{0, 1, 2, 3},
			want:   []float64{1.0 / 4, 2.0 / 4, 1.0 / 4},
		},
		{
			name:   "last edge joins the last bin",
			values: []float32{3, 0},
			edges:  []float64{0, 1, 2, 3},
			want:   []float64{1.0 / 2, 0, 1.0 / 2},
		},
		{
			name:   "first edge in the first bin",
			values: []float32{0},
			edges:  []float64{0, 1, 2, 3},
			want:   []float64{1, 0, 0},
		},
		{
			name: "outside and NaN dropped, normalised by the in-range count",
			// In range: 0.5, 1.5, 1.5; dropped: -0.5, 3.5, +Inf, -Inf, NaN,
			// and just below / above the ends.
			values: []float32{-0.5, 0.5, 1.5, 1.5, 3.5, float32(math.Inf(1)), float32(math.Inf(-1)), float32(nan),
				math.Nextafter32(0, -1), math.Nextafter32(3, 4)},
			edges: []float64{0, 1, 2, 3},
			want:  []float64{1.0 / 3, 2.0 / 3, 0},
		},
		{
			name:   "uneven widths",
			values: []float32{0.5, 2, 3, 1},
			edges:  []float64{0, 1, 3},
			// counts [1, 3], total 4, widths [1, 2]
			want: []float64{1.0 / 4 / 1, 3.0 / 4 / 2},
		},
		{
			name:   "nothing in range is NaN",
			values: []float32{5, -5},
			edges:  []float64{0, 1, 2},
			want:   []float64{nan, nan},
		},
		{
			name:   "one bin, both ends closed",
			values: []float32{-1, 1, 0},
			edges:  []float64{-1, 1},
			want:   []float64{3.0 / 3 / 2},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Histogram(tc.values, tc.edges, true)
			if len(got) != len(tc.want) {
				t.Fatalf("len = %d, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if !near(got[i], tc.want[i], 1e-15) {
					t.Errorf("bin %d: %v, want %v (all %v)", i, got[i], tc.want[i], got)
				}
			}
		})
	}
}

// TestDensityOnBookEdges puts values exactly on, and one float32 either side
// of, edges of the notebook's torch.linspace(-4, 4, 101): a value on an edge
// opens the bin above it.
func TestHistogramOnBookEdges(t *testing.T) {
	edges := Linspace(-4, 4, 101)
	for _, k := range []int{0, 1, 11, 49, 50, 51, 99, 100} {
		e := float32(edges[k])
		below, above := math.Nextafter32(e, -10), math.Nextafter32(e, 10)
		wantOn := min(k, 99)
		for _, c := range []struct {
			v   float32
			bin int // -1: dropped
		}{{e, wantOn}, {below, k - 1}, {above, wantOn}} {
			if k == 100 && c.v == above {
				c.bin = -1
			}
			d := Histogram([]float32{c.v, 0.01}, edges, true) // 0.01 in bin 50
			for b, x := range d {
				n := 0
				if b == c.bin {
					n++
				}
				if b == 50 {
					n++
				}
				total := 2.0
				if c.bin < 0 {
					total = 1
				}
				want := float64(n) / (total * (edges[b+1] - edges[b]))
				if x != want {
					t.Fatalf("edge %d, value %.9g: bin %d density %v, want %v (value's bin %d)", k, c.v, b, x, want, c.bin)
				}
			}
		}
	}
}

// TestBinsAcrossCalls checks that Bins counts several calls' values into
// one histogram, as one call with all of them does.
func TestBinsAcrossCalls(t *testing.T) {
	edges := []float64{0, 1, 2, 3}
	b, err := NewBins(edges)
	if err != nil {
		t.Fatal(err)
	}
	b.Add([]float32{0.5, 2.5})
	b.Add([]float32{1.5, 3, -1})
	if got, want := b.Counts(), []int64{1, 1, 2}; !slices.Equal(got, want) {
		t.Errorf("Counts = %v, want %v", got, want)
	}
	whole := Histogram([]float32{0.5, 2.5, 1.5, 3, -1}, edges, true)
	if got := b.Density(); !slices.Equal(got, whole) {
		t.Errorf("Density = %v, one call gives %v", got, whole)
	}
	if got := Histogram([]float32{0.5, 2.5, 1.5, 3, -1}, edges, false); !slices.Equal(got, []float64{1, 1, 2}) {
		t.Errorf("counts without density = %v, want [1 1 2]", got)
	}
}

func TestHistogramBadEdgesPanic(t *testing.T) {
	for name, edges := range map[string][]float64{
		"one edge":   {0},
		"decreasing": {0, 2, 1},
		"repeated":   {0, 1, 1},
		"NaN":        {0, math.NaN()},
		"Inf":        {0, math.Inf(1)},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			Histogram([]float32{0}, edges, true)
		})
	}
}
