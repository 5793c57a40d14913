package figures

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// tickSpec says where an axis puts its ticks.
type tickSpec struct {
	auto       bool      // matplotlib's AutoLocator
	values     []float64 // fixed locations, when not auto (none: no ticks)
	labels     []string  // fixed labels for values; nil: ScalarFormatter
	hideLabels bool      // ticks without labels (xticklabels=[])
}

func autoTicksSpec() tickSpec { return tickSpec{auto: true} }

// rangeTicks is matplotlib's ticks=range(start, stop, step).
func rangeTicks(start, stop, step int) tickSpec {
	var t tickSpec
	for v := start; v < stop; v += step {
		t.values = append(t.values, float64(v))
	}
	return t
}

// labelPart is a piece of an axis label centred at x (data coordinates).
type labelPart struct {
	x    float64
	text string
}

// Axes is one matplotlib Axes with the book's rc parameters: left and bottom
// spines only, outward ticks, bold axis labels and title. Its data are gonum
// plot.Plotters drawn through a plot.Plot that carries the axis ranges. An axes
// may carry a colour bar, laid out inside its grid cell as fig.colorbar does.
type Axes struct {
	xlim, ylim            [2]float64
	yDown                 bool // y grows downwards (imshow's origin='upper')
	xt, yt                tickSpec
	xlabel, ylabel, title string
	xlabelParts           []labelPart // an x label in pieces, each centred at its own x
	artists               []plot.Plotter
	legend                *legend

	cbar    *colorbar
	cbarPad float64 // fig.colorbar's pad, a fraction of the cell

	cell, box vg.Rectangle // grid cell and data area, set by place
}

// place lays the axes (and its colour bar) out in cell.
func (a *Axes) place(cell vg.Rectangle) {
	a.cell, a.box = cell, cell
	if a.cbar == nil {
		return
	}
	// matplotlib's make_axes_gridspec with fraction 0.15, shrink 1, aspect 20: a
	// sub-gridspec [parent, colour bar] with ratios [1-0.15-pad, 0.15] and a gap of
	// wspace = 2·pad/(1-pad) average cells.
	const fraction, aspect = 0.15, 20.0
	pad := a.cbarPad
	ws := 2 * pad / (1 - pad)
	if a.cbar.vertical {
		avg := float64(cell.Size().X) / (2 + ws)
		wp := 2 * avg * (1 - fraction - pad) / (1 - pad)
		wc := 2 * avg * fraction / (1 - pad)
		a.box.Max.X = cell.Min.X + vg.Length(wp)
		slot := vg.Rectangle{Min: vg.Point{X: cell.Max.X - vg.Length(wc), Y: cell.Min.Y}, Max: cell.Max}
		hh := slot.Size().Y
		bw := hh / aspect
		if bw > slot.Size().X {
			bw = slot.Size().X
			hh = bw * aspect
		}
		y0 := slot.Min.Y + (slot.Size().Y-hh)/2 // anchor (0, 0.5)
		a.cbar.box = vg.Rectangle{Min: vg.Point{X: slot.Min.X, Y: y0}, Max: vg.Point{X: slot.Min.X + bw, Y: y0 + hh}}
		return
	}
	avg := float64(cell.Size().Y) / (2 + ws)
	hp := 2 * avg * (1 - fraction - pad) / (1 - pad)
	hc := 2 * avg * fraction / (1 - pad)
	a.box.Min.Y = cell.Max.Y - vg.Length(hp)
	slot := vg.Rectangle{Min: cell.Min, Max: vg.Point{X: cell.Max.X, Y: cell.Min.Y + vg.Length(hc)}}
	ww := slot.Size().X
	bh := ww / aspect
	if bh > slot.Size().Y {
		bh = slot.Size().Y
		ww = bh * aspect
	}
	x0 := slot.Min.X + (slot.Size().X-ww)/2 // anchor (0.5, 1)
	a.cbar.box = vg.Rectangle{Min: vg.Point{X: x0, Y: slot.Max.Y - bh}, Max: vg.Point{X: x0 + ww, Y: slot.Max.Y}}
}

