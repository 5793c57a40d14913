package paired

import (
	"fmt"

	"github.com/qkvport/qkv/qkvlib/describe"
)

// PositionDiffs returns, for every layer, matrix and descriptive, each
// sequence's non-target minus target value: the paired differences that
// part 6 tests.
//
// layers: [L][N][3 matrices][3 descriptives][2 positions], each layer's
// describe.LayerStats.Sequences. Result: Diffs [N, L·9], cell (l·3+m)·3+k holding
// layer l, matrix m (describe.Query, Key, Value) and descriptive k
// (describe.ArithmeticMean, L1Mean, Variance). It returns an error when there
// is no layer, fewer than 2 sequences, or layers with different N.
func PositionDiffs(layers [][][3][3][2]float64) (Diffs, error) {
	if len(layers) == 0 {
		return Diffs{}, fmt.Errorf("paired: position differences of no layer")
	}
	n := len(layers[0])
	if n < 2 {
		return Diffs{}, fmt.Errorf("paired: position differences of %d sequences: paired tests need at least 2", n)
	}
	d := Diffs{D: make([]float64, n*len(layers)*9), N: n, C: len(layers) * 9}
	for l, seqs := range layers {
		if len(seqs) != n {
			return Diffs{}, fmt.Errorf("paired: layer %d has %d sequences of descriptives, layer 0 has %d: every layer needs the same sequences", l, len(seqs), n)
		}
		for i, s := range seqs {
			row := d.row(i)
			for m := range 3 {
				for k := range 3 {
					row[(l*3+m)*3+k] = s[m][k][describe.NonTarget] - s[m][k][describe.Target]
				}
			}
		}
	}
	return d, nil
}

// Positions runs [Test] on [PositionDiffs]: for every layer, matrix
// and descriptive the mean non-target − target difference, its effect size,
// its sign-flip p-value, that p-value adjusted over all L·9 cells
// (Benjamini–Hochberg) and its bootstrap interval.
//
// layers: [L][N][3][3][2] as for PositionDiffs. Result: [L][3 matrices]
// [3 descriptives].
func Positions(layers [][][3][3][2]float64, opt Options) ([][3][3]Result, error) {
	opt, err := opt.WithDefaults()
	if err != nil {
		return nil, err
	}
	d, err := PositionDiffs(layers)
	if err != nil {
		return nil, err
	}
	cells := Test(d, opt)
	out := make([][3][3]Result, len(layers))
	for l := range out {
		for m := range 3 {
			for k := range 3 {
				out[l][m][k] = cells[(l*3+m)*3+k]
			}
		}
	}
	return out, nil
}
