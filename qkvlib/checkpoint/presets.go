package checkpoint

import (
	"fmt"
	"strings"
)

func preset(layers, embd, heads int) Config {
	return Config{NLayers: layers, NEmb: embd, NHeads: heads, NPositions: 1024, VocabSize: 50257, LayerNormEps: 1e-5, Activation: "gelu_new"}
}

// GPT2 returns the config of gpt2 (124M): 12 layers, n_embd 768, 12 heads.
func GPT2() Config { return preset(12, 768, 12) }

// GPT2Medium returns the config of gpt2-medium (355M): 24 layers, n_embd 1024, 16 heads.
func GPT2Medium() Config { return preset(24, 1024, 16) }

// GPT2Large returns the config of gpt2-large (774M): 36 layers, n_embd 1280, 20 heads.
func GPT2Large() Config { return preset(36, 1280, 20) }

// GPT2XL returns the config of gpt2-xl (1.5B): 48 layers, n_embd 1600, 25 heads.
func GPT2XL() Config { return preset(48, 1600, 25) }

// Preset returns the config of a GPT-2 size by its HuggingFace repo id:
// gpt2, gpt2-medium, gpt2-large or gpt2-xl, with or without the
// "openai-community/" prefix. All have vocab_size 50257 and n_positions 1024.
func Preset(name string) (Config, error) {
	switch strings.TrimPrefix(name, "openai-community/") {
	case "gpt2":
		return GPT2(), nil
	case "gpt2-medium":
		return GPT2Medium(), nil
	case "gpt2-large":
		return GPT2Large(), nil
	case "gpt2-xl":
		return GPT2XL(), nil
	}
	return Config{}, fmt.Errorf("checkpoint: no preset named %q (known: gpt2, gpt2-medium, gpt2-large, gpt2-xl)", name)
}
