package hub_test

import (
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/qkvport/qkv/qkvlib/hub"
)

func ExampleFind() {
	// An empty HuggingFace cache: Find says what a download has to fetch.
	cache, err := os.MkdirTemp("", "hf-cache")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(cache)

	_, err = hub.Find("gpt2", [][]string{{"config.json", "model.safetensors"}}, hub.Options{CacheDir: cache})
	var miss *hub.MissingError
	if errors.As(err, &miss) {
		fmt.Println(miss.Name, miss.Revision, miss.Choices[0], miss.Partial == nil)
	}
	// Output: gpt2 main [config.json model.safetensors] true
}
