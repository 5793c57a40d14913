package pyplot

import (
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// artist is what an axes draws in its data area: a plot.Plotter (made of
// gonum's plotters) that also says which data ranges it covers (for
// autoscaling), its legend entry, and what a legend placed as loc='best' avoids.
type artist interface {
	plot.Plotter
	limits() (x, y dataRange)
	// legendEntry returns the label ("" for none) and the handle drawn beside it.
	legendEntry() (string, plot.Thumbnailer)
	// obstacles returns, in figure points, matplotlib's paths of the artist (whose
	// vertices and segments a legend should not cover) and its boxes (bars, texts).
	obstacles(tr transform, box vg.Rectangle) (paths [][]vg.Point, boxes []vg.Rectangle)
}

// BarOpts is the options of Bar.
type BarOpts struct {
	Width     float64 // in data units; 0: 0.8
	EdgeColor Color   // default: no edge
	Label     string  // legend entry; "" for none
	Color     Color   // default: the next colour of the axes' cycle
}

// Bar draws bars centred at x with the given heights, from 0 (plt.bar). The y
// axis' autoscaling stops at 0 when the bars start there.
func (a *Axes) Bar(x, height []float64, opt BarOpts) {
	if len(x) != len(height) {
		a.fail(errorf("Bar: x has %d values and height %d; give as many of each", len(x), len(height)))
		return
	}
	b := &bars{xs: slices.Clone(x), hs: slices.Clone(height), width: 0.8, label: opt.Label}
	b.chart.Color = opt.Color.c
	if !opt.Color.set {
		b.chart.Color = a.nextColor(&a.nPatches)
	}
	if opt.Width > 0 {
		b.width = opt.Width
	}
	if opt.EdgeColor.set {
		b.chart.LineStyle = draw.LineStyle{Color: opt.EdgeColor.c, Width: patchWidth}
	}
	a.artists = append(a.artists, b)
}

// bars is plt.bar: a gonum plotter.BarChart of one bar for each x, its width
// in points set when drawn.
type bars struct {
	xs, hs []float64
	width  float64 // data units
	chart  plotter.BarChart
	label  string
}

func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	tr := transformOf(c, p)
	for i := range b.xs {
		if !finite(b.xs[i]) || !finite(b.hs[i]) {
			continue
		}
		bar := b.chart
		bar.Values, bar.XMin = plotter.Values{b.hs[i]}, b.xs[i]
		bar.Width = vg.Length(math.Abs(float64(tr(b.xs[i]+b.width/2, 0).X - tr(b.xs[i]-b.width/2, 0).X)))
		bar.Plot(c, p)
	}
}

func (b *bars) limits() (x, y dataRange) {
	x, y = emptyRange(), emptyRange()
	for i := range b.xs {
		if finite(b.xs[i]) && finite(b.hs[i]) {
			x.add(b.xs[i]-b.width/2, b.xs[i]+b.width/2)
			y.add(0, b.hs[i])
		}
	}
	y.sticky = []float64{0}
	return x, y
}

func (b *bars) legendEntry() (string, plot.Thumbnailer) { return b.label, &b.chart }

func (b *bars) obstacles(tr transform, _ vg.Rectangle) (paths [][]vg.Point, boxes []vg.Rectangle) {
	for i := range b.xs {
		if finite(b.xs[i]) && finite(b.hs[i]) {
			p0, p1 := tr(b.xs[i]-b.width/2, 0), tr(b.xs[i]+b.width/2, b.hs[i])
			boxes = append(boxes, union(vg.Rectangle{Min: p0, Max: p0}, vg.Rectangle{Min: p1, Max: p1}))
		}
	}
	return nil, boxes
}

// FillOpts is the options of FillBetween.
type FillOpts struct {
	Color Color  // default: the next colour of the axes' cycle at opacity 0.2
	Label string // legend entry; "" for none
}

// FillBetween fills the area between the curves (x, y1) and (x, y2)
// (plt.fill_between), one polygon per run of points where x, y1 and y2 are
// all finite. Both curves count in the autoscaling.
func (a *Axes) FillBetween(x, y1, y2 []float64, opt FillOpts) {
	if len(x) != len(y1) || len(x) != len(y2) {
		a.fail(errorf("FillBetween: x, y1 and y2 have %d, %d and %d values; give as many of each", len(x), len(y1), len(y2)))
		return
	}
	col := opt.Color.c
	if !opt.Color.set {
		col = a.nextColor(&a.nPatches)
		col.A = 51
	}
	b := &band{poly: plotter.Polygon{Color: col}, label: opt.Label}
	b.x, b.y = emptyRange(), emptyRange()
	ok := func(i int) bool { return finite(x[i]) && finite(y1[i]) && finite(y2[i]) }
	for i := 0; i < len(x); {
		if !ok(i) {
			i++
			continue
		}
		j := i
		for j < len(x) && ok(j) {
			j++
		}
		// Along y1 from i to j-1, back along y2.
		ring := make(plotter.XYs, 0, 2*(j-i))
		for k := i; k < j; k++ {
			ring = append(ring, plotter.XY{X: x[k], Y: y1[k]})
			b.x.add(x[k])
			b.y.add(y1[k], y2[k])
		}
		for k := j - 1; k >= i; k-- {
			ring = append(ring, plotter.XY{X: x[k], Y: y2[k]})
		}
		b.poly.XYs = append(b.poly.XYs, ring)
		i = j
	}
	a.artists = append(a.artists, b)
}

