package checkpoint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gpt2LargeConfig is huggingface.co/openai-community/gpt2-large's config.json.
const gpt2LargeConfig = `{
  "activation_function": "gelu_new",
  "architectures": ["GPT2LMHeadModel"],
  "attn_pdrop": 0.1,
  "bos_token_id": 50256,
  "embd_pdrop": 0.1,
  "eos_token_id": 50256,
  "initializer_range": 0.02,
  "layer_norm_epsilon": 1e-05,
  "model_type": "gpt2",
  "n_ctx": 1024,
  "n_embd": 1280,
  "n_head": 20,
  "n_layer": 36,
  "n_positions": 1024,
  "resid_pdrop": 0.1,
  "summary_activation": null,
  "summary_first_dropout": 0.1,
  "summary_proj_to_labels": true,
  "summary_type": "cls_index",
  "summary_use_proj": true,
  "task_specific_params": {"text-generation": {"do_sample": true, "max_length": 50}},
  "vocab_size": 50257
}`

func TestReadConfig(t *testing.T) {
	tests := []struct {
		name string
		json string
		want Config
		err  string // part of the error; "" for success
	}{
		{name: "gpt2-large", json: gpt2LargeConfig, want: Config{36, 1280, 20, 1024, 50257, 1e-5, "gelu_new"}},
		{name: "n_ctx only, defaults", json: `{"n_layer": 2, "n_embd": 8, "n_head": 2, "n_ctx": 16, "vocab_size": 10, "n_inner": null}`,
			want: Config{2, 8, 2, 16, 10, 1e-5, "gelu_new"}},
		{name: "n_inner 4E", json: `{"n_layer": 2, "n_embd": 8, "n_head": 2, "n_positions": 16, "vocab_size": 10, "n_inner": 32, "layer_norm_epsilon": 1e-6}`,
			want: Config{2, 8, 2, 16, 10, 1e-6, "gelu_new"}},
		{name: "not JSON", json: `{"n_layer": 2,`, err: "not a valid config.json"},
		{name: "missing sizes", json: `{"n_layer": 2, "n_embd": 8}`, err: "lacks n_head, n_positions (or n_ctx), vocab_size"},
		{name: "indivisible", json: `{"n_layer": 2, "n_embd": 10, "n_head": 3, "n_positions": 16, "vocab_size": 10}`, err: "n_embd 10 is not divisible by n_head 3"},
		{name: "zero layers", json: `{"n_layer": 0, "n_embd": 8, "n_head": 2, "n_positions": 16, "vocab_size": 10}`, err: "n_layer is 0, it must be positive"},
		{name: "activation", json: `{"n_layer": 2, "n_embd": 8, "n_head": 2, "n_positions": 16, "vocab_size": 10, "activation_function": "relu"}`, err: `activation_function "relu" is not supported`},
		{name: "not gpt2", json: `{"model_type": "bert", "n_layer": 2}`, err: `model_type is "bert", not gpt2`},
		{name: "n_inner", json: `{"n_layer": 2, "n_embd": 8, "n_head": 2, "n_positions": 16, "vocab_size": 10, "n_inner": 16}`, err: "n_inner 16 is not supported"},
		{name: "layer-scaled attention", json: `{"n_layer": 2, "n_embd": 8, "n_head": 2, "n_positions": 16, "vocab_size": 10, "scale_attn_by_inverse_layer_idx": true}`, err: "scale_attn_by_inverse_layer_idx"},
		{name: "epsilon", json: `{"n_layer": 2, "n_embd": 8, "n_head": 2, "n_positions": 16, "vocab_size": 10, "layer_norm_epsilon": -1}`, err: "layer_norm_epsilon is -1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.json")
			if err := os.WriteFile(path, []byte(tc.json), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := ReadConfig(path)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), path) {
					t.Fatalf("error %v, want one naming %s and holding %q", err, path, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	if _, err := ReadConfig(filepath.Join(t.TempDir(), "absent.json")); err == nil || !strings.Contains(err.Error(), "absent.json") {
		t.Errorf("missing file: %v", err)
	}
}

// The parameter counts are those transformers' num_parameters() reports for
// the four GPT-2 sizes (lm_head tied, so not counted twice).
func TestPresets(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		headDim int
		params  int64
	}{
		{"gpt2", GPT2(), 64, 124439808},
		{"gpt2-medium", GPT2Medium(), 64, 354823168},
		{"openai-community/gpt2-large", GPT2Large(), 64, 774030080},
		{"gpt2-xl", GPT2XL(), 64, 1557611200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Preset(tc.name)
			if err != nil || cfg != tc.cfg {
				t.Fatalf("Preset = %+v, %v; want %+v", cfg, err, tc.cfg)
			}
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			if cfg.HeadDim() != tc.headDim {
				t.Fatalf("HeadDim = %d", cfg.HeadDim())
			}
			var n int64
			for _, s := range cfg.TensorSpecs() {
				c := int64(1)
				for _, d := range s.Shape {
					c *= int64(d)
				}
				n += c
			}
			if n != tc.params {
				t.Fatalf("%d parameters, want %d", n, tc.params)
			}
		})
	}
	if _, err := Preset("gpt3"); err == nil {
		t.Error("Preset(gpt3) gave no error")
	}
}
