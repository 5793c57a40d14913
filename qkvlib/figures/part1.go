package figures

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
)

// Part1 draws the chapter's first figure (ch6_proj34_part1): one layer's Q|K|V
// activations at the target position as a heat map, plasma over [-1, 1] (clipped),
// row 0 at the top, dashed white lines between the Q, K and V blocks, a colour
// bar beside it, no x ticks; 10×3 inches.
//
// wide: [n, 3·e] row-major (n sequences; e embedding dimensions per block).
func Part1(wide []float32, n, e int) (*Figure, error) {
	if n <= 0 || e <= 0 {
		return nil, errorf("Part1: n (%d) and e (%d) must be positive", n, e)
	}
	cols := 3 * e
	if len(wide) != n*cols {
		return nil, errorf("Part1: wide has %d values, want n·3e = %d·%d = %d (layout [N, 3E] row-major)", len(wide), n, cols, n*cols)
	}
	cmap := Plasma(-1, 1)
	white := draw.LineStyle{Color: colWhite, Width: lineWidth, Dashes: dashed(lineWidth)}
	a := &Axes{
		xlim:  [2]float64{-0.5, float64(cols) - 0.5},
		ylim:  [2]float64{-0.5, float64(n) - 0.5},
		yDown: true,
		yt:    autoTicksSpec(),
		artists: []plot.Plotter{
			&raster{
				rows: n, cols: cols,
				at: func(r, c int) float64 { return float64(wide[r*cols+c]) },
				x0: -0.5, x1: float64(cols) - 0.5, y0: -0.5, y1: float64(n) - 0.5,
				cmap: cmap,
			},
			&refLine{vertical: true, v: float64(e), style: white},
			&refLine{vertical: true, v: float64(2 * e), style: white},
		},
		ylabel: "Batch sequences",
		// The book's label is 'Queries dimensions | Keys dimensions | Values
		// dimensions' spaced out with blanks so that each name sits under its block
		// and the bars under the dashed lines; here each piece is placed there.
		xlabelParts: []labelPart{
			{float64(e)/2 - 0.5, "Queries dimensions"}, {float64(e), "|"},
			{float64(3*e)/2 - 0.5, "Keys dimensions"}, {float64(2 * e), "|"},
			{float64(5*e)/2 - 0.5, "Values dimensions"},
		},
		cbar:    &colorbar{cmap: cmap, vertical: true},
		cbarPad: 0.01,
	}
	return newFigure(10, 3, [][]*Axes{{a}}), nil
}
