package figures

import "github.com/qkvport/qkv/qkvlib/paired"

// Part6Of draws Part6 from part 6's tests, [n_layers][3 (Q, K, V)][3
// (mean, L1 mean, variance)]: each cell's mean difference and bootstrap
// interval, significant where its adjusted p-value is below alpha.
func Part6Of(tests [][3][3]paired.Result, alpha float64) (*Figure, error) {
	cells := make([][3][3]Part6Cell, len(tests))
	for l, layer := range tests {
		for m := range 3 {
			for k, c := range layer[m] {
				cells[l][m][k] = Part6Cell{Diff: c.Diff, Lo: c.CILo, Hi: c.CIHi, Significant: c.PBH < alpha}
			}
		}
	}
	return Part6(cells)
}
