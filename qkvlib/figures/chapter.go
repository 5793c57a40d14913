package figures

import (
	"fmt"

	"github.com/qkvport/qkv/internal/parallel"
	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/describe"
	"github.com/qkvport/qkv/qkvlib/pyplot"
)

// Named is one of the chapter's figures and its file name (no extension).
type Named struct {
	Name   string // e.g. "ch6_proj34_part1"
	Figure *pyplot.Figure
}

// Chapter draws the chapter's figures from its numbers and the figures'
// layer data: the book's eight in its order, then Part 6's (when r has it).
func Chapter(r *chapter.Results, fd *chapter.FigureData) ([]Named, error) {
	h := r.Part2bHistograms
	column := func(m, pos int) []float64 { // one position's densities of matrix m: [bins]
		out := make([]float64, len(h[m]))
		for i, v := range h[m] {
			out[i] = v[pos]
		}
		return out
	}
	t, n := describe.Target, describe.NonTarget
	draws := []struct {
		name string
		draw func() (*pyplot.Figure, error)
	}{
		{"ch6_proj34_part1", func() (*pyplot.Figure, error) { return Part1(fd.TargetRows, fd.N, fd.NEmb) }},
		{"ch6_proj34_part2a", func() (*pyplot.Figure, error) { return Part2a(r.QMeansTarget, r.QMeansNontarget) }},
		{"ch6_proj34_part2b", func() (*pyplot.Figure, error) {
			return Part2b(r.Part2bEdges, column(0, t), column(0, n), column(1, t), column(1, n), column(2, t), column(2, n), r.Layer)
		}},
		{"ch6_proj34_part3a", func() (*pyplot.Figure, error) { return Part3a(r.Descriptives) }},
		{"ch6_proj34_part3b", func() (*pyplot.Figure, error) { return Part3b(r.Descriptives) }},
		{"ch6_proj34_part4", func() (*pyplot.Figure, error) { return Part4(r.Histograms, r.HistogramEdges) }},
		{"ch6_proj34_part5a", func() (*pyplot.Figure, error) { return Part5a(fd.Seq0Q, fd.T, r.NHeads, r.NEmb/r.NHeads) }},
		{"ch6_proj34_part5b", func() (*pyplot.Figure, error) { return Part5b(r.HeadStdevs) }},
		{"ch6_proj34_part6", func() (*pyplot.Figure, error) {
			if r.Part6 == nil {
				return nil, nil // fewer than 2 sequences: no paired tests
			}
			return Part6(r.Part6.Tests, chapter.Part6Alpha)
		}},
	}
	out := make([]Named, 0, len(draws))
	for _, d := range draws {
		f, err := d.draw()
		if err != nil {
			return nil, fmt.Errorf("figures: %s: %w", d.name, err)
		}
		if f != nil {
			out = append(out, Named{d.name, f})
		}
	}
	return out, nil
}

// Save writes each figure into dir as NAME.png and NAME.svg (see
// pyplot.Figure.Save), rendering several at once on the machine's cores.
// dir must exist.
func Save(dir string, figs []Named) error {
	return parallel.For(len(figs), func(i int) error {
		_, err := figs[i].Figure.Save(dir, figs[i].Name)
		return err
	})
}
