#!/usr/bin/env bash
# browser-check.sh runs a notebook in Jupyter Notebook, in headless Chromium, as a
# reader would (Run All), on a random GPT-2 checkpoint with the real tokenizer and
# text, and checks what the page shows: no output scrolls sideways, no figure is
# wider than its output area, no error output; with --slider it also moves the
# first slider and times the redraw. Screenshots and report.json go to OUTDIR.
#
#   scripts/browser-check.sh [--notebook NAME.ipynb] [--layers N] [--slider] [--out OUTDIR]
#
# Needs: Debian's chromium and jupyter-notebook, node + npm (puppeteer-core is
# installed into notebooks/browser), GoNB (scripts/setup-jupyter.sh), and the real
# data in ../shared/data (or QKV_TOKENIZER and QKV_TEXT set).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
nbname=ch6_proj34_qkv_activations.ipynb layers=12 slider= out=
while [ $# -gt 0 ]; do
  case "$1" in
    --notebook) nbname=$2; shift ;;
    --layers) layers=$2; shift ;;
    --slider) slider=--slider ;;
    --out) out=$2; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "browser-check: unknown flag $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for tool in chromium jupyter node npm go; do
  command -v $tool >/dev/null || { echo "browser-check: $tool is not installed (apt-get install chromium jupyter-notebook nodejs npm)" >&2; exit 1; }
done
export PATH="$(go env GOPATH)/bin:$PATH"
command -v gonb >/dev/null || { echo "browser-check: GoNB is not installed: run scripts/setup-jupyter.sh" >&2; exit 1; }

work=$(mktemp -d /tmp/qkv-browser.XXXXXX)
out=${out:-$work/out}
jpid=
cleanup() { [ -n "$jpid" ] && kill "$jpid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

(cd "$repo/notebooks/browser" && [ -d node_modules/puppeteer-core ] || npm install --silent --no-audit --no-fund >/dev/null)
data="$repo/../shared/data"
export QKV_TOKENIZER=${QKV_TOKENIZER:-$data/gpt2-tokenizer} QKV_TEXT=${QKV_TEXT:-$data/gatsby/pg64317.txt}
[ -e "$QKV_TOKENIZER" ] && [ -e "$QKV_TEXT" ] || { echo "browser-check: no tokenizer/text: set QKV_TOKENIZER and QKV_TEXT" >&2; exit 1; }
echo "== random GPT-2 (gpt2 shape, $layers layers) in $work/model"
(cd "$repo" && GOEXPERIMENT=simd go run ./cmd/qkv randmodel -out "$work/model" -config gpt2 -layers "$layers" >/dev/null)
mkdir -p "$work/nb"
cp "$repo/notebooks/$nbname" "$work/nb/"
export QKV_REPO=$repo QKV_MODEL=$work/model QKV_CACHE=$work/acts HF_HUB_OFFLINE=1 GOMLX_BACKEND=${GOMLX_BACKEND:-go}

root_flag=; [ "$(id -u)" = 0 ] && root_flag=--allow-root
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "== Jupyter Notebook on 127.0.0.1:$port"
(cd "$work/nb" && exec jupyter notebook --no-browser --ip=127.0.0.1 --port="$port" --NotebookApp.token='' \
  --NotebookApp.password='' $root_flag >"$work/jupyter.log" 2>&1) &
jpid=$!
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/api" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$port/api" >/dev/null || { cat "$work/jupyter.log" >&2; exit 1; }

echo "== Run All in headless Chromium"
node "$repo/notebooks/browser/check.mjs" "http://127.0.0.1:$port/notebooks/$nbname" "$out" $slider
echo "screenshots and report.json in $out"
