#!/usr/bin/env bash
# browser-check.sh opens the chapter's notebook in JupyterLab 4 (or Notebook 7: the
# versions that scripts/setup-jupyter.sh --lab pins) in headless Chromium and uses it as a reader
# does, on a random GPT-2 checkpoint with the real tokenizer and text: Run All;
# another target_word typed into its cell, then Run Selected Cell and All Below;
# the layer slider moved by mouse and by arrow keys; the slider's cell run again
# and the next cell right after it. It checks what the page shows (no error
# output, no ✗ line, no figure wider than its output area, no output that scrolls
# sideways, the new count and changed figures, the slider's value and redrawn
# images, the arrow keys not moving the cell selection, the kernel free within
# 1 s of the slider showing) and times each step: notebooks/browser/check.mjs.
# Screenshots and report.json go to OUTDIR, printed at the end; exit status 1
# when a check fails.
#
# --exercise opens the exercise notebook instead and works it as a learner:
# the set-up cells and the n_emb cell run unfilled (its "fill in the blank"
# line), its blanks typed in right (✓), target_word typed in wrong as "like"
# (the check's ✗ line that " like" and "like" are different tokens), then
# fixed (✓), a hint uncommented and run, then every cell below, top to
# bottom, each step's answers typed in first (each step must print ✓):
# exercise-unfilled.png, exercise-right.png, exercise-wrong.png,
# exercise-fixed.png, exercise-hint.png, exercise-last.png and
# report.json's exercise, with each run's time.
#
#   scripts/browser-check.sh [--ui lab|notebook7] [--notebook NAME.ipynb] [--layers N] [--word WORD]
#                            [--exercise] [--out OUTDIR] [--keep] [-- CHECK_FLAGS]
#
#   --ui        lab (default): JupyterLab; notebook7: Notebook 7, from the same venv
#   --notebook  a notebook in notebooks/ (default ch6_proj34_qkv_activations.ipynb)
#   --layers    layers of the random gpt2-shaped model (default 12)
#   --word      the word typed over target_word's " like" (default Daisy)
#   --exercise  the exercise pass, on ch6_proj34_qkv_activations_exercise.ipynb
#               (unless --notebook names another)
#   --out       OUTDIR (default $OUT, else ${TMPDIR:-/tmp}/qkv-browser-check);
#               its old *.png and report.json are removed first
#   --keep      keep the work folder (model, store, notebook copy, jupyter.log)
#   -- ...      flags for check.mjs: --figures N, --no-edit, --no-slider
#
# Needs: JupyterLab and Notebook 7 in the venv of scripts/setup-jupyter.sh --lab
# ($QKV_JUPYTER_VENV, default ~/.local/share/qkv-jupyterlab), GoNB, Debian's
# chromium (or $CHROMIUM), node + npm (npm ci installs puppeteer-core into
# notebooks/browser), and the real data in ../shared/data (or QKV_TOKENIZER and
# QKV_TEXT set). QKV_BROWSER_TIMEOUT_MS bounds each run (default 20 minutes).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ui=lab nbname= exercise=0 layers=12 word=Daisy out=${OUT:-${TMPDIR:-/tmp}/qkv-browser-check} keep=0 check_flags=()
while [ $# -gt 0 ]; do
  case "$1" in
    --ui) ui=$2; shift ;;
    --notebook) nbname=$2; shift ;;
    --layers) layers=$2; shift ;;
    --word) word=$2; shift ;;
    --exercise) exercise=1 ;;
    --out) out=$2; shift ;;
    --keep) keep=1 ;;
    --) shift; check_flags=("$@"); break ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "browser-check: unknown flag $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$exercise" = 1 ]; then
  nbname=${nbname:-ch6_proj34_qkv_activations_exercise.ipynb} check_flags=(--exercise "${check_flags[@]}")
fi
nbname=${nbname:-ch6_proj34_qkv_activations.ipynb}

# The UI: its package and pinned version (setup-jupyter.sh's), its command and the notebook's page.
case "$ui" in
  lab) pkg=jupyterlab pin=JUPYTERLAB_VERSION app=lab page=lab/tree ;;
  notebook7) pkg=notebook pin=NOTEBOOK_VERSION app=notebook page=notebooks ;;
  *) echo "browser-check: --ui is lab or notebook7, not $ui" >&2; exit 2 ;;
