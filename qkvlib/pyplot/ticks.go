package pyplot

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"
)

// This file ports matplotlib's default tick machinery: AutoLocator (MaxNLocator
// with steps 1, 2, 2.5, 5, 10) and ScalarFormatter (common decimals, offset and
// scientific notation, Unicode minus).

// tickSpace is matplotlib's Axis.get_tick_space clipped to MaxNLocator's [1, 9]:
// the axis length over three (horizontal) or two (vertical) font sizes.
func tickSpace(length vg.Length, horizontal bool) int {
	size := 2 * fontSize
	if horizontal {
		size = 3 * fontSize
	}
	n := int(math.Floor(float64(length / size)))
	return min(max(n, 1), 9)
}

// nonsingular is matplotlib's transforms.nonsingular: it widens an empty or
// degenerate interval.
func nonsingular(vmin, vmax, expander, tiny float64) (float64, float64) {
	if math.IsInf(vmin, 0) || math.IsInf(vmax, 0) || math.IsNaN(vmin) || math.IsNaN(vmax) {
		return -expander, expander
	}
	if vmax < vmin {
		vmin, vmax = vmax, vmin
	}
	maxabs := max(math.Abs(vmin), math.Abs(vmax))
	if maxabs < (1e6/tiny)*2.2250738585072014e-308 {
		return -expander, expander
	}
	if vmax-vmin <= maxabs*tiny {
		if vmax == 0 && vmin == 0 {
			return -expander, expander
		}
		vmin -= expander * math.Abs(vmin)
		vmax += expander * math.Abs(vmax)
	}
	return vmin, vmax
}

// autoTicks returns the tick locations of matplotlib's AutoLocator for the view
// interval [vmin, vmax] with at most nbins intervals, restricted to the interval;
// integer keeps only steps that are whole numbers (MaxNLocator(integer=True)).
func autoTicks(vmin, vmax float64, nbins int, integer bool) []float64 {
	vmin, vmax = nonsingular(vmin, vmax, 1e-13, 1e-14)
	dv := vmax - vmin
	meanv := (vmax + vmin) / 2
	offset := 0.0
	if math.Abs(meanv)/dv >= 100 {
		offset = math.Copysign(math.Pow(10, math.Floor(math.Log10(math.Abs(meanv)))), meanv)
	}
	scale := math.Pow(10, math.Floor(math.Log10(dv/float64(nbins))))
	lo, hi := vmin-offset, vmax-offset
	staircase := []float64{0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20}
	raw := (hi - lo) / float64(nbins)
	if integer {
		raw = max(raw, 1)
	}
	istep := len(staircase) - 1
	for i, s := range staircase {
		if s*scale >= raw {
			istep = i
			break
		}
	}
	closeto := func(ms, edge, step float64) bool {
		tol := 1e-10
		if offset > 0 {
			tol = max(1e-10, math.Pow(10, math.Log10(math.Abs(offset)/step)-12))
		}
		return math.Abs(ms-edge) < tol
	}
	var ticks []float64
	for i := istep; i >= 0; i-- {
		step := staircase[i] * scale
		if integer && (step < 1 || step != math.Round(step)) {
			if i > 0 {
				continue
			}
			step = 1
		}
		best := math.Floor(lo/step) * step
		le := func(x float64) float64 {
			d, m := math.Floor(x/step), x-math.Floor(x/step)*step
			if closeto(m/step, 1, step) {
				return d + 1
			}
			return d
		}
		ge := func(x float64) float64 {
			d, m := math.Floor(x/step), x-math.Floor(x/step)*step
			if closeto(m/step, 0, step) {
				return d
			}
			return d + 1
		}
		low, high := le(lo-best), ge(hi-best)
		ticks = ticks[:0]
		n := 0
		for k := low; k <= high; k++ {
			t := k*step + best
			ticks = append(ticks, t)
			if t >= lo && t <= hi {
				n++
			}
		}
		if n >= 2 {
			break
		}
	}
	out := make([]float64, 0, len(ticks))
	for _, t := range ticks {
		if inView(t+offset, vmin, vmax) {
			out = append(out, t+offset)
		}
	}
	return out
}

// inView reports whether t lies in [a, b] up to matplotlib's tolerance.
func inView(t, a, b float64) bool {
	if a > b {
		a, b = b, a
	}
	tol := 1e-10 * (b - a)
	return t >= a-tol && t <= b+tol
}

