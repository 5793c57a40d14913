package chapter

import (
	"fmt"

	"github.com/qkvport/qkv/internal/parallel"
	"github.com/qkvport/qkv/qkvlib/describe"
	"github.com/qkvport/qkv/qkvlib/paired"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// Results are the chapter's numbers, as `qkv run` writes them to results.json.
type Results struct {
	Model         string `json:"model"`
	NLayers       int    `json:"n_layers"`
	NEmb          int    `json:"n_emb"`
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

// Analysis computes Results from a batch's layers, fed whole or chunk by
// chunk (sequences in order): the same code serves the stored, the capturing
// and the streaming paths, and chunking does not change the numbers.
type Analysis struct {
	layer  int
	edges  []float64         // part 4's
	layers []*describe.Layer // parts 3, 4, 5b and 6, one per layer
	part2b *describe.Layer   // the layer, with part 2b's edges
	part6  paired.Options
}

// NewAnalysis returns an empty Analysis of a model with nLayers layers of
// nHeads heads; layer is the layer of parts 1, 2 and 5a, edges part 4's.
func NewAnalysis(nLayers, nHeads, layer int, edges []float64, part6 paired.Options) (*Analysis, error) {
	if layer < 0 || layer >= nLayers {
		return nil, fmt.Errorf("chapter: layer %d does not exist: the model has layers 0 to %d", layer, nLayers-1)
	}
	part6, err := part6.WithDefaults()
	if err != nil {
		return nil, fmt.Errorf("chapter: part 6 options: %w", err)
	}
	a := &Analysis{layer: layer, edges: edges, layers: make([]*describe.Layer, nLayers), part6: part6}
	for i := range a.layers {
		if a.layers[i], err = describe.NewLayer(edges, nHeads); err != nil {
			return nil, err
		}
	}
	if a.part2b, err = describe.NewLayer(Part2bEdges(), nHeads); err != nil {
		return nil, err
	}
	return a, nil
}

// Add accumulates sequences of layer l: [n, T, 3·n_emb]. Calls for
// different layers may run concurrently.
func (a *Analysis) Add(l int, x tensor.Tensor3) error {
	if err := a.layers[l].Add(x); err != nil {
		return fmt.Errorf("chapter: layer %d: %w", l, err)
	}
	if l == a.layer {
		return a.part2b.Add(x)
	}
	return nil
}

// Fill writes the statistics into r.
func (a *Analysis) Fill(r *Results) error {
	r.Layer = a.layer
	n := len(a.layers)
	r.Descriptives = make([][3][3][2]float64, n)
	r.Histograms = make([][3][][2]float64, n)
	r.HeadStdevs = make([][3]float64, n)
	seqs := make([][][3][3][2]float64, n)
	for l, acc := range a.layers {
		s := acc.Result()
		r.Descriptives[l], r.Histograms[l], r.HeadStdevs[l], seqs[l] = s.Descriptives, s.Histograms, s.HeadStdev, s.Sequences
	}
	r.HistogramEdges = a.edges
	s := a.part2b.Result()
	for d := range 3 {
		r.QMeansTarget[d] = s.Descriptives[describe.Query][d][describe.Target]
		r.QMeansNontarget[d] = s.Descriptives[describe.Query][d][describe.NonTarget]
	}
	r.Part2bEdges = Part2bEdges()
	r.Part2bHistograms = s.Histograms
	var err error
	r.Part6, err = part6Of(seqs, a.part6)
	return err
}

// Header returns the Results' counts and names, without the statistics.
func (c *Chapter) Header() Results {
	cfg := c.Model.Config
	return Results{Model: c.Options.Model, NLayers: cfg.NLayers, NEmb: cfg.NEmb, NHeads: cfg.NHeads,
		TargetWord: c.Target, TargetID: c.TargetID, Context: c.Context,
		TargetsBefore: len(c.TargetIdxAll), TargetsAfter: len(c.TargetIdx)}
}

// NewAnalysis returns an empty Analysis of c's model and options.
func (c *Chapter) NewAnalysis(layer int) (*Analysis, error) {
	return NewAnalysis(c.Model.Config.NLayers, c.Model.Config.NHeads, layer, c.Part4Edges(), c.Part6)
}

// Results computes the chapter's numbers from the activations of every
// layer (captured first if the store lacks them); layer is the layer of
// parts 1, 2 and 5a (the book's 6). The layers are read side by side, one
// per core.
func (c *Chapter) Results(acts *Activations, layer int) (*Results, error) {
	a, err := c.NewAnalysis(layer)
	if err != nil {
		return nil, err
	}
	if _, err := acts.Layer(acts.Layers[0]); err != nil { // captures, if need be, before the goroutines share acts
		return nil, err
	}
	err = parallel.For(c.Model.Config.NLayers, func(l int) error {
		x, err := acts.Layer(l)
		if err != nil {
			return err
		}
		defer acts.Release(l)
		return a.Add(l, x)
	})
	if err != nil {
		return nil, err
	}
	r := c.Header()
	if err := a.Fill(&r); err != nil {
		return nil, err
	}
	return &r, nil
}
