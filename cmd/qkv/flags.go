package main

import (
	"flag"

	"github.com/qkvport/qkv/qkvlib/chapter"
)

// The flags that several commands share, defined once so their help agrees.

// modelFlag defines -model: a repo id or a checkpoint folder.
func modelFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "model", *p, "GPT-2 checkpoint: a HuggingFace repo id (gpt2, gpt2-medium, gpt2-large, gpt2-xl) or a folder with config.json + model.safetensors")
}

// tokenizerFlag defines -tokenizer: a repo id or a folder.
func tokenizerFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "tokenizer", *p, "tokenizer: a HuggingFace repo id or a folder with vocab.json + merges.txt (or tokenizer.json)")
}

// textFlag defines -text: a URL or a file.
func textFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "text", *p, "text: an http(s) URL (downloaded once, cached) or a UTF-8 file")
}

// backendFlag defines -backend.
func backendFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "backend", *p, "GoMLX backend: go, xla:cpu, xla:cuda or xla:/path/to/plugin.so (default $GOMLX_BACKEND, else an installed XLA plugin, else XLA's CPU plugin installed once, else go)")
}

// batchFlag defines -batch, the forward's chunk size.
func batchFlag(fs *flag.FlagSet, p *int) {
	if *p == 0 {
		*p = chapter.DefaultBatchSize
	}
	fs.IntVar(p, "batch", *p, "most sequences per forward chunk; two chunks run side by side (results do not depend on it; 0 = all at once)")
}
