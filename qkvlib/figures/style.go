package figures

import (
	"image/color"

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

// matplotlib's named colours used by the book.
var (
	colC0    = color.NRGBA{0x1f, 0x77, 0xb4, 0xff} // default colour cycle, first
	colC1    = color.NRGBA{0xff, 0x7f, 0x0e, 0xff} // default colour cycle, second
	colBlack = color.NRGBA{0, 0, 0, 0xff}          // 'k'
	colWhite = color.NRGBA{0xff, 0xff, 0xff, 0xff} // 'w'
	colGreen = color.NRGBA{0, 0x80, 0, 0xff}       // 'g' = (0, 0.5, 0)
	colRed   = color.NRGBA{0xff, 0, 0, 0xff}       // 'r'
	colBlue  = color.NRGBA{0, 0, 0xff, 0xff}       // 'b'
)

// rgba converts matplotlib's float colour [r, g, b, a] to a color.NRGBA.
func rgba(r, g, b, a float64) color.NRGBA {
	return color.NRGBA{to8(r), to8(g), to8(b), to8(a)}
}

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
