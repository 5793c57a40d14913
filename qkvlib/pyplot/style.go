package pyplot

import (
	stdfont "golang.org/x/image/font"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// The book's look: matplotlib's default rc parameters (font.size 10, title 'large',
// 0.8 pt spines, 3.5 pt ticks, 1.5 pt lines, 6 pt markers, tight_layout pad 1.08)
// with the chapter's changes (no top and right spines, bold titles and labels,
// savefig.dpi 300). Lengths are in points.
const (
	fontSize   vg.Length = 10
	titleSize  vg.Length = 12
	tickLen    vg.Length = 3.5
	tickPad    vg.Length = 3.5
	labelPad   vg.Length = 4
	titlePad   vg.Length = 6
	spineWidth vg.Length = 0.8
	lineWidth  vg.Length = 1.5
	markerSize vg.Length = 6
	markerEdge vg.Length = 1
	patchWidth vg.Length = 1 // patch.linewidth: bar edges, legend frame
	layoutPad            = 1.08 * fontSize
	defaultDPI           = 300
	vectorDPI            = 100 // resolution of heat-map images embedded in SVG
)

// The colours the figures draw with besides the data's.
var (
	colBlack = letterColors['k']
	colWhite = letterColors['w']
)

// sans returns Liberation Sans (metric-compatible with Arial) at size, bold or not.
func sans(size vg.Length, bold bool) font.Font {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
	if bold {
		f.Weight = stdfont.WeightBold
	}
	return f
}

var (
	tickFont  = sans(fontSize, false)
	labelFont = sans(fontSize, true)
	titleFont = sans(titleSize, true)
)

// dashed returns matplotlib's '--' pattern (3.7, 1.6) scaled by the line width.
func dashed(width vg.Length) []vg.Length { return []vg.Length{3.7 * width, 1.6 * width} }
