package pyplot

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/palette"
)

// ListedColorMap is a colour map given as a table of equally spaced colours, looked
// up the way matplotlib's ListedColormap is: the value v in [Min, Max] takes entry
// floor((v-Min)/(Max-Min)·n), clipped to the last entry. It implements
// palette.ColorMap, so it serves plotter.ColorBar and plotter.HeatMap.
type ListedColorMap struct {
	table    [][3]float64 // [n colours][r, g, b] in [0, 1]
	min, max float64
	alpha    float64
}

var _ palette.ColorMap = (*ListedColorMap)(nil)

// Plasma returns matplotlib's 256-colour "plasma" map over the range [min, max].
func Plasma(min, max float64) *ListedColorMap {
	return &ListedColorMap{table: plasmaTable[:], min: min, max: max, alpha: 1}
}

// At returns the colour of v. It returns palette.ErrUnderflow, palette.ErrOverflow
// or palette.ErrNaN for values outside [Min, Max], as palette.ColorMap asks; use
// Clipped for matplotlib's behaviour with vmin/vmax.
func (m *ListedColorMap) At(v float64) (color.Color, error) {
	switch {
	case math.IsNaN(v):
		return nil, palette.ErrNaN
	case v < m.min:
		return nil, palette.ErrUnderflow
	case v > m.max:
		return nil, palette.ErrOverflow
	}
	return m.Clipped(v), nil
}

// Clipped returns the colour of v with values below Min taking the first colour and
// values above Max the last (as matplotlib's imshow with vmin/vmax), and NaN fully
// transparent.
func (m *ListedColorMap) Clipped(v float64) color.NRGBA {
	if math.IsNaN(v) {
		return color.NRGBA{}
	}
	n := len(m.table)
	x := (v - m.min) / (m.max - m.min)
	i := int(math.Floor(x * float64(n)))
	if x*float64(n) >= float64(n) || i >= n {
		i = n - 1
	}
	if i < 0 {
		i = 0
	}
	c := m.table[i]
	return color.NRGBA{R: to8(c[0]), G: to8(c[1]), B: to8(c[2]), A: to8(m.alpha)}
}

// to8 converts a component in [0, 1] to 8 bits, rounding as matplotlib's to_hex.
func to8(x float64) uint8 { return uint8(math.Round(math.Min(math.Max(x, 0), 1) * 255)) }

// Max returns the value mapped to the last colour.
func (m *ListedColorMap) Max() float64 { return m.max }

// SetMax sets the value mapped to the last colour.
func (m *ListedColorMap) SetMax(v float64) { m.max = v }

// Min returns the value mapped to the first colour.
func (m *ListedColorMap) Min() float64 { return m.min }

// SetMin sets the value mapped to the first colour.
func (m *ListedColorMap) SetMin(v float64) { m.min = v }

// Alpha returns the opacity of the colours.
func (m *ListedColorMap) Alpha() float64 { return m.alpha }

// SetAlpha sets the opacity of the colours; it panics outside [0, 1], as
// palette.ColorMap documents.
func (m *ListedColorMap) SetAlpha(a float64) {
	if a < 0 || a > 1 {
		panic(fmt.Sprintf("pyplot: alpha %v outside [0, 1]", a))
	}
	m.alpha = a
}

// Palette returns n colours evenly spaced from Min to Max.
func (m *ListedColorMap) Palette(n int) palette.Palette {
	cs := make([]color.Color, n)
	for i := range cs {
		v := m.min
		if n > 1 {
			v += (m.max - m.min) * float64(i) / float64(n-1)
		}
		cs[i] = m.Clipped(v)
	}
	return colors(cs)
}

type colors []color.Color

func (c colors) Colors() []color.Color { return c }
