package stats

import (
	"fmt"
	"slices"
)

// LayerStats holds one layer's statistics for Q, K and V.
type LayerStats struct {
	// N is the number of sequences accumulated.
	N int
	// Descriptives: [3 matrices][3 descriptives][2 positions], as
	// [MeansAndVar] gives for each matrix.
	Descriptives [3][3][2]float64
	// Histograms: [3 matrices][B bins][2 positions], as [Histograms] gives
	// for each matrix.
	Histograms [3][][2]float64
	// HeadStdev: [3 matrices], as [HeadStdev] gives for each matrix.
	HeadStdev [3]float64
	// Sequences: [N][3 matrices][3 descriptives][2 positions], the
	// per-sequence values that Descriptives averages, as
	// [SequenceDescriptives] gives for each matrix (part 6's paired tests).
	Sequences [][3][3][2]float64
}

// LayerAccumulator computes a layer's [LayerStats] from chunks of sequences,
// so that thousands of windows need not be held in memory at once. Every
// statistic is a mean over sequences of per-sequence values (or a count), so
// the result does not depend on how the sequences are chunked: it equals the
// whole-array functions exactly, for any chunking.
//
// A LayerAccumulator is not safe for concurrent use; use one per layer.
type LayerAccumulator struct {
	edges  []float64
	nHeads int

	t, e int // fixed by the first chunk
	n    int // sequences so far

	desc   [3][3][2]float64   // [matrix][descriptive][position], sums over sequences
	seqs   [][3][3][2]float64 // [sequence][matrix][descriptive][position]
	counts [3][2][]int64      // [matrix][position][bin]
	totals [3][2]int64        // [matrix][position], values in range
	stdSum [3]float64         // [matrix], sums of column stdevs over sequences

	rowScratch, colScratch []float64
}

// NewLayerAccumulator returns an accumulator whose histograms use edges:
// [B+1] (copied; use [Linspace] to agree with torch) and whose head statistic
// views E as nHeads heads. It returns an error for invalid edges or nHeads < 1.
func NewLayerAccumulator(edges []float64, nHeads int) (*LayerAccumulator, error) {
	if err := edgesError(edges); err != nil {
		return nil, fmt.Errorf("stats: new layer accumulator: %w", err)
	}
	if nHeads < 1 {
		return nil, fmt.Errorf("stats: new layer accumulator: nHeads = %d, need at least 1", nHeads)
	}
	a := &LayerAccumulator{edges: slices.Clone(edges), nHeads: nHeads}
	for m := range a.counts {
		for p := range a.counts[m] {
			a.counts[m][p] = make([]int64, len(edges)-1)
		}
	}
	return a, nil
}

// Add accumulates the sequences of chunk: [n, T, 3·E]. Every chunk must have
// the T and E of the first, and nHeads must divide E. On error nothing is
// accumulated.
func (a *LayerAccumulator) Add(chunk QKV) error {
	if err := chunk.check(); err != nil {
		return fmt.Errorf("stats: adding a chunk after %d sequences: %w", a.n, err)
	}
	if a.n == 0 {
		if err := headsError(chunk.E, a.nHeads); err != nil {
			return fmt.Errorf("stats: adding the first chunk: %w", err)
		}
		a.t, a.e = chunk.T, chunk.E
		a.rowScratch = make([]float64, chunk.E)
		a.colScratch = make([]float64, chunk.T)
	} else if chunk.T != a.t || chunk.E != a.e {
		return fmt.Errorf("stats: adding a chunk of shape [%d, %d, 3·%d] after %d sequences of shape [·, %d, 3·%d]: every chunk of a layer needs the same T and E",
			chunk.N, chunk.T, chunk.E, a.n, a.t, a.e)
	}
	mats := [3]Matrix{}
	mats[Query], mats[Key], mats[Value] = chunk.Split()
	for n := 0; n < chunk.N; n++ {
		var seq [3][3][2]float64
		for m, X := range mats {
			seq[m] = sequenceDescriptives(X, n, a.rowScratch)
			addDescriptives(&a.desc[m], seq[m])
			a.totals[m][Target] += countBins(a.counts[m][Target], X.row(n, X.t-1), a.edges)
			a.totals[m][NonTarget] += countBins(a.counts[m][NonTarget], X.row(n, X.t-2), a.edges)
			a.stdSum[m] += sequenceStdevSum(X, n, a.colScratch)
		}
		a.seqs = append(a.seqs, seq)
	}
	a.n += chunk.N
	return nil
}

// N returns the number of sequences accumulated so far.
func (a *LayerAccumulator) N() int { return a.n }

// Result returns the statistics of the sequences added so far. Before any
// sequence every value is NaN. The accumulator can go on accumulating.
func (a *LayerAccumulator) Result() LayerStats {
	r := LayerStats{N: a.n, Sequences: slices.Clone(a.seqs)}
	n := float64(a.n)
	for m := range 3 {
		for p := range 2 {
			for d := range 3 {
				r.Descriptives[m][d][p] = a.desc[m][d][p] / n
			}
		}
		t := densities(a.counts[m][Target], a.totals[m][Target], a.edges)
		nt := densities(a.counts[m][NonTarget], a.totals[m][NonTarget], a.edges)
		r.Histograms[m] = make([][2]float64, len(t))
		for b := range t {
			r.Histograms[m][b] = [2]float64{t[b], nt[b]}
		}
		r.HeadStdev[m] = a.stdSum[m] / (n * float64(a.e))
	}
	return r
}
