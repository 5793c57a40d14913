package describe

import (
	"fmt"

	"github.com/qkvport/qkv/qkvlib/tensor"
)

// MeansAndVar returns the book's meansAndVar(X): at the target and at the
// non-target token, the arithmetic mean, the L1 mean and the unbiased
// variance of each sequence's E values, averaged over the sequences.
//
// X: [N, T, E], T ≥ 2. Results: [3] indexed [ArithmeticMean], [L1Mean],
// [Variance].
func MeansAndVar(X tensor.Tensor3) (target, nontarget [3]float64) {
	seqs := Sequences(X)
	for _, s := range seqs {
		for d := range 3 {
			target[d] += s[d][Target]
			nontarget[d] += s[d][NonTarget]
		}
	}
	for d := range 3 {
		target[d] /= float64(len(seqs))
		nontarget[d] /= float64(len(seqs))
	}
	return target, nontarget
}

// Sequences returns the descriptives of each sequence of X, which
// MeansAndVar averages: [N][3 descriptives][2 positions].
func Sequences(X tensor.Tensor3) [][3][2]float64 {
	n, t, _ := X.Dims()
	if t < 2 && !X.IsEmpty() {
		panic(fmt.Sprintf("describe: %v has %d token: a target and a non-target need 2", X, t))
	}
	out := make([][3][2]float64, n)
	for i := range out {
		out[i] = sequence(X, i)
	}
	return out
}

// sequence returns the descriptives of sequence i: [3][2].
func sequence(X tensor.Tensor3, i int) (d [3][2]float64) {
	_, t, _ := X.Dims()
	for p, tok := range [2]int{t - 1, t - 2} {
		d[ArithmeticMean][p], d[L1Mean][p], d[Variance][p] = tensor.RowStats(X.Row(i, tok))
	}
	return d
}

// HeadStdev returns the book's part-5b number for one matrix: X viewed as
// [N, T, nHeads, E/nHeads], the unbiased standard deviation across the T
// tokens (Xh.std(dim=1)), averaged over everything that is left. The view
// only regroups the E columns, so nHeads only has to divide E, as torch's
// view requires; HeadStdev panics otherwise.
//
// X: [N, T, E].
func HeadStdev(X tensor.Tensor3, nHeads int) float64 {
	n, t, e := X.Dims()
	if err := headsError(e, nHeads); err != nil {
		panic(err)
	}
	std := make([]float64, e)
	scratch := make([]float64, t)
	var sum float64
	for i := range n {
		tensor.TokenStd(X, i, std, scratch)
		for _, s := range std {
			sum += s
		}
	}
	return sum / float64(n*e)
}

func headsError(e, nHeads int) error {
	if nHeads < 1 || e%nHeads != 0 {
		return fmt.Errorf("describe: %d heads do not divide E = %d: pass the model's n_head", nHeads, e)
	}
	return nil
}
