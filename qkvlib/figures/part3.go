package figures

// Part3a draws ch6_proj34_part3a: for each descriptive (arithmetic mean, L1 mean,
// variance) a panel of the average of target and non-target per layer, Q, K, V
// as green squares, red circles and blue triangles with light marker faces; x
// ticks every 4 layers (every layer for 4 layers or fewer); 12×3 inches.
//
// desc: [n_layers][3 (Q, K, V)][3 (mean, L1 mean, variance)][2 (target, non-target)].
func Part3a(desc [][3][3][2]float64) (*Figure, error) {
	nLayers := len(desc)
	if nLayers == 0 {
		return nil, errorf("Part3a: desc has no layers")
	}
	fig, axs := Subplots(1, 3, 12, 3)
	feature := []string{"Arithmetic mean", "L1 mean", "Variance"}
	for i, ax := range axs[0] {
		ax.Plot(nil, overLayers(desc, 0, i, mean2), "gs-", Line{MarkerFaceColor: RGBA(.7, .9, .7, .7), Label: "Q"})
		ax.Plot(nil, overLayers(desc, 1, i, mean2), "ro-", Line{MarkerFaceColor: RGBA(.9, .7, .7, .7), Label: "K"})
		ax.Plot(nil, overLayers(desc, 2, i, mean2), "b^-", Line{MarkerFaceColor: RGBA(.7, .7, .9, .7), Label: "V"})
		ax.Legend()
		ax.Set(Props{XLabel: "Transformer layer", XTicks: LayerTicks(nLayers, 4), Title: feature[i]})
	}
	return fig, nil
}

// Part3b draws ch6_proj34_part3b: as Part3a with non-target minus target, over a
// thin dashed grey line at 0.
//
// desc: [n_layers][3 (Q, K, V)][3 (mean, L1 mean, variance)][2 (target, non-target)].
func Part3b(desc [][3][3][2]float64) (*Figure, error) {
	nLayers := len(desc)
	if nLayers == 0 {
		return nil, errorf("Part3b: desc has no layers")
	}
	fig, axs := Subplots(1, 3, 12, 3)
	feature := []string{"Arithmetic mean", "L1 mean", "Variance"}
	for i, ax := range axs[0] {
		ax.AxHLine(0, Line{LineStyle: "--", LineWidth: .5, Color: RGB(.7, .7, .7)})
		ax.Plot(nil, overLayers(desc, 0, i, diff2), "gs-", Line{MarkerFaceColor: RGBA(.7, .9, .7, .7), Label: "Q"})
		ax.Plot(nil, overLayers(desc, 1, i, diff2), "ro-", Line{MarkerFaceColor: RGBA(.9, .7, .7, .7), Label: "K"})
		ax.Plot(nil, overLayers(desc, 2, i, diff2), "b^-", Line{MarkerFaceColor: RGBA(.7, .7, .9, .7), Label: "V"})
		ax.Legend()
		ax.Set(Props{XLabel: "Transformer layer", XTicks: LayerTicks(nLayers, 4), Title: feature[i]})
	}
	return fig, nil
}

// overLayers returns f(desc[l][m][i]) for every layer l: the book's
// descriptives[:, m, i, :].mean(dim=-1) (f mean2) or .diff(dim=-1) (f diff2).
func overLayers(desc [][3][3][2]float64, m, i int, f func([2]float64) float64) []float64 {
	ys := make([]float64, len(desc))
	for l := range desc {
		ys[l] = f(desc[l][m][i])
	}
	return ys
}

// mean2 is the mean of target and non-target.
func mean2(v [2]float64) float64 { return (v[0] + v[1]) / 2 }

// diff2 is non-target minus target.
func diff2(v [2]float64) float64 { return v[1] - v[0] }
