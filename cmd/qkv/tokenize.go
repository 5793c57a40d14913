package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/qkvport/qkv/internal/atomicfile"
	"github.com/qkvport/qkv/qkvlib"
	"github.com/qkvport/qkv/qkvlib/download"
)

func runTokenize(ctx context.Context, args []string) error {
	fs := newFlags("tokenize", "-text FILE|URL [-tokenizer gpt2] [-out FILE.json]",
		"Writes the GPT-2 token ids of the whole text as a JSON array (to stdout without -out).")
	tokName, text := new(string), new(string)
	*tokName = "gpt2"
	tokenizerFlag(fs, tokName)
	textFlag(fs, text)
	out := fs.String("out", "", "output JSON file (default stdout)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *text == "" {
		fs.Usage()
		return fmt.Errorf("-text is required")
	}
	tok, err := qkvlib.LoadTokenizer(ctx, *tokName, download.Options{})
	if err != nil {
		return err
	}
	s, err := download.Text(ctx, *text, download.TextOptions{})
	if err != nil {
		return err
	}
	start := time.Now()
	ids := tok.Encode(s)
	el := time.Since(start)
	fmt.Fprintf(os.Stderr, "%d tokens from %d bytes in %s (%.2f M tokens/s)\n", len(ids), len(s), el.Round(time.Millisecond), float64(len(ids))/el.Seconds()/1e6)
	b, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if *out == "" {
		_, err = os.Stdout.Write(b)
		return err
	}
	return atomicfile.WriteFile(*out, b)
}
