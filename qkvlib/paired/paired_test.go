package paired

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSignFlipByHand(t *testing.T) {
	tests := []struct {
		name string
		d    []float64
		want float64
	}{
		// Sums of ±1±2±3: only the observed 6 is ≥ 6, only -6 ≤ -6: p = 2·1/8.
		{"1,2,3", []float64{1, 2, 3}, 0.25},
		// Observed 0: less and greater both count at least half: p = 1.
		{"symmetric", []float64{1, -1, 2, -2}, 1},
		{"zeros", []float64{0, 0, 0}, 1},
		// Sums of ±1±1±1±3 ≥ 6: {+,+,+,+} only, with a tie-free tail: 2/16.
		{"1,1,1,3", []float64{1, 1, 1, 3}, 0.125},
		// ±1±1±2 ≥ 2: 1+1+2=4, 1-1+2=2, -1+1+2=2 → 3 of 8, two-sided 6/8.
		{"ties 1,-1,2", []float64{1, -1, 2}, 0.75},
	}
	for _, tc := range tests {
		p, exact := SignFlipTest(Diffs{D: tc.d, N: len(tc.d), C: 1}, Options{})
		if !exact || p[0] != tc.want {
			t.Errorf("%s: p = %v (exact %v), want %v exactly", tc.name, p[0], exact, tc.want)
		}
	}
}

// TestSignFlipRandom checks the Monte-Carlo p-value is reproducible, depends
// on the seed, and has scipy's +1 floor.
func TestSignFlipRandom(t *testing.T) {
	strong := make([]float64, 30) // mean ≈ 0.8, about 3 sd from 0
	for i := range strong {
		strong[i] = float64(i%7) - 2
	}
	weak := []float64{0.3, -0.1, 0.2, 0.05, -0.2, 0.4, 0.1, -0.05, 0.15, 0.2, -0.3, 0.25, 0.1, 0.05, -0.1, 0.2, 0.3}
	pOf := func(d []float64, seed uint64) float64 {
		p, exact := SignFlipTest(Diffs{D: d, N: len(d), C: 1}, Options{Resamples: 999, Seed: seed})
		if exact {
			t.Fatalf("N = %d: exact, want random", len(d))
		}
		return p[0]
	}
	if p1, p2 := pOf(strong, 5), pOf(strong, 5); p1 != p2 || p1 < 2.0/1000 {
		t.Errorf("strong effect: p %v then %v with the same seed; want equal and at least 2/(B+1)", p1, p2)
	}
	if p1, p2 := pOf(weak, 1), pOf(weak, 2); p1 == p2 {
		t.Errorf("weak effect: p = %v with seeds 1 and 2: the seed changes nothing", p1)
	}
}

// TestPairedNaN checks that a NaN difference makes its cell's numbers NaN,
// leaves the other cells alone and stays out of the adjustment.
func TestPairedNaN(t *testing.T) {
	for _, n := range []int{6, 30} { // exact and random
		d := Diffs{N: n, C: 3, D: make([]float64, 3*n)}
		for i := range n {
			d.D[3*i], d.D[3*i+1], d.D[3*i+2] = 1+float64(i%3), float64(i%5)-2, 2+float64(i%4)
		}
		d.D[3*2+1] = math.NaN()
		got := Test(d, Options{Resamples: 200})
		c := got[1]
		if !math.IsNaN(c.Diff) || !math.IsNaN(c.P) || !math.IsNaN(c.PBH) || !math.IsNaN(c.CILo) || !math.IsNaN(c.CIHi) {
			t.Errorf("N %d: NaN cell gives %+v, want NaN numbers", n, c)
		}
		// Two valid cells, both at the smallest p: adjusted = p·2/2.
		for _, c := range []Result{got[0], got[2]} {
			if math.IsNaN(c.P) || c.PBH != c.P || !(c.CILo < c.Diff && c.Diff < c.CIHi) {
				t.Errorf("N %d: valid cell %+v", n, c)
			}
		}
	}
}

