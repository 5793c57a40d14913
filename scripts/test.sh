#!/usr/bin/env bash
# The test suite: vet, then every package's tests, built with GOEXPERIMENT=simd
# (the go backend's SIMD kernels) on the pure Go backend, then the concurrent
# parts under the race detector.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOEXPERIMENT=simd GOMLX_BACKEND="${GOMLX_BACKEND:-go}"
go vet ./...
go test -count=1 -timeout 30m ./...
# what runs on several goroutines at once, under the race detector: the
# tokenizer's cache, and Figure.Save drawing the PNG and the SVG side by side
go test -race -count=1 -run 'TestEncodeConcurrent|TestRenderAll|TestSave$' ./qkvlib/bpe ./qkvlib/figures
