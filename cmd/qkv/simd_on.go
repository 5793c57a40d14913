//go:build goexperiment.simd

package main

func warnNoSIMD() {}
