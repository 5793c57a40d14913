// Command qkv runs the "QKV activation characteristics" chapter headless:
// GPT-2's fused Q|K|V projections at a target word, their statistics and the
// chapter's eight figures, and Part 6's paired tests. It also tokenizes text, captures activations into
// numpy .npz files, writes random GPT-2 checkpoints for tests and benchmarks,
// and times the forward pass.
//
// Usage:
//
//	qkv run       [-model gpt2-large] [-tokenizer gpt2] [-text URL|FILE] [-target " like"] [-context 50] [-layer 6] [-out DIR] [-stream]
//	qkv capture   -model M -tokens FILE.json -out FILE.npz [-layers 0,6,35] [-logits] [-batch N]
//	qkv tokenize  -text FILE|URL [-tokenizer gpt2] [-out FILE.json]
//	qkv randmodel -out DIR [-config gpt2-large] [-layers N] [-dtype F32|F16|BF16]
//	qkv bench     -model M [-tokens FILE.json | -n 114 -t 51] [-repeat R]
//
// Build it with GOEXPERIMENT=simd for the go backend's SIMD kernels.
// "qkv <command> -h" lists a command's flags. QKV_CPUPROFILE=FILE writes a
// CPU profile of the command to FILE, for go tool pprof.
package main
