package stats

import (
	"fmt"
	"math"
)

// Density returns the density histogram of values over the bins that edges
// delimit, as torch.histogram(values, edges, density=True) computes it:
// [len(edges)-1].
//
// Bin i is the half-open interval [edges[i], edges[i+1]), except the last,
// which also holds edges[len(edges)-1]. Values below the first edge, above
// the last, or NaN are dropped. Bin i's density is
// count[i] / (in-range count × (edges[i+1] - edges[i])); with no value in
// range every bin is NaN.
//
// values: [M] float32, any length. edges: [B+1] strictly increasing, B ≥ 1;
// to agree with torch bit for bit use float32 edges, such as [Linspace]'s.
// Density panics on invalid edges.
//
// gonum's stat.Histogram is not used: it needs sorted values, panics on
// values outside the edges and leaves the last bin open.
func Density(values []float32, edges []float64) []float64 {
	checkEdges(edges)
	counts := make([]int64, len(edges)-1)
	total := countBins(counts, values, edges)
	return densities(counts, total, edges)
}

// Histogram returns the histogram of values over the bins that edges
// delimit, as torch.histogram(values, edges, density=density): densities
// ([Density]) when density is true, else counts. [len(edges)-1].
func Histogram(values []float32, edges []float64, density bool) []float64 {
	if density {
		return Density(values, edges)
	}
	checkEdges(edges)
	counts := make([]int64, len(edges)-1)
	countBins(counts, values, edges)
	out := make([]float64, len(counts))
	for i, c := range counts {
		out[i] = float64(c)
	}
	return out
}

// Histograms returns the density histograms of X's values at the target
// (T-1) and non-target (T-2) positions, each flattened over the N sequences
// and E dimensions (X[:, -1, :].flatten() in the notebook), with the rules of
// [Density].
//
// X: [N, T, E]. edges: [B+1]. target, nontarget: [B].
func Histograms(X Matrix, edges []float64) (target, nontarget []float64) {
	checkEdges(edges)
	var counts [2][]int64
	var totals [2]int64
	for p := range counts {
		counts[p] = make([]int64, len(edges)-1)
	}
	for n := 0; n < X.n; n++ {
		totals[Target] += countBins(counts[Target], X.row(n, X.t-1), edges)
		totals[NonTarget] += countBins(counts[NonTarget], X.row(n, X.t-2), edges)
	}
	return densities(counts[Target], totals[Target], edges), densities(counts[NonTarget], totals[NonTarget], edges)
}

// checkEdges panics unless edges has at least two points, all finite and
// strictly increasing.
func checkEdges(edges []float64) {
	if err := edgesError(edges); err != nil {
		panic(err)
	}
}

func edgesError(edges []float64) error {
	if len(edges) < 2 {
		return fmt.Errorf("stats: histogram needs at least 2 edges, have %d", len(edges))
	}
	for i, e := range edges {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return fmt.Errorf("stats: histogram edge %d is %v: edges must be finite", i, e)
		}
		if i > 0 && !(edges[i-1] < e) {
			return fmt.Errorf("stats: histogram edges %d and %d (%v, %v) are not strictly increasing", i-1, i, edges[i-1], e)
		}
	}
	return nil
}

// countBins adds to counts: [len(edges)-1] the number of values that fall in
// each bin and returns how many fell in range. It mirrors torch's CPU kernel:
// a value v is kept when edges[0] ≤ v ≤ edges[last] (so NaN is not), its bin
// is that of the last edge ≤ v, and v equal to the last edge joins the last
// bin. As in torch, the bin is first guessed as if the edges were even, and
// the guess is kept only when the edges confirm it; otherwise a binary
// search decides. Either way the comparisons alone decide the bin.
func countBins(counts []int64, values []float32, edges []float64) (inRange int64) {
	nb := len(counts)
	lo, hi := edges[0], edges[nb]
	scale := float64(nb) / (hi - lo)
	for _, f := range values {
		v := float64(f)
		if !(v >= lo && v <= hi) {
			continue
		}
		bin := int((v - lo) * scale)
		if bin >= nb {
			bin = nb - 1
		}
		if !(edges[bin] <= v && (v < edges[bin+1] || bin == nb-1)) {
			bin = searchBin(edges, v)
		}
		counts[bin]++
		inRange++
	}
	return inRange
}

// searchBin returns the bin of v, edges[0] ≤ v ≤ edges[last]: the index of
// the last edge ≤ v (an upper-bound binary search), the last bin for v on the
// last edge.
func searchBin(edges []float64, v float64) int {
	last := len(edges) - 1
	i, j := 1, last+1 // the first edge > v is in [1, last+1)
	for i < j {
		h := int(uint(i+j) >> 1)
		if edges[h] > v {
			j = h
		} else {
			i = h + 1
		}
	}
	return min(i-1, last-1)
}

// densities turns counts: [B] into densities count / (total × width): [B].
func densities(counts []int64, total int64, edges []float64) []float64 {
	out := make([]float64, len(counts))
	for i, c := range counts {
		out[i] = float64(c) / (float64(total) * (edges[i+1] - edges[i]))
	}
	return out
}
