package figures

import (
	"fmt"
	"math"
	"strings"

	"github.com/qkvport/qkv/qkvlib/paired"
	"github.com/qkvport/qkv/qkvlib/pyplot"
)

// Part6 draws ch6_proj34_part6: Part3b's three panels (arithmetic mean, L1
// mean, variance: non-target − target per layer, Q green squares, K red
// circles, V blue triangles, over a thin dashed grey line at 0), each line
// inside a translucent band of its colour spanning the bootstrap interval,
// its markers filled on layers whose adjusted p-value is below alpha and
// hollow (white) elsewhere; x ticks every 4 layers; a legend entry with a
// filled black square for "adjusted p < alpha"; 12×3 inches.
//
// tests: part 6's, [n_layers][3 (Q, K, V)][3 (mean, L1 mean, variance)].
func Part6(tests [][3][3]paired.Result, alpha float64) (*pyplot.Figure, error) {
	nLayers := len(tests)
	if nLayers == 0 {
		return nil, errorf("Part6: cells has no layers")
	}
	lines := [3]struct {
		format, label string
		band          pyplot.Color
	}{
		{"gs-", "Q", pyplot.RGBA(0, .5, 0, .18)},
		{"ro-", "K", pyplot.RGBA(1, 0, 0, .15)},
		{"b^-", "V", pyplot.RGBA(0, 0, 1, .15)},
	}
	fig, axs := pyplot.Subplots(1, 3, 12, 3)
	feature := []string{"Arithmetic mean", "L1 mean", "Variance"}
	layers := pyplot.Range(0, nLayers, 1)
	for k, ax := range axs[0] {
		ax.AxHLine(0, pyplot.LineOpts{LineStyle: "--", LineWidth: .5, Color: pyplot.RGB(.7, .7, .7)})
		for m, l := range lines { // bands under every line
			_, lo, hi, _ := part6Column(tests, alpha, m, k)
			ax.FillBetween(layers, lo, hi, pyplot.FillOpts{Color: l.band})
		}
		for m, l := range lines {
			diff, _, _, sig := part6Column(tests, alpha, m, k)
			ax.Plot(layers, diff, l.format, pyplot.LineOpts{MarkerFaceColor: pyplot.RGB(1, 1, 1), Label: l.label})
			ax.Plot(layers, sig, l.format[:2], pyplot.LineOpts{LineStyle: "none"})
		}
		ax.Plot([]float64{}, []float64{}, "ks", pyplot.LineOpts{LineStyle: "none", Label: fmt.Sprintf("adjusted p < %s", strings.TrimPrefix(fmt.Sprint(alpha), "0"))})
		ax.Legend()
		ax.Set(pyplot.AxesOpts{XLabel: "Transformer layer", XTicks: LayerTicks(nLayers, 4), Title: feature[k]})
	}
	axs[0][0].Set(pyplot.AxesOpts{YLabel: "Non-target − target"})
	return fig, nil
}

// part6Column returns matrix m's and descriptive k's differences, interval
// ends, and the differences of the layers significant at alpha only (NaN
// elsewhere), over the layers: [n_layers] each.
func part6Column(tests [][3][3]paired.Result, alpha float64, m, k int) (diff, lo, hi, sig []float64) {
	n := len(tests)
	diff, lo, hi, sig = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for l := range tests {
		c := tests[l][m][k]
		diff[l], lo[l], hi[l], sig[l] = c.Diff, c.CILo, c.CIHi, math.NaN()
		if c.PBH < alpha {
			sig[l] = c.Diff
		}
	}
	return diff, lo, hi, sig
}
