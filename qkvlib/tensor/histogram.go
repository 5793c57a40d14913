package tensor

import (
	"fmt"
	"math"
	"runtime"
	"slices"

	"github.com/qkvport/qkv/internal/parallel"
)

// Histogram returns torch.histogram(values, edges, density=density)'s
// histogram: [len(edges)-1]. Bins are half-open [edges[i], edges[i+1])
// except the last, which is closed; values outside [edges[0], edges[-1]] and
// NaN are not counted. With density, each count is divided by the number of
// values counted times the bin's width (NaN everywhere when none is). It
// panics unless edges are finite and strictly increasing.
func Histogram(values []float32, edges []float64, density bool) []float64 {
	b, err := NewBins(edges)
	if err != nil {
		panic(err)
	}
	b.Add(values)
	if density {
		return b.Density()
	}
	out := make([]float64, len(b.counts))
	for i, c := range b.counts {
		out[i] = float64(c)
	}
	return out
}

// Bins counts values into a histogram's bins over several calls, with
// Histogram's rules.
type Bins struct {
	edges  []float64
	counts []int64
	total  int64 // values counted
}

// NewBins returns empty bins over edges, which must be finite and strictly
// increasing, at least 2 of them.
func NewBins(edges []float64) (*Bins, error) {
	if len(edges) < 2 {
		return nil, fmt.Errorf("tensor: a histogram needs at least 2 edges, have %d", len(edges))
	}
	for i, e := range edges {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return nil, fmt.Errorf("tensor: histogram edge %d is %v: edges must be finite", i, e)
		}
		if i > 0 && !(edges[i-1] < e) {
			return nil, fmt.Errorf("tensor: histogram edges %d and %d (%v, %v) are not strictly increasing", i-1, i, edges[i-1], e)
		}
	}
	return &Bins{edges: slices.Clone(edges), counts: make([]int64, len(edges)-1)}, nil
}

// Add counts values.
func (b *Bins) Add(values []float32) {
	nb := len(b.edges) - 1
	// Many values are counted in parts side by side, each into its own counts.
	parts := max(1, min(runtime.GOMAXPROCS(0), len(values)/minPart))
	sets := make([]int64, parts*countSets*nb)
	totals := make([]int64, parts)
	_ = parallel.For(parts, func(p int) error {
		totals[p] = b.count(values[p*len(values)/parts:(p+1)*len(values)/parts], sets[p*countSets*nb:(p+1)*countSets*nb])
		return nil
	})
	for k := range parts * countSets {
		for i, c := range sets[k*nb : (k+1)*nb] {
			b.counts[i] += c
		}
	}
	for _, t := range totals {
		b.total += t
	}
}

// minPart is the fewest values Add counts on a core of their own.
const minPart = 1 << 15

// countSets is the number of interleaved sets of counts count uses:
// consecutive values mostly fall in the same few bins, and with one set
// each increment would wait for the one before.
const countSets = 4

// count adds the values in range to sets, countSets sets of counts of the
// bins one after the other, and returns how many there were.
func (b *Bins) count(values []float32, sets []int64) (total int64) {
	edges := b.edges
	nb := len(edges) - 1
	lo, hi := edges[0], edges[nb]
	scale := float64(nb) / (hi - lo)
	for i, f := range values {
		v := float64(f)
		if !(v >= lo && v <= hi) { // also NaN
			continue
		}
		// The bin of evenly spaced edges, checked against the edges
		// themselves (Linspace's points are not exactly even).
		bin := min(int((v-lo)*scale), nb-1)
		if v < edges[bin] || (v >= edges[bin+1] && bin < nb-1) {
			bin = b.search(v)
		}
		sets[(i%countSets)*nb+bin]++
		total++
	}
	return total
}

// search returns the bin of v, which lies in [edges[0], edges[-1]].
func (b *Bins) search(v float64) int {
	last := len(b.edges) - 1
	i, j := 1, last+1 // the first edge > v is in [1, last+1)
	for i < j {
		h := int(uint(i+j) >> 1)
		if b.edges[h] > v {
			j = h
		} else {
			i = h + 1
		}
	}
	return min(i-1, last-1)
}

// Counts returns the counts of values in each bin: [len(edges)-1].
func (b *Bins) Counts() []int64 { return slices.Clone(b.counts) }

// Density returns each bin's count divided by the number of values counted
// times the bin's width: [len(edges)-1]; NaN everywhere when none was.
func (b *Bins) Density() []float64 {
	out := make([]float64, len(b.counts))
	for i, c := range b.counts {
		out[i] = float64(c) / (float64(b.total) * (b.edges[i+1] - b.edges[i]))
	}
	return out
}
