#!/usr/bin/env bash
# Side-by-side speed/memory benchmark: the Go port against the book's PyTorch original on
# the same random GPT-2 checkpoint and the same [N, T] token batch, run one after the other
# in this one invocation; prints two tables and checks that both give the same layer-6
# c_attn output and the same chapter statistics. See bench/README.md.
#
#   forward:   `qkv bench` against bench/pytorch_capture.py (the notebook's hooks + model(batch))
#   commands:  what a user runs, timed whole with their peak memory: `qkv capture` (to .npz),
#              `qkv run` (the whole chapter, first run: the store written, statistics, nine figures)
#              and the Go notebook's Run All in a GoNB kernel (bench/go_notebook.py, then each cell
#              again, twice) against bench/book_notebook.py (the book's whole notebook as a script)
#
# Usage: scripts/bench.sh [-config gpt2-large] [-layers N] [-threads N] [-batch N] [-lanes N]
#                         [-repeat R] [-backend go] [-xla-cpu] [-torch pypi|debian] [-same-work] [-base]
#                         [-text FILE] [-tokenizer DIR] [-seed S] [-install] [-forward-only]
#   -config    GPT-2 shape of the random checkpoint (gpt2, gpt2-medium, gpt2-large, gpt2-xl)
#   -layers    layers (default: the preset's, 36 for gpt2-large; 2 makes a quick check)
#   -threads   threads for both (default: nproc); GOMAXPROCS for Go, torch.set_num_threads for PyTorch
#   -batch     Go's sequences per forward chunk (default qkv's 16; 0 = whole batch like PyTorch)
#   -lanes     Go's chunks run side by side (default 2; 1 = one at a time)
#   -repeat    timed forwards per side (default 1; Go's first includes compilation)
#   -backend   GoMLX backend for Go (default go, the pure Go one)
#   -xla-cpu   Go on XLA's CPU backend, with the PJRT plugin from PyPI's lammps-jax-pjrt-cpu (downloaded
#              once into the bench cache; ~63 MB wheel, 200 MB plugin)
#   -torch     the PyTorch side: pypi (default) = what `pip install torch transformers` gives a user
#              today, pinned below (torch_version, transformers_version), in a venv; debian = Debian's
#              python3-torch 1.13.1 (OpenBLAS) with transformers 4.36.2
#   -same-work Go also runs the last block and the LM head (qkv bench -logits), as PyTorch does,
#              so both do the same FLOPs (default: Go stops after the last c_attn, as `qkv run` does)
#   -base      PyTorch loads GPT2Model (no LM head) instead of the book's GPT2LMHeadModel
#   -text      text to take the book's windows from (default the shared Gatsby text, if present;
#              without text and tokenizer: random ids, seed -seed, and no whole-chapter rows)
#   -install   first install the chosen PyTorch side if missing (pypi: ~5.6 GB venv, a few minutes)
#   -forward-only  only the forward table (no qkv run / qkv capture / notebook)
# Outputs (JSON, .npz, figures) go to $XDG_CACHE_HOME/qkv/bench/run-CONFIG-LN (default ~/.cache/...),
# where the random checkpoint is also kept and reused.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
config=gpt2-large layers=0 threads=$(nproc) batch=16 lanes=2 repeat=1 seed=1 install=0 backend=go goflags=() pyflags=()
torch=pypi commands=1
shared=${QKV_SHARED_DATA:-$root/../shared/data}
text=$shared/gatsby/pg64317.txt
tokenizer=$shared/gpt2-tokenizer
while [ $# -gt 0 ]; do
	case $1 in
	-config) config=$2; shift 2 ;;
	-layers) layers=$2; shift 2 ;;
	-threads) threads=$2; shift 2 ;;
	-batch) batch=$2; shift 2 ;;
	-lanes) lanes=$2; shift 2 ;;
	-repeat) repeat=$2; shift 2 ;;
	-text) text=$2; shift 2 ;;
	-tokenizer) tokenizer=$2; shift 2 ;;
	-seed) seed=$2; shift 2 ;;
	-backend) backend=$2; shift 2 ;;
	-xla-cpu) backend=xla-cpu-pip; shift ;;
	-same-work) goflags+=(-logits); shift ;;
	-base) pyflags+=(--base); shift ;;
	-install) install=1; shift ;;
	-torch) torch=$2; shift 2 ;;
	-forward-only) commands=0; shift ;;
	-h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench.sh: unknown flag $1 (see scripts/bench.sh -h)" >&2; exit 2 ;;
	esac
done

cache=${XDG_CACHE_HOME:-$HOME/.cache}/qkv/bench

