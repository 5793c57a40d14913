package tensor

// The sums a row reduction needs, accumulated in float64 over float32
// values; rows_simd.go replaces them with AVX-512 versions where the build
// and the CPU have them.
var (
	sum32    = sumScalar    // Σ x
	absSum32 = absSumScalar // Σ |x|
	dev32    = devScalar    // Σ (x-m)² and Σ (x-m), for the corrected two-pass variance
)

func sumScalar(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v)
	}
	return s
}

func absSumScalar(x []float32) float64 {
	var s float64
	for _, v := range x {
		if v < 0 {
			s -= float64(v)
		} else {
			s += float64(v)
		}
	}
	return s
}

func devScalar(x []float32, m float64) (ss, comp float64) {
	for _, v := range x {
		d := float64(v) - m
		ss += d * d
		comp += d
	}
	return ss, comp
}

// rowMeanVar returns the mean and the unbiased variance of x with the
// corrected two-pass formula (gonum's stat.MeanVariance); NaN when
// undefined.
func rowMeanVar(x []float32) (mean, variance float64) {
	n := float64(len(x))
	mean = sum32(x) / n
	ss, comp := dev32(x, mean)
	return mean, (ss - comp*comp/n) / (n - 1)
}

// RowStats returns the arithmetic mean, the L1 mean (mean of |x|) and the
// unbiased variance of x, the chapter's three descriptives of one row.
func RowStats(x []float32) (mean, l1, variance float64) {
	mean, variance = rowMeanVar(x)
	return mean, absSum32(x) / float64(len(x)), variance
}
