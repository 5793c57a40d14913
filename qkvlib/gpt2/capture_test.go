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
// forward early), CaptureLayers and chunks run side by side (lanes) give the
// same values as capturing every layer one chunk at a time, and that other
// chunk sizes agree to float32 rounding (the backend's matrix product may pick
// another kernel for another number of rows).
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
	all := collect(CaptureOptions{BatchSize: 2, Lanes: 1})
	if len(all) != 3 {
		t.Fatalf("captured %d layers, want 3", len(all))
	}
	// byLayer appends each layer's chunks as they come: they must come in order.
	byLayer := func(opt CaptureOptions) map[int][]float32 {
		out := map[int][]float32{}
		if err := m.CaptureLayers(toks, opt, func(lc LayerChunk) error {
			out[lc.Layer] = append(out[lc.Layer], lc.QKV...)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	some := collect(CaptureOptions{Layers: []int{1, 0, 1}, BatchSize: 2, Lanes: 1})
	cases := []struct {
		name string
		got  map[int][]float32
		tol  float64 // 0: bit for bit
	}{
		{"CaptureLayers", byLayer(CaptureOptions{BatchSize: 2, Lanes: 1}), 0},
		{"CaptureLayers, 2 lanes", byLayer(CaptureOptions{BatchSize: 2, Lanes: 2}), 0},
		{"CaptureLayers, chunks of 1, 3 lanes", byLayer(CaptureOptions{BatchSize: 1, Lanes: 3}), 1e-5},
		{"layers 1, 0, 1", some, 0},
		{"2 lanes", collect(CaptureOptions{BatchSize: 2, Lanes: 2}), 0},
		{"3 lanes (so chunks of 1)", collect(CaptureOptions{BatchSize: 2, Lanes: 3}), 1e-5},
		{"one chunk", collect(CaptureOptions{}), 1e-5},
		{"chunks of 1, 2 lanes", collect(CaptureOptions{BatchSize: 1, Lanes: 2}), 1e-5},
		{"chunks of 1, 4 lanes", collect(CaptureOptions{BatchSize: 1, Lanes: 4}), 1e-5},
	}
	for _, c := range cases {
		for l, d := range c.got {
			want := make([]float64, len(all[l]))
			for i, v := range all[l] {
				want[i] = float64(v)
			}
			if len(d) != len(want) {
				t.Errorf("%s: layer %d has %d values, want %d", c.name, l, len(d), len(want))
			} else if diff := maxAbsDiff(d, want); diff > c.tol {
				t.Errorf("%s: layer %d differs by %g (tolerance %g)", c.name, l, diff, c.tol)
			}
		}
	}
	if len(some) != 2 {
		t.Errorf("captured %d layers of 1, 0, 1, want 2", len(some))
	}
	var starts []int
	if err := m.CaptureChunks(toks, CaptureOptions{BatchSize: 1, Lanes: 2, Logits: true}, func(c Chunk) error {
		starts = append(starts, c.Start)
		if len(c.QKV) != 3 || len(c.Logits) != c.N*c.T*cfg.VocabSize {
			t.Errorf("chunk %d: %d layers and %d logits, want 3 and %d", c.Start, len(c.QKV), len(c.Logits), c.N*c.T*cfg.VocabSize)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(starts, []int{0, 1, 2}) {
		t.Errorf("chunks came in order %v, want [0 1 2]", starts)
	}
}

func TestChunkBounds(t *testing.T) {
	cases := []struct {
		n, bs, lanes int
		want         [][2]int
	}{
		{114, 32, 2, [][2]int{{0, 29}, {29, 58}, {58, 86}, {86, 114}}},
		{114, 32, 1, [][2]int{{0, 29}, {29, 58}, {58, 86}, {86, 114}}},
		{114, 40, 2, [][2]int{{0, 29}, {29, 58}, {58, 86}, {86, 114}}}, // 3 chunks → 4, a multiple of the lanes
		{114, 40, 1, [][2]int{{0, 38}, {38, 76}, {76, 114}}},
		{114, 0, 2, [][2]int{{0, 114}}},
		{114, 200, 2, [][2]int{{0, 114}}},
		{3, 1, 2, [][2]int{{0, 1}, {1, 2}, {2, 3}}}, // no more chunks than sequences
		{5, 2, 4, [][2]int{{0, 2}, {2, 3}, {3, 4}, {4, 5}}},
	}
	for _, c := range cases {
		if got := chunkBounds(c.n, c.bs, c.lanes); !slices.Equal(got, c.want) {
			t.Errorf("chunkBounds(%d, %d, %d) = %v, want %v", c.n, c.bs, c.lanes, got, c.want)
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
	c.NEmb, c.NHeads = 15, 3
	return c
}
