//go:build !goexperiment.simd

package main

import (
	"fmt"
	"os"
)

// warnNoSIMD says that this binary lacks the go backend's SIMD kernels.
func warnNoSIMD() {
	if os.Getenv("GOMLX_BACKEND") == "" || os.Getenv("GOMLX_BACKEND") == "go" {
		fmt.Fprintln(os.Stderr, "qkv: note: built without GOEXPERIMENT=simd, so the go backend's matrix products run about 10x slower; rebuild with GOEXPERIMENT=simd go build ./cmd/qkv")
	}
}