# The PyTorch side.
#   pypi:   what a Python user installs today (`pip install torch transformers matplotlib`),
#           pinned; re-check with `pip index versions torch` (and transformers) when updating.
#   debian: Debian's python3-torch (1.13.1, CPU) with OpenBLAS (OpenMP build) instead of the
#           reference BLAS; transformers (pure Python) in a venv that sees the system packages.
torch_version=2.15.0 transformers_version=5.24.0 matplotlib_version=3.11.2 numpy_version=2.4.6
debian_transformers_version=4.36.2
case $torch in
pypi) venv=${QKV_BENCH_VENV:-$cache/venv-pypi} ;;
debian) venv=${QKV_BENCH_VENV:-$cache/venv}; transformers_version=$debian_transformers_version ;;
*) echo "bench.sh: -torch $torch: want pypi or debian" >&2; exit 2 ;;
esac
py=$venv/bin/python
have_python() {
	[ -x "$py" ] && "$py" -c "import torch, transformers, numpy, matplotlib; assert transformers.__version__ == '$transformers_version'" 2>/dev/null
}
if ! have_python; then
	if [ $install = 0 ]; then
		echo "bench.sh: no PyTorch + transformers $transformers_version in $venv; run scripts/bench.sh -torch $torch -install" >&2
		exit 1
	fi
	if [ "$torch" = pypi ]; then
		/usr/bin/python3 -m venv "$venv"
		"$venv/bin/pip" install -q "torch==$torch_version" "transformers==$transformers_version" \
			"matplotlib==$matplotlib_version" "numpy==$numpy_version"
	else
		sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
		$sudo apt-get install -y --no-install-recommends python3-torch python3-matplotlib libopenblas0-openmp python3-venv python3-pip
		/usr/bin/python3 -m venv --system-site-packages "$venv"
		"$venv/bin/pip" install -q "transformers==$transformers_version"
	fi
	have_python || { echo "bench.sh: the install did not give a working torch + transformers in $venv" >&2; exit 1; }
fi

mkdir -p "$cache"
if [ "$backend" = xla-cpu-pip ]; then
	plugin=$cache/pjrt-cpu/lammps_jax_pjrt_cpu/pjrt_c_api_cpu_plugin.so
	if [ ! -f "$plugin" ]; then
		echo "== fetching the XLA CPU PJRT plugin (pip download lammps-jax-pjrt-cpu==0.11.2)" >&2
		rm -rf "$cache/pjrt-cpu" && mkdir -p "$cache/pjrt-cpu"
		/usr/bin/python3 -m pip download -q --no-deps -d "$cache/pjrt-cpu" lammps-jax-pjrt-cpu==0.11.2
		(cd "$cache/pjrt-cpu" && /usr/bin/python3 -m zipfile -e lammps_jax_pjrt_cpu-*.whl .)
	fi
	backend=xla:$plugin
fi

echo "== building qkv (GOEXPERIMENT=simd)" >&2
qkv=$cache/qkv
(cd "$root" && GOEXPERIMENT=simd go build -o "$qkv" ./cmd/qkv)

nlayer=$layers
if [ "$nlayer" = 0 ]; then
	case $config in
	gpt2) nlayer=12 ;; gpt2-medium) nlayer=24 ;; gpt2-large) nlayer=36 ;; gpt2-xl) nlayer=48 ;;
	*) echo "bench.sh: unknown -config $config" >&2; exit 2 ;;
	esac
fi
model=$cache/$config-L$nlayer
if [ ! -s "$model/model.safetensors" ] || [ ! -s "$model/config.json" ]; then
	echo "== writing a random $config-shaped checkpoint with $nlayer layers to $model" >&2
	"$qkv" randmodel -config "$config" -layers "$nlayer" -scale 0.02 -seed 1 -out "$model"
fi

out=$cache/run-$config-L$nlayer
mkdir -p "$out"
tokens=$out/tokens.json
if [ -f "$text" ] && [ -d "$tokenizer" ]; then
	echo "== the book's batch: windows of 50 tokens + ' like' (588) in $text" >&2
	"$qkv" tokenize -tokenizer "$tokenizer" -text "$text" -out "$out/ids.json"
	"$py" "$root/bench/windows.py" "$out/ids.json" "$tokens"
else
	echo "== no text/tokenizer ($text, $tokenizer): random ids, [114, 51], seed $seed" >&2
	"$py" "$root/bench/windows.py" --random 114 51 50257 "$seed" "$tokens"
fi

layer=6
[ "$nlayer" -gt 6 ] || layer=$((nlayer - 1))
export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-SkylakeX} # OpenBLAS mis-detects this CPU

# PyTorch's forward first, then ours right before the commands it is the yardstick of
# (qkv capture, qkv run): this machine's speed drifts over a sitting, and adjacent runs
# share the drift.
echo "== pytorch: bench/pytorch_capture.py ($threads threads)" >&2
OMP_NUM_THREADS=$threads "$py" "$root/bench/pytorch_capture.py" "$model" "$tokens" --threads "$threads" \
	--repeat "$repeat" --json "$out/pytorch.json" --save "$out/pytorch.npz" --save-layer $layer ${pyflags[@]+"${pyflags[@]}"}

# qkv_bench ARGS...: our forward on the sitting's checkpoint, batch and backend.
qkv_bench() {
	GOMAXPROCS=$threads "$qkv" bench -backend "$backend" -model "$model" -tokens "$tokens" -batch "$batch" -lanes "$lanes" \
		${goflags[@]+"${goflags[@]}"} "$@"
}
echo "== go: qkv bench ($backend backend, $threads threads)" >&2
qkv_bench -repeat "$repeat" -json "$out/go.json" -save "$out/go.npz" -save-layer $layer

