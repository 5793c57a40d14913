// Package qkvlib runs GPT-2 for the chapter: it loads the model on a GoMLX
// backend, captures every layer's c_attn output (Q|K|V) into the activation
// store, and computes the chapter's numbers as the chunks come.
//
// The rest of the chapter (options, inputs, stored activations, results,
// Part 6) is package chapter, which does not link GoMLX: the notebook's cells
// use it, and its captures run the qkv command. A Go program that links
// this package captures in process instead, with Engine:
//
//	opt := chapter.BookOptions()
//	opt.Engine = qkvlib.Engine{}
//	ch, err := chapter.Prepare(ctx, opt)
//	acts, res, fd, err := qkvlib.CaptureResults(ctx, ch, 6) // GPT-2 once; the numbers as the chunks come
//
// The data takes one road:
//
//	text ─► tokens ─► targets + batch [N, context+1] ─► GPT-2 with capture ─► store ─► statistics ─► figures
//	corpus   bpe       corpus                            gpt2                  store     describe      figures
//
// Backends: NewBackend honours $GOMLX_BACKEND, else uses an installed XLA
// plugin, else installs XLA's CPU plugin once, else GoMLX's pure Go backend
// (build with GOEXPERIMENT=simd).
package qkvlib
