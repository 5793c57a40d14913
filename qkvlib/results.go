package qkvlib

import (
	"fmt"

	"github.com/qkvport/qkv/internal/parallel"
	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/stats"
)

// Results are the chapter's numbers, as `qkv run` writes them to results.json.
type Results struct {
	Model         string `json:"model"`
	NLayers       int    `json:"n_layers"`
	NEmb          int    `json:"n_embd"`
	NHeads        int    `json:"n_heads"`
	TargetWord    string `json:"target_word"`
	TargetID      int    `json:"target_id"`
	Context       int    `json:"context"`
	TargetsBefore int    `json:"targets_before"`
	TargetsAfter  int    `json:"targets_after"`
	Layer         int    `json:"layer"` // the layer of parts 1, 2 and 5a

	// Part 2a: Q's arithmetic mean, L1 mean and variance at the layer: [3].
	QMeansTarget    [3]float64 `json:"qmeans_target"`
	QMeansNontarget [3]float64 `json:"qmeans_nontarget"`
	// Part 2b: densities of Q, K, V at the layer: [3 Q,K,V][233 bins][2 target, non-target].
	Part2bEdges      []float64       `json:"part2b_edges"`
	Part2bHistograms [3][][2]float64 `json:"part2b_histograms"`
	// Part 3: [n_layers][3 Q,K,V][3 mean, L1, variance][2 target, non-target].
	Descriptives [][3][3][2]float64 `json:"descriptives"`
	// Part 4: [n_layers][3 Q,K,V][100 bins][2 target, non-target], over HistogramEdges.
	HistogramEdges []float64         `json:"histogram_edges"`
	Histograms     [][3][][2]float64 `json:"histograms"`
	// Part 5b: [n_layers][3 Q,K,V].
	HeadStdevs [][3]float64 `json:"head_stdevs"`
	// Part 6: paired tests of non-target − target; nil with fewer than 2 sequences.
	Part6 *Part6 `json:"part6,omitempty"`
}

// analysis computes Results from a batch's layers, fed whole or chunk by
// chunk (sequences in order): the same code serves the stored and the
// streaming paths, and chunking does not change the numbers.
type analysis struct {
	layer  int
	edges  []float64                 // part 4's
	layers []*stats.LayerAccumulator // part 3, 4, 5b, 6, one per layer
	part2b *stats.LayerAccumulator   // the layer, with part 2b's edges
	part6  stats.PairedOptions
}

func newAnalysis(nLayers, nHeads, layer int, edges []float64, part6 stats.PairedOptions) (*analysis, error) {
	if layer < 0 || layer >= nLayers {
		return nil, fmt.Errorf("qkvlib: layer %d does not exist: the model has layers 0 to %d", layer, nLayers-1)
	}
	part6, err := part6.WithDefaults()
	if err != nil {
		return nil, fmt.Errorf("qkvlib: part 6 options: %w", err)
	}
	a := &analysis{layer: layer, edges: edges, layers: make([]*stats.LayerAccumulator, nLayers), part6: part6}
	for i := range a.layers {
		if a.layers[i], err = stats.NewLayerAccumulator(edges, nHeads); err != nil {
			return nil, err
		}
	}
	if a.part2b, err = stats.NewLayerAccumulator(chapter.Part2bEdges(), nHeads); err != nil {
		return nil, err
	}
	return a, nil
}

// add accumulates sequences of layer l: [n, T, 3·E]. Calls for different
// layers may run concurrently.
func (a *analysis) add(l int, x stats.QKV) error {
	if err := a.layers[l].Add(x); err != nil {
		return fmt.Errorf("qkvlib: layer %d: %w", l, err)
	}
	if l == a.layer {
		return a.part2b.Add(x)
	}
	return nil
}

// fill writes the statistics into r.
func (a *analysis) fill(r *Results) error {
	r.Layer = a.layer
	n := len(a.layers)
	r.Descriptives = make([][3][3][2]float64, n)
	r.Histograms = make([][3][][2]float64, n)
	r.HeadStdevs = make([][3]float64, n)
	seqs := make([][][3][3][2]float64, n)
	for l, acc := range a.layers {
		s := acc.Result()
		r.Descriptives[l] = s.Descriptives
		r.Histograms[l] = s.Histograms
		r.HeadStdevs[l] = s.HeadStdev
		seqs[l] = s.Sequences
	}
	r.HistogramEdges = a.edges
	s := a.part2b.Result()
	for d := range 3 {
		r.QMeansTarget[d] = s.Descriptives[stats.Query][d][stats.Target]
		r.QMeansNontarget[d] = s.Descriptives[stats.Query][d][stats.NonTarget]
	}
	r.Part2bEdges = chapter.Part2bEdges()
	r.Part2bHistograms = s.Histograms
	var err error
	r.Part6, err = part6Of(seqs, a.part6)
	return err
}

// header fills the chapter's counts and names.
func (c *Chapter) header() Results {
	return Results{Model: c.Model, NLayers: c.NLayers, NEmb: c.NEmb, NHeads: c.NHeads,
		TargetWord: c.TargetWord, TargetID: c.TargetID, Context: c.Context,
		TargetsBefore: len(c.TargetIdxAll), TargetsAfter: len(c.TargetIdx)}
}

// Results computes the chapter's numbers from stored activations; layer is
// the layer of parts 1, 2 and 5a (the book's 6).
func (c *Chapter) Results(acts *Activations, layer int) (*Results, error) {
	a, err := newAnalysis(c.NLayers, c.NHeads, layer, c.part4Edges(), c.Part6)
	if err != nil {
		return nil, err
	}
	if _, err := acts.Meta(); err != nil { // opens the store before the goroutines share it
		return nil, err
	}
	// Layers are independent (one accumulator each), so they run side by
	// side, one layer resident per core.
	err = parallel.For(c.NLayers, func(l int) error {
		x, err := acts.Layer(l)
		if err != nil {
			return err
		}
		defer acts.Release(l)
		return a.add(l, x)
	})
	if err != nil {
		return nil, err
	}
	r := c.header()
	if err := a.fill(&r); err != nil {
		return nil, err
	}
	return &r, nil
}

// part4Edges returns HistogramEdges, or the book's part 4 edges when nil.
func (c *Chapter) part4Edges() []float64 {
	if c.HistogramEdges == nil {
		return chapter.Part4Edges()
	}
	return c.HistogramEdges
}
