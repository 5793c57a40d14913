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
// float32 with the rational tanh XLA uses: the backend's own GELU evaluates
// math.Tanh in float64 element by element, about a sixth of the forward,
// where this takes under 1%. Other backends and builds run the whole block
// as one graph. The two differ by float32 rounding at most.
//
// The model is stated once, in forward.go: embed, block (nanoGPT's
// Block.forward, h += attn(ln_1(h)); h += mlp(ln_2(h)), over the block's
// named parameters) and lmHead, the graphs made of them (buildExecs) and
// Model.forward, which runs one chunk through them. gelu.go is the host
// GELU, the one optimisation: it cuts block's graph in two at its MLP
// activation, without another text of the block. load.go copies the
// weights; schedule.go runs chunks' forwards side by side and hands their
// outputs, in order, to the caller's callback on a goroutine of its own
// (handover.go), so that writing or summing a layer overlaps the next
// blocks' compute.
package gpt2
