package checkpoint

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Config is the part of a HuggingFace GPT-2 config.json that fixes the
// model's shapes and arithmetic.
type Config struct {
	NLayers    int // n_layer: transformer blocks
	NEmb       int // n_embd: E, the width of the residual stream
	NHeads     int // n_head: attention heads; E/NHeads is the head dimension
	NPositions int // n_positions (or n_ctx): the longest context
	VocabSize  int // vocab_size
	// LayerNormEps is layer_norm_epsilon, default 1e-5.
	LayerNormEps float64
	// Activation is activation_function; only "gelu_new" (GPT-2's
	// tanh-approximated GELU, the default) is supported.
	Activation string
}

// HeadDim returns the width of one attention head, NEmb/NHeads.
func (c Config) HeadDim() int {
	if c.NHeads == 0 {
		return 0
	}
	return c.NEmb / c.NHeads
}

// String gives the shape-defining numbers, as errors quote them.
func (c Config) String() string {
	return fmt.Sprintf("n_layer %d, n_embd %d, n_head %d, n_positions %d, vocab_size %d", c.NLayers, c.NEmb, c.NHeads, c.NPositions, c.VocabSize)
}

// Validate reports a config that cannot describe a GPT-2: a size that is not
// positive, n_embd not divisible by n_head, a non-positive epsilon, or an
// activation other than gelu_new.
func (c Config) Validate() error {
	var errs []string
	for _, f := range []struct {
		name string
		v    int
	}{{"n_layer", c.NLayers}, {"n_embd", c.NEmb}, {"n_head", c.NHeads}, {"n_positions", c.NPositions}, {"vocab_size", c.VocabSize}} {
		if f.v <= 0 {
			errs = append(errs, fmt.Sprintf("%s is %d, it must be positive", f.name, f.v))
		}
	}
	if c.NEmb > 0 && c.NHeads > 0 && c.NEmb%c.NHeads != 0 {
		errs = append(errs, fmt.Sprintf("n_embd %d is not divisible by n_head %d", c.NEmb, c.NHeads))
	}
	if !(c.LayerNormEps > 0) {
		errs = append(errs, fmt.Sprintf("layer_norm_epsilon is %g, it must be positive", c.LayerNormEps))
	}
	if c.Activation != "gelu_new" {
		errs = append(errs, fmt.Sprintf("activation_function %q is not supported (only gelu_new, GPT-2's)", c.Activation))
	}
	if errs != nil {
		return errors.New("checkpoint: invalid GPT-2 config: " + strings.Join(errs, "; "))
	}
	return nil
}

// configJSON is what ReadConfig reads of config.json; pointers tell absent
// fields from zeros.
type configJSON struct {
	ModelType                  string   `json:"model_type"`
	NLayers                    *int     `json:"n_layer"`
	NEmb                       *int     `json:"n_embd"`
	NHeads                     *int     `json:"n_head"`
	NPositions                 *int     `json:"n_positions"`
	NCtx                       *int     `json:"n_ctx"`
	VocabSize                  *int     `json:"vocab_size"`
	LayerNormEps               *float64 `json:"layer_norm_epsilon"`
	Activation                 *string  `json:"activation_function"`
	NInner                     *int     `json:"n_inner"`
	ScaleAttnWeights           *bool    `json:"scale_attn_weights"`
	ScaleAttnByInverseLayerIdx bool     `json:"scale_attn_by_inverse_layer_idx"`
}

// ReadConfig reads a HuggingFace GPT-2 config.json and validates it.
// n_positions falls back to n_ctx; layer_norm_epsilon defaults to 1e-5 and
// activation_function to gelu_new, as in transformers' GPT2Config. Variants
// this package cannot run (another model_type, n_inner other than 4·n_embd,
// unscaled or layer-scaled attention) are errors.
func ReadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("checkpoint: reading the config: %w", err)
	}
	cfg, err := parseConfig(b)
	if err != nil {
		return Config{}, fmt.Errorf("checkpoint: %s: %w", path, err)
	}
	return cfg, nil
}

