package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

func runRandModel(ctx context.Context, args []string) error {
	fs := newFlags("randmodel", "-out DIR [-config gpt2-large] [-layers N] [-dtype F32] [-seed S] [-scale X]",
		"Writes a GPT-2 with random weights in HuggingFace layout (config.json + model.safetensors), for tests\n"+
			"and benchmarks where the real weights cannot be had. It is no language model.")
	out := fs.String("out", "", "output folder")
	preset := fs.String("config", "gpt2-large", "shape: gpt2, gpt2-medium, gpt2-large or gpt2-xl")
	layers := fs.Int("layers", 0, "number of layers (default the preset's)")
	dtype := fs.String("dtype", "F32", "stored dtype: F32, F16 or BF16")
	seed := fs.Int64("seed", 1, "random seed")
	scale := fs.Float64("scale", 0.1, "standard deviation of the weights")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return fmt.Errorf("-out is required")
	}
	cfg, err := checkpoint.Preset(*preset)
	if err != nil {
		return err
	}
	if *layers > 0 {
		cfg.NLayers = *layers
	}
	start := time.Now()
	if err := checkpoint.WriteRandom(*out, cfg, checkpoint.RandomOptions{Seed: *seed, Scale: float32(*scale), DType: *dtype}); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "Wrote a random %s-shaped GPT-2 (%s) to %s in %s\n", *preset, cfg, *out, time.Since(start).Round(time.Millisecond))
	return ctx.Err()
}
