package figures

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/qkvport/qkv/qkvlib/pyplot"
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
func Part5a(q []float32, tokens, heads, headDim int) (*pyplot.Figure, error) {
	if tokens <= 0 || heads <= 0 || headDim <= 0 {
		return nil, errorf("Part5a: tokens (%d), heads (%d) and headDim (%d) must be positive", tokens, heads, headDim)
	}
	if len(q) != tokens*heads*headDim {
		return nil, errorf("Part5a: q has %d values, want tokens·heads·headDim = %d·%d·%d = %d (layout [T, H·D] row-major)",
			len(q), tokens, heads, headDim, tokens*heads*headDim)
	}
	Q := mat.NewDense(tokens, heads*headDim, float64s(q))

	rows, cols := headGrid(heads)
	fig, axs := pyplot.Subplots(rows, cols, 12, 6)
	for i := range rows * cols {
		ax := axs[i/cols][i%cols]
		if i >= heads {
			fig.Delaxes(ax)
			continue
		}
		ax.Pcolor(Q.Slice(0, tokens, i*headDim, (i+1)*headDim).T(), pyplot.ImageOpts{Cmap: "plasma", Vmin: -2, Vmax: 2})
		// The book anchors the black text at (contextwin-.5, head_dim-1) and the
		// white at (contextwin, head_dim-2) in data units; these offsets from the
		// top right corner are the same in points for its 51 × 64 cells, for any size.
		ax.Text(1, 1, fmt.Sprintf("Qh%d", i), pyplot.TextOpts{FontSize: 12, Bold: true, Color: pyplot.Named("k"), HA: "right", VA: "top",
			AxesCoords: true, Offset: [2]float64{-4.6, -1.4}})
		ax.Text(1, 1, fmt.Sprintf("Qh%d", i), pyplot.TextOpts{FontSize: 12, Bold: true, Color: pyplot.Named("w"), HA: "right", VA: "top",
			AxesCoords: true, Offset: [2]float64{-3.1, -2.85}})
		ax.Set(pyplot.AxesOpts{XTicks: []float64{}, YTicks: []float64{}})
	}
	axs[rows-1][0].Set(pyplot.AxesOpts{YLabel: "Head dim", XLabel: "Token position"})
	return fig, nil
}

// Part5b draws ch6_proj34_part5b: the average standard deviation across token
// positions of Q, K and V per layer, lines as in part 3 with marker size 9 and
// opaque marker faces, x ticks on whole layers; 10×3 inches.
//
// stdevs: [n_layers][3 (Q, K, V)].
func Part5b(stdevs [][3]float64) (*pyplot.Figure, error) {
	if len(stdevs) == 0 {
		return nil, errorf("Part5b: stdevs has no layers")
	}
	headStdevs := mat.NewDense(len(stdevs), 3, nil)
	for l, s := range stdevs {
		headStdevs.SetRow(l, s[:])
	}

	fig := pyplot.NewFigure(10, 3)
	ax := fig.Gca()
	ax.Plot(nil, mat.Col(nil, 0, headStdevs), "gs-", pyplot.LineOpts{MarkerSize: 9, MarkerFaceColor: pyplot.RGB(.7, .9, .7), Label: "Q"})
	ax.Plot(nil, mat.Col(nil, 1, headStdevs), "ro-", pyplot.LineOpts{MarkerSize: 9, MarkerFaceColor: pyplot.RGB(.9, .7, .7), Label: "K"})
	ax.Plot(nil, mat.Col(nil, 2, headStdevs), "b^-", pyplot.LineOpts{MarkerSize: 9, MarkerFaceColor: pyplot.RGB(.7, .7, .9), Label: "V"})
	ax.Legend()
	ax.Set(pyplot.AxesOpts{XLabel: "Transformer layer", YLabel: "Average standard deviation", XIntegerTicks: true})
	return fig, nil
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
