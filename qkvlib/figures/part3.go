package figures

import "github.com/qkvport/qkv/qkvlib/pyplot"

// Part3a draws ch6_proj34_part3a: for each descriptive (arithmetic mean, L1 mean,
// variance) a panel of the average of target and non-target per layer, Q, K, V
// as green squares, red circles and blue triangles with light marker faces; x
// ticks every 4 layers (every layer for 4 layers or fewer); 12×3 inches.
//
// desc: [n_layers][3 (Q, K, V)][3 (mean, L1 mean, variance)][2 (target, non-target)].
func Part3a(desc [][3][3][2]float64) (*pyplot.Figure, error) {
	return part3(desc, "Part3a", mean2, false)
}

// Part3b draws ch6_proj34_part3b: as Part3a with non-target minus target, over a
// thin dashed grey line at 0.
//
// desc: [n_layers][3 (Q, K, V)][3 (mean, L1 mean, variance)][2 (target, non-target)].
func Part3b(desc [][3][3][2]float64) (*pyplot.Figure, error) {
	return part3(desc, "Part3b", diff2, true)
}

// part3 is the book's two part 3 cells, which differ in the reduction of target
// and non-target (mean2 or diff2) and the line at 0 under the differences.
func part3(desc [][3][3][2]float64, name string, reduce func([2]float64) float64, zeroLine bool) (*pyplot.Figure, error) {
	nLayers := len(desc)
	if nLayers == 0 {
		return nil, errorf("%s: desc has no layers", name)
	}

	fig, axs := pyplot.Subplots(1, 3, 12, 3)
	feature := []string{"Arithmetic mean", "L1 mean", "Variance"}
	for i, ax := range axs[0] {
		if zeroLine {
			ax.AxHLine(0, pyplot.LineOpts{LineStyle: "--", LineWidth: .5, Color: pyplot.RGB(.7, .7, .7)})
		}
		ax.Plot(nil, overLayers(desc, 0, i, reduce), "gs-", pyplot.LineOpts{MarkerFaceColor: pyplot.RGBA(.7, .9, .7, .7), Label: "Q"})
		ax.Plot(nil, overLayers(desc, 1, i, reduce), "ro-", pyplot.LineOpts{MarkerFaceColor: pyplot.RGBA(.9, .7, .7, .7), Label: "K"})
		ax.Plot(nil, overLayers(desc, 2, i, reduce), "b^-", pyplot.LineOpts{MarkerFaceColor: pyplot.RGBA(.7, .7, .9, .7), Label: "V"})
		ax.Legend()
		ax.Set(pyplot.AxesOpts{XLabel: "Transformer layer", XTicks: LayerTicks(nLayers, 4), Title: feature[i]})
	}
	return fig, nil
}

// overLayers returns reduce(desc[l][m][i]) for every layer l: the book's
// descriptives[:, m, i, :].mean(dim=-1) (mean2) or .diff(dim=-1) (diff2).
func overLayers(desc [][3][3][2]float64, m, i int, reduce func([2]float64) float64) []float64 {
	ys := make([]float64, len(desc))
	for l := range desc {
		ys[l] = reduce(desc[l][m][i])
	}
	return ys
}

// mean2 is the mean of target and non-target.
func mean2(v [2]float64) float64 { return (v[0] + v[1]) / 2 }

// diff2 is non-target minus target.
func diff2(v [2]float64) float64 { return v[1] - v[0] }

// LayerTicks returns the ticks of a layer axis: range(0, n_layers, every) as the
// book writes them, or every layer when that would show fewer than two ticks (a
// model of every layers or fewer).
func LayerTicks(nLayers, every int) []float64 {
	if t := pyplot.Range(0, nLayers, every); len(t) >= 2 {
		return t
	}
	return pyplot.Range(0, nLayers, 1)
}
