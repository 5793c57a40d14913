package figures

import (
	"image/color"

	"gonum.org/v1/gonum/mat"
)

// This file is the matplotlib-like API: a figure of axes, and on each axes the
// calls of the book's plotting code (plot, bar, imshow, pcolor, axhline, axvline,
// text, legend, set, colorbar). Sizes are in inches, lengths in points, data
// coordinates as matplotlib's.

// Color is a colour as matplotlib takes one: RGBA(r, g, b, a) or RGB(r, g, b)
// with components in [0, 1], or a name (Named("k")). The zero Color is "not set":
// the artist takes its default colour.
type Color struct {
	c   color.NRGBA
	set bool
}

// RGBA returns the colour [r, g, b, a] (components in [0, 1]).
func RGBA(r, g, b, a float64) Color { return Color{} }

// RGB returns the opaque colour [r, g, b] (components in [0, 1]).
func RGB(r, g, b float64) Color { return RGBA(r, g, b, 1) }

// Named returns one of matplotlib's single-letter colours ("b", "g", "r", "c",
// "m", "y", "k", "w") or cycle colours ("C0" … "C9"); an unknown name is the
// zero Color.
func Named(name string) Color { return Color{} }

// Line is the options of Plot, AxHLine and AxVLine (matplotlib's Line2D
// keywords). Zero fields keep the format string's or matplotlib's default.
type Line struct {
	Label           string  // legend entry; "" for none
	Color           Color   // overrides the format string's colour
	MarkerFaceColor Color   // default: the line colour
	MarkerSize      float64 // points; default 6
	LineWidth       float64 // points; default 1.5
	LineStyle       string  // "-", "--", ":", "-."; "" keeps the format's
}

// Bars is the options of Bar.
type Bars struct {
	Width     float64 // in data units; default 0.8
	EdgeColor Color   // default: no edge
	Label     string  // legend entry; "" for none
	Color     Color   // default: the next colour of the axes' cycle
}

// ImageOpts is the options of Imshow and Pcolor.
type ImageOpts struct {
	// Vmin and Vmax are the values mapped to the ends of the colour map; both
	// zero means the data's range.
	Vmin, Vmax float64
	// Cmap is the colour map's name: "plasma" (the default; the only one).
	Cmap string
	// Aspect is "auto" (or "": the only supported value; matplotlib's default
	// for imshow, "equal", is not supported).
	Aspect string
	// Extent is [x0, x1, y0, y1], the data coordinates of the image's left,
	// right, bottom and top edges; nil for matplotlib's default (cell centres on
	// the integers for Imshow, cell corners on the integers for Pcolor).
	Extent []float64
	// Origin is where Imshow puts the matrix's row 0: "upper" (the default) or
	// "lower". Pcolor always puts row 0 at the bottom.
	Origin string
}

// Image is what Imshow and Pcolor return, for Figure.Colorbar.
type Image struct {
	ax   *Axes
	cmap *ListedColorMap
}

// ColorbarOpts is the options of Figure.Colorbar.
type ColorbarOpts struct {
	Ax          *Axes   // the axes whose cell the bar takes room from; nil: the image's
	Pad         float64 // gap between axes and bar, a fraction of the cell; 0: 0.05 vertical, 0.15 horizontal
	Orientation string  // "vertical" (default) or "horizontal"
}

// TextOpts is the options of Text.
type TextOpts struct {
	FontSize float64 // points; default 10
	Bold     bool
	Color    Color  // default black
	HA, VA   string // "left" (default), "center", "right"; "baseline" (default), "top", "center", "bottom"
}

