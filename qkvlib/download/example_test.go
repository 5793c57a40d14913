package download_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/qkvport/qkv/qkvlib/download"
)

func ExampleResolveAny() {
	// A local folder is used as it is; a repo id ("gpt2") would be looked up
	// in the HuggingFace cache, and the files it lacks downloaded.
	dir, err := os.MkdirTemp("", "tokenizer")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "tokenizer.json"), []byte("{}"), 0o644); err != nil {
		log.Fatal(err)
	}

	snap, err := download.ResolveAny(context.Background(), dir,
		[][]string{{"vocab.json", "merges.txt"}, {"tokenizer.json"}}, download.Options{Offline: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(snap.Files, snap.Dir == dir, snap.Repo == "")
	// Output: [tokenizer.json] true true
}
