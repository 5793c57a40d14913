package qkvlib

import (
	"context"
	"fmt"
	"time"

	"github.com/qkvport/qkv/qkvlib/gpt2"
	"github.com/qkvport/qkv/qkvlib/stats"
)

// FigureData is what the figures need of the layer beyond Results: small
// enough to keep while streaming.
type FigureData struct {
	// TargetRows is the layer's c_attn output at the target of every sequence
	// (part 1's matrix): [N, 3·E].
	TargetRows []float32
	// Seq0Q is sequence 0's Q at the layer (part 5a): [T, E].
	Seq0Q   []float32
	N, T, E int
}

// figureDataOf copies what the figures need from layer x: [N, T, 3·E].
func figureDataOf(x stats.QKV, into *FigureData, start int) {
	if into.TargetRows == nil {
		into.E, into.T = x.E, x.T
	}
	for n := range x.N {
		into.TargetRows = append(into.TargetRows, x.Row(n, x.T-1)...)
	}
	if start == 0 && into.Seq0Q == nil {
		for t := range x.T {
			into.Seq0Q = append(into.Seq0Q, x.Row(0, t)[:x.E]...)
		}
	}
	into.N += x.N
}

// FigureDataOf returns the figures' data of layer `layer` from stored activations.
func (c *Chapter) FigureDataOf(acts *Activations, layer int) (*FigureData, error) {
	x, err := acts.Layer(layer)
	if err != nil {
		return nil, err
	}
	s := &FigureData{}
	figureDataOf(x, s, 0)
	return s, nil
}

// addChunk adds a captured layer chunk to the statistics a and, for the
// figures' layer, copies what the figures need of it into fd.
func (c *Chapter) addChunk(a *analysis, fd *FigureData, layer int, lc gpt2.LayerChunk) error {
	x, err := stats.NewQKV(lc.QKV, lc.N, lc.T, c.NEmb)
	if err != nil {
		return err
	}
	if lc.Layer == layer {
		figureDataOf(x, fd, lc.Start)
	}
	return a.add(lc.Layer, x)
}

// CaptureResults is Capture, then Results and FigureDataOf of layer. When
// GPT-2 has to run, the statistics are computed from each chunk as it is
// captured, beside writing it to the store (as Stream does), instead of
// reading the layers back afterwards: the same numbers, without the second
// pass over the activations. acts is open on the store either way.
func (c *Chapter) CaptureResults(ctx context.Context, layer int) (acts *Activations, r *Results, fd *FigureData, err error) {
	a, err := newAnalysis(c.NLayers, c.NHeads, layer, c.part4Edges(), c.Part6)
	if err != nil {
		return nil, nil, nil, err
	}
	fd = &FigureData{}
	ran, err := capture(ctx, c.acts, c.Options, func(lc gpt2.LayerChunk) error {
		return c.addChunk(a, fd, layer, lc)
	})
	if err != nil {
		return nil, nil, nil, err
	}
	if acts, err = c.Activations(); err != nil {
		return nil, nil, nil, err
	}
	if !ran {
		r, err = c.Results(acts, layer)
		if err == nil {
			fd, err = c.FigureDataOf(acts, layer)
		}
	} else {
		res := c.header()
		r, err = &res, a.fill(&res)
	}
	if err != nil {
		acts.Close()
		return nil, nil, nil, err
	}
	return acts, r, fd, nil
}

// Stream runs GPT-2 over the batch and computes the Results chunk by chunk,
// keeping no activations beyond the layer of the chunk in flight, so that any
// number of windows fits in memory: the weights, one chunk's hidden state and
// one of its layers, and part 1's [N, 3·E] target rows. The numbers equal
// Results on stored activations.
func (c *Chapter) Stream(ctx context.Context, layer int) (*Results, *FigureData, error) {
	a, err := newAnalysis(c.NLayers, c.NHeads, layer, c.part4Edges(), c.Part6)
	if err != nil {
		return nil, nil, err
	}
	start := time.Now()
	m, err := loadModel(ctx, c.model, c.Options)
	if err != nil {
		return nil, nil, err
	}
	defer m.Close()
	snap := &FigureData{}
	p := NewProgress(c.LogWriter(), "GPT-2 forward (streaming)")
	err = m.CaptureLayers(c.Batch, gpt2.CaptureOptions{BatchSize: c.Chunk(), Progress: p.Update}, func(lc gpt2.LayerChunk) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return c.addChunk(a, snap, layer, lc)
	})
	p.Done()
	if err != nil {
		return nil, nil, fmt.Errorf("qkvlib: streaming capture: %w", err)
	}
	fmt.Fprintf(c.LogWriter(), "Forward and statistics over %d sequences in %s\n", len(c.Batch), time.Since(start).Round(time.Millisecond))
	r := c.header()
	if err := a.fill(&r); err != nil {
		return nil, nil, err
	}
	return &r, snap, nil
}
