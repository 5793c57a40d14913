package pyplot

import (
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// tickSpec says where an axis puts its ticks.
type tickSpec struct {
	auto       bool      // matplotlib's AutoLocator
	integer    bool      // automatic ticks on integers only (MaxNLocator(integer=True))
	values     []float64 // fixed locations, when not auto (none: no ticks)
	labels     []string  // fixed labels, one per value (or per automatic tick); nil: ScalarFormatter
	hideLabels bool      // ticks without labels (xticklabels=[])
}

// Axes is one matplotlib Axes with the book's rc parameters: left and bottom
// spines only, outward ticks, bold axis labels and title. Its artists are gonum
// plotters drawn through a plot.Plot that carries the axis ranges. An axes may
// carry a colour bar, laid out inside its grid cell as fig.colorbar does. Make
// one with NewFigure or Subplots.
type Axes struct {
	fig                   *Figure
	xlim, ylim            [2]float64 // view limits, set by autoscale before layout
	p                     *plot.Plot // the view limits for the plotters' transforms, set by autoscale
	userX, userY          []float64  // limits given to Set
	yDown                 bool       // y grows downwards (imshow's origin='upper')
	xt, yt                tickSpec
	xlabel, ylabel, title string
	xlabelParts           []LabelPart
	artists               []artist
	legend                *legend // nil: none
	nLines, nPatches      int     // positions in the colour cycle of lines and of patches

	cbar    *colorbar
	cbarPad float64 // fig.colorbar's pad, a fraction of the cell

	cell, box vg.Rectangle // grid cell and data area, set by place
}

func newAxes(f *Figure) *Axes {
	return &Axes{fig: f, xt: tickSpec{auto: true}, yt: tickSpec{auto: true}}
}

// fail records the first error of the figure's calls; drawing returns it.
func (a *Axes) fail(err error) { a.fig.fail(err) }

// nextColor returns the next colour of matplotlib's cycle; lines and patches
// each have their own position.
func (a *Axes) nextColor(pos *int) color.NRGBA {
	c := colorCycle[*pos%len(colorCycle)]
	*pos++
	return c
}

// AxesOpts is what Axes.Set sets (matplotlib's ax.set). Zero fields leave the
// axes as it is.
type AxesOpts struct {
	XLabel, YLabel, Title string
	// XTicks and YTicks are the tick locations: nil leaves them (automatic on
	// a new axes), non-nil and empty removes the ticks.
	XTicks, YTicks []float64
	// XTickLabels and YTickLabels label the ticks, one per tick: nil leaves them
	// (the tick values), non-nil and empty hides the labels but keeps the ticks.
	XTickLabels, YTickLabels []string
	// XLim and YLim are [lo, hi]; nil leaves the automatic range. A YLim with
	// lo > hi turns the y axis upside down.
	XLim, YLim []float64
	// XIntegerTicks puts automatic x ticks on integers only (matplotlib's
	// MaxNLocator(integer=True)), for an axis of layers.
	XIntegerTicks bool
	// XLabelParts writes the x label in pieces, each centred under its own x
	// (data units). The book spaces one label out with blanks to put each
	// block's name under its block, which only works in the book's font.
	XLabelParts []LabelPart
}

// LabelPart is a piece of an axis label centred at X (data coordinates).
type LabelPart struct {
	X    float64
	Text string
}

// Set sets labels, title, ticks and limits (ax.set).
func (a *Axes) Set(o AxesOpts) {
	for _, s := range []struct{ dst, src *string }{{&a.xlabel, &o.XLabel}, {&a.ylabel, &o.YLabel}, {&a.title, &o.Title}} {
		if *s.src != "" {
			*s.dst = *s.src
		}
	}
	a.xt.set(o.XTicks, o.XTickLabels)
	a.yt.set(o.YTicks, o.YTickLabels)
	a.xt.integer = a.xt.integer || o.XIntegerTicks
	if o.XLabelParts != nil {
		a.xlabelParts = slices.Clone(o.XLabelParts)
	}
	for _, l := range []struct {
		dst  *[]float64
		src  []float64
		name string
	}{{&a.userX, o.XLim, "XLim"}, {&a.userY, o.YLim, "YLim"}} {
		switch {
		case l.src == nil:
		case len(l.src) != 2:
			a.fail(errorf("Set: %s has %d values, want 2 (lo, hi)", l.name, len(l.src)))
		default:
			*l.dst = slices.Clone(l.src)
		}
	}
	if len(a.userY) == 2 {
		a.yDown = a.userY[0] > a.userY[1]
	}
}

func (t *tickSpec) set(values []float64, labels []string) {
	if values != nil {
		t.auto, t.values = false, slices.Clone(values)
	}
	if labels != nil {
		t.labels, t.hideLabels = slices.Clone(labels), len(labels) == 0
	}
}

// autoscale sets the view limits: those given to Set, else the artists' data
// range with matplotlib's margins and sticky edges.
func (a *Axes) autoscale() {
	x, y := emptyRange(), emptyRange()
	for _, ar := range a.artists {
		ax, ay := ar.limits()
		x.merge(ax)
		y.merge(ay)
	}
	a.xlim, a.ylim = viewLimits(a.userX, x), viewLimits(a.userY, y)
	a.p = plot.New()
	a.p.HideAxes()
	a.p.X.Min, a.p.X.Max = a.xlim[0], a.xlim[1]
	a.p.Y.Min, a.p.Y.Max = a.ylim[0], a.ylim[1]
	if a.yDown { // an axis growing downwards runs from its top to its bottom
		a.p.Y.Min, a.p.Y.Max = a.p.Y.Max, a.p.Y.Min
	}
}

func viewLimits(user []float64, r dataRange) [2]float64 {
	if len(user) == 2 {
		lo, hi := min(user[0], user[1]), max(user[0], user[1])
		if lo == hi {
			lo, hi = nonsingular(lo, hi, 0.05, 1e-15)
		}
		return [2]float64{lo, hi}
	}
	return autoscale(r.lo, r.hi, r.sticky...)
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
		vals = autoTicks(lim[0], lim[1], tickSpace(length, horizontal), spec.integer)
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
		labels := make([]string, len(vals))
		if spec.auto {
			copy(labels, spec.labels)
			return vals, labels, ""
		}
		k := 0
		for i, v := range spec.values {
			if inView(v, lim[0], lim[1]) {
				if i < len(spec.labels) {
					labels[k] = spec.labels[i]
				}
				k++
			}
		}
		return vals, labels, ""
	}
	labels, off := formatTicks(vals, lim[0], lim[1])
	return vals, labels, off
}

