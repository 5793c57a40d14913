package figures

import (
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// artist is what an axes draws in its data area: a plot.Plotter that also says
// which data ranges it covers (for autoscaling) and its legend entry.
type artist interface {
	plot.Plotter
	limits() (x, y dataRange)
	legendEntry() legendEntry // label "" for none
}

// Bars is the options of Bar.
type Bars struct {
	Width     float64 // in data units; 0: 0.8
	EdgeColor Color   // default: no edge
	Label     string  // legend entry; "" for none
	Color     Color   // default: the next colour of the axes' cycle
}

// Bar draws bars centred at x with the given heights, from 0 (plt.bar). The y
// axis' autoscaling stops at 0 when the bars start there.
func (a *Axes) Bar(x, height []float64, opt Bars) {
	if len(x) != len(height) {
		a.fail(errorf("Bar: x has %d values and height %d; give as many of each", len(x), len(height)))
		return
	}
	face := opt.Color.or(color.NRGBA{})
	if !opt.Color.set {
		face = a.nextColor(&a.nPatches)
	}
	b := &bars{xs: slices.Clone(x), hs: slices.Clone(height), width: 0.8, face: face, label: opt.Label}
	if opt.Width > 0 {
		b.width = opt.Width
	}
	if opt.EdgeColor.set {
		b.edge = opt.EdgeColor.c
	}
	a.artists = append(a.artists, b)
}

// bars is plt.bar: rectangles centred at xs, from 0 to hs.
type bars struct {
	xs, hs []float64
	width  float64
	face   color.Color
	edge   color.Color // nil: none
	label  string
}

func (b *bars) rects(tr transform) []vg.Rectangle {
	rs := make([]vg.Rectangle, 0, len(b.xs))
	for i := range b.xs {
		if !finite(b.xs[i]) || !finite(b.hs[i]) {
			continue
		}
		p0 := tr(b.xs[i]-b.width/2, 0)
		p1 := tr(b.xs[i]+b.width/2, b.hs[i])
		rs = append(rs, vg.Rectangle{
			Min: vg.Point{X: min(p0.X, p1.X), Y: min(p0.Y, p1.Y)},
			Max: vg.Point{X: max(p0.X, p1.X), Y: max(p0.Y, p1.Y)},
		})
	}
	return rs
}

func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	for _, r := range b.rects(transformOf(c, p)) {
		c.SetColor(b.face)
		c.Fill(r.Path())
		if b.edge != nil {
			c.SetLineStyle(draw.LineStyle{Color: b.edge, Width: patchWidth})
			c.Stroke(r.Path())
		}
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

func (b *bars) legendEntry() legendEntry {
	return legendEntry{label: b.label, patch: b.face, edge: b.edge}
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

func (t *dataText) Plot(c draw.Canvas, p *plot.Plot) {
	l := t.l
	if t.inAxes {
		l.at = vg.Point{X: c.Min.X + vg.Length(t.x)*c.Size().X, Y: c.Min.Y + vg.Length(t.y)*c.Size().Y}
	} else {
		l.at = transformOf(c, p)(t.x, t.y)
	}
	l.at = l.at.Add(t.offset)
	l.draw(c)
}

func (t *dataText) limits() (x, y dataRange) { return emptyRange(), emptyRange() }

func (t *dataText) legendEntry() legendEntry { return legendEntry{} }

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
