#!/usr/bin/env bash
# setup-jupyter.sh installs what the notebooks in notebooks/ need on a Debian or
# Ubuntu machine, and (with --run) opens them in Jupyter. Safe to run again: each
# step is skipped when what it installs is already there at the pinned version.
#
#   scripts/setup-jupyter.sh              Jupyter Notebook (Debian) + GoNB + goimports + gopls
#   scripts/setup-jupyter.sh --headless   nbconvert + jupyter-client only, no gopls (CI)
#   scripts/setup-jupyter.sh --lab        JupyterLab and Notebook 7 from PyPI in a venv instead of Debian's
#                                         notebook ($QKV_JUPYTER_VENV, default ~/.local/share/qkv-jupyterlab);
#                                         with --headless, that and nbconvert, no gopls (CI's browser check)
#   scripts/setup-jupyter.sh --run        install as above, then open notebooks/ in Jupyter
#   scripts/setup-jupyter.sh --run -- --no-browser --port 8890   (arguments after -- go to jupyter)
#
# Needs: apt-get (run as root, or a user with sudo), and Go >= 1.21 on PATH
# (go.mod asks for Go 1.26; a newer toolchain is fetched from the Go proxy when
# the installed go is older and GOTOOLCHAIN allows it). Go tools go to the
# invoking user's GOBIN ($(go env GOPATH)/bin unless GOBIN is set), and the GoNB
# kernel is registered for that user (~/.local/share/jupyter/kernels/gonb).
set -euo pipefail

GONB_VERSION=v0.11.4        # github.com/janpfeifer/gonb
XTOOLS_VERSION=v0.52.0      # golang.org/x/tools (goimports)
GOPLS_VERSION=v0.23.0       # golang.org/x/tools/gopls (autocomplete in the notebook UI)
JUPYTERLAB_VERSION=4.6.6    # PyPI jupyterlab, with --lab
NOTEBOOK_VERSION=7.6.5      # PyPI notebook (Notebook 7, on JupyterLab 4.6's components), with --lab

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
headless=0 lab=0 run=0 jupyter_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --headless) headless=1 ;;
    --lab) lab=1 ;;
    --run) run=1 ;;
    --) shift; jupyter_args=("$@"); break ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "setup-jupyter: unknown flag $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
lab_venv=${QKV_JUPYTER_VENV:-$HOME/.local/share/qkv-jupyterlab}

