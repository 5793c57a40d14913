package paired

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// BootstrapMeanCI returns each cell's percentile bootstrap interval of the
// mean difference at coverage opt.Level: the (1−Level)/2 and (1+Level)/2
// quantiles of the means of opt.Resamples resamples, as
// scipy.stats.bootstrap(method='percentile') computes them from its
// resamples. Results: [C] each.
//
// Resample b draws N sequence indices with replacement, rand.IntN(N) from
// rand.NewPCG(opt.Seed, 2), the same resamples for every cell; quantiles
// interpolate linearly between order statistics (numpy.percentile's default,
// 'linear'). A cell whose mean is NaN (a NaN difference) has a NaN interval.
func BootstrapMeanCI(d Diffs, opt Options) (lo, hi []float64) {
	d.mustCheck()
	opt = opt.mustDefaults()
	mean := d.Means()
	b := opt.Resamples
	alpha := (1 - opt.Level) / 2
	lo, hi = make([]float64, d.C), make([]float64, d.C)
	forColumns(d.C, func(c0, c1 int) {
		w := c1 - c0
		means := make([]float64, w*b) // [w][B]
		sum := make([]float64, w)
		rs := newResampler(d.N, opt.Seed) // each column range replays the same resamples
		for k := range b {
			clear(sum)
			for _, i := range rs.next() {
				addTo(sum, d.row(i)[c0:c1])
			}
			for c, s := range sum {
				means[c*b+k] = s / float64(d.N)
			}
		}
		for c := range w {
			col := means[c*b : (c+1)*b]
			lo[c0+c], hi[c0+c] = percentile(col, alpha), percentile(col, 1-alpha)
			if math.IsNaN(mean[c0+c]) {
				lo[c0+c], hi[c0+c] = math.NaN(), math.NaN()
			}
		}
	})
	return lo, hi
}

// percentile returns the q-quantile (0 ≤ q ≤ 1) of x by numpy's 'linear'
// method: the value at position (n−1)·q of x sorted, interpolated. It
// reorders x, finding the one or two values it needs in linear time rather
// than sorting all of them.
func percentile(x []float64, q float64) float64 {
	h := float64(len(x)-1) * q
	i := int(math.Floor(h))
	selectNth(x, i)
	if i >= len(x)-1 {
		return x[i]
	}
	f := h - float64(i)
	next := slices.MinFunc(x[i+1:], cmp.Compare) // the value after x[i] in sorted order
	return x[i] + f*(next-x[i])
}

// selectNth reorders x so that x[k] is the value that sorting x would put
// there, none of x[:k] after it and none of x[k+1:] before it (cmp.Less's
// order: NaNs first). Quickselect with Hoare's partition around the median
// of three.
func selectNth(x []float64, k int) {
	lo, hi := 0, len(x)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if cmp.Less(x[mid], x[lo]) {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if cmp.Less(x[hi], x[lo]) {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if cmp.Less(x[hi], x[mid]) {
			x[hi], x[mid] = x[mid], x[hi]
		}
		p, i, j := x[mid], lo, hi
		for i <= j {
			for cmp.Less(x[i], p) {
				i++
			}
			for cmp.Less(p, x[j]) {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i, j = i+1, j-1
			}
		}
		switch { // x[lo:j+1] ≤ p ≤ x[i:hi+1], and x[j+1:i] == p
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}

type resampler struct {
	r   *rand.Rand
	idx []int
}

func newResampler(n int, seed uint64) *resampler {
	return &resampler{r: rand.New(rand.NewPCG(seed, bootstrapStream)), idx: make([]int, n)}
}

// next returns the next resample's n indices, valid until the next call.
func (s *resampler) next() []int {
	for i := range s.idx {
		s.idx[i] = s.r.IntN(len(s.idx))
	}
	return s.idx
}
