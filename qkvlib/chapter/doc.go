// Package chapter holds the steps of the chapter that do not run GPT-2: the
// options, the model's configuration, the tokenizer, and the activations a
// capture stored on disk. It does not import GoMLX, so a notebook cell that
// uses it (and not qkvlib's capture) compiles and links in about half the
// time; the capture itself, GPT-2's forward, is qkvlib.Capture.
//
//	opt := chapter.OptionsFromEnv()
//	model, err := chapter.OpenModel(ctx, opt.Model, opt.Hub())    // config.json, no weights
//	tokenizer, err := chapter.LoadTokenizer(ctx, opt.Tokenizer, opt.Hub())
//	activations := chapter.NewActivations(model, batch, layers, opt.CacheDir)
//	// ... qkvlib.Capture(ctx, activations, opt) runs GPT-2 unless the store holds them
//	qkv, err := activations.Layer(6)                                // [N, T, 3·n_emb], memory-mapped
//
// Stored activations are keyed by the model's revision, the batch's tokens and
// the layers, so a changed batch (another word, another context) is captured
// again and an unchanged one never is.
package chapter
