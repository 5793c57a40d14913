package pyplot

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/font"
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
	color color.Color // nil: black
	at    vg.Point
	ha    float64 // 0 left, 0.5 centre, 1 right, of the unrotated text
	va    vAlign
	rot   float64 // radians, counter-clockwise
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
		r = union(r, vg.Rectangle{Min: p.Add(l.at), Max: p.Add(l.at)})
	}
	return r
}

// anchoredTexter is a canvas that aligns text itself (SVG's text-anchor), so
// that a viewer's font of another width keeps the text's anchor where it is.
type anchoredTexter interface {
	// FillStringAnchored draws s with its baseline through pt, centred on pt
	// (ha 0.5) or ending there (ha 1).
	FillStringAnchored(f font.Face, pt vg.Point, ha float64, s string)
}

// draw draws the label on c: in the label's rotated frame, at the start of its
// baseline, or at its anchor on a canvas that aligns text itself.
func (l label) draw(c draw.Canvas) {
	if l.text == "" {
		return
	}
	face := font.DefaultCache.Lookup(l.font, l.font.Size)
	w, asc, desc := metrics(l.font, l.text)
	col := l.color
	if col == nil {
		col = colBlack
	}
	c.SetColor(col)
	if l.rot != 0 {
		c.Push()
		defer c.Pop()
		c.Rotate(l.rot)
	}
	at := rotate(-l.rot, l.at.X, l.at.Y) // the anchor in the rotated frame
	at.Y -= baselineShift(l.va, asc, desc)
	if a, ok := c.Canvas.(anchoredTexter); ok && (l.ha == 0.5 || l.ha == 1) {
		a.FillStringAnchored(face, at, l.ha, l.text)
		return
	}
	at.X -= vg.Length(l.ha) * w
	c.FillString(face, at, l.text)
}

// union returns the smallest rectangle holding a and b.
func union(a, b vg.Rectangle) vg.Rectangle {
	return vg.Rectangle{
		Min: vg.Point{X: min(a.Min.X, b.Min.X), Y: min(a.Min.Y, b.Min.Y)},
		Max: vg.Point{X: max(a.Max.X, b.Max.X), Y: max(a.Max.Y, b.Max.Y)},
	}
}
