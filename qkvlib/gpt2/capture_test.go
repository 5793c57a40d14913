package gpt2

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

func TestCaptureErrors(t *testing.T) {
	cfg := config(2, 12, 3, 8, 20)
	m := newTestModel(t, cfg, checkpoint.RandomOptions{Seed: 1})
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
	m := newTestModel(t, cfg, checkpoint.RandomOptions{Seed: 2, Scale: 0.2})
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

// TestCaptureLayersOrder checks the order of the hand-over: with LayerMajor,
// every chunk of layer i before any of layer i+1; without, each layer's
// chunks in order of Start within each group of lanes. The values must equal
// CaptureChunks' bit for bit whatever the order, and the logits handed over
// by CaptureLayers must equal CaptureChunks'.
func TestCaptureLayersOrder(t *testing.T) {
	cfg := config(3, 24, 4, 16, 30)
	m := newTestModel(t, cfg, checkpoint.RandomOptions{Seed: 3, Scale: 0.2})
	toks := randomTokens(5, 6, cfg.VocabSize, 7)
	want := map[int][]float32{}
	if err := m.CaptureChunks(toks, CaptureOptions{BatchSize: 1, Lanes: 2, Logits: true}, func(c Chunk) error {
		for l, d := range c.QKV {
			want[l] = append(want[l], d...)
		}
		want[LogitsLayer] = append(want[LogitsLayer], c.Logits...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	type key struct{ layer, start int }
	cases := []struct {
		name  string
		opt   CaptureOptions
		order []key
	}{
		{"layer-major", CaptureOptions{BatchSize: 1, Lanes: 2, LayerMajor: true, Logits: true}, []key{
			{0, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {1, 0}, {1, 1}, {1, 2}, {1, 3}, {1, 4}, {2, 0}, {2, 1}, {2, 2}, {2, 3}, {2, 4},
			{-1, 0}, {-1, 1}, {-1, 2}, {-1, 3}, {-1, 4}}},
		{"chunk groups", CaptureOptions{BatchSize: 1, Lanes: 2, Logits: true}, []key{
			{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 0}, {2, 1}, {-1, 0}, {-1, 1},
			{0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 2}, {2, 3}, {-1, 2}, {-1, 3},
			{0, 4}, {1, 4}, {2, 4}, {-1, 4}}},
	}
	for _, c := range cases {
		var order []key
		got := map[int][]float32{}
		if err := m.CaptureLayers(toks, c.opt, func(lc LayerChunk) error {
			order = append(order, key{lc.Layer, lc.Start})
			got[lc.Layer] = append(got[lc.Layer], append(lc.QKV, lc.Logits...)...)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(order, c.order) {
			t.Errorf("%s: handed over in order %v, want %v", c.name, order, c.order)
		}
		for l, d := range want {
			if !slices.Equal(got[l], d) {
				t.Errorf("%s: layer %d differs from CaptureChunks'", c.name, l)
			}
		}
	}
}

// TestCaptureLayersReceiverError checks that an error of the receiver stops
// the forward, is returned, and that the receiver is not called again.
func TestCaptureLayersReceiverError(t *testing.T) {
	cfg := config(4, 12, 3, 8, 20)
	m := newTestModel(t, cfg, checkpoint.RandomOptions{Seed: 4})
	toks := randomTokens(8, 4, cfg.VocabSize, 9)
	for _, major := range []bool{false, true} {
		calls, blocks := 0, 0
		stop := errors.New("disk full")
		err := m.CaptureLayers(toks, CaptureOptions{BatchSize: 1, Lanes: 2, LayerMajor: major, Progress: func(done, _ int) { blocks = done }},
			func(lc LayerChunk) error {
				calls++
				if calls == 3 {
					return stop
				}
				return nil
			})
		if !errors.Is(err, stop) {
			t.Errorf("LayerMajor %v: got error %v, want %v", major, err, stop)
		}
		if calls != 3 {
			t.Errorf("LayerMajor %v: receiver called %d times, want 3 (none after its error)", major, calls)
		}
		if total := 8 * 4; blocks >= total {
			t.Errorf("LayerMajor %v: the forward ran all %d block-passes after the receiver failed", major, total)
		}
	}
}

// TestCaptureLayersDoesNotWait checks that the forward goes on while the
// receiver is busy: the receiver's first call holds until the forward has run
// the next block of both chunks, which a forward waiting for its receiver
// would never do.
func TestCaptureLayersDoesNotWait(t *testing.T) {
	m := newTestModel(t, config(4, 12, 3, 8, 20), checkpoint.RandomOptions{Seed: 5})
	toks := randomTokens(4, 5, 20, 11)
	ahead := make(chan struct{})
	var once sync.Once
	progress := func(done, _ int) {
		if done >= 4 { // layer 1 of both chunks of the first group
			once.Do(func() { close(ahead) })
		}
	}
	first := true
	err := m.CaptureLayers(toks, CaptureOptions{BatchSize: 2, Lanes: 2, Progress: progress}, func(lc LayerChunk) error {
		if first {
			first = false
			select {
			case <-ahead:
			case <-time.After(10 * time.Second):
				return errors.New("the forward did not go on while the receiver was busy")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
