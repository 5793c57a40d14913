package paired

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"
)

// PCG streams of the two resampling procedures (see [Options.Seed]).
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
//
// A cell whose mean is NaN (a NaN difference) has p NaN.
func SignFlipTest(d Diffs, opt Options) (p []float64, exact bool) {
	d.mustCheck()
	opt = opt.mustDefaults()
	obs := d.Means()
	exact = d.N <= opt.ExactMaxN
	m, a := opt.Resamples, 1
	if exact {
		m, a = 1<<d.N, 0
	}
	less, greater := make([]int, d.C), make([]int, d.C)
	forColumns(d.C, func(c0, c1 int) {
		null, total := make([]float64, c1-c0), make([]float64, c1-c0)
		for i := range d.N { // in the order of d.Means, so that total/N is obs
			addTo(total, d.row(i)[c0:])
		}
		count := func(signs []uint64) {
			flippedMeans(d, signs, c0, total, null)
			for j, v := range null {
				o := obs[c0+j]
				g := math.Max(1e-14, 1e-14*math.Abs(o))
				if v <= o+g {
					less[c0+j]++
				}
				if v >= o-g {
					greater[c0+j]++
				}
			}
		}
		if exact {
			signs := make([]uint64, 1)
			for k := range m {
				signs[0] = uint64(k)
				count(signs)
			}
			return
		}
		flips := newSignFlips(d.N, opt.Seed) // each column range replays the same flips
		for range m {
			count(flips.next())
		}
	})
	p = make([]float64, d.C)
	for c := range p {
		if math.IsNaN(obs[c]) {
			p[c] = math.NaN()
			continue
		}
		l := float64(less[c]+a) / float64(m+a)
		g := float64(greater[c]+a) / float64(m+a)
		p[c] = min(1, 2*min(l, g))
	}
	return p, exact
}

// flippedMeans sets out to the means of cells [c0, c0+len(out)) with sequence
// i negated when bit i%64 of signs[i/64] is set (bits past d.N clear): the
// cells' sums total, less twice the negated sequences, so that only those
// are added. A flip of no sequence gives total exactly.
func flippedMeans(d Diffs, signs []uint64, c0 int, total, out []float64) {
	clear(out)
	for w, word := range signs {
		for ; word != 0; word &= word - 1 {
			addTo(out, d.row(w*64 + bits.TrailingZeros64(word))[c0:])
		}
	}
	for c, t := range total {
		out[c] = (t - 2*out[c]) / float64(d.N)
	}
}

// forColumns calls f on ranges [c0, c1) covering [0, c), in parallel. The
// results do not depend on the number of ranges: every range sees the same
// draws and sums its columns in the same order.
func forColumns(c int, f func(c0, c1 int)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), c/16))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { f(w*c/workers, (w+1)*c/workers) })
	}
	wg.Wait()
}

// signFlips draws random sign flips of n sequences (see [SignFlipTest]).
type signFlips struct {
	r     *rand.Rand
	words []uint64
	last  uint64 // the bits of the last word that are sequences
}

func newSignFlips(n int, seed uint64) *signFlips {
	last := ^uint64(0)
	if n%64 != 0 {
		last = 1<<(n%64) - 1
	}
	return &signFlips{r: rand.New(rand.NewPCG(seed, signFlipStream)), words: make([]uint64, (n+63)/64), last: last}
}

// next returns the next flip's ⌈n/64⌉ words, the bits past n clear, valid
// until the next call.
func (s *signFlips) next() []uint64 {
	for i := range s.words {
		s.words[i] = s.r.Uint64()
	}
	s.words[len(s.words)-1] &= s.last
	return s.words
}
