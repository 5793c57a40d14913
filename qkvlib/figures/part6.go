package figures

import (
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Part6Cell is one point of Part6: a layer's mean non-target − target
// difference of one matrix and descriptive, the ends of its interval, and
// whether the difference is significant.
type Part6Cell struct {
	Diff, Lo, Hi float64
	Significant  bool
}

// Part6 draws ch6_proj34_part6: Part3b's three panels (arithmetic mean, L1
// mean, variance: non-target − target per layer, Q green squares, K red
// circles, V blue triangles, over a thin dashed grey line at 0), each line
// inside a translucent band of its colour spanning [Lo, Hi], its markers
// filled on significant layers and hollow (white) elsewhere; x ticks every 4
// layers; a legend entry with a filled black square for "adjusted p < .05";
// 12×3 inches.
//
// cells: [n_layers][3 (Q, K, V)][3 (mean, L1 mean, variance)].
func Part6(cells [][3][3]Part6Cell) (*Figure, error) {
	nLayers := len(cells)
	if nLayers == 0 {
		return nil, errorf("Part6: cells has no layers")
	}
	lines := [3]struct {
		format, label string
		band          Color
	}{
		{"gs-", "Q", RGBA(0, .5, 0, .18)},
		{"ro-", "K", RGBA(1, 0, 0, .15)},
		{"b^-", "V", RGBA(0, 0, 1, .15)},
	}
	fig, axs := Subplots(1, 3, 12, 3)
	feature := []string{"Arithmetic mean", "L1 mean", "Variance"}
	layers := Range(0, nLayers, 1)
	for k, ax := range axs[0] {
		ax.AxHLine(0, Line{LineStyle: "--", LineWidth: .5, Color: RGB(.7, .7, .7)})
		for m, l := range lines { // bands under every line
			_, lo, hi, _ := part6Column(cells, m, k)
			ax.FillBetween(layers, lo, hi, Fill{Color: l.band})
		}
		for m, l := range lines {
			diff, _, _, sig := part6Column(cells, m, k)
			ax.Plot(layers, diff, l.format, Line{MarkerFaceColor: RGB(1, 1, 1), Label: l.label})
			ax.Plot(layers, sig, l.format[:2], Line{LineStyle: "none"})
		}
		ax.Plot([]float64{}, []float64{}, "ks", Line{LineStyle: "none", Label: "adjusted p < .05"})
		ax.Legend()
		ax.Set(Props{XLabel: "Transformer layer", XTicks: LayerTicks(nLayers, 4), Title: feature[k]})
	}
	axs[0][0].Set(Props{YLabel: "Non-target − target"})
	return fig, nil
}

// part6Column returns matrix m's and descriptive k's differences, interval
// ends, and the differences of the significant layers only (NaN elsewhere),
// over the layers: [n_layers] each.
func part6Column(cells [][3][3]Part6Cell, m, k int) (diff, lo, hi, sig []float64) {
	n := len(cells)
	diff, lo, hi, sig = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for l := range cells {
		c := cells[l][m][k]
		diff[l], lo[l], hi[l], sig[l] = c.Diff, c.Lo, c.Hi, math.NaN()
		if c.Significant {
			sig[l] = c.Diff
		}
	}
	return diff, lo, hi, sig
}

// Fill is the options of FillBetween.
type Fill struct {
	Color Color  // default: the next colour of the axes' cycle at opacity 0.2
	Label string // legend entry; "" for none
}

// FillBetween fills the area between the curves (x, y1) and (x, y2)
// (plt.fill_between), one polygon per run of points where x, y1 and y2 are
// all finite. Both curves count in the autoscaling.
func (a *Axes) FillBetween(x, y1, y2 []float64, opt Fill) {
	if len(x) != len(y1) || len(x) != len(y2) {
		a.fail(errorf("FillBetween: x, y1 and y2 have %d, %d and %d values; give as many of each", len(x), len(y1), len(y2)))
		return
	}
	col := opt.Color.or(color.NRGBA{})
	if !opt.Color.set {
		col = a.nextColor(&a.nPatches)
		col.A = 51
	}
	a.artists = append(a.artists, &band{xs: slices.Clone(x), y1: slices.Clone(y1), y2: slices.Clone(y2), face: col, label: opt.Label})
}

// band is matplotlib's fill_between: the polygons between two curves.
type band struct {
	xs, y1, y2 []float64
	face       color.Color
	label      string
}

func (b *band) finite(i int) bool { return finite(b.xs[i]) && finite(b.y1[i]) && finite(b.y2[i]) }

func (b *band) Plot(c draw.Canvas, p *plot.Plot) {
	tr := transformOf(c, p)
	for i := 0; i < len(b.xs); {
		if !b.finite(i) {
			i++
			continue
		}
		j := i
		for j < len(b.xs) && b.finite(j) {
			j++
		}
		// Along y1 from i to j-1, back along y2.
		pts := make([]vg.Point, 0, 2*(j-i))
		for k := i; k < j; k++ {
			pts = append(pts, tr(b.xs[k], b.y1[k]))
		}
		for k := j - 1; k >= i; k-- {
			pts = append(pts, tr(b.xs[k], b.y2[k]))
		}
		c.FillPolygon(b.face, c.ClipPolygonXY(pts))
		i = j
	}
}

func (b *band) limits() (x, y dataRange) {
	x, y = emptyRange(), emptyRange()
	for i := range b.xs {
		if b.finite(i) {
			x.add(b.xs[i])
			y.add(b.y1[i], b.y2[i])
		}
	}
	return x, y
}

func (b *band) legendEntry() legendEntry {
	return legendEntry{label: b.label, patch: b.face}
}