func TestBHAdjustByHand(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		p, want []float64
	}{
		// sorted .01 .03 .04 .2 → ·4/i: .04 .06 .0533 .2 → running min from the top.
		{[]float64{0.01, 0.04, 0.03, 0.2}, []float64{0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.2}},
		{[]float64{0.01, 0.02, 0.03, 0.04, 0.05}, []float64{0.05, 0.05, 0.05, 0.05, 0.05}},
		{[]float64{0.9, 0.8}, []float64{0.9, 0.9}},
		{[]float64{0.6, 0.7}, []float64{0.7, 0.7}},
		{[]float64{1, 0.4}, []float64{1, 0.8}},
		// NaN left out: m = 2.
		{[]float64{0.01, nan, 0.04}, []float64{0.02, nan, 0.04}},
		{nil, []float64{}},
	}
	for _, tc := range tests {
		got := BHAdjust(tc.p)
		if len(got) != len(tc.want) {
			t.Fatalf("BHAdjust(%v) = %v, want %v", tc.p, got, tc.want)
		}
		for i := range got {
			if !near(got[i], tc.want[i], 1e-15) {
				t.Errorf("BHAdjust(%v) = %v, want %v", tc.p, got, tc.want)
				break
			}
		}
	}
}

func TestBootstrapMeanCI(t *testing.T) {
	// Constant differences: every resample's mean is the constant.
	lo, hi := BootstrapMeanCI(Diffs{D: []float64{2, 2, 2, 2}, N: 4, C: 1}, Options{Resamples: 50})
	if lo[0] != 2 || hi[0] != 2 {
		t.Errorf("constant differences: interval [%v, %v], want [2, 2]", lo[0], hi[0])
	}
	// Two cells share the resamples: cell 1 = 3·cell 0 + 1 gives the
	// interval mapped by the same affine function.
	d := Diffs{N: 40, C: 2, D: make([]float64, 80)}
	for i := range d.N {
		x := math.Sin(float64(i) * 1.7)
		d.D[2*i], d.D[2*i+1] = x, 3*x+1
	}
	lo, hi = BootstrapMeanCI(d, Options{Resamples: 400, Seed: 9})
	if !near(lo[1], 3*lo[0]+1, 1e-12) || !near(hi[1], 3*hi[0]+1, 1e-12) || !(lo[0] < d.Means()[0] && d.Means()[0] < hi[0]) {
		t.Errorf("intervals %v–%v and %v–%v, mean %v", lo[0], hi[0], lo[1], hi[1], d.Means())
	}
}

func TestPercentile(t *testing.T) {
	for _, tc := range []struct{ q, want float64 }{{0, 1}, {1, 16}, {0.5, 4}, {0.25, 2}, {0.3, 2.4}, {0.9, 12.8}} {
		x := []float64{8, 1, 16, 4, 2} // numpy.percentile([1, 2, 4, 8, 16], 100*q)
		if got := percentile(x, tc.q); !near(got, tc.want, 1e-15) {
			t.Errorf("percentile(%v, %v) = %v, want %v", x, tc.q, got, tc.want)
		}
	}
}

// TestPercentileSelects checks percentile, which selects the values it
// needs, against the same formula on a sorted copy, for every position of
// small arrays with ties, infinities and NaNs (which sort first).
func TestPercentileSelects(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 5))
	pool := []float64{-2, -1, 0, 0.5, 1, 3, math.Inf(1), math.Inf(-1), math.NaN()}
	for trial := range 3000 {
		n := 1 + trial%41
		x := make([]float64, n)
		for i := range x {
			if trial%3 == 0 {
				x[i] = r.NormFloat64()
			} else {
				x[i] = pool[r.IntN(len(pool)-trial%2)] // every other trial without NaNs
			}
		}
		sorted := slices.Clone(x)
		slices.Sort(sorted)
		for _, q := range []float64{0, 0.025, 0.3, 0.5, 0.975, 1, float64(trial%n) / float64(max(1, n-1))} {
			h := float64(n-1) * q
			i := int(math.Floor(h))
			want := sorted[min(i, n-1)]
			if i < n-1 {
				want += (h - float64(i)) * (sorted[i+1] - sorted[i])
			}
			if got := percentile(slices.Clone(x), q); !(got == want || math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("percentile(%v, %v) = %v; from the sorted copy %v", x, q, got, want)
			}
		}
		k := r.IntN(n)
		y := slices.Clone(x)
		selectNth(y, k)
		for i, v := range y {
			if i < k && cmp.Less(y[k], v) || i > k && cmp.Less(v, y[k]) || i == k && cmp.Compare(v, sorted[k]) != 0 {
				t.Fatalf("selectNth(%v, %d) = %v: not partitioned around the sorted %v", x, k, y, sorted[k])
			}
		}
	}
}

