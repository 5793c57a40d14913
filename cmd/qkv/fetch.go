package main

import (
	"context"
	"fmt"
	"os"

	"github.com/qkvport/qkv/qkvlib"
	"github.com/qkvport/qkv/qkvlib/chapter"
)

func runFetch(ctx context.Context, args []string) error {
	fs := newFlags("fetch", "[-model gpt2-large] [-tokenizer gpt2] [-text URL] [-xla-cpu]",
		"Downloads what the caches lack: a model's config.json and model.safetensors and a tokenizer into the\n"+
			"HuggingFace cache (Python's layout), a text into qkv's text cache. Run it on a connected machine to\n"+
			"prepare an offline one; the notebook's cells run it when a cache lacks something.")
	var f chapter.Fetch
	fs.StringVar(&f.Model, "model", "", "a HuggingFace repo id of a GPT-2 checkpoint (gpt2, gpt2-medium, gpt2-large, gpt2-xl)")
	fs.StringVar(&f.Tokenizer, "tokenizer", "", "a HuggingFace repo id of a GPT-2 tokenizer (gpt2)")
	fs.StringVar(&f.Text, "text", "", "an http(s) URL of a UTF-8 text")
	xlaCPU := fs.Bool("xla-cpu", false, "install XLA's CPU plugin into ~/.local/lib/go-xla (as the first run without -backend does)")
	offline := fs.Bool("offline", false, "never use the network: only check that the caches hold them (also HF_HUB_OFFLINE=1)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if f == (chapter.Fetch{}) && !*xlaCPU {
		fs.Usage()
		return fmt.Errorf("name at least one of -model, -tokenizer, -text and -xla-cpu")
	}
	if *xlaCPU {
		if _, err := qkvlib.InstallXLACPU(os.Stderr); err != nil {
			return fmt.Errorf("installing XLA's CPU plugin: %w", err)
		}
	}
	if f == (chapter.Fetch{}) {
		return nil
	}
	return qkvlib.Engine{}.Fetch(ctx, f, chapter.Options{Offline: *offline})
}
