#!/usr/bin/env bash
# GPU check: on a machine with an NVIDIA GPU and a
# CUDA PJRT plugin (e.g. pip's jax-cuda13-pjrt), capture the chapter-shaped
# batch [114, 51] on a random gpt2-large-shaped checkpoint with the xla:cuda
# backend, time it, and compare layers 0, 6 and 35 with the go backend (CPU).
#
# usage: scripts/gpu-check.sh [QKV_BINARY]    (default: builds ./cmd/qkv)
# env:   PJRT_CUDA_PLUGIN=/path/to/pjrt plugin .so (default: found in the jax plugin package)
#        WORK=/tmp/qkv-gpu (checkpoint, tokens and outputs)
set -euo pipefail
cd "$(dirname "$0")/.."
qkv=${1:-}
if [ -z "$qkv" ]; then
  GOEXPERIMENT=simd go build -o /tmp/qkv-gpu-bin ./cmd/qkv
  qkv=/tmp/qkv-gpu-bin
fi
work=${WORK:-/tmp/qkv-gpu}
mkdir -p "$work"
py=$(command -v python3)

plugin=${PJRT_CUDA_PLUGIN:-}
if [ -z "$plugin" ]; then
  plugin=$("$py" - <<'PY'
import glob, importlib.util, os
for name in ("jax_plugins.xla_cuda13", "jax_plugins.xla_cuda12"):
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        spec = None
    if spec and spec.submodule_search_locations:
        for d in spec.submodule_search_locations:
            for f in glob.glob(os.path.join(d, "*.so")):
                print(f); raise SystemExit
PY
)
fi
[ -n "$plugin" ] || { echo "no CUDA PJRT plugin found: pip install jax-cuda13-pjrt, or set PJRT_CUDA_PLUGIN"; exit 1; }
echo "CUDA PJRT plugin: $plugin"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true

[ -f "$work/model/model.safetensors" ] || "$qkv" randmodel -config gpt2-large -scale 0.02 -out "$work/model"
"$py" -c "
import json, random
random.seed(34)
json.dump([[random.randrange(50257) for _ in range(51)] for _ in range(114)], open('$work/tokens.json', 'w'))"

echo "== xla:cuda"
time GOMLX_BACKEND="xla:$plugin,tf32=false" "$qkv" capture -model "$work/model" -tokens "$work/tokens.json" -batch 114 -layers 0,6,35 -out "$work/cuda.npz"
echo "== go backend (CPU)"
time GOMLX_BACKEND=go "$qkv" capture -model "$work/model" -tokens "$work/tokens.json" -layers 0,6,35 -out "$work/cpu.npz"

"$py" - "$work" <<'PY'
import sys, numpy as np
w = sys.argv[1]
a, b = np.load(w + "/cuda.npz"), np.load(w + "/cpu.npz")
worst = 0.0
for k in ("attn_0_qkv", "attn_6_qkv", "attn_35_qkv"):
    d = float(np.abs(a[k].astype(np.float64) - b[k]).max())
    worst = max(worst, d)
    print("%s: max |cuda - cpu| = %.3g (values up to %.3g)" % (k, d, float(np.abs(b[k]).max())))
print("PASS" if worst <= 1e-3 else "FAIL: differences above 1e-3")
sys.exit(0 if worst <= 1e-3 else 1)
PY
