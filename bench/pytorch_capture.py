#!/usr/bin/env python3
"""Times the book's capture in PyTorch: the Python original of `qkv bench`.

Usage: pytorch_capture.py MODEL_DIR TOKENS.json [--threads N] [--repeat R]
                          [--base] [--json OUT] [--save FILE.npz --save-layer L]

Does what the chapter's notebook does (seeds/ch6_proj34_exercise.txt, "implant_hook"):
loads MODEL_DIR (HF layout: config.json + model.safetensors) with
transformers.GPT2LMHeadModel.from_pretrained, model.eval(), registers a forward
hook on every block's attn.c_attn that keeps activations[f'attn_{i}_qkv'] =
output.detach(), and runs `with torch.no_grad(): model(batch)` on the whole
[N, T] batch of TOKENS.json ([[id, ...], ...]) at once. --base loads GPT2Model
instead (no LM head). Prints, and writes as JSON, the same fields as
`qkv bench -json`: load and forward wall time, tokens/s, GFLOP/s (same formula),
peak RSS (resource.getrusage ru_maxrss). --save writes layer L's c_attn output
of the first run, float32 [N, T, 3E], as attn_{L}_qkv into an .npz.
"""
import argparse
import json
import os
import resource
import sys
import time

# Never reach the network: the checkpoint is a local folder.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402


def peak_rss_mib():
    """Peak resident memory of this process (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def forward_flops(e, v, n, t, full_blocks, qkv_only_blocks, lm_head):
    """Matrix-product FLOPs of a GPT-2 forward, as cmd/qkv/bench.go counts them:
    per token, 24·E² + 4·t·E per full block (c_attn, attn.c_proj, c_fc,
    mlp.c_proj at 2·params; q·kᵀ and softmax·v over all t keys), 6·E² per block
    stopped after c_attn, 2·V·E for the LM head; times n·t tokens."""
    per_token = full_blocks * (24 * e * e + 4 * t * e) + qkv_only_blocks * 6 * e * e
    if lm_head:
        per_token += 2 * v * e
    return n * t * per_token


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model_dir")
    ap.add_argument("tokens")
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (default: torch's own)")
    ap.add_argument("--repeat", type=int, default=1, help="timed forwards (default 1)")
    ap.add_argument("--base", action="store_true", help="GPT2Model (no LM head) instead of GPT2LMHeadModel")
    ap.add_argument("--json", help="write the report to this file")
    ap.add_argument("--save", help="write the --save-layer c_attn output to this .npz")
    ap.add_argument("--save-layer", type=int, default=6)
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)

    with open(a.tokens) as f:
        batch = torch.tensor(json.load(f), dtype=torch.long)

    t0 = time.perf_counter()
    cls = transformers.GPT2Model if a.base else transformers.GPT2LMHeadModel
    model, info = cls.from_pretrained(a.model_dir, output_loading_info=True)
    model.eval()
    load_s = time.perf_counter() - t0
    load_peak = peak_rss_mib()
    bad = {k: v for k, v in info.items() if v}
    if bad:
        sys.exit(f"pytorch_capture: {a.model_dir} did not load cleanly: {bad}")
    cfg = model.config
    blocks = model.h if a.base else model.transformer.h
    print(f"Loaded {a.model_dir} ({cls.__name__}, {cfg.n_layer} layers, n_embd {cfg.n_embd}) in {load_s:.1f}s, "
          f"peak RSS {load_peak:.0f} MiB", file=sys.stderr)

    # The book's hooks.
    activations = {}

    def implant_hook(layer_number):
        def hook(module, input, output):
            activations[f'attn_{layer_number}_qkv'] = output.detach()
        return hook

    handles = [blocks[i].attn.c_attn.register_forward_hook(implant_hook(i)) for i in range(cfg.n_layer)]

    n, t = batch.shape
    runs, saved = [], None
    for run in range(a.repeat):
        activations.clear()
        t0 = time.perf_counter()
        with torch.no_grad():
            model(batch)
        el = time.perf_counter() - t0
        runs.append(el)
        print(f"run {run + 1}: {el:.2f}s", file=sys.stderr)
        if run == 0 and a.save:
            name = f"attn_{a.save_layer}_qkv"
            if name not in activations:
                sys.exit(f"pytorch_capture: --save-layer {a.save_layer}: the model has layers 0 to {cfg.n_layer - 1}")
            saved = activations[name].numpy().astype(np.float32)
    kept_bytes = sum(x.numel() * x.element_size() for x in activations.values())
    for h in handles:
        h.remove()

    flop = forward_flops(cfg.n_embd, cfg.vocab_size, n, t, cfg.n_layer, 0, not a.base)
    r = {
        "impl": "pytorch", "backend": f"torch {torch.__version__}, transformers {transformers.__version__}",
        "model": a.model_dir, "n_layer": cfg.n_layer, "n_embd": cfg.n_embd, "n_head": cfg.n_head,
        "vocab_size": cfg.vocab_size, "n": n, "t": t, "chunk": n, "lanes": 1, "threads": torch.get_num_threads(),
        "layers": list(range(cfg.n_layer)), "keep": True, "kept_bytes": kept_bytes,
        "full_blocks": cfg.n_layer, "qkv_only_blocks": 0, "lm_head": not a.base,
        "load_s": load_s, "runs_s": runs, "wall_s": runs[0], "best_s": min(runs),
        "tokens_per_s": n * t / runs[0], "gflop": flop / 1e9, "gflop_per_s": flop / 1e9 / runs[0],
        "best_gflop_per_s": flop / 1e9 / min(runs),
        "load_peak_rss_mib": load_peak, "peak_rss_mib": peak_rss_mib(),
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", ""),
    }
    print(f"pytorch ({r['backend']}, {r['threads']} threads): [{n}, {t}] at once, {cfg.n_layer} layers captured")
    print(f"  load      {load_s:8.2f} s")
    print(f"  forward   {runs[0]:8.2f} s (run 1)" + (f", best {min(runs):.2f} s" if len(runs) > 1 else ""))
    print(f"  tokens/s  {r['tokens_per_s']:8.1f}")
    print(f"  GFLOP/s   {r['gflop_per_s']:8.2f} ({r['gflop']:.1f} GFLOP per forward)")
    print(f"  peak RSS  {r['peak_rss_mib']:8.0f} MiB (after load {load_peak:.0f} MiB; activations kept {kept_bytes / 2**20:.0f} MiB)")
    if a.save:
        np.savez(a.save, **{f"attn_{a.save_layer}_qkv": saved})
    if a.json:
        with open(a.json, "w") as f:
            json.dump(r, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
