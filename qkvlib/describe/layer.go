package describe

import (
	"fmt"
	"slices"

	"github.com/qkvport/qkv/qkvlib/tensor"
)

// LayerStats holds one layer's statistics of Q, K and V.
type LayerStats struct {
	// N is the number of sequences.
	N int
	// Descriptives: [3 matrices][3 descriptives][2 positions], MeansAndVar
	// of each matrix.
	Descriptives [3][3][2]float64
	// Histograms: [3 matrices][B bins][2 positions], the density histograms
	// of each matrix's values at the target and non-target tokens.
	Histograms [3][][2]float64
	// HeadStdev: [3 matrices], HeadStdev of each matrix.
	HeadStdev [3]float64
	// Sequences: [N][3 matrices][3 descriptives][2 positions], the
	// per-sequence values that Descriptives averages (part 6).
	Sequences [][3][3][2]float64
}

// Layer computes a layer's LayerStats from chunks of sequences, so that
// thousands of windows need not be held in memory at once. Every statistic
// is a mean over sequences of per-sequence values, or a count, so the result
// does not depend on how the sequences are chunked.
//
// A Layer is not safe for concurrent use; use one per layer.
type Layer struct {
	edges  []float64
	nHeads int

	t, e int // fixed by the first chunk

	seqs   [][3][3][2]float64 // [sequence][matrix][descriptive][position]
	bins   [3][2]*tensor.Bins // [matrix][position]
	stdSum [3]float64         // [matrix], sums of column stdevs over sequences

	std, scratch []float64
}

// NewLayer returns an empty Layer whose histograms use edges [B+1] (use
// tensor.Linspace to agree with torch) and whose head statistic views E as
// nHeads heads.
func NewLayer(edges []float64, nHeads int) (*Layer, error) {
	if nHeads < 1 {
		return nil, fmt.Errorf("describe: new layer: nHeads = %d, need at least 1", nHeads)
	}
	a := &Layer{edges: slices.Clone(edges), nHeads: nHeads}
	for m := range a.bins {
		for p := range a.bins[m] {
			b, err := tensor.NewBins(edges)
			if err != nil {
				return nil, fmt.Errorf("describe: new layer: %w", err)
			}
			a.bins[m][p] = b
		}
	}
	return a, nil
}

// Add accumulates a chunk of sequences of the layer's capture: [n, T, 3·E].
// Every chunk needs the same T and E.
func (a *Layer) Add(chunk tensor.Tensor3) error {
	n, t, e3 := chunk.Dims()
	if e3%3 != 0 || t < 2 || n < 1 {
		return fmt.Errorf("describe: adding a chunk of shape %v after %d sequences: need [n ≥ 1, T ≥ 2, 3·E]", chunk.Shape(), len(a.seqs))
	}
	e := e3 / 3
	if len(a.seqs) == 0 {
		if err := headsError(e, a.nHeads); err != nil {
			return fmt.Errorf("describe: adding the first chunk: %w", err)
		}
		a.t, a.e = t, e
		a.std, a.scratch = make([]float64, e), make([]float64, t)
	} else if t != a.t || e != a.e {
		return fmt.Errorf("describe: adding a chunk of shape %v after %d sequences of shape [·, %d, %d]: every chunk of a layer needs the same T and E",
			chunk.Shape(), len(a.seqs), a.t, 3*a.e)
	}
	var mats [3]tensor.Tensor3
	mats[Query], mats[Key], mats[Value] = chunk.Split()
	for i := range n {
		var seq [3][3][2]float64
		for m, X := range mats {
			seq[m] = sequence(X, i)
			a.bins[m][Target].Add(X.Row(i, t-1))
			a.bins[m][NonTarget].Add(X.Row(i, t-2))
			tensor.TokenStd(X, i, a.std, a.scratch)
			for _, s := range a.std {
				a.stdSum[m] += s
			}
		}
		a.seqs = append(a.seqs, seq)
	}
	return nil
}

// N returns the number of sequences added so far.
func (a *Layer) N() int { return len(a.seqs) }

// Result returns the statistics of the sequences added so far (NaN where
// none was).
func (a *Layer) Result() LayerStats {
	n := float64(len(a.seqs))
	r := LayerStats{N: len(a.seqs), Sequences: slices.Clone(a.seqs)}
	for _, s := range a.seqs {
		for m := range 3 {
			for d := range 3 {
				for p := range 2 {
					r.Descriptives[m][d][p] += s[m][d][p]
				}
			}
		}
	}
	for m := range 3 {
		for d := range 3 {
			for p := range 2 {
				r.Descriptives[m][d][p] /= n
			}
		}
		t, nt := a.bins[m][Target].Density(), a.bins[m][NonTarget].Density()
		r.Histograms[m] = make([][2]float64, len(t))
		for b := range t {
			r.Histograms[m][b] = [2]float64{t[b], nt[b]}
		}
		r.HeadStdev[m] = a.stdSum[m] / (n * float64(a.e))
	}
	return r
}
