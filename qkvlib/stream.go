package qkvlib

import (
	"context"
	"fmt"
	"time"

	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/gpt2"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// addChunk adds a captured layer chunk to the statistics a and, for the
// figures' layer, copies what the figures need of it into fd.
func addChunk(a *chapter.Analysis, fd *chapter.FigureData, layer int, lc gpt2.LayerChunk) error {
	x, err := tensor.New(lc.QKV, lc.N, lc.T, len(lc.QKV)/(lc.N*lc.T))
	if err != nil {
		return err
	}
	if lc.Layer == layer {
		fd.Add(x, lc.Start)
	}
	return a.Add(lc.Layer, x)
}

// CaptureResults is ch.Activations' capture, then ch.Results and
// chapter.FigureDataOf of layer. When GPT-2 has to run, the statistics are
// computed from each chunk as it is captured, beside writing it to the store
// (as Stream does), instead of reading the layers back afterwards: the same
// numbers, without the second pass over the activations. acts is open on the
// store either way.
func CaptureResults(ctx context.Context, ch *chapter.Chapter, layer int) (acts *chapter.Activations, r *chapter.Results, fd *chapter.FigureData, err error) {
	a, err := ch.NewAnalysis(layer)
	if err != nil {
		return nil, nil, nil, err
	}
	acts = ch.Activations()
	fd = &chapter.FigureData{}
	if acts.Stored() {
		fmt.Fprintf(ch.LogWriter(), "Activations for %d sequences × %d layers read from the store %s\n", len(acts.Batch), len(acts.Layers), acts.Dir())
		r, err = ch.Results(acts, layer)
		if err == nil {
			fd, err = chapter.FigureDataOf(acts, layer)
		}
	} else {
		err = capture(ctx, acts, func(lc gpt2.LayerChunk) error { return addChunk(a, fd, layer, lc) })
		if err == nil {
			res := ch.Header()
			r, err = &res, a.Fill(&res)
		}
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
// one of its layers, and part 1's [N, 3·n_emb] target rows. The numbers equal
// Results on stored activations.
func Stream(ctx context.Context, ch *chapter.Chapter, layer int) (*chapter.Results, *chapter.FigureData, error) {
	a, err := ch.NewAnalysis(layer)
	if err != nil {
		return nil, nil, err
	}
	start := time.Now()
	m, err := loadModel(ctx, ch.Model, ch.Options)
	if err != nil {
		return nil, nil, err
	}
	defer m.Close()
	fd := &chapter.FigureData{}
	p := NewProgress(ch.LogWriter(), "GPT-2 forward (streaming)")
	err = m.CaptureLayers(ch.Batch, gpt2.CaptureOptions{BatchSize: ch.Chunk(), Progress: p.Update}, func(lc gpt2.LayerChunk) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return addChunk(a, fd, layer, lc)
	})
	p.Done()
	if err != nil {
		return nil, nil, fmt.Errorf("qkvlib: streaming capture: %w", err)
	}
	fmt.Fprintf(ch.LogWriter(), "Forward and statistics over %d sequences in %s\n", len(ch.Batch), time.Since(start).Round(time.Millisecond))
	r := ch.Header()
	if err := a.Fill(&r); err != nil {
		return nil, nil, err
	}
	return &r, fd, nil
}
