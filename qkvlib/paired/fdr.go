package paired

import (
	"math"
	"slices"
)

// BHAdjust returns the Benjamini–Hochberg adjusted p-values of p, as
// scipy.stats.false_discovery_control(p, method='bh') and R's
// p.adjust(p, "BH") compute them: with the m p-values in ascending order
// p(1) ≤ … ≤ p(m), the adjusted value of p(i) is min over j ≥ i of
// p(j)·m/j, at most 1, returned in p's order. Rejecting the cells whose
// adjusted value is below α keeps the expected share of false discoveries
// among them at most α (for independent or positively dependent tests).
//
// p: [m]. NaN values are left out (m counts the others) and stay NaN.
func BHAdjust(p []float64) []float64 {
	order := make([]int, 0, len(p))
	for i, v := range p {
		if !math.IsNaN(v) {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	out := make([]float64, len(p))
	for i := range out {
		out[i] = math.NaN()
	}
	m := len(order)
	running := math.Inf(1)
	for j := m - 1; j >= 0; j-- {
		i := order[j]
		running = min(running, p[i]*(float64(m)/float64(j+1)))
		out[i] = min(running, 1)
	}
	return out
}
