package stats

import (
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// Indices of the three descriptives in results shaped [3]…
const (
	ArithmeticMean = iota // mean of x
	L1Mean                // mean of |x|
	Variance              // unbiased variance, ÷ (E-1)
)

// MeansAndVar returns the notebook's meansAndVar(X): the arithmetic mean, the
// L1 mean and the unbiased variance of X at the target (T-1) and non-target
// (T-2) positions, each computed per sequence over the E dimensions and then
// averaged over the N sequences, e.g. torch.mean(torch.var(X[:,-1,:], dim=1)).
//
// X: [N, T, E]. target, nontarget: [3] indexed by [ArithmeticMean],
// [L1Mean], [Variance]. The variance is NaN when E = 1, as in torch.
func MeansAndVar(X Matrix) (target, nontarget [3]float64) {
	var sums [2][3]float64
	scratch := make([]float64, X.e)
	for n := 0; n < X.n; n++ {
		addDescriptives(&sums, X, n, scratch)
	}
	for i := range sums[Target] {
		target[i] = sums[Target][i] / float64(X.n)
		nontarget[i] = sums[NonTarget][i] / float64(X.n)
	}
	return target, nontarget
}

// addDescriptives adds sequence n's descriptives at the target and
// non-target positions to sums: [2 positions][3 descriptives].
// scratch: [E].
func addDescriptives(sums *[2][3]float64, X Matrix, n int, scratch []float64) {
	for p, t := range [2]int{X.t - 1, X.t - 2} {
		row := X.row(n, t)
		for i, v := range row {
			scratch[i] = float64(v)
		}
		mean, variance := stat.MeanVariance(scratch, nil)
		sums[p][ArithmeticMean] += mean
		sums[p][L1Mean] += floats.Norm(scratch, 1) / float64(len(scratch))
		sums[p][Variance] += variance
	}
}
