package chapter

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/qkvport/qkv/internal/parallel"
	"github.com/qkvport/qkv/qkvlib/describe"
	"github.com/qkvport/qkv/qkvlib/paired"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// Part6Alpha is the false discovery rate at which part 6 calls a difference
// significant: a cell whose Benjamini–Hochberg adjusted p-value is below it.
const Part6Alpha = 0.05

// Part6 is part 6, "is the difference real?": for every layer, Q, K, V and
// descriptive (mean, L1 mean, variance), each sequence's non-target value
// minus its target value, tested over the sequences (paired.Positions).
type Part6 struct {
	NSequences int     `json:"n_sequences"`
	Resamples  int     `json:"resamples"` // random sign flips and bootstrap resamples
	Seed       uint64  `json:"seed"`      // of both (math/rand/v2 PCG, see paired.Options)
	Exact      bool    `json:"exact"`     // the sign-flip test enumerated all 2^N flips
	Level      float64 `json:"level"`     // the bootstrap interval's coverage
	// Tests: [n_layers][3 Q,K,V][3 mean, L1, variance], each cell's mean
	// difference, d_z, p, adjusted p (over all n_layers·9 cells) and interval.
	Tests [][3][3]paired.Result `json:"tests"`
}

// NewPart6 runs part 6 on each layer's per-sequence descriptives
// [n_layers][N][3][3][2] (describe.LayerStats.Sequences); nil with fewer
// than 2 sequences.
func NewPart6(seqs [][][3][3][2]float64, opt paired.Options) (*Part6, error) {
	return part6Of(seqs, opt)
}

func part6Of(seqs [][][3][3][2]float64, opt paired.Options) (*Part6, error) {
	if len(seqs) == 0 || len(seqs[0]) < 2 {
		return nil, nil
	}
	opt, err := opt.WithDefaults()
	if err != nil {
		return nil, err
	}
	tests, err := paired.Positions(seqs, opt)
	if err != nil {
		return nil, err
	}
	n := len(seqs[0])
	return &Part6{NSequences: n, Resamples: opt.Resamples, Seed: opt.Seed, Exact: opt.Exact(n), Level: opt.Level, Tests: tests}, nil
}

// Part6Cell is one of part 6's tests and where it is.
type Part6Cell struct {
	Layer, Matrix, Descriptive int // Matrix: describe.Query…; Descriptive: describe.ArithmeticMean…
	paired.Result
}

// Cells returns every test, layer by layer, then Q, K, V, then mean, L1 mean,
// variance: [n_layers·9].
func (p *Part6) Cells() []Part6Cell {
	var out []Part6Cell
	for l, layer := range p.Tests {
		for m := range 3 {
			for k := range 3 {
				out = append(out, Part6Cell{Layer: l, Matrix: m, Descriptive: k, Result: layer[m][k]})
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

// Name returns where c is, e.g. "layer 12 K variance".
func (c Part6Cell) Name() string {
	return fmt.Sprintf("layer %d %s %s", c.Layer, describe.Matrices[c.Matrix], describe.Descriptives[c.Descriptive])
}

// String writes c in one line: where it is, the difference, its interval,
// d_z and the adjusted p-value.
func (c Part6Cell) String() string {
	return fmt.Sprintf("%-22s non-target − target %+.4g [%+.4g, %+.4g], d_z %+.2f, adjusted p %.3g", c.Name(), c.Diff, c.CILo, c.CIHi, c.Dz, c.PBH)
}

// Part6Of runs part 6 on the activations of every layer (captured first if
// the store lacks them), the layers read side by side.
func Part6Of(acts *Activations, opt paired.Options) (*Part6, error) {
	if _, err := acts.Layer(acts.Layers[0]); err != nil { // captures, if need be, before the goroutines share acts
		return nil, err
	}
	seqs := make([][][3][3][2]float64, len(acts.Layers))
	err := parallel.For(len(acts.Layers), func(i int) error {
		x, err := acts.Layer(acts.Layers[i])
		if err != nil {
			return err
		}
		defer acts.Release(acts.Layers[i])
		var mats [3]tensor.Tensor3
		mats[describe.Query], mats[describe.Key], mats[describe.Value] = x.Split()
		n, _, _ := x.Dims()
		seqs[i] = make([][3][3][2]float64, n)
		for m, X := range mats {
			for s, d := range describe.Sequences(X) {
				seqs[i][s][m] = d
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return part6Of(seqs, opt)
}
