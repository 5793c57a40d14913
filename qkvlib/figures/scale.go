package figures

import (
	"fmt"
	"math"
	"sort"
)

// autoscale returns matplotlib's autoscaled view interval for data spanning
// [lo, hi]: widened when degenerate, 5% margins, but never across a sticky edge
// (such as the zero of bars) that the data reach.
func autoscale(lo, hi float64, stickies ...float64) [2]float64 {
	if lo > hi || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return [2]float64{0, 1}
	}
	x0, x1 := nonsingular(lo, hi, 0.05, 1e-15)
	d := (x1 - x0) * 0.05
	v0, v1 := x0-d, x1+d
	sort.Float64s(stickies)
	tol := 1e-5 * math.Abs(x1-x0)
	for i := len(stickies) - 1; i >= 0; i-- {
		if stickies[i] <= x0+tol {
			v0 = max(v0, stickies[i])
			break
		}
	}
	for _, s := range stickies {
		if s >= x1-tol {
			v1 = min(v1, s)
			break
		}
	}
	return [2]float64{v0, v1}
}

// span returns the smallest and largest finite values of all xs.
func span(xss ...[]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, xs := range xss {
		for _, x := range xs {
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				lo, hi = min(lo, x), max(hi, x)
			}
		}
	}
	return lo, hi
}

// layerAxis returns 0, 1, ..., n-1 as float64.
func layerAxis(n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)
	}
	return xs
}

func errorf(format string, args ...any) error { return fmt.Errorf("figures: "+format, args...) }