// plot returns a plot.Plot carrying the axis ranges, for the plotters' transforms.
func (a *Axes) plot() *plot.Plot {
	p := plot.New()
	p.HideAxes()
	p.X.Min, p.X.Max = a.xlim[0], a.xlim[1]
	p.Y.Min, p.Y.Max = a.ylim[0], a.ylim[1]
	if a.yDown {
		p.Y.Scale = plot.InvertedScale{Normalizer: plot.LinearScale{}}
	}
	return p
}

// ticks returns the tick locations shown on one axis, their labels and the offset
// text.
func (a *Axes) ticks(horizontal bool) ([]float64, []string, string) {
	spec, lim, length := a.yt, a.ylim, a.box.Size().Y
	if horizontal {
		spec, lim, length = a.xt, a.xlim, a.box.Size().X
	}
	var vals []float64
	if spec.auto {
		vals = autoTicks(lim[0], lim[1], tickSpace(length, horizontal))
	} else {
		for _, v := range spec.values {
			if inView(v, lim[0], lim[1]) {
				vals = append(vals, v)
			}
		}
	}
	if spec.hideLabels {
		return vals, make([]string, len(vals)), ""
	}
	if spec.labels != nil {
		var labels []string
		for i, v := range spec.values {
			if inView(v, lim[0], lim[1]) && i < len(spec.labels) {
				labels = append(labels, spec.labels[i])
			}
		}
		return vals, labels, ""
	}
	labels, off := formatTicks(vals, lim[0], lim[1])
	return vals, labels, off
}

// toFig maps data coordinates to figure points.
func (a *Axes) toFig(x, y float64) vg.Point {
	fx := (x - a.xlim[0]) / (a.xlim[1] - a.xlim[0])
	fy := (y - a.ylim[0]) / (a.ylim[1] - a.ylim[0])
	if a.yDown {
		fy = 1 - fy
	}
	return vg.Point{
		X: a.box.Min.X + vg.Length(fx)*a.box.Size().X,
		Y: a.box.Min.Y + vg.Length(fy)*a.box.Size().Y,
	}
}

// decorations returns the texts around the data area and the tick marks.
func (a *Axes) decorations() (texts []label, marks [][2]vg.Point) {
	b := a.box
	xv, xl, xoff := a.ticks(true)
	yv, yl, yoff := a.ticks(false)

	labelsBottom := b.Min.Y
	for i, v := range xv {
		p := a.toFig(v, a.ylim[0])
		marks = append(marks, [2]vg.Point{{X: p.X, Y: b.Min.Y}, {X: p.X, Y: b.Min.Y - tickLen}})
		l := label{text: xl[i], font: tickFont, at: vg.Point{X: p.X, Y: b.Min.Y - tickLen - tickPad}, ha: 0.5, va: vaTop}
		if l.text != "" {
			texts = append(texts, l)
			labelsBottom = min(labelsBottom, l.bounds().Min.Y)
		}
	}
	labelsLeft := b.Min.X
	for i, v := range yv {
		p := a.toFig(a.xlim[0], v)
		marks = append(marks, [2]vg.Point{{X: b.Min.X, Y: p.Y}, {X: b.Min.X - tickLen, Y: p.Y}})
		l := label{text: yl[i], font: tickFont, at: vg.Point{X: b.Min.X - tickLen - tickPad, Y: p.Y}, ha: 1, va: vaCenter}
		if l.text != "" {
			texts = append(texts, l)
			labelsLeft = min(labelsLeft, l.bounds().Min.X)
		}
	}
	if xoff != "" {
		texts = append(texts, label{text: xoff, font: tickFont, at: vg.Point{X: b.Max.X, Y: labelsBottom - 1}, ha: 1, va: vaTop})
	}
	if yoff != "" {
		texts = append(texts, label{text: yoff, font: tickFont, at: vg.Point{X: b.Min.X, Y: b.Max.Y + 2}, ha: 0, va: vaBottom})
	}
	if a.xlabel != "" {
		texts = append(texts, label{text: a.xlabel, font: labelFont, at: vg.Point{X: (b.Min.X + b.Max.X) / 2, Y: labelsBottom - labelPad}, ha: 0.5, va: vaTop})
	}
	for _, part := range a.xlabelParts {
		texts = append(texts, label{text: part.text, font: labelFont, at: vg.Point{X: a.toFig(part.x, a.ylim[0]).X, Y: labelsBottom - labelPad}, ha: 0.5, va: vaTop})
	}
	if a.ylabel != "" {
		texts = append(texts, label{text: a.ylabel, font: labelFont, at: vg.Point{X: labelsLeft - labelPad, Y: (b.Min.Y + b.Max.Y) / 2}, ha: 0.5, va: vaBottom, rot: math.Pi / 2})
	}
	if a.title != "" {
		texts = append(texts, label{text: a.title, font: titleFont, at: vg.Point{X: (b.Min.X + b.Max.X) / 2, Y: b.Max.Y + titlePad}, ha: 0.5, va: vaBaseline})
	}
	return texts, marks
}

