package paired

import (
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
				for c, v := range d.row(i)[c0:c1] {
					sum[c] += v
				}
			}
			for c, s := range sum {
				means[c*b+k] = s / float64(d.N)
			}
		}
		for c := range w {
			col := means[c*b : (c+1)*b]
			slices.Sort(col)
			lo[c0+c], hi[c0+c] = percentile(col, alpha), percentile(col, 1-alpha)
			if math.IsNaN(mean[c0+c]) {
				lo[c0+c], hi[c0+c] = math.NaN(), math.NaN()
			}
		}
	})
	return lo, hi
}

// percentile returns the q-quantile (0 ≤ q ≤ 1) of sorted by numpy's
// 'linear' method: the value at position (n−1)·q, interpolated.
func percentile(sorted []float64, q float64) float64 {
	h := float64(len(sorted)-1) * q
	i := int(math.Floor(h))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	f := h - float64(i)
	return sorted[i] + f*(sorted[i+1]-sorted[i])
}

// resampler draws bootstrap resamples of n sequence indices.
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
