package figures

import (
	"fmt"

	"github.com/qkvport/qkv/qkvlib/pyplot"
)

// Part2a draws ch6_proj34_part2a: grouped bars of three descriptives of Q
// (arithmetic mean, L1 mean, variance), target at x-0.2 and non-target at x+0.2,
// width 0.5, black edges, matplotlib's first two cycle colours; 8×3 inches.
//
// target, nontarget: [3] (mean, L1 mean, variance).
func Part2a(target, nontarget [3]float64) (*pyplot.Figure, error) {
	qMeansT, qMeansN := target[:], nontarget[:]

	fig := pyplot.NewFigure(8, 3)
	ax := fig.Gca()
	ax.Bar([]float64{-.2, .8, 1.8}, qMeansT, pyplot.BarOpts{Width: .5, EdgeColor: pyplot.Named("k"), Label: "Target"})
	ax.Bar([]float64{.2, 1.2, 2.2}, qMeansN, pyplot.BarOpts{Width: .5, EdgeColor: pyplot.Named("k"), Label: "Non-target"})
	ax.Legend()
	ax.Set(pyplot.AxesOpts{XTicks: pyplot.Range(0, 3, 1), XTickLabels: []string{"Arithmetic mean", "L1 mean", "Variance"},
		YLabel: "Descriptive values"})
	return fig, nil
}

// Part2b draws ch6_proj34_part2b: density histograms of Q (black), K (green) and
// V (red) at the target (solid) and non-target (dashed) positions of one layer,
// plotted against the left bin edges, x range [edges[0], edges[last]]; 10×3 inches.
//
// edges: [bins+1]; ytQ, ynQ, ytK, ynK, ytV, ynV: [bins] densities (t target,
// n non-target); layer: the layer named in the title.
func Part2b(edges []float64, ytQ, ynQ, ytK, ynK, ytV, ynV []float64, layer int) (*pyplot.Figure, error) {
	if len(edges) < 2 {
		return nil, errorf("Part2b: need at least 2 edges, got %d", len(edges))
	}
	bins := len(edges) - 1
	names := [6]string{"Q target", "Q nontarget", "K target", "K nontarget", "V target", "V nontarget"}
	for i, y := range [6][]float64{ytQ, ynQ, ytK, ynK, ytV, ynV} {
		if len(y) != bins {
			return nil, errorf("Part2b: %s has %d densities, want len(edges)-1 = %d", names[i], len(y), bins)
		}
	}
	x := edges[:bins]

	fig := pyplot.NewFigure(10, 3)
	ax := fig.Gca()
	ax.Plot(x, ytQ, "k", pyplot.LineOpts{Label: "Q target"})
	ax.Plot(x, ynQ, "k--", pyplot.LineOpts{Label: "Q nontarget"})
	ax.Plot(x, ytK, "g", pyplot.LineOpts{Label: "K target"})
	ax.Plot(x, ynK, "g--", pyplot.LineOpts{Label: "K nontarget"})
	ax.Plot(x, ytV, "r", pyplot.LineOpts{Label: "V target"})
	ax.Plot(x, ynV, "r--", pyplot.LineOpts{Label: "V nontarget"})
	ax.Legend()
	ax.Set(pyplot.AxesOpts{XLim: []float64{edges[0], edges[bins]}, XLabel: "Activation value", YLabel: "Density",
		Title: fmt.Sprintf("Attention matrices distributions from layer %d", layer)})
	return fig, nil
}
