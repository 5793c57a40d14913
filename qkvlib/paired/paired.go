package paired

import (
	"fmt"
	"math"
)

// Diffs holds paired differences of C cells over N sequences (part 6: one
// cell per layer, matrix and descriptive, a sequence's difference being its
// non-target value minus its target value).
//
// D: [N, C] row-major, D[i·C+c] is sequence i's difference in cell c.
type Diffs struct {
	D    []float64
	N, C int
}

func (d Diffs) mustCheck() {
	if d.N < 1 || d.C < 1 || len(d.D) != d.N*d.C {
		panic(fmt.Sprintf("paired: Diffs shape [%d, %d] with %d values: need N, C ≥ 1 and N·C values", d.N, d.C, len(d.D)))
	}
}

// row returns sequence i's differences: [C].
func (d Diffs) row(i int) []float64 { return d.D[i*d.C : (i+1)*d.C : (i+1)*d.C] }

// Column returns cell c's differences over the sequences: [N] (a copy).
func (d Diffs) Column(c int) []float64 {
	d.mustCheck()
	out := make([]float64, d.N)
	for i := range out {
		out[i] = d.D[i*d.C+c]
	}
	return out
}

// Means returns each cell's mean difference: [C]. The sum runs over the
// sequences in order, as the permutation test's statistics do.
func (d Diffs) Means() []float64 {
	d.mustCheck()
	m := make([]float64, d.C)
	for i := range d.N {
		for c, v := range d.row(i) {
			m[c] += v
		}
	}
	for c := range m {
		m[c] /= float64(d.N)
	}
	return m
}

// CohensDz returns each cell's effect size d_z = mean(d) / sd(d), sd the
// unbiased (÷ N-1) standard deviation of the paired differences: [C]. It is
// NaN when N = 1, ±Inf when every difference of a cell is the same non-zero
// value.
func CohensDz(d Diffs) []float64 {
	mean := d.Means()
	ss := make([]float64, d.C)
	for i := range d.N {
		for c, v := range d.row(i) {
			ss[c] += (v - mean[c]) * (v - mean[c])
		}
	}
	dz := make([]float64, d.C)
	for c := range dz {
		dz[c] = mean[c] / math.Sqrt(ss[c]/float64(d.N-1))
	}
	return dz
}

// Options set the resampling of [SignFlipTest] and [BootstrapMeanCI].
// Zero fields take the defaults.
type Options struct {
	// Resamples is the number of random sign flips and of bootstrap
	// resamples (default 10,000).
	Resamples int
	// Seed seeds math/rand/v2's PCG: the sign flips draw from
	// rand.NewPCG(Seed, 1), the bootstrap from rand.NewPCG(Seed, 2), so
	// the same Seed gives the same numbers on every machine.
	Seed uint64
	// ExactMaxN: with N ≤ ExactMaxN sequences the sign-flip test enumerates
	// all 2^N flips instead of drawing Resamples (default 16; negative:
	// never exact; at most 24).
	ExactMaxN int
	// Level is the bootstrap interval's coverage (default 0.95).
	Level float64
}

// Defaults of [Options].
const (
	DefaultResamples = 10000
	DefaultExactMaxN = 16
	DefaultLevel     = 0.95
	maxExactN        = 24
)

// WithDefaults returns o with its zero fields set to the defaults, or an
// error when a field is out of range.
func (o Options) WithDefaults() (Options, error) {
	if o.Resamples == 0 {
		o.Resamples = DefaultResamples
	}
	if o.ExactMaxN == 0 {
		o.ExactMaxN = DefaultExactMaxN
	}
	if o.Level == 0 {
		o.Level = DefaultLevel
	}
	switch {
	case o.Resamples < 1:
		return o, fmt.Errorf("paired: %d resamples: need at least 1", o.Resamples)
	case o.ExactMaxN > maxExactN:
		return o, fmt.Errorf("paired: exact sign-flip tests up to N = %d would enumerate 2^%d flips: use at most %d", o.ExactMaxN, o.ExactMaxN, maxExactN)
	case !(o.Level > 0 && o.Level < 1):
		return o, fmt.Errorf("paired: interval level %v: need 0 < level < 1 (0.95 for a 95%% interval)", o.Level)
	}
	return o, nil
}

func (o Options) mustDefaults() Options {
	o, err := o.WithDefaults()
	if err != nil {
		panic(err)
	}
	return o
}

// Exact reports whether the sign-flip test of n sequences enumerates every flip.
func (o Options) Exact(n int) bool {
	return n <= o.mustDefaults().ExactMaxN
}

// Result is one cell's paired comparison.
type Result struct {
	Diff float64 `json:"diff"`  // mean difference
	Dz   float64 `json:"dz"`    // Cohen's d_z
	P    float64 `json:"p"`     // two-sided sign-flip p-value
	PBH  float64 `json:"p_bh"`  // P adjusted over all cells (Benjamini–Hochberg)
	CILo float64 `json:"ci_lo"` // bootstrap interval of Diff, lower end
	CIHi float64 `json:"ci_hi"` // and upper end
}

// Test compares every cell of d: the mean difference, [CohensDz],
// [SignFlipTest]'s p-value, its [BHAdjust]ment over all C cells, and
// [BootstrapMeanCI]'s interval. Result: [C]. It panics on invalid options.
func Test(d Diffs, opt Options) []Result {
	opt = opt.mustDefaults()
	mean, dz := d.Means(), CohensDz(d)
	p, _ := SignFlipTest(d, opt)
	pbh := BHAdjust(p)
	lo, hi := BootstrapMeanCI(d, opt)
	out := make([]Result, d.C)
	for c := range out {
		out[c] = Result{Diff: mean[c], Dz: dz[c], P: p[c], PBH: pbh[c], CILo: lo[c], CIHi: hi[c]}
	}
	return out
}
