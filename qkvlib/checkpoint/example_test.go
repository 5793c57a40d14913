package checkpoint_test

import (
	"fmt"
	"log"
	"os"

	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

func Example() {
	dir, err := os.MkdirTemp("", "gpt2-random")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// A random GPT-2 with two blocks, in float16, named as GPT2LMHeadModel names it.
	cfg := checkpoint.Config{NLayers: 2, NEmb: 64, NHeads: 4, NPositions: 128, VocabSize: 1000, LayerNormEps: 1e-5, Activation: "gelu_new"}
	if err := checkpoint.WriteRandom(dir, cfg, checkpoint.RandomOptions{Seed: 1, DType: "F16", Prefix: true}); err != nil {
		log.Fatal(err)
	}

	w, err := checkpoint.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()
	qkv, err := w.Get("h.1.attn.c_attn.weight") // [E, 3E]
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(qkv.Name, qkv.DType, qkv.Shape, len(qkv.Data), w.Config().HeadDim())
	// Output: h.1.attn.c_attn.weight F16 [64 192] 12288 16
}
