package qkvlib

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/qkvport/qkv/qkvlib/figures"
	"github.com/qkvport/qkv/qkvlib/stats"
)

// Part6Alpha is the false discovery rate at which part 6 calls a difference
// significant: a cell whose Benjamini–Hochberg adjusted p-value is below it.
const Part6Alpha = 0.05

// Part6 is part 6, "is the difference real?": for every layer, Q, K, V and
// descriptive (mean, L1 mean, variance), each sequence's non-target value
// minus its target value, tested over the sequences (stats.PositionTests).
type Part6 struct {
	NSequences int     `json:"n_sequences"`
	Resamples  int     `json:"resamples"` // random sign flips and bootstrap resamples
	Seed       uint64  `json:"seed"`      // of both (math/rand/v2 PCG, see stats.PairedOptions)
	Exact      bool    `json:"exact"`     // the sign-flip test enumerated all 2^N flips
	Level      float64 `json:"level"`     // the bootstrap interval's coverage
	// Tests: [n_layers][3 Q,K,V][3 mean, L1, variance], each cell's mean
	// difference, d_z, p, adjusted p (over all n_layers·9 cells) and interval.
	Tests [][3][3]stats.Paired `json:"tests"`
}

// part6Of computes part 6 from each layer's per-sequence descriptives
// [n_layers][N][3][3][2]; nil with fewer than 2 sequences. opt has its defaults.
func part6Of(seqs [][][3][3][2]float64, opt stats.PairedOptions) (*Part6, error) {
	if len(seqs) == 0 || len(seqs[0]) < 2 {
		return nil, nil
	}
	tests, err := stats.PositionTests(seqs, opt)
	if err != nil {
		return nil, err
	}
	n := len(seqs[0])
	return &Part6{NSequences: n, Resamples: opt.Resamples, Seed: opt.Seed, Exact: opt.Exact(n), Level: opt.Level, Tests: tests}, nil
}

// Part6Cell is one of part 6's tests and where it is.
type Part6Cell struct {
	Layer, Matrix, Descriptive int // Matrix: stats.Query…; Descriptive: stats.ArithmeticMean…
	stats.Paired
}

// Cells returns every test, layer by layer, then Q, K, V, then mean, L1 mean,
// variance: [n_layers·9].
func (p *Part6) Cells() []Part6Cell {
	var out []Part6Cell
	for l, layer := range p.Tests {
		for m := range 3 {
			for k := range 3 {
				out = append(out, Part6Cell{Layer: l, Matrix: m, Descriptive: k, Paired: layer[m][k]})
			}
		}
	}
	return out
}

// Significant returns the cells whose adjusted p-value is below alpha, the
// strongest first: smallest adjusted p, then largest |d_z|, then in Cells'
// order.
func (p *Part6) Significant(alpha float64) []Part6Cell {
	cells := slices.DeleteFunc(p.Cells(), func(c Part6Cell) bool { return !(c.PBH < alpha) })
	slices.SortStableFunc(cells, func(a, b Part6Cell) int {
		if c := cmp.Compare(a.PBH, b.PBH); c != 0 {
			return c
		}
		return cmp.Compare(math.Abs(b.Dz), math.Abs(a.Dz))
	})
	return cells
}

// FigureCells returns what figures.Part6 draws: each cell's mean difference,
// bootstrap interval, and whether its adjusted p-value is below alpha.
func (p *Part6) FigureCells(alpha float64) [][3][3]figures.Part6Cell {
	out := make([][3][3]figures.Part6Cell, len(p.Tests))
	for l, layer := range p.Tests {
		for m := range 3 {
			for k, c := range layer[m] {
				out[l][m][k] = figures.Part6Cell{Diff: c.Diff, Lo: c.CILo, Hi: c.CIHi, Significant: c.PBH < alpha}
			}
		}
	}
	return out
}

// Name returns where c is, e.g. "layer 12 K variance".
func (c Part6Cell) Name() string {
	return fmt.Sprintf("layer %d %s %s", c.Layer, [3]string{"Q", "K", "V"}[c.Matrix],
		[3]string{"mean", "L1 mean", "variance"}[c.Descriptive])
}