func parseConfig(b []byte) (Config, error) {
	var j configJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return Config{}, fmt.Errorf("not a valid config.json (%v): re-download it", err)
	}
	if j.ModelType != "" && j.ModelType != "gpt2" {
		return Config{}, fmt.Errorf("model_type is %q, not gpt2: this package reads GPT-2 checkpoints only", j.ModelType)
	}
	if j.NPositions == nil {
		j.NPositions = j.NCtx
	}
	var missing []string
	get := func(name string, p *int) int {
		if p == nil {
			missing = append(missing, name)
			return 0
		}
		return *p
	}
	cfg := Config{
		NLayers:      get("n_layer", j.NLayers),
		NEmb:         get("n_embd", j.NEmb),
		NHeads:       get("n_head", j.NHeads),
		NPositions:   get("n_positions (or n_ctx)", j.NPositions),
		VocabSize:    get("vocab_size", j.VocabSize),
		LayerNormEps: 1e-5,
		Activation:   "gelu_new",
	}
	if missing != nil {
		return Config{}, fmt.Errorf("config.json lacks %s: is it a GPT-2 config?", strings.Join(missing, ", "))
	}
	if j.LayerNormEps != nil {
		cfg.LayerNormEps = *j.LayerNormEps
	}
	if j.Activation != nil {
		cfg.Activation = *j.Activation
	}
	if j.NInner != nil && *j.NInner != 4*cfg.NEmb {
		return Config{}, fmt.Errorf("n_inner %d is not supported (only 4·n_embd = %d)", *j.NInner, 4*cfg.NEmb)
	}
	if j.ScaleAttnWeights != nil && !*j.ScaleAttnWeights {
		return Config{}, fmt.Errorf("scale_attn_weights false is not supported")
	}
	if j.ScaleAttnByInverseLayerIdx {
		return Config{}, fmt.Errorf("scale_attn_by_inverse_layer_idx true is not supported")
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// configFile is the config.json that WriteRandom writes: HuggingFace's
// GPT2Config fields for a GPT2LMHeadModel.
type configFile struct {
	Activation       string   `json:"activation_function"`
	Architectures    []string `json:"architectures"`
	InitializerRange float32  `json:"initializer_range"`
	LayerNormEps     float64  `json:"layer_norm_epsilon"`
	ModelType        string   `json:"model_type"`
	NCtx             int      `json:"n_ctx"`
	NEmb             int      `json:"n_embd"`
	NHeads           int      `json:"n_head"`
	NLayers          int      `json:"n_layer"`
	NPositions       int      `json:"n_positions"`
	VocabSize        int      `json:"vocab_size"`
}

// TensorSpec names a weight and its shape.
type TensorSpec struct {
	Name  string
	Shape []int
}

// TensorSpecs returns every weight a GPT-2 of this config has, with its
// shape, in file order: wte, wpe, each block's twelve, ln_f.
func (c Config) TensorSpecs() []TensorSpec {
	e := c.NEmb
	specs := []TensorSpec{{"wte.weight", []int{c.VocabSize, e}}, {"wpe.weight", []int{c.NPositions, e}}}
	for i := range c.NLayers {
		p := fmt.Sprintf("h.%d.", i)
		specs = append(specs,
			TensorSpec{p + "ln_1.weight", []int{e}},
			TensorSpec{p + "ln_1.bias", []int{e}},
			TensorSpec{p + "attn.c_attn.weight", []int{e, 3 * e}},
			TensorSpec{p + "attn.c_attn.bias", []int{3 * e}},
			TensorSpec{p + "attn.c_proj.weight", []int{e, e}},
			TensorSpec{p + "attn.c_proj.bias", []int{e}},
			TensorSpec{p + "ln_2.weight", []int{e}},
			TensorSpec{p + "ln_2.bias", []int{e}},
			TensorSpec{p + "mlp.c_fc.weight", []int{e, 4 * e}},
			TensorSpec{p + "mlp.c_fc.bias", []int{4 * e}},
			TensorSpec{p + "mlp.c_proj.weight", []int{4 * e, e}},
			TensorSpec{p + "mlp.c_proj.bias", []int{e}},
		)
	}
	return append(specs, TensorSpec{"ln_f.weight", []int{e}}, TensorSpec{"ln_f.bias", []int{e}})
}
