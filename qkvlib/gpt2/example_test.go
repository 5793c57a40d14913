package gpt2_test

import (
	"fmt"
	"log"
	"os"

	"github.com/gomlx/compute/gobackend"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
	"github.com/qkvport/qkv/qkvlib/gpt2"
)

// Example loads a small random GPT-2 on the go backend and captures one
// layer's c_attn output, Q | K | V: [N, T, 3·n_embd].
func Example() {
	dir, err := os.MkdirTemp("", "gpt2-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	cfg := checkpoint.Config{NLayers: 2, NEmb: 16, NHeads: 2, NPositions: 32, VocabSize: 50, LayerNormEps: 1e-5, Activation: "gelu_new"}
	if err := checkpoint.WriteRandom(dir, cfg, checkpoint.RandomOptions{Seed: 1}); err != nil {
		log.Fatal(err)
	}
	w, err := checkpoint.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()

	m, err := gpt2.New(gobackend.GetBackend(), w)
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	tokens := [][]int{{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}, {11, 12, 13, 14, 15}} // [N, T] = [3, 5]
	err = m.CaptureLayers(tokens, gpt2.CaptureOptions{Layers: []int{1}}, func(lc gpt2.LayerChunk) error {
		fmt.Printf("layer %d, sequences [%d, %d): [%d, %d, %d]\n", lc.Layer, lc.Start, lc.Start+lc.N, lc.N, lc.T, len(lc.QKV)/(lc.N*lc.T))
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output: layer 1, sequences [0, 3): [3, 5, 48]
}
