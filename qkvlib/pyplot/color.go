package pyplot

import (
	"image/color"
)

// Color is a colour as matplotlib takes one: RGBA(r, g, b, a) or RGB(r, g, b)
// with components in [0, 1], or a name (Named("k")). The zero Color is "not set":
// the artist takes its default colour.
type Color struct {
	c   color.NRGBA
	set bool
}

// RGBA returns the colour [r, g, b, a] (components in [0, 1], clipped).
func RGBA(r, g, b, a float64) Color { return Color{rgba(r, g, b, a), true} }

// RGB returns the opaque colour [r, g, b] (components in [0, 1], clipped).
func RGB(r, g, b float64) Color { return RGBA(r, g, b, 1) }

// Named returns one of matplotlib's single-letter colours ("b", "g", "r", "c",
// "m", "y", "k", "w") or cycle colours ("C0" … "C9"); an unknown name is the
// zero Color.
func Named(name string) Color {
	if len(name) == 2 && name[0] == 'C' && name[1] >= '0' && name[1] <= '9' {
		return Color{colorCycle[name[1]-'0'], true}
	}
	if len(name) == 1 {
		if c, ok := letterColors[name[0]]; ok {
			return Color{c, true}
		}
	}
	return Color{}
}

// or returns c when it is set, else def.
func (c Color) or(def color.NRGBA) color.NRGBA {
	if c.set {
		return c.c
	}
	return def
}

// letterColors are matplotlib's base colours, the colours of format strings.
var letterColors = map[byte]color.NRGBA{
	'b': rgba(0, 0, 1, 1), 'g': rgba(0, 0.5, 0, 1), 'r': rgba(1, 0, 0, 1),
	'c': rgba(0, 0.75, 0.75, 1), 'm': rgba(0.75, 0, 0.75, 1), 'y': rgba(0.75, 0.75, 0, 1),
	'k': rgba(0, 0, 0, 1), 'w': rgba(1, 1, 1, 1),
}

// colorCycle is matplotlib's default property cycle ("tab10"), C0 … C9.
var colorCycle = [10]color.NRGBA{
	{0x1f, 0x77, 0xb4, 0xff}, {0xff, 0x7f, 0x0e, 0xff}, {0x2c, 0xa0, 0x2c, 0xff}, {0xd6, 0x27, 0x28, 0xff},
	{0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff}, {0xe3, 0x77, 0xc2, 0xff}, {0x7f, 0x7f, 0x7f, 0xff},
	{0xbc, 0xbd, 0x22, 0xff}, {0x17, 0xbe, 0xcf, 0xff},
}

// rgba converts matplotlib's float colour [r, g, b, a] to a color.NRGBA.
func rgba(r, g, b, a float64) color.NRGBA {
	return color.NRGBA{to8(r), to8(g), to8(b), to8(a)}
}