esac
version=$(sed -n "s/^$pin=\([^ ]*\).*/\1/p" "$repo/scripts/setup-jupyter.sh")
venv=${QKV_JUPYTER_VENV:-$HOME/.local/share/qkv-jupyterlab}
have=$("$venv/bin/python" -c "import $pkg; print($pkg.__version__)" 2>/dev/null || true)
[ "$have" = "$version" ] || {
  echo "browser-check: no $pkg $version in $venv (found: ${have:-none}): run scripts/setup-jupyter.sh --lab" >&2; exit 1; }
chromium=${CHROMIUM:-$(command -v chromium || true)}
[ -x "$chromium" ] || { echo "browser-check: no chromium (apt-get install chromium, or set CHROMIUM)" >&2; exit 1; }
for tool in node npm go curl python3; do
  command -v $tool >/dev/null || { echo "browser-check: $tool is not installed" >&2; exit 1; }
done
export PATH="$(go env GOPATH)/bin:$PATH"
command -v gonb >/dev/null || { echo "browser-check: GoNB is not installed: run scripts/setup-jupyter.sh" >&2; exit 1; }
data="$repo/../shared/data"
export QKV_TOKENIZER=${QKV_TOKENIZER:-$data/gpt2-tokenizer} QKV_TEXT=${QKV_TEXT:-$data/gatsby/pg64317.txt}
[ -e "$QKV_TOKENIZER" ] && [ -e "$QKV_TEXT" ] || { echo "browser-check: no tokenizer/text: set QKV_TOKENIZER and QKV_TEXT" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/qkv-browser.XXXXXX")
jpid=
cleanup() {
  if [ -n "$jpid" ]; then kill "$jpid" 2>/dev/null || true; wait "$jpid" 2>/dev/null || true; fi
  if [ "$keep" = 1 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
mkdir -p "$out"
rm -f "$out"/*.png "$out/report.json"

(cd "$repo/notebooks/browser" && { [ -d node_modules/puppeteer-core ] || npm ci --silent --no-audit --no-fund >/dev/null; })
echo "== the qkv command and a random GPT-2 (gpt2 shape, $layers layers) in $work"
(cd "$repo" && GOEXPERIMENT=simd go build -o "$work/qkv" ./cmd/qkv)
"$work/qkv" randmodel -out "$work/model" -config gpt2 -layers "$layers" >/dev/null
mkdir -p "$work/nb" "$work/lab-settings/@jupyterlab/apputils-extension" "$work/lab-workspaces"
cp "$repo/notebooks/$nbname" "$work/nb/"
# No news or update checks (no network here, and no toast over the notebook).
echo '{"fetchNews": "false", "checkForUpdates": false}' \
  >"$work/lab-settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"
export QKV_REPO=$repo QKV_MODEL=$work/model QKV_CACHE=$work/acts QKV_BIN=$work/qkv HF_HUB_OFFLINE=1 \
  GOMLX_BACKEND=${GOMLX_BACKEND:-go} JUPYTERLAB_SETTINGS_DIR=$work/lab-settings JUPYTERLAB_WORKSPACES_DIR=$work/lab-workspaces

root_flag=; [ "$(id -u)" = 0 ] && root_flag=--allow-root
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
echo "== jupyter $app ($pkg $version) on 127.0.0.1:$port"
(cd "$work/nb" && exec "$venv/bin/jupyter" "$app" --no-browser --ip=127.0.0.1 --port="$port" --IdentityProvider.token="$token" \
  --ServerApp.root_dir="$work/nb" --expose-app-in-browser $root_flag >"$work/jupyter.log" 2>&1) &
jpid=$!
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/api/status?token=$token" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$port/api/status?token=$token" >/dev/null || { cat "$work/jupyter.log" >&2; exit 1; }

status=0
CHROMIUM=$chromium node "$repo/notebooks/browser/check.mjs" "http://127.0.0.1:$port/$page/$nbname?token=$token" "$out" \
  --word "$word" "${check_flags[@]}" || status=$?
echo "screenshots and report.json in $out"
exit $status
