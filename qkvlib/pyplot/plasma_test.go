package pyplot

import (
	"errors"
	"fmt"
	"image/color"
	"testing"

	"gonum.org/v1/plot/palette"
)

// TestPlasmaMatchesMatplotlib checks colours against matplotlib's published
// values: plasma(0) = #0d0887, plasma(1) = #f0f921, plasma(0.5) = #cc4778 (the
// colormap reference), and further values printed by matplotlib 3.11.2 with
// matplotlib.colors.to_hex(colormaps['plasma'](v)).
func TestPlasmaMatchesMatplotlib(t *testing.T) {
	m := Plasma(0, 1)
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "#0d0887"}, {0.1, "#41049d"}, {0.25, "#7e03a8"}, {0.3333, "#9c179e"},
		{0.5, "#cc4778"}, {0.75, "#f89540"}, {0.9, "#fcce25"}, {0.999, "#f0f921"}, {1, "#f0f921"},
	} {
		got, err := m.At(c.v)
		if err != nil {
			t.Fatalf("At(%v): %v", c.v, err)
		}
		n := color.NRGBAModel.Convert(got).(color.NRGBA)
		if hex := fmt.Sprintf("#%02x%02x%02x", n.R, n.G, n.B); hex != c.want || n.A != 255 {
			t.Errorf("plasma(%v) = %s (alpha %d), want %s", c.v, hex, n.A, c.want)
		}
	}
	if len(plasmaTable) != 256 {
		t.Errorf("plasma table has %d entries, want 256", len(plasmaTable))
	}
}

func TestPlasmaRange(t *testing.T) {
	m := Plasma(-1, 1)
	lo, hi := m.Clipped(-1), m.Clipped(1)
	if got := m.Clipped(-5); got != lo {
		t.Errorf("Clipped(-5) = %v, want the first colour %v", got, lo)
	}
	if got := m.Clipped(7); got != hi {
		t.Errorf("Clipped(7) = %v, want the last colour %v", got, hi)
	}
	if got, _ := m.At(0); got != m.Clipped(0) || m.Clipped(0) != Plasma(0, 1).Clipped(0.5) {
		t.Errorf("At(0) over [-1, 1] = %v, want plasma(0.5)", got)
	}
	for _, c := range []struct {
		v    float64
		want error
	}{{-1.5, palette.ErrUnderflow}, {1.5, palette.ErrOverflow}} {
		if _, err := m.At(c.v); !errors.Is(err, c.want) {
			t.Errorf("At(%v) error = %v, want %v", c.v, err, c.want)
		}
	}
	cs := m.Palette(5).Colors()
	if len(cs) != 5 || cs[0] != lo || cs[4] != hi {
		t.Errorf("Palette(5) = %v, want 5 colours from %v to %v", cs, lo, hi)
	}
}
