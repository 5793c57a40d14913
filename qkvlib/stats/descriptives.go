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
	var sums [3][2]float64
	scratch := make([]float64, X.e)
	for n := 0; n < X.n; n++ {
		addDescriptives(&sums, sequenceDescriptives(X, n, scratch))
	}
	for i := range sums {
		target[i] = sums[i][Target] / float64(X.n)
		nontarget[i] = sums[i][NonTarget] / float64(X.n)
	}
	return target, nontarget
}

// SequenceDescriptives returns the descriptives of [MeansAndVar] before the
// average over sequences: for each sequence, the arithmetic mean, L1 mean and
// unbiased variance over the E dimensions at the target and non-target
// positions. Part 6's paired tests compare the two positions sequence by
// sequence on these values.
//
// X: [N, T, E]. Result: [N][3 descriptives][2 positions], indexed
// [n][ArithmeticMean|L1Mean|Variance][Target|NonTarget].
func SequenceDescriptives(X Matrix) [][3][2]float64 {
	out := make([][3][2]float64, X.n)
	scratch := make([]float64, X.e)
	for n := range out {
		out[n] = sequenceDescriptives(X, n, scratch)
	}
	return out
}

// sequenceDescriptives returns sequence n's descriptives at the target and
// non-target positions: [3 descriptives][2 positions]. scratch: [E].
func sequenceDescriptives(X Matrix, n int, scratch []float64) (d [3][2]float64) {
	for p, t := range [2]int{X.t - 1, X.t - 2} {
		row := X.row(n, t)
		for i, v := range row {
			scratch[i] = float64(v)
		}
		mean, variance := stat.MeanVariance(scratch, nil)
		d[ArithmeticMean][p] = mean
		d[L1Mean][p] = floats.Norm(scratch, 1) / float64(len(scratch))
		d[Variance][p] = variance
	}
	return d
}

// addDescriptives adds one sequence's descriptives d to sums, both
// [3 descriptives][2 positions].
func addDescriptives(sums *[3][2]float64, d [3][2]float64) {
	for i := range d {
		for p := range d[i] {
			sums[i][p] += d[i][p]
		}
	}
}
