package figures

import (
	"gonum.org/v1/gonum/mat"

	"github.com/qkvport/qkv/qkvlib/pyplot"
)

// Part4 draws ch6_proj34_part4: 2×3 panels (top row target Q, K, V; bottom row
// non-target), each the per-layer density histograms as an image of layers (rows,
// layer 0 at the bottom, y from 0 to n_layers) by bins (x from the first to the
// last edge), plasma over [0, 0.4], with horizontal colour bars under the top
// row, y ticks every 5 layers (every layer for 5 layers or fewer); 12×6 inches.
//
// hist: [n_layers][3 (Q, K, V)][bins][2 (target, non-target)]; edges: [bins+1].
func Part4(hist [][3][][2]float64, edges []float64) (*pyplot.Figure, error) {
	nLayers := len(hist)
	if nLayers == 0 {
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
	fig, axs := pyplot.Subplots(2, 3, 12, 6)
	extent := []float64{edges[0], edges[bins], 0, float64(nLayers)}
	for i := range 3 {
		h := axs[0][i].Imshow(histImage(hist, i, 0), pyplot.ImageOpts{Vmin: 0, Vmax: .4, Aspect: "auto", Cmap: "plasma",
			Extent: extent, Origin: "lower"})
		axs[0][i].Set(pyplot.AxesOpts{XTickLabels: []string{}, YLabel: "Layer", YTicks: LayerTicks(nLayers, 5), Title: "Target " + "QKV"[i:i+1]})
		fig.Colorbar(h, pyplot.ColorbarOpts{Ax: axs[0][i], Pad: .03, Orientation: "horizontal"})

		axs[1][i].Imshow(histImage(hist, i, 1), pyplot.ImageOpts{Vmin: 0, Vmax: .4, Aspect: "auto", Cmap: "plasma",
			Extent: extent, Origin: "lower"})
		axs[1][i].Set(pyplot.AxesOpts{XLabel: "Activation value", YLabel: "Layer", YTicks: LayerTicks(nLayers, 5),
			Title: "Non-target " + "QKV"[i:i+1]})
	}
	return fig, nil
}

// histImage returns the book's histograms[:, m, :, cat]: [n_layers, bins].
func histImage(hist [][3][][2]float64, m, cat int) *mat.Dense {
	bins := len(hist[0][m])
	img := mat.NewDense(len(hist), bins, nil)
	for l := range hist {
		for b := range bins {
			img.Set(l, b, hist[l][m][b][cat])
		}
	}
	return img
}
