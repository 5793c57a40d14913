package figures

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// vAlign is matplotlib's vertical alignment of a text to its anchor.
type vAlign int

const (
	vaBaseline vAlign = iota
	vaTop
	vaCenter
	vaBottom
)

// label is one piece of text with its anchor and alignment, in figure points.
type label struct {
	text  string
	font  font.Font
	color color.Color
	at    vg.Point
	ha    float64 // 0 left, 0.5 centre, 1 right, of the unrotated text
	va    vAlign
	rot   float64 // radians, counter-clockwise
}

func textStyle(f font.Font, c color.Color) text.Style {
	if c == nil {
		c = colBlack
	}
	return text.Style{Color: c, Font: f, Handler: plot.DefaultTextHandler}
}

// metrics returns the width of s in f, and the ascent and descent matplotlib lays
// a line of text out with: those of "lp" (the top of an l, the bottom of a p).
func metrics(f font.Font, s string) (w, asc, desc vg.Length) {
	face := font.DefaultCache.Lookup(f, f.Size)
	ff := face.FontFace(72) // one dot per point
	l, _, okl := ff.GlyphBounds('l')
	p, _, okp := ff.GlyphBounds('p')
	if okl && okp {
		asc = vg.Length(-l.Min.Y) / 64
		desc = vg.Length(p.Max.Y) / 64
	} else {
		e := face.Extents()
		asc, desc = e.Ascent, e.Descent
	}
	return face.Width(s), asc, desc
}

// baselineShift returns how far above the baseline the anchor lies for va.
func baselineShift(va vAlign, asc, desc vg.Length) vg.Length {
	switch va {
	case vaTop:
		return asc
	case vaCenter:
		return (asc - desc) / 2
	case vaBottom:
		return -desc
	}
	return 0
}

// rotate turns the vector (x, y) by rot radians counter-clockwise.
func rotate(rot float64, x, y vg.Length) vg.Point {
	s, c := math.Sincos(rot)
	return vg.Point{X: x*vg.Length(c) - y*vg.Length(s), Y: x*vg.Length(s) + y*vg.Length(c)}
}

// bounds returns the rectangle the label covers.
func (l label) bounds() vg.Rectangle {
	if l.text == "" {
		return vg.Rectangle{Min: l.at, Max: l.at}
	}
	w, asc, desc := metrics(l.font, l.text)
	x0, y0 := -vg.Length(l.ha)*w, -baselineShift(l.va, asc, desc)-desc
	x1, y1 := x0+w, y0+asc+desc
	r := vg.Rectangle{Min: vg.Point{X: math.MaxFloat64, Y: math.MaxFloat64}, Max: vg.Point{X: -math.MaxFloat64, Y: -math.MaxFloat64}}
	for _, p := range []vg.Point{rotate(l.rot, x0, y0), rotate(l.rot, x1, y0), rotate(l.rot, x0, y1), rotate(l.rot, x1, y1)} {
		p = p.Add(l.at)
		r.Min.X, r.Min.Y = min(r.Min.X, p.X), min(r.Min.Y, p.Y)
		r.Max.X, r.Max.Y = max(r.Max.X, p.X), max(r.Max.Y, p.Y)
	}
	return r
}

// draw draws the label on c.
func (l label) draw(c draw.Canvas) {
	if l.text == "" {
		return
	}
	sty := textStyle(l.font, l.color)
	sty.Rotation = l.rot
	w, asc, desc := metrics(l.font, l.text)
	// The start of the baseline, then undo text.Plain's own offset of the baseline
	// (size - font ascent above the point it is given, in the rotated frame).
	start := l.at.Add(rotate(l.rot, -vg.Length(l.ha)*w, -baselineShift(l.va, asc, desc)))
	pt := start.Sub(rotate(l.rot, 0, l.font.Size-sty.FontExtents().Ascent))
	c.FillText(sty, pt, l.text)
}

// union returns the smallest rectangle holding a and b.
func union(a, b vg.Rectangle) vg.Rectangle {
	return vg.Rectangle{
		Min: vg.Point{X: min(a.Min.X, b.Min.X), Y: min(a.Min.Y, b.Min.Y)},
		Max: vg.Point{X: max(a.Max.X, b.Max.X), Y: max(a.Max.Y, b.Max.Y)},
	}
}
