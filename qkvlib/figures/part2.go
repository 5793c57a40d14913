package figures

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
)

// Part2a draws ch6_proj34_part2a: grouped bars of three descriptives of Q
// (arithmetic mean, L1 mean, variance), target at x-0.2 and non-target at x+0.2,
// width 0.5, black edges, matplotlib's first two default colours; 8×3 inches.
//
// target, nontarget: [3] (mean, L1 mean, variance).
func Part2a(target, nontarget [3]float64) (*Figure, error) {
	xt, xn := []float64{-0.2, 0.8, 1.8}, []float64{0.2, 1.2, 2.2}
	lo, hi := span(target[:], nontarget[:], []float64{0})
	if math.IsInf(lo, 0) {
		lo, hi = 0, 0
	}
	a := &Axes{
		xlim: autoscale(-0.45, 2.45),
		ylim: autoscale(lo, hi, 0),
		xt:   tickSpec{values: []float64{0, 1, 2}, labels: []string{"Arithmetic mean", "L1 mean", "Variance"}},
		yt:   autoTicksSpec(),
		artists: []plot.Plotter{
			&bars{xs: xt, hs: target[:], width: 0.5, face: colC0, label: "Target"},
			&bars{xs: xn, hs: nontarget[:], width: 0.5, face: colC1, label: "Non-target"},
		},
		ylabel: "Descriptive values",
		legend: &legend{entries: []legendEntry{{label: "Target", patch: colC0}, {label: "Non-target", patch: colC1}}},
	}
	return newFigure(8, 3, [][]*Axes{{a}}), nil
}

// Part2b draws ch6_proj34_part2b: density histograms of Q (black), K (green) and
// V (red) at the target (solid) and non-target (dashed) positions of one layer,
// plotted against the left bin edges, x range [edges[0], edges[last]]; 10×3 inches.
//
// edges: [bins+1]; ytQ, ynQ, ytK, ynK, ytV, ynV: [bins] densities (t target,
// n non-target); layer: the layer named in the title.
func Part2b(edges []float64, ytQ, ynQ, ytK, ynK, ytV, ynV []float64, layer int) (*Figure, error) {
	if len(edges) < 2 {
		return nil, errorf("Part2b: need at least 2 edges, got %d", len(edges))
	}
	bins := len(edges) - 1
	ys := [6][]float64{ytQ, ynQ, ytK, ynK, ytV, ynV}
	names := [6]string{"Q target", "Q nontarget", "K target", "K nontarget", "V target", "V nontarget"}
	for i, y := range ys {
		if len(y) != bins {
			return nil, errorf("Part2b: %s has %d densities, want len(edges)-1 = %d", names[i], len(y), bins)
		}
	}
	x := edges[:bins]
	a := &Axes{
		xlim:   [2]float64{edges[0], edges[bins]},
		xt:     autoTicksSpec(),
		yt:     autoTicksSpec(),
		xlabel: "Activation value",
		ylabel: "Density",
		title:  fmt.Sprintf("Attention matrices distributions from layer %d", layer),
		legend: &legend{},
	}
	lo, hi := span(ys[:]...)
	a.ylim = autoscale(lo, hi)
	if a.xlim[0] == a.xlim[1] {
		a.xlim = autoscale(a.xlim[0], a.xlim[1])
	}
	for i, y := range ys {
		st := draw.LineStyle{Color: [3]color.Color{colBlack, colGreen, colRed}[i/2], Width: lineWidth}
		if i%2 == 1 {
			st.Dashes = dashed(lineWidth)
		}
		a.artists = append(a.artists, &series{xs: x, ys: y, style: st, label: names[i]})
		a.legend.entries = append(a.legend.entries, legendEntry{label: names[i], line: &st})
	}
	return newFigure(10, 3, [][]*Axes{{a}}), nil
}
