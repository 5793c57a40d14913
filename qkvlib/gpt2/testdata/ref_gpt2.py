#!/usr/bin/env python3
"""An independent GPT-2 forward in numpy (float64), the tests' reference.

Usage: ref_gpt2.py MODEL_DIR TOKENS.json OUT_DIR [--logits]

MODEL_DIR holds an HF-layout config.json + model.safetensors (F32, F16 or BF16;
names with or without "transformer."). TOKENS.json is [[id, ...], ...].
Writes OUT_DIR/attn_{i}_qkv.f64 ([N, T, 3E] c_attn outputs of every layer) and,
with --logits, OUT_DIR/logits.f64 ([N, T, V]): raw little-endian float64.
Written from the HF GPT2Model definition, sharing no code with the Go port.
"""
import json
import os
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        buf = raw[base + a:base + b]
        dt = info["dtype"]
        if dt == "F32":
            x = np.frombuffer(buf, "<f4").astype(np.float64)
        elif dt == "F16":
            x = np.frombuffer(buf, "<f2").astype(np.float64)
        elif dt == "BF16":
            u = np.frombuffer(buf, "<u2").astype(np.uint32) << 16
            x = u.view(np.float32).astype(np.float64)
        else:
            continue  # mask buffers (bool/uint8) are not weights
        if name.startswith("transformer."):
            name = name[len("transformer."):]
        out[name] = x.reshape(info["shape"])
    return out


def layer_norm(x, g, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def gelu_new(x):
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))


def main():
    model_dir, tokens_path, out_dir = sys.argv[1:4]
    want_logits = "--logits" in sys.argv[4:]
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    w = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    tok = np.array(json.load(open(tokens_path)), dtype=np.int64)
    n, t = tok.shape
    e, nh = cfg["n_embd"], cfg["n_head"]
    d = e // nh
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    h = w["wte.weight"][tok] + w["wpe.weight"][:t][None]
    causal = np.tril(np.ones((t, t), dtype=bool))
    for i in range(cfg["n_layer"]):
        p = "h.%d." % i
        x = layer_norm(h, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = x @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        qkv.astype("<f8").tofile(os.path.join(out_dir, "attn_%d_qkv.f64" % i))
        q, k, v = np.split(qkv, 3, axis=-1)
        heads = lambda z: z.reshape(n, t, nh, d).transpose(0, 2, 1, 3)
        q, k, v = heads(q), heads(k), heads(v)
        s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(d)
        s = np.where(causal, s, -np.inf)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(0, 2, 1, 3).reshape(n, t, e)
        h = h + a @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        x = layer_norm(h, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        m = gelu_new(x @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        h = h + m @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    if want_logits:
        x = layer_norm(h, w["ln_f.weight"], w["ln_f.bias"], eps)
        (x @ w["wte.weight"].T).astype("<f8").tofile(os.path.join(out_dir, "logits.f64"))


if __name__ == "__main__":
    main()
