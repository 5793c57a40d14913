package pyplot

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

// Range returns start, start+step, … up to but not including stop, as Python's
// range, for ticks (Range(0, nLayers, 4)); a step of 0 or less returns nil.
func Range(start, stop, step int) []float64 {
	if step <= 0 {
		return nil
	}
	xs := []float64{}
	for v := start; v < stop; v += step {
		xs = append(xs, float64(v))
	}
	return xs
}

func errorf(format string, args ...any) error { return fmt.Errorf("pyplot: "+format, args...) }
