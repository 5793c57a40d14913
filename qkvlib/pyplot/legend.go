package pyplot

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// LegendOpts is the options of Legend.
type LegendOpts struct {
	// Loc is where the legend goes: "best" (the default), "upper right",
	// "upper left", "lower left", "lower right", "right", "center left",
	// "center right", "lower center", "upper center" or "center".
	Loc string
}

// legendLocs are matplotlib's legend location codes, 'best' being 0.
var legendLocs = map[string]int{
	"": 0, "best": 0, "upper right": 1, "upper left": 2, "lower left": 3, "lower right": 4, "right": 5,
	"center left": 6, "center right": 7, "lower center": 8, "upper center": 9, "center": 10,
}

// Legend shows a legend of the labelled lines, bars and fills, in the order they
// were drawn (ax.legend()): in a white, rounded frame of opacity 0.8, placed as
// matplotlib's loc='best' unless opt says otherwise. At most one LegendOpts.
func (a *Axes) Legend(opt ...LegendOpts) {
	var o LegendOpts
	if len(opt) == 1 {
		o = opt[0]
	}
	loc, ok := legendLocs[o.Loc]
	if !ok || len(opt) > 1 {
		a.fail(errorf("Legend: give at most one LegendOpts with Loc best, upper right, upper left, lower left, lower right, right, center left, center right, lower center, upper center or center, got %d with %q", len(opt), o.Loc))
		return
	}
	a.legend = &legend{loc: loc}
}

// legend is matplotlib's ax.legend() with its defaults: a white frame of alpha
// 0.8 with a 0.8-grey edge and rounded corners, each handle (the artist's gonum
// plot.Thumbnailer) 2 font sizes long before its label.
type legend struct {
	loc int // matplotlib's location code; 0 is 'best'
}

// legendEntries are a legend's rows, in the order of the artists.
type legendEntries []legendEntry

