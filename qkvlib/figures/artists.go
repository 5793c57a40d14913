package figures

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The artists below are plot.Plotters drawn into an axes' data area; each also
// reports what matplotlib's legend loc='best' looks at.

// markerShape is one of the matplotlib markers the book uses.
type markerShape int

const (
	markerSquare   markerShape = iota // 's'
	markerCircle                      // 'o'
	markerTriangle                    // '^'
)

// marker is a filled marker with an edge in the line's colour.
type marker struct {
	shape      markerShape
	size       vg.Length // matplotlib markersize: square side, circle diameter
	face, edge color.Color
}

func (m marker) path(at vg.Point) vg.Path {
	h := m.size / 2
	var p vg.Path
	switch m.shape {
	case markerCircle:
		p.Move(vg.Point{X: at.X + h, Y: at.Y})
		p.Arc(at, h, 0, 2*math.Pi)
	case markerTriangle:
		p.Move(vg.Point{X: at.X, Y: at.Y + h})
		p.Line(vg.Point{X: at.X - h, Y: at.Y - h})
		p.Line(vg.Point{X: at.X + h, Y: at.Y - h})
	default:
		p.Move(vg.Point{X: at.X - h, Y: at.Y - h})
		p.Line(vg.Point{X: at.X + h, Y: at.Y - h})
		p.Line(vg.Point{X: at.X + h, Y: at.Y + h})
		p.Line(vg.Point{X: at.X - h, Y: at.Y + h})
	}
	p.Close()
	return p
}

func (m marker) draw(c draw.Canvas, at vg.Point) {
	p := m.path(at)
	c.SetColor(m.face)
	c.Fill(p)
	c.SetLineStyle(draw.LineStyle{Color: m.edge, Width: markerEdge})
	c.Stroke(p)
}

// series is a matplotlib Line2D: a polyline (broken at NaNs) with optional markers.
type series struct {
	xs, ys []float64
	style  draw.LineStyle
	marker *marker
	label  string
}

func (s *series) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var runs [][]vg.Point
	var run []vg.Point
	for i := range s.xs {
		if math.IsNaN(s.xs[i]) || math.IsNaN(s.ys[i]) || math.IsInf(s.ys[i], 0) {
			if len(run) > 0 {
				runs = append(runs, run)
			}
			run = nil
			continue
		}
		run = append(run, vg.Point{X: trX(s.xs[i]), Y: trY(s.ys[i])})
	}
	if len(run) > 0 {
		runs = append(runs, run)
	}
	if s.style.Width > 0 {
		for _, r := range runs {
			if len(r) > 1 {
				c.StrokeLines(s.style, c.ClipLinesXY(r)...)
			}
		}
	}
	if s.marker != nil {
		for _, r := range runs {
			for _, pt := range r {
				if c.Contains(pt) {
					s.marker.draw(c, pt)
				}
			}
		}
	}
}

func (s *series) vertices(tr transform) []vg.Point {
	pts := make([]vg.Point, 0, len(s.xs))
	for i := range s.xs {
		if !math.IsNaN(s.xs[i]) && !math.IsNaN(s.ys[i]) {
			pts = append(pts, tr(s.xs[i], s.ys[i]))
		}
	}
	return pts
}

// refLine is axhline / axvline: a line across the whole data area at v.
type refLine struct {
	vertical bool
	v        float64
	style    draw.LineStyle
}

func (l *refLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	if l.vertical {
		x := trX(l.v)
		c.StrokeLine2(l.style, x, c.Min.Y, x, c.Max.Y)
		return
	}
	y := trY(l.v)
	c.StrokeLine2(l.style, c.Min.X, y, c.Max.X, y)
}

// bars is plt.bar: rectangles centred at xs, from 0 to hs, with black edges.
type bars struct {
	xs, hs []float64
	width  float64
	face   color.Color
	label  string
}

func (b *bars) rects(tr transform) []vg.Rectangle {
	rs := make([]vg.Rectangle, len(b.xs))
	for i := range b.xs {
		p0 := tr(b.xs[i]-b.width/2, 0)
		p1 := tr(b.xs[i]+b.width/2, b.hs[i])
		rs[i] = vg.Rectangle{
			Min: vg.Point{X: min(p0.X, p1.X), Y: min(p0.Y, p1.Y)},
			Max: vg.Point{X: max(p0.X, p1.X), Y: max(p0.Y, p1.Y)},
		}
	}
	return rs
}

func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	for _, r := range b.rects(transformOf(c, p)) {
		if math.IsNaN(float64(r.Min.Y)) || math.IsNaN(float64(r.Max.Y)) {
			continue
		}
		c.SetColor(b.face)
		c.Fill(r.Path())
		c.SetLineStyle(draw.LineStyle{Color: colBlack, Width: patchWidth})
		c.Stroke(r.Path())
	}
}

// cornerText is a label anchored dx left of and dy below the data area's top
// right corner.
type cornerText struct {
	dx, dy vg.Length
	l      label
}

func (t *cornerText) Plot(c draw.Canvas, _ *plot.Plot) {
	l := t.l
	l.at = vg.Point{X: c.Max.X - t.dx, Y: c.Max.Y - t.dy}
	l.draw(c)
}

// transform maps data coordinates to figure points.
type transform func(x, y float64) vg.Point

func transformOf(c draw.Canvas, p *plot.Plot) transform {
	trX, trY := p.Transforms(&c)
	return func(x, y float64) vg.Point { return vg.Point{X: trX(x), Y: trY(y)} }
}
