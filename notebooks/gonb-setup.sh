#!/usr/bin/env bash
# gonb-setup.sh is what the notebooks' first cell runs (GoNB's "!*": in the
# kernel's temporary module). It points that module at this repository,
# fetches every module the cells import in one go (the cells then skip
# GoNB's `go get`, %noautoget), puts the cells' helpers in the kernel's
# temporary folder (notebooks/linkcache, the cells' -toolexec, and
# notebooks/celldecls, package nb's Go parser), and builds the qkv
# command, which downloads and runs GPT-2 for the cells, so that the capture
# cell only runs it.
set -euo pipefail
root=${QKV_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
if ! grep -qx 'module github.com/qkvport/qkv' "$root/go.mod" 2>/dev/null; then
  echo "no clone of github.com/qkvport/qkv at $root: set QKV_REPO to one (export QKV_REPO=... before starting Jupyter)" >&2
  exit 1
fi
go mod edit -replace "github.com/qkvport/qkv=$root" -require github.com/qkvport/qkv@v0.0.0-00010101000000-000000000000
cat > qkv_deps.go <<'EOF'
package main

import (
	_ "github.com/janpfeifer/gonb/gonbui/protocol"
	_ "github.com/qkvport/qkv/notebooks/nb"
	_ "github.com/qkvport/qkv/qkvlib/chapter"
	_ "github.com/qkvport/qkv/qkvlib/figures"
	_ "github.com/qkvport/qkv/qkvlib/pyplot"
	_ "gonum.org/v1/gonum/mat"
)
EOF
trap 'rm -f qkv_deps.go' EXIT
# GoNB's own module at the version the cells' programs speak to, and what the imports above need: one go get
go get github.com/janpfeifer/gonb@v0.11.4 . 2>&1 | grep -v '^go: \(added\|downloading\|upgraded\|finding\)' || true
cache=${XDG_CACHE_HOME:-$HOME/.cache}/qkv/bin
key=$(printf %s "$root" | sha256sum | cut -c1-16)
mkdir -p "$cache"
# The cells' helpers, in the kernel's temporary folder: linkcache, which the first cell's %goflags
# runs as $GONB_TMP_DIR/linkcache, and celldecls, which package nb runs when a declaration failed.
helpers="$cache/helpers-$key"
mkdir -p "$helpers"
(cd "$root" && GOEXPERIMENT=${GOEXPERIMENT:-simd} go build -o "$helpers/" ./notebooks/linkcache ./notebooks/celldecls)
ln -sf "$helpers/linkcache" "${GONB_TMP_DIR:-$PWD}/linkcache"
ln -sf "$helpers/celldecls" "${GONB_TMP_DIR:-$PWD}/celldecls"
# The qkv command, where package chapter's engine looks for it ($QKV_BIN when set).
if [ -n "${QKV_BIN:-}" ]; then
  echo "cells build against $root (GOEXPERIMENT=${GOEXPERIMENT:-simd}); the qkv command: $QKV_BIN"
  exit 0
fi
bin="$cache/qkv-$key"
[ -x "$bin" ] || echo "building the qkv command (GPT-2 on GoMLX) into $bin: a minute or two the first time"
(cd "$root" && GOEXPERIMENT=${GOEXPERIMENT:-simd} go build -o "$bin" ./cmd/qkv)
backend=${GOMLX_BACKEND:-"the default (an installed XLA plugin, else XLA's CPU plugin, installed once, else go)"}
echo "cells build against $root (GOEXPERIMENT=${GOEXPERIMENT:-simd}); GoMLX backend: $backend"
