package qkvlib_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/qkvport/qkv/qkvlib"
	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
	"github.com/qkvport/qkv/qkvlib/describe"
)

// ExampleCapture runs a small random GPT-2 over two windows, stores the
// c_attn output of its three layers, and reads layer 2's Q back for the
// book's descriptives at the target token.
func ExampleCapture() {
	dir, err := os.MkdirTemp("", "qkvlib-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	cfg := checkpoint.Config{NLayers: 3, NEmb: 8, NHeads: 2, NPositions: 16, VocabSize: 20, LayerNormEps: 1e-5, Activation: "gelu_new"}
	if err := checkpoint.WriteRandom(filepath.Join(dir, "model"), cfg, checkpoint.RandomOptions{Seed: 7}); err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	opt := chapter.Options{Backend: "go", Offline: true, CacheDir: filepath.Join(dir, "acts"), Log: io.Discard}
	model, err := chapter.OpenModel(ctx, filepath.Join(dir, "model"), opt)
	if err != nil {
		log.Fatal(err)
	}
	acts := chapter.NewActivations(model, [][]int{{1, 2, 3, 5}, {4, 3, 2, 5}}, nil, opt)
	if err := qkvlib.Capture(ctx, acts); err != nil {
		log.Fatal(err)
	}
	x, err := acts.Layer(2)
	if err != nil {
		log.Fatal(err)
	}
	Q, _, _ := x.Split()
	target, _ := describe.MeansAndVar(Q)
	fmt.Println(acts.Names(), x.Shape())
	fmt.Printf("layer 2, Q at the target: L1 mean > 0: %v, variance > 0: %v\n", target[describe.L1Mean] > 0, target[describe.Variance] > 0)
	// Output:
	// [attn_0_qkv attn_1_qkv attn_2_qkv] [2 4 24]
	// layer 2, Q at the target: L1 mean > 0: true, variance > 0: true
}