say() { printf '==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# 1. Jupyter from Debian.
apt_pkgs=(jupyter-nbconvert jupyter-client)
if [ "$lab" = 1 ]; then
  apt_pkgs+=(python3-venv python3-pip)
elif [ "$headless" = 0 ]; then
  apt_pkgs+=(jupyter-notebook)
fi
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || { echo "setup-jupyter: no apt-get; install ${missing[*]} by other means" >&2; exit 1; }
  say "apt-get install ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  say "Debian packages present: ${apt_pkgs[*]}"
fi

# 2. JupyterLab (optional) in its own venv: Debian's python refuses system-wide pip installs.
if [ "$lab" = 1 ]; then
  if [ "$("$lab_venv/bin/python" -c 'import jupyterlab, notebook; print(jupyterlab.__version__, notebook.__version__)' 2>/dev/null)" \
    != "$JUPYTERLAB_VERSION $NOTEBOOK_VERSION" ]; then
    say "pip install jupyterlab==$JUPYTERLAB_VERSION notebook==$NOTEBOOK_VERSION into $lab_venv"
    /usr/bin/python3 -m venv "$lab_venv"
    "$lab_venv/bin/pip" install -q "jupyterlab==$JUPYTERLAB_VERSION" "notebook==$NOTEBOOK_VERSION"
  else
    say "JupyterLab $JUPYTERLAB_VERSION and Notebook $NOTEBOOK_VERSION present in $lab_venv"
  fi
fi

# 3. Go tools, each at an exact version (the Go proxy may refuse @latest listings).
command -v go >/dev/null || { echo "setup-jupyter: go is not on PATH; install Go 1.26 from https://go.dev/dl first" >&2; exit 1; }
gobin=$(go env GOBIN); [ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
export PATH="$gobin:$PATH"

# installed reports whether binary $1 was built from module $2 at version $3.
installed() {
  [ -x "$gobin/$1" ] && go version -m "$gobin/$1" 2>/dev/null | grep -qE "^[[:space:]]+mod[[:space:]]+$2[[:space:]]+$3([[:space:]]|$)"
}
goinstall() { # binary module package version
  if installed "$1" "$2" "$4"; then say "$1 $4 present in $gobin"; return; fi
  say "go install $3@$4"
  go install "$3@$4"
}
goinstall goimports golang.org/x/tools golang.org/x/tools/cmd/goimports "$XTOOLS_VERSION"
# GoNB via a throwaway tool module: `go install github.com/janpfeifer/gonb@v...` asks the proxy
# for gonb's version list (to check deprecation), which some proxies refuse.
if installed gonb github.com/janpfeifer/gonb "$GONB_VERSION"; then
  say "gonb $GONB_VERSION present in $gobin"
else
  say "go get -tool github.com/janpfeifer/gonb@$GONB_VERSION; go build -o $gobin/gonb"
  tooldir=$(mktemp -d)
  (
    cd "$tooldir"
    go mod init qkv-jupyter-tools >/dev/null 2>&1
    go get -tool "github.com/janpfeifer/gonb@$GONB_VERSION" >log 2>&1 || { cat log >&2; exit 1; }
    go build -o "$gobin/gonb" github.com/janpfeifer/gonb
  )
  rm -rf "$tooldir"
fi
force_deps=()
if [ "$headless" = 0 ]; then
  goinstall gopls golang.org/x/tools/gopls golang.org/x/tools/gopls "$GOPLS_VERSION"
else
  force_deps=(--force_deps) # gonb --install otherwise insists on gopls
fi

# 4. Register the kernel (rewrites kernel.json; cheap, so always done).
say "gonb --install"
"$gobin/gonb" --install "${force_deps[@]}" 2>&1 | grep -v '^$' || true
# The listing is read whole before it is searched: `jupyter ... | grep -q` under pipefail fails
# whenever grep stops reading before jupyter stops writing. One more try after a second,
# and what jupyter said is shown if the kernel is still not there.
kernelspecs() { jupyter kernelspec list 2>&1 || true; }
specs=$(kernelspecs)
grep -q '^ *gonb ' <<<"$specs" || { sleep 1; specs=$(kernelspecs); }
grep '^ *gonb ' <<<"$specs" || {
  printf 'setup-jupyter: the gonb kernel is not registered; jupyter kernelspec list (%s) said:\n%s\n' "$(command -v jupyter)" "$specs" >&2
  exit 1
}

say "ready. Jupyter needs go, goimports and gonb on its PATH: add $gobin to PATH (--run does it for you)."

# 5. Open the notebooks (GOEXPERIMENT=simd: GoMLX's Go backend has AVX2/AVX-512 kernels behind it).
if [ "$run" = 1 ]; then
  [ "$headless" = 0 ] || { echo "setup-jupyter: --run needs the UI; drop --headless" >&2; exit 2; }
  export GOEXPERIMENT="${GOEXPERIMENT:-simd}"
  root_flag=(); [ "$(id -u)" != 0 ] || root_flag=(--allow-root)
  cd "$repo/notebooks"
  if [ "$lab" = 1 ]; then
    exec "$lab_venv/bin/jupyter" lab "${root_flag[@]}" --notebook-dir="$repo/notebooks" "${jupyter_args[@]}"
  else
    exec jupyter notebook "${root_flag[@]}" --notebook-dir="$repo/notebooks" "${jupyter_args[@]}"
  fi
fi