type legendEntry struct {
	label  string
	handle plot.Thumbnailer
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

func (es legendEntries) size() (w, h vg.Length) {
	var tw vg.Length
	for _, e := range es {
		w, _, _ := metrics(tickFont, e.label)
		tw = max(tw, w)
	}
	_, asc, desc := metrics(tickFont, "Xg")
	n := vg.Length(len(es))
	w = 2*legBorderPad*fontSize + legHandleLength*fontSize + legHandleTextPad*fontSize + tw
	h = 2*legBorderPad*fontSize + n*(asc+desc) + (n-1)*legLabelSpacing*fontSize
	return w, h
}

// legendCandidate returns the lower-left corner of a w×h legend at matplotlib's
// location code loc (1 … 10) in the data area box.
func legendCandidate(loc int, box vg.Rectangle, w, h vg.Length) vg.Point {
	pad := legBorderAxesPad * fontSize
	left, right := box.Min.X+pad, box.Max.X-pad-w
	bottom, top := box.Min.Y+pad, box.Max.Y-pad-h
	cx, cy := (box.Min.X+box.Max.X-w)/2, (box.Min.Y+box.Max.Y-h)/2
	return [...]vg.Point{
		{X: right, Y: top},    // 1 upper right
		{X: left, Y: top},     // 2 upper left
		{X: left, Y: bottom},  // 3 lower left
		{X: right, Y: bottom}, // 4 lower right
		{X: right, Y: cy},     // 5 right
		{X: left, Y: cy},      // 6 center left
		{X: right, Y: cy},     // 7 center right
		{X: cx, Y: bottom},    // 8 lower center
		{X: cx, Y: top},       // 9 upper center
		{X: cx, Y: cy},        // 10 center
	}[loc-1]
}

// best returns the lower-left corner of a w×h legend placed as matplotlib's
// Legend._find_best_position: the candidate location (in code order, the lower
// code winning ties) with the least badness, the number of path vertices inside
// it, of boxes overlapping it and of paths crossing it.
func best(box vg.Rectangle, w, h vg.Length, paths [][]vg.Point, boxes []vg.Rectangle) vg.Point {
	bestAt, bestBad := vg.Point{}, math.MaxInt
	for loc := 1; loc <= 10; loc++ {
		p := legendCandidate(loc, box, w, h)
		r := vg.Rectangle{Min: p, Max: vg.Point{X: p.X + w, Y: p.Y + h}}
		bad := 0
		for _, path := range paths {
			for _, v := range path { // Bbox.count_contains: strictly inside
				if v.X > r.Min.X && v.X < r.Max.X && v.Y > r.Min.Y && v.Y < r.Max.Y {
					bad++
				}
			}
			if pathIntersects(path, r) {
				bad++
			}
		}
		for _, b := range boxes { // Bbox.count_overlaps
			if b.Min.X < r.Max.X && b.Max.X > r.Min.X && b.Min.Y < r.Max.Y && b.Max.Y > r.Min.Y {
				bad++
			}
		}
		if bad < bestBad {
			bestAt, bestBad = p, bad
		}
		if bad == 0 {
			break
		}
	}
	return bestAt
}

// pathIntersects is matplotlib's Path.intersects_bbox(r, filled=False): whether
// a segment of the path meets r or lies inside it.
func pathIntersects(path []vg.Point, r vg.Rectangle) bool {
	cx, cy := float64(r.Min.X+r.Max.X)/2, float64(r.Min.Y+r.Max.Y)/2
	w, h := float64(r.Size().X), float64(r.Size().Y)
	for i := 1; i < len(path); i++ {
		x1, y1, x2, y2 := float64(path[i-1].X), float64(path[i-1].Y), float64(path[i].X), float64(path[i].Y)
		if math.Abs(x1+x2-2*cx) < math.Abs(x1-x2)+w &&
			math.Abs(y1+y2-2*cy) < math.Abs(y1-y2)+h &&
			2*math.Abs((x1-cx)*(y1-y2)-(y1-cy)*(x1-x2)) < w*math.Abs(y1-y2)+h*math.Abs(x1-x2) {
			return true
		}
	}
	return false
}

// draw draws the legend of artists in the data area c (tr: data to figure). It
// only reads the figure: Figure.Save draws the PNG and the SVG side by side.
func (l *legend) draw(c draw.Canvas, tr transform, artists []artist) {
	var entries legendEntries
	var paths [][]vg.Point
	var boxes []vg.Rectangle
	for _, ar := range artists {
		if label, handle := ar.legendEntry(); label != "" {
			entries = append(entries, legendEntry{label, handle})
		}
		ps, bs := ar.obstacles(tr, c.Rectangle)
		paths, boxes = append(paths, ps...), append(boxes, bs...)
	}
	if len(entries) == 0 {
		return
	}
	w, h := entries.size()
	p := best(c.Rectangle, w, h, paths, boxes)
	if l.loc > 0 {
		p = legendCandidate(l.loc, c.Rectangle, w, h)
	}

	frame := roundedRect(vg.Rectangle{Min: p, Max: vg.Point{X: p.X + w, Y: p.Y + h}}, 0.2*fontSize)
	c.SetColor(color.NRGBA{255, 255, 255, 204})
	c.Fill(frame)
	c.SetLineStyle(draw.LineStyle{Color: color.NRGBA{204, 204, 204, 204}, Width: patchWidth})
	c.Stroke(frame)

	_, asc, desc := metrics(tickFont, "Xg")
	x := p.X + legBorderPad*fontSize
	y := p.Y + h - legBorderPad*fontSize // top of the current row
	hl := legHandleLength * fontSize
	for _, e := range entries {
		base := y - asc // baseline of the label; the handle box sits on it
		e.handle.Thumbnail(&draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: base}, Max: vg.Point{X: x + hl, Y: base + legHandleHeight*fontSize}}})
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
