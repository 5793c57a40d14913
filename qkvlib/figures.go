package qkvlib

import (
	"fmt"

	"github.com/qkvport/qkv/qkvlib/figures"
	"github.com/qkvport/qkv/qkvlib/stats"
)

// NamedFigure is one of the chapter's figures and its file name (no extension).
type NamedFigure struct {
	Name   string // e.g. "ch6_proj34_part1"
	Figure *figures.Figure
}

// Column returns one position's densities from histograms: [bins][2] → [bins].
func Column(h [][2]float64, pos int) []float64 {
	out := make([]float64, len(h))
	for i, v := range h {
		out[i] = v[pos]
	}
	return out
}

// Figures draws the chapter's eight figures from its numbers and the layer's
// figure data, in the book's order.
func Figures(r *Results, fd *FigureData) ([]NamedFigure, error) {
	var out []NamedFigure
	add := func(name string, f *figures.Figure, err error) error {
		if err != nil {
			return fmt.Errorf("qkvlib: figure %s: %w", name, err)
		}
		out = append(out, NamedFigure{name, f})
		return nil
	}
	h := r.Part2bHistograms
	t, n := stats.Target, stats.NonTarget
	steps := []func() error{
		func() error {
			f, err := figures.Part1(fd.TargetRows, fd.N, fd.E)
			return add("ch6_proj34_part1", f, err)
		},
		func() error {
			f, err := figures.Part2a(r.QMeansTarget, r.QMeansNontarget)
			return add("ch6_proj34_part2a", f, err)
		},
		func() error {
			f, err := figures.Part2b(r.Part2bEdges, Column(h[0], t), Column(h[0], n), Column(h[1], t), Column(h[1], n),
				Column(h[2], t), Column(h[2], n), r.Layer)
			return add("ch6_proj34_part2b", f, err)
		},
		func() error { f, err := figures.Part3a(r.Descriptives); return add("ch6_proj34_part3a", f, err) },
		func() error { f, err := figures.Part3b(r.Descriptives); return add("ch6_proj34_part3b", f, err) },
		func() error {
			f, err := figures.Part4(r.Histograms, r.HistogramEdges)
			return add("ch6_proj34_part4", f, err)
		},
		func() error {
			f, err := figures.Part5a(fd.Seq0Q, fd.T, r.NHeads, r.NEmbd/r.NHeads)
			return add("ch6_proj34_part5a", f, err)
		},
		func() error { f, err := figures.Part5b(r.HeadStdevs); return add("ch6_proj34_part5b", f, err) },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