// formatTicks is matplotlib's ScalarFormatter: the labels of locs (all shown on an
// axis with view interval [vmin, vmax]) and the offset text ("" when none).
func formatTicks(locs []float64, vmin, vmax float64) (labels []string, offsetText string) {
	if vmin > vmax {
		vmin, vmax = vmax, vmin
	}
	var shown []float64
	for _, l := range locs {
		if l >= vmin && l <= vmax {
			shown = append(shown, l)
		}
	}
	offset := scalarOffset(shown)
	oom := 0
	if len(shown) > 0 {
		var o int
		if offset != 0 {
			o = int(math.Floor(math.Log10(vmax - vmin)))
		} else if m := maxAbs(shown); m != 0 {
			o = int(math.Floor(math.Log10(m)))
		}
		if o <= -5 || o >= 6 {
			oom = o
		}
	}
	scaled := func(x float64) float64 { return (x - offset) / math.Pow(10, float64(oom)) }

	vals := locs
	if len(locs) < 2 {
		vals = append(append([]float64{}, locs...), vmin, vmax)
	}
	sc := make([]float64, len(vals))
	for i, v := range vals {
		sc[i] = scaled(v)
	}
	sig := tickDecimals(sc, len(locs))

	labels = make([]string, len(locs))
	for i, l := range locs {
		x := scaled(l)
		if math.Abs(x) < 1e-8 {
			x = 0
		}
		labels[i] = minus(fmt.Sprintf("%.*f", sig, x))
	}
	if oom != 0 {
		offsetText = formatData(math.Pow(10, float64(oom)))
	}
	if offset != 0 {
		o := formatData(offset)
		if offset > 0 {
			o = "+" + o
		}
		offsetText += o
	}
	offsetText = minus(offsetText)
	return labels, offsetText
}

// tickDecimals is ScalarFormatter._set_format: the fewest decimals that tell
// the first n of the scaled ticks sc apart; all of sc (with the view's ends when
// there are fewer than two ticks) sets the range.
func tickDecimals(sc []float64, n int) int {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range sc {
		lo, hi = min(lo, v), max(hi, v)
	}
	rng := hi - lo
	if rng == 0 {
		rng = maxAbs(sc)
	}
	if rng == 0 {
		rng = 1
	}
	sc = sc[:n]
	rngOOM := int(math.Floor(math.Log10(rng)))
	sig := max(0, 3-rngOOM)
	thresh := 1e-3 * math.Pow(10, float64(rngOOM))
	for ; sig >= 0; sig-- {
		p := math.Pow(10, float64(sig))
		worst := 0.0
		for _, v := range sc {
			worst = max(worst, math.Abs(v-math.RoundToEven(v*p)/p))
		}
		if worst >= thresh {
			break
		}
	}
	return sig + 1
}

// scalarOffset is ScalarFormatter._compute_offset with offset_threshold 4.
func scalarOffset(locs []float64) float64 {
	if len(locs) == 0 {
		return 0
	}
	lmin, lmax := math.Inf(1), math.Inf(-1)
	for _, l := range locs {
		lmin, lmax = min(lmin, l), max(lmax, l)
	}
	if lmin == lmax || (lmin <= 0 && 0 <= lmax) {
		return 0
	}
	absMin, absMax := math.Abs(lmin), math.Abs(lmax)
	if absMin > absMax {
		absMin, absMax = absMax, absMin
	}
	sign := math.Copysign(1, lmin)
	oomMax := math.Ceil(math.Log10(absMax))
	oom := oomMax
	for ; oom > oomMax-400; oom-- {
		p := math.Pow(10, oom)
		if math.Floor(absMin/p) != math.Floor(absMax/p) {
			break
		}
	}
	oom++
	if (absMax-absMin)/math.Pow(10, oom) <= 1e-2 {
		o := oomMax
		for ; o > oomMax-400; o-- {
			if absMax-absMin > math.Pow(10, o) {
				break
			}
		}
		oom = o + 1
	}
	p := math.Pow(10, oom)
	if math.Floor(absMax/p) >= 1000 {
		return sign * math.Floor(absMax/p) * p
	}
	return 0
}

func maxAbs(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m = max(m, math.Abs(x))
	}
	return m
}

// minus writes minus signs as matplotlib does (U+2212).
func minus(s string) string { return strings.ReplaceAll(s, "-", "\u2212") }

// formatData is ScalarFormatter.format_data: v as "2.5e7", "1e3" or "12".
func formatData(v float64) string {
	if v == 0 {
		return "0"
	}
	e := math.Floor(math.Log10(math.Abs(v)))
	sig := math.Round(v/math.Pow(10, e)*1e10) / 1e10
	s := strconv.FormatFloat(sig, 'g', 10, 64)
	if e == 0 {
		return s
	}
	return fmt.Sprintf("%se%d", s, int(e))
}
