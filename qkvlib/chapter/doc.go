// Package chapter is the chapter without GPT-2's forward: its options, the
// model's configuration, the tokenizer, the text, the targets and the batch,
// the activations a capture stored, the results and Part 6.
//
// It imports neither GoMLX nor the network client, so a notebook cell that
// uses it compiles and links in a fraction of a second. The two steps that
// need them, downloading what the caches lack and running GPT-2 to capture
// the activations, go through an [Engine]: by default the qkv command, run
// as a separate process; package qkvlib provides one that runs in process.
//
//	opt, err := chapter.OptionsFromEnv()
//	ch, err := chapter.Prepare(ctx, opt)         // config, tokenizer, text, targets, batch
//	acts := ch.Activations()                     // the batch's activations, stored on disk
//	qkv, err := acts.Layer(6)                    // [N, T, 3·n_emb], memory-mapped; captured first if need be
//	res, err := ch.Results(acts, 6)              // every number of results.json
//
// Stored activations are keyed by the model's revision, the batch's tokens
// and the layers, so a changed batch (another word, another context) is
// captured again, once, and an unchanged one never is.
package chapter