// Props is what Axes.Set sets (matplotlib's ax.set). Zero fields leave the
// axes as it is.
type Props struct {
	XLabel, YLabel, Title string
	// XTicks and YTicks are the tick locations: nil leaves them (automatic on
	// a new axes), non-nil and empty removes the ticks.
	XTicks, YTicks []float64
	// XTickLabels and YTickLabels label the ticks: nil leaves them (the tick
	// values), non-nil and empty hides the labels but keeps the ticks.
	XTickLabels, YTickLabels []string
	// XLim and YLim are [lo, hi]; nil leaves the automatic range.
	XLim, YLim []float64
	// XIntegerTicks asks automatic x ticks to fall on integers only
	// (matplotlib's MaxNLocator(integer=True)), for layer axes.
	XIntegerTicks bool
	// XLabelParts writes the x label in pieces, each centred under its own x
	// (data units): the book spaces one label out with blanks to put each
	// block's name under its block, which depends on the font.
	XLabelParts []LabelPart
}

// LabelPart is a piece of an axis label centred at X (data coordinates).
type LabelPart struct {
	X    float64
	Text string
}

// NewFigure returns a figure of width × height inches with one axes
// (plt.figure(figsize=(w, h)); the axes is fig.Gca()).
func NewFigure(width, height float64) *Figure { return nil }

// Subplots returns a figure of width × height inches with a grid of rows × cols
// axes, axs[row][col], row 0 on top (plt.subplots(rows, cols, figsize=(w, h))).
func Subplots(rows, cols int, width, height float64) (*Figure, [][]*Axes) { return nil, nil }

// Gca returns the figure's first axes (top left).
func (f *Figure) Gca() *Axes { return nil }

// Delaxes removes an axes from the figure (fig.delaxes): its cell stays empty.
func (f *Figure) Delaxes(a *Axes) {}

// Colorbar adds im's colour bar beside (vertical) or under (horizontal) the axes
// opt.Ax, taking room from its grid cell as matplotlib's fig.colorbar does.
func (f *Figure) Colorbar(im *Image, opt ColorbarOpts) {}

// Plot draws y against x (x nil: 0, 1, …, len(y)-1) with a matplotlib format
// string of colour, marker and line style, e.g. "gs-", "ro-", "b^-", "k--", "r"
// ("" takes the next colour of the axes' cycle and a solid line). Markers: "s",
// "o", "^", "v", "D", ".". NaNs break the line.
func (a *Axes) Plot(x, y []float64, format string, opt ...Line) {}

// Bar draws bars centred at x with the given heights, from 0.
func (a *Axes) Bar(x, height []float64, opt Bars) {}

// Imshow draws m as an image: row r of m is the image's row r, column c its
// column c (so m is the picture as printed, not transposed), with row 0 on top
// unless opt.Origin is "lower". It sets the axes' limits to the image's extent.
func (a *Axes) Imshow(m mat.Matrix, opt ImageOpts) *Image { return nil }

// Pcolor draws m as coloured cells: cell (r, c) covers x in [c, c+1] and y in
// [r, r+1] (or opt.Extent divided evenly), row 0 at the bottom.
func (a *Axes) Pcolor(m mat.Matrix, opt ImageOpts) *Image { return nil }

// AxHLine draws a horizontal line across the axes at y (solid, C0, unless opt
// says otherwise).
func (a *Axes) AxHLine(y float64, opt Line) {}

// AxVLine draws a vertical line across the axes at x.
func (a *Axes) AxVLine(x float64, opt Line) {}

// Text writes s at (x, y) in data coordinates.
func (a *Axes) Text(x, y float64, s string, opt TextOpts) {}

// Legend shows a legend of the labelled lines and bars, placed as matplotlib's
// loc='best'.
func (a *Axes) Legend() {}

// Set sets labels, title, ticks and limits (ax.set).
func (a *Axes) Set(p Props) {}

// Range returns start, start+step, … below stop, as Python's range, for ticks.
func Range(start, stop, step int) []float64 { return nil }

// Linspace returns n evenly spaced values from lo to hi inclusive (np.linspace).
func Linspace(lo, hi float64, n int) []float64 { return nil }

// LayerTicks returns the ticks of a layer axis: Range(0, nLayers, every) as the
// book, or every layer when that would show fewer than two ticks (small models).
func LayerTicks(nLayers, every int) []float64 { return nil }
