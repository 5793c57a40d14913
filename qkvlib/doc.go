// Package qkvlib is the Go port of project [34] "QKV activation
// characteristics" of Mike X Cohen's book "50 ML projects to understand LLMs":
// one call per step of the chapter, for the notebook and the qkv command.
//
// The data takes one road:
//
//	text ─► tokens ─► targets + batch [N, context+1] ─► GPT-2 with capture ─► store ─► statistics ─► figures
//	corpus   bpe       corpus                            gpt2                  store     stats         figures
//
// Prepare resolves the model (HuggingFace cache first), the tokenizer and the
// text, and builds the batch, without reading GPT-2's weights; Capture runs
// GPT-2 once and stores every layer's c_attn output ("attn_{i}_qkv",
// [N, T, 3·n_embd]) on disk, where Activations reopens it memory-mapped;
// Results and Figures compute the chapter's numbers and draw its eight
// figures, and Part 6's paired tests of non-target − target and their figure.
// CaptureResults does both, computing the numbers from each chunk as it is
// stored when GPT-2 runs (what `qkv run` does); Stream computes the same
// numbers chunk by chunk without storing anything.
//
//	ch, err := qkvlib.Prepare(ctx, qkvlib.BookOptions())
//	acts, err := ch.Capture(ctx)
//	res, err := ch.Results(acts, 6)
//
// The steps that do not run GPT-2 (options, the model's configuration, the
// tokenizer, the stored activations) live in qkvlib/chapter, which does not
// import GoMLX: the notebook's cells use it and link fast; only its capture
// cell calls Capture, the book's forward hooks and model(batch).
//
// Backends: NewBackend honours $GOMLX_BACKEND, else uses an installed XLA
// plugin, else GoMLX's pure Go backend (build with GOEXPERIMENT=simd).
package qkvlib
