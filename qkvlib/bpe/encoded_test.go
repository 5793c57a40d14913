package bpe

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEncodeKeepsLongTexts checks, on the tiny tokenizer with hand-worked
// ids, that Encode keeps a long text's ids in qkv's cache and reads them back,
// encodes again over a damaged file, and keeps nothing for a short text or a
// tokenizer that Load did not make.
func TestEncodeKeepsLongTexts(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	dir := filepath.Join("testdata", "tiny")
	// "hello world" is [259, 264]; " hello" is "Ġ" (32) then "hello".
	k := minCachedText / len(" hello world")
	text := "hello world" + strings.Repeat(" hello world", k)
	want := []int{259, 264}
	for range k {
		want = append(want, 32, 259, 264)
	}
	kept := func() []string {
		files, _ := filepath.Glob(filepath.Join(cache, "qkv", "bpe", "*.ids"))
		return files
	}
	encode := func() []int {
		t.Helper()
		tok, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		return tok.Encode(text)
	}
	if got := encode(); !slices.Equal(got, want) {
		t.Fatalf("Encode of a long text: %d ids, want %d (first differ at %d)", len(got), len(want), firstDifference(got, want))
	}
	files := kept()
	if len(files) != 1 {
		t.Fatalf("after encoding one long text the cache holds %v, want one file of ids", files)
	}
	path := files[0]
	// Other valid ids in the file: Encode returns them, so it reads the file.
	writeEncoded(path, []int{1, 2, 3})
	if got := encode(); !slices.Equal(got, []int{1, 2, 3}) {
		t.Fatalf("Encode with ids kept: %v, want the kept [1 2 3]", got[:min(len(got), 5)])
	}
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	damaged := map[string][]byte{
		"another magic":  append([]byte("qkv-ids\x00"), whole[len(encodedMagic):]...),
		"a missing id":   whole[:len(whole)-4],
		"an id too high": append(slices.Clone(whole[:len(whole)-4]), 0xff, 0xff, 0, 0),
		"empty":          nil,
	}
	for name, data := range damaged {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if got := encode(); !slices.Equal(got, want) {
			t.Fatalf("Encode over a kept file with %s: %d ids, want %d", name, len(got), len(want))
		}
		if got, ok := (&Tokenizer{valid: slices.Repeat([]bool{true}, 265)}).readEncoded(path); !ok || !slices.Equal(got, want) {
			t.Fatalf("after Encode over a kept file with %s, the file holds %d ids (whole: %v), want %d", name, len(got), ok, len(want))
		}
	}
	short := "hello world"
	tok, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	tok.Encode(short)
	parsed, err := FromFiles(filepath.Join(dir, "vocab.json"), filepath.Join(dir, "merges.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got := parsed.Encode(text + " "); !slices.Equal(got, append(slices.Clone(want), 32)) {
		t.Fatalf("FromFiles' Encode of a long text: %d ids, want %d", len(got), len(want)+1)
	}
	if files := kept(); len(files) != 1 {
		t.Errorf("a short text or a tokenizer from FromFiles kept ids: %v", files)
	}
}
