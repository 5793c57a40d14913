package stats

import (
	"fmt"

	"gonum.org/v1/gonum/stat"
)

// HeadStdev returns the notebook's part-5b number for one matrix: X viewed as
// [N, T, nHeads, E/nHeads], the unbiased standard deviation across the T token
// positions (Xh.std(dim=1)), averaged over the N·nHeads·(E/nHeads) values
// that are left.
//
// Since the view only regroups the E columns, the value is the mean over
// sequences and columns of each column's standard deviation across tokens;
// nHeads only has to divide E, as torch's view requires. HeadStdev panics
// otherwise.
//
// X: [N, T, E].
func HeadStdev(X Matrix, nHeads int) float64 {
	checkHeads(X.e, nHeads)
	scratch := make([]float64, X.t)
	var sum float64
	for n := 0; n < X.n; n++ {
		sum += sequenceStdevSum(X, n, scratch)
	}
	return sum / float64(X.n*X.e)
}

func headsError(e, nHeads int) error {
	if nHeads < 1 || e%nHeads != 0 {
		return fmt.Errorf("stats: %d heads do not divide E = %d: pass the model's n_head", nHeads, e)
	}
	return nil
}

func checkHeads(e, nHeads int) {
	if err := headsError(e, nHeads); err != nil {
		panic(err)
	}
}

// sequenceStdevSum returns the sum over the E columns of sequence n of each
// column's unbiased standard deviation across the T tokens (gonum's
// stat.StdDev). scratch: [T].
//
// Gathering each column (stride 3·E) measured as fast as walking the rows in
// memory order with per-column sums: a sequence's [T, 3·E] fits in cache.
func sequenceStdevSum(X Matrix, n int, scratch []float64) float64 {
	if fastStdevSum != nil {
		return fastStdevSum(X, n, scratch)
	}
	stride := 3 * X.e
	base := n*X.t*stride + X.off
	var sum float64
	for e := 0; e < X.e; e++ {
		for t := range scratch {
			scratch[t] = float64(X.data[base+t*stride+e])
		}
		sum += stat.StdDev(scratch, nil)
	}
	return sum
}

// fastStdevSum, when set (heads_simd.go, on CPUs with AVX-512), computes
// sequenceStdevSum with vector instructions.
var fastStdevSum func(X Matrix, n int, scratch []float64) float64
