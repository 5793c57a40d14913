package figures

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
)

// Part5a draws ch6_proj34_part5a: for each head a pcolor of its query vectors,
// head dimensions (y, dimension 0 at the bottom) by token positions (x), plasma
// over [-2, 2], labelled "Qh{h}" in bold in the top right corner (white on a black
// shadow), no ticks; the bottom-left panel names the axes. 20 heads make the
// book's 4×5 grid, 12×6 inches; other head counts get the grid with the fewest
// empty cells closest to that shape (12 heads: 3×4, 25 heads: 5×5).
//
// q: [tokens, heads·headDim] row-major, the Q block of one sequence (head h is
// columns [h·headDim, (h+1)·headDim)).
func Part5a(q []float32, tokens, heads, headDim int) (*Figure, error) {
	if tokens <= 0 || heads <= 0 || headDim <= 0 {
		return nil, errorf("Part5a: tokens (%d), heads (%d) and headDim (%d) must be positive", tokens, heads, headDim)
	}
	e := heads * headDim
	if len(q) != tokens*e {
		return nil, errorf("Part5a: q has %d values, want tokens·heads·headDim = %d·%d·%d = %d (layout [T, H·D] row-major)",
			len(q), tokens, heads, headDim, tokens*e)
	}
	rows, cols := headGrid(heads)
	grid := make([][]*Axes, rows)
	for i := range grid {
		grid[i] = make([]*Axes, cols)
	}
	cmap := Plasma(-2, 2)
	T, D := float64(tokens), float64(headDim)
	for h := range heads {
		name := fmt.Sprintf("Qh%d", h)
		a := &Axes{
			xlim: [2]float64{0, T},
			ylim: [2]float64{0, D},
			artists: []plot.Plotter{
				&raster{
					rows: headDim, cols: tokens,
					at: func(d, t int) float64 { return float64(q[t*e+h*headDim+d]) },
					x0: 0, x1: T, y0: 0, y1: D,
					cmap: cmap,
				},
				// The book anchors the black text at (contextwin-0.5, head_dim-1) and
				// the white at (contextwin, head_dim-2) in data units; these are the
				// same offsets in points for the chapter's 51 × 64 cells, kept for
				// any size.
				&cornerText{dx: 4.6, dy: 1.4, l: label{text: name, font: sans(12, true), color: colBlack, ha: 1, va: vaTop}},
				&cornerText{dx: 3.1, dy: 2.85, l: label{text: name, font: sans(12, true), color: colWhite, ha: 1, va: vaTop}},
			},
		}
		grid[h/cols][h%cols] = a
	}
	bl := grid[rows-1][0]
	bl.xlabel, bl.ylabel = "Token position", "Head dim"
	return newFigure(12, 6, grid), nil
}

// Part5b draws ch6_proj34_part5b: the average standard deviation across token
// positions of Q, K and V per layer, lines as in part 3 with marker size 9 and
// opaque marker faces; 10×3 inches.
//
// stdevs: [n_layers][3 (Q, K, V)].
func Part5b(stdevs [][3]float64) (*Figure, error) {
	n := len(stdevs)
	if n == 0 {
		return nil, errorf("Part5b: stdevs has no layers")
	}
	var ys [3][]float64
	for m := range 3 {
		ys[m] = make([]float64, n)
		for l := range n {
			ys[m][l] = stdevs[l][m]
		}
	}
	a := qkvLines(ys, 9, 1)
	a.xlabel = "Transformer layer"
	a.ylabel = "Average standard deviation"
	return newFigure(10, 3, [][]*Axes{{a}}), nil
}

// headGrid returns the rows and columns of the panel grid for n heads: the
// fewest empty cells, and the closest to the book's 5 columns by 4 rows.
func headGrid(n int) (rows, cols int) {
	best := math.Inf(1)
	for r := 1; r <= n; r++ {
		c := (n + r - 1) / r
		score := float64(r*c-n) + math.Abs(math.Log(float64(c)/float64(r)/1.25))
		if score < best {
			best, rows, cols = score, r, c
		}
	}
	return rows, cols
}
