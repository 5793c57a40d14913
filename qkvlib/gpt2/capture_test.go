package gpt2

import (
	"slices"
	"strings"
	"testing"

	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

func TestCaptureErrors(t *testing.T) {
	cfg := config(2, 12, 3, 8, 20)
	_, w := writeModel(t, cfg, checkpoint.RandomOptions{Seed: 1})
	m, err := New(testBackend(t), w)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	cases := []struct {
		name   string
		tokens [][]int
		opt    CaptureOptions
		want   string
	}{
		{"no sequences", nil, CaptureOptions{}, "no sequences"},
		{"token id = vocab", [][]int{{1, 20}}, CaptureOptions{}, "outside the vocabulary [0, 20)"},
		{"negative token", [][]int{{-1, 2}}, CaptureOptions{}, "outside the vocabulary"},
		{"longer than n_positions", [][]int{make([]int, 9)}, CaptureOptions{}, "longer than the model's 8 positions"},
		{"ragged", [][]int{{1, 2}, {1}}, CaptureOptions{}, "same length"},
		{"layer too large", [][]int{{1, 2}}, CaptureOptions{Layers: []int{2}}, "layer 2 does not exist"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := m.CaptureChunks(tc.tokens, tc.opt, func(Chunk) error { return nil })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestCaptureSomeLayers checks that asking for fewer layers (which stops the
// forward early) gives the same values as capturing all of them.
func TestCaptureSomeLayers(t *testing.T) {
	cfg := config(3, 24, 4, 16, 30)
	_, w := writeModel(t, cfg, checkpoint.RandomOptions{Seed: 2, Scale: 0.2})
	m, err := New(testBackend(t), w)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	toks := randomTokens(3, 10, cfg.VocabSize, 5)
	collect := func(opt CaptureOptions) map[int][]float32 {
		out := map[int][]float32{}
		if err := m.CaptureChunks(toks, opt, func(c Chunk) error {
			for l, d := range c.QKV {
				out[l] = append(out[l], d...)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	all := collect(CaptureOptions{})
	some := collect(CaptureOptions{Layers: []int{1, 0, 1}, BatchSize: 2})
	byLayer := map[int][]float32{}
	if err := m.CaptureLayers(toks, CaptureOptions{BatchSize: 2}, func(lc LayerChunk) error {
		byLayer[lc.Layer] = append(byLayer[lc.Layer], lc.QKV...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for l, d := range all {
		if !slices.Equal(d, byLayer[l]) {
			t.Errorf("layer %d differs between CaptureLayers and CaptureChunks", l)
		}
	}
	if len(all) != 3 || len(some) != 2 {
		t.Fatalf("captured %d and %d layers, want 3 and 2", len(all), len(some))
	}
	for l, d := range some {
		if !slices.Equal(d, all[l]) {
			t.Errorf("layer %d differs when fewer layers are captured", l)
		}
	}
}

func TestNewRejectsMismatchedWeights(t *testing.T) {
	cfg := config(2, 12, 3, 8, 20)
	_, w := writeModel(t, cfg, checkpoint.RandomOptions{Seed: 1})
	bad := mismatched{w}
	if _, err := New(testBackend(t), bad); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("got %v, want a config/weights mismatch error", err)
	}
}

// mismatched claims a wider embedding (n_embd 15) than its weights hold (12).
type mismatched struct{ *checkpoint.Weights }

func (m mismatched) Config() checkpoint.Config {
	c := m.Weights.Config()
	c.NEmbd, c.NHead = 15, 3
	return c
}
