package figures

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// featureNames are the three descriptives, in the order of the arrays' third axis.
var featureNames = [3]string{"Arithmetic mean", "L1 mean", "Variance"}

// qkvLines returns an axes with the book's Q, K, V lines over the layers: 'gs-',
// 'ro-', 'b^-' with light marker faces of opacity faceAlpha, and a legend.
//
// ys: [3 (Q, K, V)][n_layers].
func qkvLines(ys [3][]float64, size vg.Length, faceAlpha float64) *Axes {
	styles := [3]struct {
		name  string
		color draw.LineStyle
		shape markerShape
		face  [3]float64
	}{
		{"Q", draw.LineStyle{Color: colGreen, Width: lineWidth}, markerSquare, [3]float64{.7, .9, .7}},
		{"K", draw.LineStyle{Color: colRed, Width: lineWidth}, markerCircle, [3]float64{.9, .7, .7}},
		{"V", draw.LineStyle{Color: colBlue, Width: lineWidth}, markerTriangle, [3]float64{.7, .7, .9}},
	}
	n := len(ys[0])
	lo, hi := span(ys[:]...)
	a := &Axes{
		xlim:   autoscale(0, float64(n-1)),
		ylim:   autoscale(lo, hi),
		xt:     autoTicksSpec(),
		yt:     autoTicksSpec(),
		legend: &legend{},
	}
	for i, s := range styles {
		m := &marker{shape: s.shape, size: size, face: rgba(s.face[0], s.face[1], s.face[2], faceAlpha), edge: s.color.Color}
		st := s.color
		a.artists = append(a.artists, &series{xs: layerAxis(n), ys: ys[i], style: st, marker: m, label: s.name})
		a.legend.entries = append(a.legend.entries, legendEntry{label: s.name, line: &st, marker: m})
	}
	return a
}

// Part3a draws ch6_proj34_part3a: for each descriptive (arithmetic mean, L1 mean,
// variance) a panel of the average of target and non-target per layer, Q, K, V;
// x ticks every 4 layers; 12×3 inches.
//
// desc: [n_layers][3 (Q, K, V)][3 (mean, L1 mean, variance)][2 (target, non-target)].
func Part3a(desc [][3][3][2]float64) (*Figure, error) {
	return part3(desc, "Part3a", func(v [2]float64) float64 { return (v[0] + v[1]) / 2 }, false)
}

// Part3b draws ch6_proj34_part3b: as Part3a with non-target minus target, over a
// thin dashed grey line at 0.
//
// desc: [n_layers][3 (Q, K, V)][3 (mean, L1 mean, variance)][2 (target, non-target)].
func Part3b(desc [][3][3][2]float64) (*Figure, error) {
	return part3(desc, "Part3b", func(v [2]float64) float64 { return v[1] - v[0] }, true)
}

func part3(desc [][3][3][2]float64, name string, f func([2]float64) float64, zero bool) (*Figure, error) {
	n := len(desc)
	if n == 0 {
		return nil, errorf("%s: desc has no layers", name)
	}
	row := make([]*Axes, 3)
	for feat := range 3 {
		var ys [3][]float64
		for m := range 3 {
			ys[m] = make([]float64, n)
			for l := range n {
				ys[m][l] = f(desc[l][m][feat])
			}
		}
		a := qkvLines(ys, markerSize, 0.7)
		a.xt = rangeTicks(0, n, 4)
		a.xlabel = "Transformer layer"
		a.title = featureNames[feat]
		if zero {
			// axhline: included in the y autoscaling, drawn below the lines.
			lo, hi := span(ys[:]...)
			a.ylim = autoscale(min(lo, 0), max(hi, 0))
			grey := draw.LineStyle{Color: rgba(.7, .7, .7, 1), Width: 0.5, Dashes: dashed(0.5)}
			a.artists = append([]plot.Plotter{&refLine{v: 0, style: grey}}, a.artists...)
		}
		row[feat] = a
	}
	return newFigure(12, 3, [][]*Axes{row}), nil
}
