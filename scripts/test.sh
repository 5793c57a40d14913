#!/usr/bin/env bash
# The test suite: vet, then every package's tests, built with GOEXPERIMENT=simd
# (the go backend's SIMD kernels) on the pure Go backend.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOEXPERIMENT=simd GOMLX_BACKEND="${GOMLX_BACKEND:-go}"
go vet ./...
go test -count=1 -timeout 30m ./...