// transform maps data coordinates to figure points (autoscaling a new axes).
func (a *Axes) transform() transform {
	if a.p == nil {
		a.autoscale()
	}
	return transformOf(draw.Canvas{Rectangle: a.box}, a.p)
}

// decorations returns the texts around the data area and the tick marks.
func (a *Axes) decorations() (texts []label, marks [][2]vg.Point) {
	b := a.box
	xv, xl, xoff := a.ticks(true)
	yv, yl, yoff := a.ticks(false)
	tr := a.transform()

	labelsBottom := b.Min.Y
	for i, v := range xv {
		x := tr(v, a.ylim[0]).X
		marks = append(marks, [2]vg.Point{{X: x, Y: b.Min.Y}, {X: x, Y: b.Min.Y - tickLen}})
		if l := (label{text: xl[i], font: tickFont, at: vg.Point{X: x, Y: b.Min.Y - tickLen - tickPad}, ha: 0.5, va: vaTop}); l.text != "" {
			texts = append(texts, l)
			labelsBottom = min(labelsBottom, l.bounds().Min.Y)
		}
	}
	labelsLeft := b.Min.X
	for i, v := range yv {
		y := tr(a.xlim[0], v).Y
		marks = append(marks, [2]vg.Point{{X: b.Min.X, Y: y}, {X: b.Min.X - tickLen, Y: y}})
		if l := (label{text: yl[i], font: tickFont, at: vg.Point{X: b.Min.X - tickLen - tickPad, Y: y}, ha: 1, va: vaCenter}); l.text != "" {
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
		texts = append(texts, label{text: part.Text, font: labelFont, at: vg.Point{X: tr(part.X, a.ylim[0]).X, Y: labelsBottom - labelPad}, ha: 0.5, va: vaTop})
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

// Position returns the data area in points from the page's bottom left corner,
// as laid out by the last TightLayout (ax.get_position in points).
func (a *Axes) Position() vg.Rectangle { return a.box }

// TightBBox returns the rectangle everything the axes draws covers, as laid
// out by the last TightLayout: its data area, decorations, texts and colour bar
// (ax.get_tightbbox in points).
func (a *Axes) TightBBox() vg.Rectangle {
	texts, marks := a.decorations()
	r := covering(a.box, texts, marks)
	tr := a.transform()
	for _, ar := range a.artists {
		if t, ok := ar.(*dataText); ok {
			r = union(r, t.label(a.box, tr).bounds())
		}
	}
	if a.cbar != nil {
		r = union(r, a.cbar.extent())
	}
	return r
}

// draw draws the axes on c in matplotlib's order: data, spines and ticks, texts,
// legend.
func (a *Axes) draw(c draw.Canvas) {
	dc := draw.Canvas{Canvas: c.Canvas, Rectangle: a.box}
	tr := a.transform()
	for _, ar := range a.artists {
		ar.Plot(dc, a.p)
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
	if a.legend != nil {
		a.legend.draw(dc, tr, a.artists)
	}
	if a.cbar != nil {
		a.cbar.draw(c)
	}
}
