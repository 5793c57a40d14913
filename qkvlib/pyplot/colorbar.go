package pyplot

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ColorbarOpts is the options of Figure.Colorbar.
type ColorbarOpts struct {
	Ax          *Axes   // the axes whose grid cell the bar takes room from; nil: the image's
	Pad         float64 // gap between axes and bar, a fraction of the cell; 0: 0.05 vertical, 0.15 horizontal
	Orientation string  // "vertical" (default) or "horizontal"
}

// Colorbar adds im's colour bar beside (vertical) or under (horizontal) the axes
// opt.Ax, taking room from its grid cell as matplotlib's fig.colorbar does
// (fraction 0.15, aspect 20), with ticks as an axis of the colour range.
func (f *Figure) Colorbar(im *Image, opt ColorbarOpts) {
	if im == nil {
		f.fail(errorf("Colorbar: no image (pass what Imshow or Pcolor returned)"))
		return
	}
	ax := opt.Ax
	if ax == nil {
		ax = im.ax
	}
	cb := &colorbar{cmap: im.cmap, vertical: true}
	switch opt.Orientation {
	case "", "vertical":
	case "horizontal":
		cb.vertical = false
	default:
		f.fail(errorf("Colorbar: Orientation %q: want vertical or horizontal", opt.Orientation))
		return
	}
	pad := opt.Pad
	if pad == 0 {
		pad = map[bool]float64{true: 0.05, false: 0.15}[cb.vertical]
	}
	ax.cbar, ax.cbarPad = cb, pad
}

// colorbar is matplotlib's colour bar: the colour map's entries as a raster, a
// thin outline, and ticks on the right (vertical) or below (horizontal). Its box
// is set by the axes it belongs to.
type colorbar struct {
	cmap     *ListedColorMap
	vertical bool
	box      vg.Rectangle
}

// place lays the axes (and its colour bar) out in cell.
func (a *Axes) place(cell vg.Rectangle) {
	a.cell, a.box = cell, cell
	if a.cbar == nil {
		return
	}
	// matplotlib's make_axes_gridspec with fraction 0.15, shrink 1, aspect 20: a
	// sub-gridspec [parent, colour bar] with ratios [1-0.15-pad, 0.15] and a gap of
	// wspace = 2·pad/(1-pad) average cells; the bar is 20 times longer than wide,
	// or as long as its slot allows.
	if a.cbar.vertical {
		parent, slotW := cbarSplit(cell.Size().X, a.cbarPad)
		a.box.Max.X = cell.Min.X + parent
		long, short := cbarFit(cell.Size().Y, slotW)
		y0 := cell.Min.Y + (cell.Size().Y-long)/2 // anchor (0, 0.5)
		x0 := cell.Max.X - slotW
		a.cbar.box = vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x0 + short, Y: y0 + long}}
		return
	}
	parent, slotH := cbarSplit(cell.Size().Y, a.cbarPad)
	a.box.Min.Y = cell.Max.Y - parent
	long, short := cbarFit(cell.Size().X, slotH)
	x0 := cell.Min.X + (cell.Size().X-long)/2 // anchor (0.5, 1)
	y1 := cell.Min.Y + slotH
	a.cbar.box = vg.Rectangle{Min: vg.Point{X: x0, Y: y1 - short}, Max: vg.Point{X: x0 + long, Y: y1}}
}

// cbarSplit divides a cell side of length n between the parent axes and the
// colour bar's slot (the rest is the gap).
func cbarSplit(n vg.Length, pad float64) (parent, slot vg.Length) {
	const fraction = 0.15
	avg := float64(n) / (2 + 2*pad/(1-pad))
	return vg.Length(2 * avg * (1 - fraction - pad) / (1 - pad)), vg.Length(2 * avg * fraction / (1 - pad))
}

// cbarFit returns the bar's long and short sides in a slot of those lengths.
func cbarFit(long, short vg.Length) (vg.Length, vg.Length) {
	const aspect = 20
	if long/aspect > short {
		return short * aspect, short
	}
	return long, long / aspect
}

func (cb *colorbar) decorations() (texts []label, marks [][2]vg.Point) {
	lo, hi := cb.cmap.Min(), cb.cmap.Max()
	length := cb.box.Size().X
	if cb.vertical {
		length = cb.box.Size().Y
	}
	vals := autoTicks(lo, hi, tickSpace(length, !cb.vertical), false)
	labels, _ := formatTicks(vals, lo, hi)
	for i, v := range vals {
		f := vg.Length((v - lo) / (hi - lo))
		if cb.vertical {
			y := cb.box.Min.Y + f*cb.box.Size().Y
			marks = append(marks, [2]vg.Point{{X: cb.box.Max.X, Y: y}, {X: cb.box.Max.X + tickLen, Y: y}})
			texts = append(texts, label{text: labels[i], font: tickFont, at: vg.Point{X: cb.box.Max.X + tickLen + tickPad, Y: y}, va: vaCenter})
		} else {
			x := cb.box.Min.X + f*cb.box.Size().X
			marks = append(marks, [2]vg.Point{{X: x, Y: cb.box.Min.Y}, {X: x, Y: cb.box.Min.Y - tickLen}})
			texts = append(texts, label{text: labels[i], font: tickFont, at: vg.Point{X: x, Y: cb.box.Min.Y - tickLen - tickPad}, ha: 0.5, va: vaTop})
		}
	}
	return texts, marks
}

func (cb *colorbar) extent() vg.Rectangle {
	texts, marks := cb.decorations()
	return covering(cb.box, texts, marks)
}

// colorbarEntries is the number of colours a bar shows: the colour map's.
const colorbarEntries = len(plasmaTable)

func (cb *colorbar) draw(c draw.Canvas) {
	lo, hi := cb.cmap.Min(), cb.cmap.Max()
	ra := &raster{rows: 1, cols: colorbarEntries, x0: lo, x1: hi, y0: 0, y1: 1, cmap: cb.cmap}
	if cb.vertical {
		ra.rows, ra.cols, ra.x0, ra.x1, ra.y0, ra.y1 = colorbarEntries, 1, 0, 1, lo, hi
	}
	ra.data = make([]float64, colorbarEntries)
	for i := range ra.data {
		ra.data[i] = lo + (float64(i)+0.5)*(hi-lo)/float64(colorbarEntries)
	}
	p := plot.New()
	p.HideAxes()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = ra.x0, ra.x1, ra.y0, ra.y1
	ra.Plot(draw.Canvas{Canvas: c.Canvas, Rectangle: cb.box}, p)
	line := draw.LineStyle{Color: colBlack, Width: spineWidth}
	c.SetLineStyle(line)
	c.Stroke(cb.box.Path())
	texts, marks := cb.decorations()
	for _, m := range marks {
		c.StrokeLine2(line, m[0].X, m[0].Y, m[1].X, m[1].Y)
	}
	for _, t := range texts {
		t.draw(c)
	}
}
