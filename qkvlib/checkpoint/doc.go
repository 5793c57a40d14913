// Package checkpoint reads a GPT-2 checkpoint in HuggingFace's layout: a
// config.json and a model.safetensors, memory-mapped so that a 3 GB model is
// never copied whole into memory. WriteRandom writes a checkpoint of random
// weights in the same layout, for tests and benchmarks.
//
// Tensors are named as in HuggingFace's GPT2Model, without the
// "transformer." prefix that GPT2LMHeadModel files add (both are accepted):
//
//	wte.weight               [vocab, E]
//	wpe.weight               [n_positions, E]
//	h.{i}.ln_1.weight|bias   [E]
//	h.{i}.attn.c_attn.weight [E, 3E]   (Conv1D: x·W, not x·Wᵀ) and .bias [3E]
//	h.{i}.attn.c_proj.weight [E, E]    and .bias [E]
//	h.{i}.ln_2.weight|bias   [E]
//	h.{i}.mlp.c_fc.weight    [E, 4E]   and .bias [4E]
//	h.{i}.mlp.c_proj.weight  [4E, E]   and .bias [E]
//	ln_f.weight|bias         [E]
//
// with E = n_embd. lm_head.weight (tied to wte) and the attention mask
// buffers h.{i}.attn.bias and h.{i}.attn.masked_bias that older files carry
// are not weights and are ignored. Float32 tensors are views of the mapping;
// float16 and bfloat16 tensors are converted to float32 when asked for.
package checkpoint
