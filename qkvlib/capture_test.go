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
	model, err := chapter.OpenModel(ctx, dir, chapter.Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	opt := chapter.Options{Backend: "go", CacheDir: t.TempDir(), Log: &log}
	batch := [][]int{{1, 2, 3, 4}, {5, 6, 7, 4}, {9, 10, 11, 4}}
	acts := chapter.NewActivations(model, batch, []int{3, 1}, opt)
	if err := Capture(ctx, acts); err != nil {
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
		if got := x.Shape(); stored && (got[0] != 3 || got[1] != 4 || got[2] != 48) {
			t.Errorf("layer %d is %v, want [3, 4, 48]", layer, got)
		}
	}

	if err := os.Remove(filepath.Join(dir, "model.safetensors")); err != nil {
		t.Fatal(err)
	}
	log.Reset()
	again := chapter.NewActivations(model, batch, []int{1, 3}, opt)
	if err := Capture(ctx, again); err != nil {
		t.Fatalf("second capture of the same batch and layers read the weights: %v", err)
	}
	if !strings.Contains(log.String(), "read from the store") {
		t.Errorf("second capture log:\n%s", log.String())
	}
	other := chapter.NewActivations(model, [][]int{{1, 2, 3, 5}}, []int{1, 3}, opt)
	if err := Capture(ctx, other); err == nil {
		t.Error("a capture of another batch succeeded without the weights")
	}
}
