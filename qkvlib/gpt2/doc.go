// Package gpt2 runs GPT-2 on GoMLX and captures each block's fused attention
// projection, c_attn: ln_1(h)·W + b, [N, T, 3·n_embd], Q | K | V in its column
// blocks. It follows HuggingFace's GPT2Model exactly (tanh-form gelu_new,
// LayerNorm epsilon from the config, causal softmax(q·kᵀ/√d), tied LM head),
// for any size (gpt2 to gpt2-xl, and odd test shapes).
//
// A Model holds the weights on a backend (New, from a *checkpoint.Weights;
// NewBackground returns once the embeddings are there and copies the blocks'
// weights on a goroutine, so that a forward started at once overlaps the
// reading of the checkpoint, waiting for a block only if it gets there first).
// CaptureChunks and CaptureLayers run token batches [N][T] in chunks of at
// most CaptureOptions.BatchSize sequences, CaptureOptions.Lanes chunks side by
// side (each on its own goroutine, block by block), one compiled graph per
// block kind, and stop after the last captured layer's c_attn unless logits
// are asked for. Results depend on the chunk sizes by float32 rounding at
// most, and not on the lanes.
//
// On the go backend built with GOEXPERIMENT=simd on an AVX-512 CPU, a block
// runs as two graphs with the MLP's gelu_new between them, computed in Go in
// float32 with the rational tanh XLA uses (gelu.go): the backend's own GELU
// evaluates math.Tanh in float64 element by element, about a sixth of the
// forward, where this takes under 1%. Other backends and builds run the
// whole block as one graph.
//
// The model is stated once: forward.go builds each unit of the graph
// (embed, qkvProjection, blockRest, lmHead) and Model.forward (model.go)
// runs them over one chunk in nanoGPT's order; load.go copies the weights;
// gelu.go is gelu_new on float32 slices. schedule.go runs those
// forwards side by side and hands their outputs, in order, to the caller's
// callback on a goroutine of its own (handover.go), so that writing or
// summing a layer overlaps the next blocks' compute.
package gpt2
