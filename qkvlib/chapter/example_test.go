package chapter_test

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
)

// ExampleActivations names the activations of two layers of a small random
// GPT-2 on a batch of two windows that end on the same token, and reads one
// layer: the store lacks it, so it is captured first (here in process, with
// qkvlib.Engine; a notebook cell runs the qkv command instead), then split
// into Q, K and V.
func ExampleActivations() {
	dir, err := os.MkdirTemp("", "chapter-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	cfg := checkpoint.Config{NLayers: 2, NEmb: 16, NHeads: 2, NPositions: 32, VocabSize: 50, LayerNormEps: 1e-5, Activation: "gelu_new"}
	if err := checkpoint.WriteRandom(filepath.Join(dir, "model"), cfg, checkpoint.RandomOptions{Seed: 1}); err != nil {
		log.Fatal(err)
	}
	opt := chapter.Options{Backend: "go", Offline: true, CacheDir: filepath.Join(dir, "acts"), Log: io.Discard, Engine: qkvlib.Engine{}}
	ctx := context.Background()
	model, err := chapter.OpenModel(ctx, filepath.Join(dir, "model"), opt)
	if err != nil {
		log.Fatal(err)
	}
	batch := [][]int{{3, 1, 4, 7}, {5, 9, 2, 7}} // [N, T]: two windows ending on token 7
	activations := chapter.NewActivations(model, batch, []int{0, 1}, opt)
	qkv, err := activations.Layer(1)
	if err != nil {
		log.Fatal(err)
	}
	Q, K, V := qkv.Split()
	fmt.Println(activations.Names(), qkv.Shape())
	fmt.Println(Q.Shape(), K.Shape(), V.Shape())
	fmt.Println("stored:", activations.Stored())
	// Output:
	// [attn_0_qkv attn_1_qkv] [2 4 48]
	// [2 4 16] [2 4 16] [2 4 16]
	// stored: true
}
