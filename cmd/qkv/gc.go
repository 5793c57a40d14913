package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the garbage collector's target heap growth that qkv uses when
// GOGC is unset. The forward allocates a few hundred MB of short-lived
// buffers per layer next to gigabytes of long-lived weights; Go's default
// (100: collect when the heap doubles) then lets the peak reach twice the
// weights. Measured on the chapter with a gpt2-large-shaped checkpoint and the
// activations kept in memory (qkv bench): peak RSS 12.6 GB at 100, 7.8 GB at
// 25, 6.9 GB at 10 with the same forward time (the large buffers hold no
// pointers, so collections are cheap); 6.6 GB at 5, but 10% more CPU time.
const gcPercent = 10

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