// band is matplotlib's fill_between: a gonum plotter.Polygon of one ring per
// finite run, filled without an edge.
type band struct {
	poly  plotter.Polygon
	x, y  dataRange
	label string
}

func (b *band) Plot(c draw.Canvas, p *plot.Plot) { b.poly.Plot(c, p) }

func (b *band) limits() (x, y dataRange) { return b.x, b.y }

func (b *band) legendEntry() (string, plot.Thumbnailer) { return b.label, &b.poly }

func (b *band) obstacles(tr transform, _ vg.Rectangle) (paths [][]vg.Point, _ []vg.Rectangle) {
	for _, ring := range b.poly.XYs {
		path := make([]vg.Point, 0, len(ring)+1)
		for _, p := range ring {
			path = append(path, tr(p.X, p.Y))
		}
		paths = append(paths, append(path, path[0])) // closed, as matplotlib's polygon path
	}
	return paths, nil
}

// TextOpts is the options of Text.
type TextOpts struct {
	FontSize float64 // points; 0: 10
	Bold     bool
	Color    Color  // default black
	HA       string // "left" (default), "center" or "right"
	VA       string // "baseline" (default), "top", "center" or "bottom"
	// AxesCoords takes x and y as fractions of the data area, (1, 1) its top
	// right corner (matplotlib's transform=ax.transAxes), instead of data units.
	AxesCoords bool
	// Offset moves the text by (dx, dy) points from (x, y), as annotate's
	// textcoords='offset points'.
	Offset [2]float64
}

// Text writes s at (x, y) in data coordinates (ax.text), aligned to that point
// as opt.HA and opt.VA say.
func (a *Axes) Text(x, y float64, s string, opt TextOpts) {
	ha, ok := map[string]float64{"": 0, "left": 0, "center": 0.5, "right": 1}[opt.HA]
	va, okv := map[string]vAlign{"": vaBaseline, "baseline": vaBaseline, "top": vaTop, "center": vaCenter, "bottom": vaBottom}[opt.VA]
	if !ok || !okv {
		a.fail(errorf("Text %q: alignment HA %q, VA %q: want HA left, center or right and VA baseline, top, center or bottom", s, opt.HA, opt.VA))
		return
	}
	l := label{text: s, font: sans(orDefault(opt.FontSize, fontSize), opt.Bold), color: opt.Color.or(colBlack), ha: ha, va: va}
	off := vg.Point{X: vg.Length(opt.Offset[0]), Y: vg.Length(opt.Offset[1])}
	a.artists = append(a.artists, &dataText{x: x, y: y, inAxes: opt.AxesCoords, offset: off, l: l})
}

// dataText is ax.text: a label anchored at a point of the data area.
type dataText struct {
	x, y   float64
	inAxes bool     // x, y are fractions of the data area
	offset vg.Point // added to the anchor
	l      label
}

// label returns the text placed in the data area box.
func (t *dataText) label(box vg.Rectangle, tr transform) label {
	l := t.l
	if t.inAxes {
		l.at = vg.Point{X: box.Min.X + vg.Length(t.x)*box.Size().X, Y: box.Min.Y + vg.Length(t.y)*box.Size().Y}
	} else {
		l.at = tr(t.x, t.y)
	}
	l.at = l.at.Add(t.offset)
	return l
}

func (t *dataText) Plot(c draw.Canvas, p *plot.Plot) { t.label(c.Rectangle, transformOf(c, p)).draw(c) }

func (t *dataText) limits() (x, y dataRange) { return emptyRange(), emptyRange() }

func (t *dataText) legendEntry() (string, plot.Thumbnailer) { return "", nil }

func (t *dataText) obstacles(tr transform, box vg.Rectangle) ([][]vg.Point, []vg.Rectangle) {
	return nil, []vg.Rectangle{t.label(box, tr).bounds()}
}

// transform maps data coordinates to figure points.
type transform func(x, y float64) vg.Point

func transformOf(c draw.Canvas, p *plot.Plot) transform {
	trX, trY := p.Transforms(&c)
	return func(x, y float64) vg.Point { return vg.Point{X: trX(x), Y: trY(y)} }
}

// dataRange is the span of an artist's data along one axis, and the sticky
// edges autoscaling's margins may not cross (the zero of bars, an image's ends).
type dataRange struct {
	lo, hi float64 // lo > hi: no data
	sticky []float64
}

func emptyRange() dataRange { return dataRange{lo: math.Inf(1), hi: math.Inf(-1)} }

// add widens r to hold the finite values vs.
func (r *dataRange) add(vs ...float64) {
	for _, v := range vs {
		if finite(v) {
			r.lo, r.hi = min(r.lo, v), max(r.hi, v)
		}
	}
}

func (r *dataRange) merge(o dataRange) {
	r.lo, r.hi = min(r.lo, o.lo), max(r.hi, o.hi)
	r.sticky = append(r.sticky, o.sticky...)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
