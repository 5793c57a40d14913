package qkvlib

import (
	"context"
	"fmt"

	"github.com/gomlx/compute"
	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
	"github.com/qkvport/qkv/qkvlib/download"
	"github.com/qkvport/qkv/qkvlib/gpt2"
)

// LoadModel loads the GPT-2 checkpoint named by a local folder or a
// HuggingFace repo id onto backend (see NewBackend), from the HuggingFace cache
// first, downloading what is missing. It returns once the embeddings are on
// the backend; the blocks' parameters follow on a goroutine
// (gpt2.NewBackground), so a forward started at once overlaps the reading of
// the checkpoint. Model.Wait waits for them all. The file is memory-mapped
// while its tensors are copied to the backend, so the weights are held once.
func LoadModel(ctx context.Context, name string, backend compute.Backend, opt download.Options) (*gpt2.Model, error) {
	snap, err := download.Resolve(ctx, name, chapter.ModelFiles, opt)
	if err != nil {
		return nil, fmt.Errorf("qkvlib: model: %w", err)
	}
	return loadCheckpoint(snap.Dir, name, backend)
}

// loadCheckpoint loads the checkpoint folder dir (config.json +
// model.safetensors) onto backend as LoadModel does; name is how errors
// call it.
func loadCheckpoint(dir, name string, backend compute.Backend) (*gpt2.Model, error) {
	w, err := checkpoint.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("qkvlib: model %s: %w", name, err)
	}
	m, err := gpt2.NewBackground(backend, w, func() { _ = w.Close() })
	if err != nil {
		return nil, fmt.Errorf("qkvlib: model %s: %w", name, err)
	}
	return m, nil
}