func TestCohensDz(t *testing.T) {
	// d = 1, 2, 3, 6: mean 3, unbiased variance (4+1+0+9)/3.
	dz := CohensDz(Diffs{D: []float64{1, 2, 3, 6}, N: 4, C: 1})
	if want := 3 / math.Sqrt(14.0/3); !near(dz[0], want, 1e-15) {
		t.Errorf("d_z = %v, want %v", dz[0], want)
	}
}

func TestPositionDiffs(t *testing.T) {
	layers := make([][][3][3][2]float64, 2)
	for l := range layers {
		layers[l] = make([][3][3][2]float64, 3)
		for i := range 3 {
			for m := range 3 {
				for k := range 3 {
					layers[l][i][m][k] = [2]float64{float64(l + i), float64(100*l + 10*m + k + i*i)}
				}
			}
		}
	}
	d, err := PositionDiffs(layers)
	if err != nil {
		t.Fatal(err)
	}
	if d.N != 3 || d.C != 18 {
		t.Fatalf("shape [%d, %d], want [3, 18]", d.N, d.C)
	}
	for l := range 2 {
		for i := range 3 {
			for m := range 3 {
				for k := range 3 {
					if got, want := d.D[i*18+(l*3+m)*3+k], float64(100*l+10*m+k+i*i-l-i); got != want {
						t.Errorf("layer %d sequence %d cell (%d, %d): %v, want %v", l, i, m, k, got, want)
					}
				}
			}
		}
	}
	bad := [][][][3][3][2]float64{nil, {layers[0][:1]}, {layers[0], layers[1][:2]}}
	for _, b := range bad {
		if _, err := PositionDiffs(b); err == nil {
			t.Errorf("PositionDiffs of %d layers with %v sequences: no error", len(b), lens(b))
		}
	}
	if _, err := Positions(layers, Options{Level: 1.5}); err == nil {
		t.Error("level 1.5: no error")
	}
}

func lens(b [][][3][3][2]float64) []int {
	var out []int
	for _, l := range b {
		out = append(out, len(l))
	}
	return slices.Clip(out)
}

// BenchmarkPositionTests times part 6 at the book's size: 114 sequences, 36
// layers (324 cells), 10,000 sign flips and bootstrap resamples.
func BenchmarkPositionTests(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	layers := make([][][3][3][2]float64, 36)
	for l := range layers {
		layers[l] = make([][3][3][2]float64, 114)
		for i := range layers[l] {
			for m := range 3 {
				for k := range 3 {
					layers[l][i][m][k] = [2]float64{r.NormFloat64(), r.NormFloat64() + 0.1}
				}
			}
		}
	}
	for b.Loop() {
		if _, err := Positions(layers, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCellsIndependent checks that a cell's numbers do not depend on the
// other cells nor on how the cells are split among goroutines: each cell
// tested alone gives the same bits as all 70 together.
func TestCellsIndependent(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for _, n := range []int{9, 40} { // exact and random sign flips
		d := Diffs{N: n, C: 70, D: make([]float64, n*70)}
		for i := range d.D {
			d.D[i] = r.NormFloat64() + 0.2
		}
		opt := Options{Resamples: 500, Seed: 3}
		all := Test(d, opt)
		pAll, _ := SignFlipTest(d, opt)
		for c := range d.C {
			alone := Diffs{D: d.Column(c), N: n, C: 1}
			p, _ := SignFlipTest(alone, opt)
			lo, hi := BootstrapMeanCI(alone, opt)
			if p[0] != pAll[c] || p[0] != all[c].P || lo[0] != all[c].CILo || hi[0] != all[c].CIHi {
				t.Fatalf("N %d cell %d alone: p %v, interval [%v, %v]; among all: p %v, interval [%v, %v]",
					n, c, p[0], lo[0], hi[0], all[c].P, all[c].CILo, all[c].CIHi)
			}
		}
	}
}
