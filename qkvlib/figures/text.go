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

// metrics returns the width, ascent and descent of s in f.
func metrics(f font.Font, s string) (w, asc, desc vg.Length) {
	sty := textStyle(f, nil)
	e := sty.FontExtents()
	return sty.Width(s), e.Ascent, e.Descent
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
	// (size - ascent above the point it is given, in the rotated frame).
	start := l.at.Add(rotate(l.rot, -vg.Length(l.ha)*w, -baselineShift(l.va, asc, desc)))
	pt := start.Sub(rotate(l.rot, 0, l.font.Size-asc))
	c.FillText(sty, pt, l.text)
}

// union returns the smallest rectangle holding a and b.
func union(a, b vg.Rectangle) vg.Rectangle {
	return vg.Rectangle{
		Min: vg.Point{X: min(a.Min.X, b.Min.X), Y: min(a.Min.Y, b.Min.Y)},
		Max: vg.Point{X: max(a.Max.X, b.Max.X), Y: max(a.Max.Y, b.Max.Y)},
	}
}