# timed NAME CMD...: runs CMD, recording its wall time and peak RSS in $out/commands.tsv.
# It first flushes what earlier steps wrote (sync) and reads the checkpoint
# into the page cache, so that a command is billed neither for the previous
# one's writeback nor for re-reading from the disk the file that PyTorch's
# 10 GB pushed out of memory (qkv bench and pytorch_capture.py time their
# forward apart from their load; with the file on disk, qkv capture and qkv
# run measured 1.16x and 1.21x qkv bench's first forward in one sitting).
timed() {
	local name=$1; shift
	sync
	cat "$model/model.safetensors" >/dev/null
	/usr/bin/time -f '%e %M' -o "$out/$name.time" "$@"
	read -r wall kib <"$out/$name.time"
	printf '%s\t%s\t%s\n' "$name" "$wall" "$((kib / 1024))" >>"$out/commands.tsv"
}
# go_notebook times the Go notebook as a reader runs it (bench/go_notebook.py): Run All in
# a fresh GoNB kernel with a fresh activation store and a warm Go build cache (an untimed
# Run All on a 2-layer model first), then every cell again, twice; the row "go notebook" and
# the per-cell times. It needs the gonb kernel (scripts/setup-jupyter.sh --headless).
go_notebook() {
	if ! grep -q '^ *gonb ' <<<"$(jupyter kernelspec list 2>/dev/null)"; then
		echo "== no gonb kernel (scripts/setup-jupyter.sh --headless): no notebook row" >&2
		return
	fi
	if [ "$nlayer" -le 6 ]; then
		echo "== the notebook reads layer 6, as the book does: no notebook row with $nlayer layers (-layers 7 or more)" >&2
		return
	fi
	local small=$cache/$config-L2
	[ -s "$small/model.safetensors" ] || "$qkv" randmodel -config "$config" -layers 2 -scale 0.02 -seed 1 -out "$small"
	# The capture cell's yardstick, next to it: the forward again (the machine drifts).
	echo "== go: qkv bench again, right before the notebook ($backend backend)" >&2
	qkv_bench -repeat 1 -json "$out/go-before-notebook.json"
	echo "== go: the notebook, Run All in a fresh GoNB kernel, then each cell again ($backend backend)" >&2
	rm -rf "$out/nb"
	mkdir -p "$out/nb/acts"
	GOMAXPROCS=$threads QKV_REPO=$root QKV_MODEL=$model QKV_TOKENIZER=$tokenizer QKV_TEXT=$text QKV_CACHE=$out/nb/acts \
		QKV_BIN=$qkv GOMLX_BACKEND=$backend GOEXPERIMENT=simd HF_HUB_OFFLINE=1 PATH="$(go env GOPATH)/bin:$PATH" \
		timed "go notebook" /usr/bin/python3 "$root/bench/go_notebook.py" "$root/notebooks/ch6_proj34_qkv_activations.ipynb" \
		"$out/nb" --json "$out/go_notebook.json" --warm-up-model "$small"
	chapter+=(--go-notebook "$out/go_notebook.json" --go-notebook-forward "$out/go-before-notebook.json")
}

chapter=()
if [ $commands = 1 ]; then
	: >"$out/commands.tsv"
	echo "== go: qkv capture -out capture.npz ($backend backend)" >&2
	GOMAXPROCS=$threads timed "qkv capture" "$qkv" capture -backend "$backend" -model "$model" -tokens "$tokens" \
		-batch "$batch" -out "$out/capture.npz"
	if [ -f "$text" ] && [ -d "$tokenizer" ]; then
		echo "== go: qkv run, the whole chapter, first run (a fresh activation store)" >&2
		rm -rf "$out/acts" "$out/go-chapter"
		GOMAXPROCS=$threads timed "qkv run" "$qkv" run -backend "$backend" -model "$model" -tokenizer "$tokenizer" \
			-text "$text" -layer $layer -batch "$batch" -cache "$out/acts" -out "$out/go-chapter" -offline
		echo "== pytorch: bench/book_notebook.py, the book's whole notebook ($threads threads)" >&2
		OMP_NUM_THREADS=$threads timed "python notebook" "$py" "$root/bench/book_notebook.py" "$model" "$tokenizer" "$text" \
			"$out/py-chapter" --layer $layer --threads "$threads" --json "$out/notebook.json"
		chapter=(--go-results "$out/go-chapter/results.json" --notebook "$out/notebook.json")
		go_notebook

	else
		echo "== no text/tokenizer: no whole-chapter rows (qkv run, the notebook)" >&2
	fi
	chapter+=(--commands "$out/commands.tsv")
fi

echo
"$py" "$root/bench/compare.py" "$out/go.json" "$out/pytorch.json" \
	--go-npz "$out/go.npz" --py-npz "$out/pytorch.npz" --layer $layer ${chapter[@]+"${chapter[@]}"}
echo "(JSON, .npz and figures in $out)"