// covering returns box grown to cover texts and the outer ends of marks.
func covering(box vg.Rectangle, texts []label, marks [][2]vg.Point) vg.Rectangle {
	for _, t := range texts {
		box = union(box, t.bounds())
	}
	for _, m := range marks {
		box = union(box, vg.Rectangle{Min: m[1], Max: m[1]})
	}
	return box
}

// extent returns the rectangle everything the axes draws covers.
func (a *Axes) extent() vg.Rectangle {
	texts, marks := a.decorations()
	r := covering(a.box, texts, marks)
	if a.cbar != nil {
		r = union(r, a.cbar.extent())
	}
	return r
}

// draw draws the axes on c in matplotlib's order: data, spines and ticks, texts,
// legend.
func (a *Axes) draw(c draw.Canvas) {
	p := a.plot()
	dc := draw.Canvas{Canvas: c.Canvas, Rectangle: a.box}
	for _, ar := range a.artists {
		ar.Plot(dc, p)
	}
	spine := draw.LineStyle{Color: colBlack, Width: spineWidth}
	c.StrokeLine2(spine, a.box.Min.X, a.box.Min.Y, a.box.Max.X, a.box.Min.Y)
	c.StrokeLine2(spine, a.box.Min.X, a.box.Min.Y, a.box.Min.X, a.box.Max.Y)
	texts, marks := a.decorations()
	for _, m := range marks {
		c.StrokeLine2(spine, m[0].X, m[0].Y, m[1].X, m[1].Y)
	}
	for _, t := range texts {
		t.draw(c)
	}
	if a.legend != nil && len(a.legend.entries) > 0 {
		a.drawLegend(dc, p)
	}
	if a.cbar != nil {
		a.cbar.draw(c)
	}
}

func (a *Axes) drawLegend(dc draw.Canvas, p *plot.Plot) {
	tr := transformOf(dc, p)
	var verts []vg.Point
	var lines [][]vg.Point
	var rects []vg.Rectangle
	for _, ar := range a.artists {
		switch v := ar.(type) {
		case *series:
			vs := v.vertices(tr)
			verts = append(verts, vs...)
			lines = append(lines, vs)
		case *refLine:
			b := a.box
			if v.vertical {
				x := tr(v.v, 0).X
				lines = append(lines, []vg.Point{{X: x, Y: b.Min.Y}, {X: x, Y: b.Max.Y}})
			} else {
				y := tr(0, v.v).Y
				lines = append(lines, []vg.Point{{X: b.Min.X, Y: y}, {X: b.Max.X, Y: y}})
			}
		case *bars:
			rects = append(rects, v.rects(tr)...)
		}
	}
	a.legend.draw(dc, a.legend.place(a.box, verts, lines, rects))
}
