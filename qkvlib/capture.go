package qkvlib

import (
	"context"
	"fmt"
	"time"

	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/gpt2"
	"github.com/qkvport/qkv/qkvlib/store"
)

// Capture is the book's forward hooks and model(batch): unless the store
// already holds acts (same model revision, batch and layers), it loads GPT-2
// (only then are the weights read), runs it over acts.Batch and stores the
// c_attn output of each of acts.Layers. Progress and timings go to
// opt.LogWriter(); opt.Backend and opt.BatchSize choose how the forward runs.
func Capture(ctx context.Context, acts *chapter.Activations, opt Options) error {
	_, err := capture(ctx, acts, opt, nil)
	return err
}

// capture is Capture that also hands every layer chunk, once written, to
// also (if not nil), on the goroutine that writes them; ran says whether
// GPT-2 ran (false: the store already held acts, and also got nothing).
func capture(ctx context.Context, acts *chapter.Activations, opt Options, also func(gpt2.LayerChunk) error) (ran bool, err error) {
	log := opt.LogWriter()
	if acts.Stored() {
		fmt.Fprintf(log, "Activations for %d sequences × %d layers read from the store %s\n", len(acts.Batch), len(acts.Layers), acts.Dir())
		return false, nil
	}
	if len(acts.Batch) == 0 {
		return false, fmt.Errorf("qkvlib: capture: the batch is empty")
	}
	root, err := acts.Root()
	if err != nil {
		return false, err
	}
	start := time.Now()
	m, err := loadModel(ctx, acts.Model, opt)
	if err != nil {
		return false, err
	}
	defer m.Close()
	cfg, T := acts.Model.Config, len(acts.Batch[0])
	meta := store.Meta{Model: acts.Model.Name, Revision: acts.Model.Revision, TextSHA256: acts.TextSHA256,
		TargetWord: acts.TargetWord, TargetID: acts.Batch[0][T-1], Context: T - 1,
		N: len(acts.Batch), T: T, E: cfg.NEmb, NLayers: cfg.NLayers, NHeads: cfg.NHeads, Layers: acts.Layers, Tokens: acts.Batch}
	w, err := store.Create(root, acts.Key(), meta)
	if err != nil {
		return false, err
	}
	defer w.Abort() // no-op after Commit
	p := NewProgress(log, "GPT-2 forward")
	err = m.CaptureLayers(acts.Batch, gpt2.CaptureOptions{BatchSize: opt.Chunk(), Progress: p.Update, Layers: acts.Layers}, func(lc gpt2.LayerChunk) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		lw, err := w.Layer(lc.Layer)
		if err != nil {
			return err
		}
		if err := lw.Write(lc.QKV); err != nil || also == nil {
			return err
		}
		return also(lc)
	})
	p.Done()
	if err != nil {
		return true, fmt.Errorf("qkvlib: capture: %w", err)
	}
	if err := w.Commit(); err != nil {
		return true, err
	}
	fmt.Fprintf(log, "Captured %d layers of [%d, %d, %d] in %s\n", len(acts.Layers), len(acts.Batch), T, 3*cfg.NEmb, time.Since(start).Round(time.Millisecond))
	return true, nil
}

// loadModel loads model on opt's backend and says so on opt.LogWriter().
func loadModel(ctx context.Context, model *chapter.Model, opt Options) (*gpt2.Model, error) {
	backend, err := backendFor(opt)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	m, err := loadCheckpoint(model.Dir, model.Name, backend) // the snapshot chapter.OpenModel resolved
	if err != nil {
		return nil, err
	}
	c, log := model.Config, opt.LogWriter()
	fmt.Fprintf(log, "Opened %s (%d layers, n_embd %d) on %s in %s; the blocks' weights load while the forward runs\n", model.Name, c.NLayers, c.NEmb, BackendLabel(backend), time.Since(start).Round(time.Millisecond))
	if h := SpeedHint(backend); h != "" && 12*c.NLayers*c.NEmb*c.NEmb >= 200_000_000 { // GPT-2 medium and larger
		fmt.Fprintln(log, h)
	}
	return m, nil
}
