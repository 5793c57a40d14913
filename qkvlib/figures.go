package qkvlib

import (
	"fmt"

	"github.com/qkvport/qkv/internal/parallel"
	"github.com/qkvport/qkv/qkvlib/figures"
	"github.com/qkvport/qkv/qkvlib/pyplot"
	"github.com/qkvport/qkv/qkvlib/stats"
)

// NamedFigure is one of the chapter's figures and its file name (no extension).
type NamedFigure struct {
	Name   string // e.g. "ch6_proj34_part1"
	Figure *pyplot.Figure
}

// Column returns one position's densities from histograms: [bins][2] → [bins].
func Column(h [][2]float64, pos int) []float64 {
	out := make([]float64, len(h))
	for i, v := range h {
		out[i] = v[pos]
	}
	return out
}

// Figures draws the chapter's figures from its numbers and the layer's figure
// data: the book's eight in its order, then Part 6's (when r has it).
func Figures(r *Results, fd *FigureData) ([]NamedFigure, error) {
	h := r.Part2bHistograms
	t, n := stats.Target, stats.NonTarget
	draws := []struct {
		name string
		draw func() (*pyplot.Figure, error)
	}{
		{"ch6_proj34_part1", func() (*pyplot.Figure, error) { return figures.Part1(fd.TargetRows, fd.N, fd.E) }},
		{"ch6_proj34_part2a", func() (*pyplot.Figure, error) { return figures.Part2a(r.QMeansTarget, r.QMeansNontarget) }},
		{"ch6_proj34_part2b", func() (*pyplot.Figure, error) {
			return figures.Part2b(r.Part2bEdges, Column(h[0], t), Column(h[0], n), Column(h[1], t), Column(h[1], n),
				Column(h[2], t), Column(h[2], n), r.Layer)
		}},
		{"ch6_proj34_part3a", func() (*pyplot.Figure, error) { return figures.Part3a(r.Descriptives) }},
		{"ch6_proj34_part3b", func() (*pyplot.Figure, error) { return figures.Part3b(r.Descriptives) }},
		{"ch6_proj34_part4", func() (*pyplot.Figure, error) { return figures.Part4(r.Histograms, r.HistogramEdges) }},
		{"ch6_proj34_part5a", func() (*pyplot.Figure, error) {
			return figures.Part5a(fd.Seq0Q, fd.T, r.NHeads, r.NEmb/r.NHeads)
		}},
		{"ch6_proj34_part5b", func() (*pyplot.Figure, error) { return figures.Part5b(r.HeadStdevs) }},
		{"ch6_proj34_part6", func() (*pyplot.Figure, error) {
			if r.Part6 == nil {
				return nil, nil // fewer than 2 sequences: no paired tests
			}
			return figures.Part6(r.Part6.FigureCells(Part6Alpha))
		}},
	}
	out := make([]NamedFigure, 0, len(draws))
	for _, d := range draws {
		f, err := d.draw()
		if err != nil {
			return nil, fmt.Errorf("qkvlib: figure %s: %w", d.name, err)
		}
		if f != nil {
			out = append(out, NamedFigure{d.name, f})
		}
	}
	return out, nil
}

// SaveFigures writes each figure into dir as NAME.png and NAME.svg (see
// figures.Figure.Save), rendering several at once on the machine's cores.
// dir must exist.
func SaveFigures(dir string, figs []NamedFigure) error {
	return parallel.For(len(figs), func(i int) error {
		return figs[i].Figure.Save(dir, figs[i].Name)
	})
}
