package qkvlib

import (
	"context"
	"fmt"
	"time"

	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/download"
	"github.com/qkvport/qkv/qkvlib/gpt2"
	"github.com/qkvport/qkv/qkvlib/store"
)

// Engine is the chapter.Engine that runs in this process: downloads with
// the network client, captures with GPT-2 on GoMLX (Capture).
type Engine struct{}

// Fetch downloads the model's files, the tokenizer's and the text named in f.
func (Engine) Fetch(ctx context.Context, f chapter.Fetch, opt chapter.Options) error {
	h := download.Options{Offline: opt.Offline, Log: opt.LogWriter()}
	if f.Model != "" {
		if _, err := download.Resolve(ctx, f.Model, chapter.ModelFiles, h); err != nil {
			return fmt.Errorf("qkvlib: model: %w", err)
		}
	}
	if f.Tokenizer != "" {
		if _, err := download.ResolveAny(ctx, f.Tokenizer, chapter.TokenizerFiles, h); err != nil {
			return fmt.Errorf("qkvlib: tokenizer: %w", err)
		}
	}
	if f.Text != "" {
		if _, err := download.Text(ctx, f.Text, download.TextOptions{}); err != nil {
			return err
		}
	}
	return nil
}

// Capture runs GPT-2 over acts.Batch and stores acts.Layers.
func (Engine) Capture(ctx context.Context, acts *chapter.Activations) error {
	return capture(ctx, acts, nil)
}

// Capture is the book's forward hooks and model(batch) in this process:
// unless the store already holds acts (same model revision, batch and
// layers), it loads GPT-2 (only then are the weights read), runs it over
// acts.Batch and stores the c_attn output of each of acts.Layers. Progress
// and timings go to the log of acts.Options(), whose Backend and BatchSize
// choose how the forward runs.
func Capture(ctx context.Context, acts *chapter.Activations) error {
	if acts.Stored() {
		fmt.Fprintf(acts.Options().LogWriter(), "Activations for %d sequences × %d layers read from the store %s\n", len(acts.Batch), len(acts.Layers), acts.Dir())
		return nil
	}
	return capture(ctx, acts, nil)
}

// capture runs GPT-2 and stores acts, handing every layer chunk, once
// written, to also (if not nil) on the goroutine that writes them.
func capture(ctx context.Context, acts *chapter.Activations, also func(gpt2.LayerChunk) error) error {
	opt := acts.Options()
	log := opt.LogWriter()
	if len(acts.Batch) == 0 {
		return fmt.Errorf("qkvlib: capture: the batch is empty")
	}
	root, err := acts.Root()
	if err != nil {
		return err
	}
	start := time.Now()
	m, err := loadModel(ctx, acts.Model, opt)
	if err != nil {
		return err
	}
	defer m.Close()
	cfg, T := acts.Model.Config, len(acts.Batch[0])
	meta := store.Meta{Model: acts.Model.Name, Revision: acts.Model.Revision, TextSHA256: acts.TextSHA256,
		TargetWord: acts.TargetWord, TargetID: acts.Batch[0][T-1], Context: T - 1,
		N: len(acts.Batch), T: T, NEmb: cfg.NEmb, NLayers: cfg.NLayers, NHeads: cfg.NHeads, Layers: acts.Layers, Tokens: acts.Batch}
	w, err := store.Create(root, acts.Key(), meta)
	if err != nil {
		return err
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
		return fmt.Errorf("qkvlib: capture: %w", err)
	}
	if err := w.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(log, "Captured %d layers of [%d, %d, %d] in %s\n", len(acts.Layers), len(acts.Batch), T, 3*cfg.NEmb, time.Since(start).Round(time.Millisecond))
	return nil
}

// loadModel loads model on opt's backend and says so on opt.LogWriter().
func loadModel(ctx context.Context, model *chapter.Model, opt chapter.Options) (*gpt2.Model, error) {
	backend, err := backendFor(opt)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	m, err := loadCheckpoint(model.Dir, model.Name, backend) // the snapshot chapter.OpenModel found
	if err != nil {
		return nil, err
	}
	c, log := model.Config, opt.LogWriter()
	fmt.Fprintf(log, "Opened %s (%d layers, n_emb %d) on %s in %s; the blocks' weights load while the forward runs\n", model.Name, c.NLayers, c.NEmb, BackendLabel(backend), time.Since(start).Round(time.Millisecond))
	if h := SpeedHint(backend); h != "" && 12*c.NLayers*c.NEmb*c.NEmb >= 200_000_000 { // GPT-2 medium and larger
		fmt.Fprintln(log, h)
	}
	return m, nil
}
