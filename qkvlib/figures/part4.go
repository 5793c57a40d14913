package figures

import (
	"fmt"

	"gonum.org/v1/plot"
)

// Part4 draws ch6_proj34_part4: 2×3 panels (top row target Q, K, V; bottom row
// non-target), each the per-layer density histograms as an image of layers (rows,
// layer 0 at the bottom, y from 0 to n_layers) by bins (x from the first to the
// last edge), plasma over [0, 0.4], with horizontal colour bars under the top
// row, y ticks every 5 layers; 12×6 inches.
//
// hist: [n_layers][3 (Q, K, V)][bins][2 (target, non-target)]; edges: [bins+1].
func Part4(hist [][3][][2]float64, edges []float64) (*Figure, error) {
	n := len(hist)
	if n == 0 {
		return nil, errorf("Part4: hist has no layers")
	}
	if len(edges) < 2 || edges[0] >= edges[len(edges)-1] {
		return nil, errorf("Part4: need at least 2 increasing edges, got %d", len(edges))
	}
	bins := len(edges) - 1
	for l := range hist {
		for m := range 3 {
			if len(hist[l][m]) != bins {
				return nil, errorf("Part4: hist[%d][%d] has %d bins, want len(edges)-1 = %d", l, m, len(hist[l][m]), bins)
			}
		}
	}
	x0, x1 := edges[0], edges[bins]
	grid := [][]*Axes{make([]*Axes, 3), make([]*Axes, 3)}
	for cat, prefix := range []string{"Target", "Non-target"} {
		for m := range 3 {
			cmap := Plasma(0, 0.4)
			a := &Axes{
				xlim: [2]float64{x0, x1},
				ylim: [2]float64{0, float64(n)},
				xt:   autoTicksSpec(),
				yt:   rangeTicks(0, n, 5),
				artists: []plot.Plotter{&raster{
					rows: n, cols: bins,
					at: func(r, c int) float64 { return hist[r][m][c][cat] },
					x0: x0, x1: x1, y0: 0, y1: float64(n),
					cmap: cmap,
				}},
				ylabel: "Layer",
				title:  fmt.Sprintf("%s %c", prefix, "QKV"[m]),
			}
			if cat == 0 {
				a.xt.hideLabels = true
				a.cbar = &colorbar{cmap: cmap}
				a.cbarPad = 0.03
			} else {
				a.xlabel = "Activation value"
			}
			grid[cat][m] = a
		}
	}
	return newFigure(12, 6, grid), nil
}
