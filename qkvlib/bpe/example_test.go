package bpe_test

import (
	"fmt"
	"log"

	"github.com/qkvport/qkv/qkvlib/bpe"
)

// Load a tokenizer folder, encode a text, and decode it back. testdata/tiny
// is a toy vocabulary; a GPT-2 folder (vocab.json and merges.txt, or
// tokenizer.json) is loaded the same way.
func Example() {
	tok, err := bpe.Load("testdata/tiny")
	if err != nil {
		log.Fatal(err)
	}
	ids := tok.Encode("hello world")
	text, err := tok.Decode(ids)
	if err != nil {
		log.Fatal(err)
	}
	world, _ := tok.DecodeToken(ids[1])
	fmt.Println(ids, text)
	fmt.Printf("%q\n", world)
	// Output:
	// [259 264] hello world
	// " world"
}
