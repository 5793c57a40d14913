package qkvlib

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

// TestCaptureChosenLayers captures two layers of a small random GPT-2, checks
// that only those are stored, and that a second capture of the same batch
// reads the store without reading the weights (they are deleted first), while
// another batch needs them again.
func TestCaptureChosenLayers(t *testing.T) {
	dir := t.TempDir()
	cfg := checkpoint.Config{NLayers: 4, NEmb: 16, NHeads: 2, NPositions: 16, VocabSize: 50, LayerNormEps: 1e-5, Activation: "gelu_new"}
	if err := checkpoint.WriteRandom(dir, cfg, checkpoint.RandomOptions{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	model, err := chapter.OpenModel(ctx, dir, chapter.Options{Offline: true}.Hub())
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	opt := chapter.Options{Backend: "go", CacheDir: t.TempDir(), Log: &log}
	batch := [][]int{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}}
	acts := chapter.NewActivations(model, batch, []int{3, 1}, opt.CacheDir)
	if err := Capture(ctx, acts, opt); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "Captured 2 layers of [3, 4, 48]") {
		t.Errorf("capture log:\n%s", log.String())
	}
	for layer, stored := range []bool{false, true, false, true} {
		x, err := acts.Layer(layer)
		if (err == nil) != stored {
			t.Errorf("layer %d: err %v, want stored = %v", layer, err, stored)
		}
		if stored && (x.N != 3 || x.T != 4 || x.E != 16) {
			t.Errorf("layer %d is [%d, %d, 3·%d], want [3, 4, 3·16]", layer, x.N, x.T, x.E)
		}
	}

	if err := os.Remove(filepath.Join(dir, "model.safetensors")); err != nil {
		t.Fatal(err)
	}
	log.Reset()
	again := chapter.NewActivations(model, batch, []int{1, 3}, opt.CacheDir)
	if err := Capture(ctx, again, opt); err != nil {
		t.Fatalf("second capture of the same batch and layers read the weights: %v", err)
	}
	if !strings.Contains(log.String(), "read from the store") {
		t.Errorf("second capture log:\n%s", log.String())
	}
	other := chapter.NewActivations(model, [][]int{{1, 2, 3, 5}}, []int{1, 3}, opt.CacheDir)
	if err := Capture(ctx, other, opt); err == nil {
		t.Error("a capture of another batch succeeded without the weights")
	}
}
