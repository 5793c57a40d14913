package stats

import (
	"math"
	"math/rand/v2"
)

// PCG streams of the two resampling procedures (see [PairedOptions.Seed]).
const (
	signFlipStream  = 1
	bootstrapStream = 2
)

// SignFlipTest returns each cell's two-sided p-value for the mean difference
// under the null hypothesis that the differences are symmetric about zero
// (the paired permutation test that swaps each sequence's two values, i.e.
// flips the sign of its difference), and whether the test was exact. Result:
// [C].
//
// The null distribution holds the mean of the sign-flipped differences for:
//   - every one of the 2^N flips when N ≤ opt.ExactMaxN (flip k negates
//     sequence i when bit i of k is set; flip 0 is the observed mean);
//   - otherwise opt.Resamples random flips: each draws ⌈N/64⌉ Uint64 words
//     from rand.NewPCG(opt.Seed, 1) and negates sequence i when bit i%64 of
//     word i/64 is set. The same flips serve every cell.
//
// The p-value is scipy.stats.permutation_test's (permutation_type='samples',
// alternative='two-sided'): with M null means, a = 0 when exact and 1 when
// random, and γ = max(1e-14, 1e-14·|observed|) absorbing rounding in ties,
//
//	less    = (#{null ≤ observed + γ} + a) / (M + a)
//	greater = (#{null ≥ observed − γ} + a) / (M + a)
//	p       = min(1, 2·min(less, greater)).
func SignFlipTest(d Diffs, opt PairedOptions) (p []float64, exact bool) {
	d.mustCheck()
	opt = opt.mustDefaults()
	obs := d.Means()
	less, greater := make([]int, d.C), make([]int, d.C)
	null := make([]float64, d.C)
	count := func(signs []uint64) {
		flippedMeans(d, signs, null)
		for c, v := range null {
			g := math.Max(1e-14, 1e-14*math.Abs(obs[c]))
			if v <= obs[c]+g {
				less[c]++
			}
			if v >= obs[c]-g {
				greater[c]++
			}
		}
	}
	exact = d.N <= opt.ExactMaxN
	var m, a int
	if exact {
		m = 1 << d.N
		signs := make([]uint64, 1)
		for k := range m {
			signs[0] = uint64(k)
			count(signs)
		}
	} else {
		m, a = opt.Resamples, 1
		flips := newSignFlips(d.N, opt.Seed)
		for range m {
			count(flips.next())
		}
	}
	p = make([]float64, d.C)
	for c := range p {
		l := float64(less[c]+a) / float64(m+a)
		g := float64(greater[c]+a) / float64(m+a)
		p[c] = min(1, 2*min(l, g))
	}
	return p, exact
}

// flippedMeans sets out to the cells' means with sequence i negated when bit
// i%64 of signs[i/64] is set. out: [C].
func flippedMeans(d Diffs, signs []uint64, out []float64) {
	clear(out)
	for i := range d.N {
		row := d.row(i)
		if signs[i/64]>>(i%64)&1 == 1 {
			for c, v := range row {
				out[c] -= v
			}
		} else {
			for c, v := range row {
				out[c] += v
			}
		}
	}
	for c := range out {
		out[c] /= float64(d.N)
	}
}

// signFlips draws random sign flips of n sequences (see [SignFlipTest]).
type signFlips struct {
	r     *rand.Rand
	words []uint64
}

func newSignFlips(n int, seed uint64) *signFlips {
	return &signFlips{r: rand.New(rand.NewPCG(seed, signFlipStream)), words: make([]uint64, (n+63)/64)}
}

// next returns the next flip's ⌈n/64⌉ words, valid until the next call.
func (s *signFlips) next() []uint64 {
	for i := range s.words {
		s.words[i] = s.r.Uint64()
	}
	return s.words
}
