package figures

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/qkvport/qkv/qkvlib/pyplot"
)

// Part1 draws the chapter's first figure (ch6_proj34_part1): one layer's Q|K|V
// activations at the target position as a heat map, plasma over [-1, 1] (clipped),
// row 0 at the top, dashed white lines between the Q, K and V blocks, a colour
// bar beside it, no x ticks; 10×3 inches.
//
// wide: [n, 3·e] row-major (n sequences; e embedding dimensions per block).
func Part1(wide []float32, n, e int) (*pyplot.Figure, error) {
	if n <= 0 || e <= 0 {
		return nil, errorf("Part1: n (%d) and e (%d) must be positive", n, e)
	}
	if len(wide) != n*3*e {
		return nil, errorf("Part1: wide has %d values, want n·3e = %d·%d = %d (layout [N, 3E] row-major)", len(wide), n, 3*e, n*3*e)
	}
	wideActs := mat.NewDense(n, 3*e, float64s(wide))
	E := float64(e)

	fig := pyplot.NewFigure(10, 3)
	ax := fig.Gca()
	im := ax.Imshow(wideActs, pyplot.ImageOpts{Aspect: "auto", Vmin: -1, Vmax: 1, Cmap: "plasma"})
	ax.AxVLine(E, pyplot.LineOpts{LineStyle: "--", Color: pyplot.Named("w")})
	ax.AxVLine(2*E, pyplot.LineOpts{LineStyle: "--", Color: pyplot.Named("w")})
	fig.Colorbar(im, pyplot.ColorbarOpts{Pad: .01})

	ax.Set(pyplot.AxesOpts{XTicks: []float64{}, YLabel: "Batch sequences",
		XLabelParts: []pyplot.LabelPart{{X: E/2 - .5, Text: "Queries dimensions"}, {X: E, Text: "|"},
			{X: 3*E/2 - .5, Text: "Keys dimensions"}, {X: 2 * E, Text: "|"}, {X: 5*E/2 - .5, Text: "Values dimensions"}}})
	return fig, nil
}

func errorf(format string, args ...any) error { return fmt.Errorf("figures: "+format, args...) }

// float64s converts activations to float64, for gonum's matrices.
func float64s(xs []float32) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}
