package figures

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legend is matplotlib's ax.legend() with its defaults: loc='best', a white frame
// of alpha 0.8 with a 0.8-grey edge and rounded corners, one marker per line
// handle, handles 2 font sizes long before their labels.
type legend struct {
	entries []legendEntry
}

// legendEntry is either a line (with an optional marker) or a filled patch.
type legendEntry struct {
	label  string
	line   *draw.LineStyle
	marker *marker
	patch  color.Color // face of a bar's entry
	edge   color.Color // edge of a bar's entry; nil: none
}

// matplotlib legend parameters, in font sizes.
const (
	legBorderPad     = 0.4
	legLabelSpacing  = 0.5
	legHandleLength  = 2.0
	legHandleHeight  = 0.7
	legHandleTextPad = 0.8
	legBorderAxesPad = 0.5
)

func (l *legend) size() (w, h vg.Length) {
	var tw vg.Length
	for _, e := range l.entries {
		w, _, _ := metrics(tickFont, e.label)
		tw = max(tw, w)
	}
	_, asc, desc := metrics(tickFont, "Xg")
	n := vg.Length(len(l.entries))
	w = 2*legBorderPad*fontSize + legHandleLength*fontSize + legHandleTextPad*fontSize + tw
	h = 2*legBorderPad*fontSize + n*(asc+desc) + (n-1)*legLabelSpacing*fontSize
	return w, h
}

// legendCandidates are matplotlib's locations 1..10 in the order 'best' tries them,
// as the position of the legend's lower-left corner in the data area.
func legendCandidates(box vg.Rectangle, w, h vg.Length) []vg.Point {
	pad := legBorderAxesPad * fontSize
	left, right := box.Min.X+pad, box.Max.X-pad-w
	bottom, top := box.Min.Y+pad, box.Max.Y-pad-h
	cx, cy := (box.Min.X+box.Max.X-w)/2, (box.Min.Y+box.Max.Y-h)/2
	return []vg.Point{
		{X: right, Y: top},    // upper right
		{X: left, Y: top},     // upper left
		{X: left, Y: bottom},  // lower left
		{X: right, Y: bottom}, // lower right
		{X: right, Y: cy},     // right
		{X: left, Y: cy},      // center left
		{X: right, Y: cy},     // center right
		{X: cx, Y: bottom},    // lower center
		{X: cx, Y: top},       // upper center
		{X: cx, Y: cy},        // center
	}
}

// place chooses the legend's lower-left corner as matplotlib's _find_best_position:
// the first candidate with the fewest data vertices inside, lines crossing and bars
// overlapping.
func (l *legend) place(box vg.Rectangle, verts []vg.Point, lines [][]vg.Point, rects []vg.Rectangle) vg.Point {
	w, h := l.size()
	best, bestBad := vg.Point{}, math.MaxInt
	for _, p := range legendCandidates(box, w, h) {
		r := vg.Rectangle{Min: p, Max: vg.Point{X: p.X + w, Y: p.Y + h}}
		bad := 0
		for _, v := range verts {
			if v.X > r.Min.X && v.X < r.Max.X && v.Y > r.Min.Y && v.Y < r.Max.Y {
				bad++
			}
		}
		inside := &draw.Canvas{Rectangle: r}
		for _, ln := range lines {
			if len(inside.ClipLinesXY(ln)) > 0 { // some segment meets r
				bad++
			}
		}
		for _, b := range rects {
			if b.Min.X < r.Max.X && b.Max.X > r.Min.X && b.Min.Y < r.Max.Y && b.Max.Y > r.Min.Y {
				bad++
			}
		}
		if bad == 0 {
			return p
		}
		if bad < bestBad {
			best, bestBad = p, bad
		}
	}
	return best
}

// draw draws the legend with its lower-left corner at p.
func (l *legend) draw(c draw.Canvas, p vg.Point) {
	w, h := l.size()
	frame := roundedRect(vg.Rectangle{Min: p, Max: vg.Point{X: p.X + w, Y: p.Y + h}}, 0.2*fontSize)
	c.SetColor(color.NRGBA{255, 255, 255, 204})
	c.Fill(frame)
	c.SetLineStyle(draw.LineStyle{Color: color.NRGBA{204, 204, 204, 204}, Width: patchWidth})
	c.Stroke(frame)

	_, asc, desc := metrics(tickFont, "Xg")
	x := p.X + legBorderPad*fontSize
	y := p.Y + h - legBorderPad*fontSize // top of the current row
	hl := legHandleLength * fontSize
	for _, e := range l.entries {
		base := y - asc // baseline of the label; the handle box sits on it
		mid := base + legHandleHeight*fontSize/2
		switch {
		case e.patch != nil:
			r := vg.Rectangle{Min: vg.Point{X: x, Y: base}, Max: vg.Point{X: x + hl, Y: base + legHandleHeight*fontSize}}
			c.SetColor(e.patch)
			c.Fill(r.Path())
			if e.edge != nil {
				c.SetLineStyle(draw.LineStyle{Color: e.edge, Width: patchWidth})
				c.Stroke(r.Path())
			}
		default:
			if e.line != nil && e.line.Width > 0 {
				c.StrokeLine2(*e.line, x, mid, x+hl, mid)
			}
			if e.marker != nil {
				e.marker.draw(c, vg.Point{X: x + hl/2, Y: mid})
			}
		}
		label{text: e.label, font: tickFont, at: vg.Point{X: x + hl + legHandleTextPad*fontSize, Y: base}, va: vaBaseline}.draw(c)
		y -= asc + desc + legLabelSpacing*fontSize
	}
}

// roundedRect returns the outline of r with corners of radius rad.
func roundedRect(r vg.Rectangle, rad vg.Length) vg.Path {
	var p vg.Path
	p.Move(vg.Point{X: r.Min.X + rad, Y: r.Min.Y})
	p.Line(vg.Point{X: r.Max.X - rad, Y: r.Min.Y})
	p.Arc(vg.Point{X: r.Max.X - rad, Y: r.Min.Y + rad}, rad, -math.Pi/2, math.Pi/2)
	p.Line(vg.Point{X: r.Max.X, Y: r.Max.Y - rad})
	p.Arc(vg.Point{X: r.Max.X - rad, Y: r.Max.Y - rad}, rad, 0, math.Pi/2)
	p.Line(vg.Point{X: r.Min.X + rad, Y: r.Max.Y})
	p.Arc(vg.Point{X: r.Min.X + rad, Y: r.Max.Y - rad}, rad, math.Pi/2, math.Pi/2)
	p.Line(vg.Point{X: r.Min.X, Y: r.Min.Y + rad})
	p.Arc(vg.Point{X: r.Min.X + rad, Y: r.Min.Y + rad}, rad, math.Pi, math.Pi/2)
	p.Close()
	return p
}
