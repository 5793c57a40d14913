package gpt2

import (
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

// slowWeights delays every block tensor, so that a forward started at once
// overtakes the background load, and can fail one tensor.
type slowWeights struct {
	Weights
	delay time.Duration
	fail  string // a tensor name whose Get fails
	gets  atomic.Int32
}

func (w *slowWeights) Get(name string) (checkpoint.Tensor, error) {
	w.gets.Add(1)
	if strings.HasPrefix(name, "h.") {
		time.Sleep(w.delay)
	}
	if name == w.fail {
		return checkpoint.Tensor{}, errors.New("disk on fire")
	}
	return w.Weights.Get(name)
}

// captureAll returns every layer's Q|K|V and the logits of toks, by layer.
func captureAll(t *testing.T, m *Model, toks [][]int) (map[int][]float32, error) {
	t.Helper()
	out := map[int][]float32{}
	err := m.CaptureLayers(toks, CaptureOptions{BatchSize: 2, Logits: true}, func(lc LayerChunk) error {
		out[lc.Layer] = append(out[lc.Layer], lc.QKV...)
		out[lc.Layer] = append(out[lc.Layer], lc.Logits...)
		return nil
	})
	return out, err
}

// TestNewBackgroundMatchesNew checks that a forward started while the blocks
// are still loading waits for them and gives New's values bit for bit, and
// that done is called once, after the last block.
func TestNewBackgroundMatchesNew(t *testing.T) {
	cfg := config(3, 24, 4, 16, 30)
	_, w := writeModel(t, cfg, checkpoint.RandomOptions{Seed: 3, Scale: 0.2})
	toks := randomTokens(4, 6, cfg.VocabSize, 7)
	ref := newTestModel(t, cfg, checkpoint.RandomOptions{Seed: 3, Scale: 0.2})
	want, err := captureAll(t, ref, toks)
	if err != nil {
		t.Fatal(err)
	}
	slow := &slowWeights{Weights: w, delay: 5 * time.Millisecond}
	var done atomic.Int32
	m, err := NewBackground(testBackend(t), slow, func() {
		if n := slow.gets.Load(); n != int32(4+12*cfg.NLayers) {
			t.Errorf("done called after %d tensors, want all %d", n, 4+12*cfg.NLayers)
		}
		done.Add(1)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if slow.gets.Load() >= int32(4+12*cfg.NLayers) {
		t.Fatal("NewBackground returned after loading every block; want it to return before")
	}
	got, err := captureAll(t, m, toks)
	if err != nil {
		t.Fatal(err)
	}
	for l, v := range want {
		if !slices.Equal(got[l], v) {
			t.Errorf("layer %d: background-loaded model differs from New's", l)
		}
	}
	if err := m.Wait(); err != nil {
		t.Fatal(err)
	}
	m.Close()
	if n := done.Load(); n != 1 {
		t.Errorf("done called %d times, want 1", n)
	}
}

// TestNewBackgroundBlockError checks that a block that fails to load fails
// the forward that reaches it (and Wait), naming the tensor, and that New
// returns the same error.
func TestNewBackgroundBlockError(t *testing.T) {
	cfg := config(3, 24, 4, 16, 30)
	_, w := writeModel(t, cfg, checkpoint.RandomOptions{Seed: 3})
	bad := &slowWeights{Weights: w, fail: "h.1.mlp.c_fc.weight"}
	m, err := NewBackground(testBackend(t), bad, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	got, err := captureAll(t, m, randomTokens(2, 4, cfg.VocabSize, 1))
	if err == nil || !strings.Contains(err.Error(), "h.1.mlp.c_fc.weight") || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("forward error %v, want one naming h.1.mlp.c_fc.weight", err)
	}
	if len(got[1]) > 0 || len(got[2]) > 0 {
		t.Errorf("layers after the failed block were handed over")
	}
	if err := m.Wait(); err == nil || !strings.Contains(err.Error(), "h.1.mlp.c_fc.weight") {
		t.Errorf("Wait: %v, want the loading error", err)
	}
	if _, err := New(testBackend(t), bad); err == nil || !strings.Contains(err.Error(), "h.1.mlp.c_fc.weight") {
		t.Errorf("New: %v, want the loading error", err)
	}
}

// TestCloseWhileLoading checks that Close stops a background load early and
// that done is still called, once.
func TestCloseWhileLoading(t *testing.T) {
	cfg := config(6, 24, 4, 16, 30)
	_, w := writeModel(t, cfg, checkpoint.RandomOptions{Seed: 3})
	slow := &slowWeights{Weights: w, delay: 20 * time.Millisecond}
	var done atomic.Int32
	m, err := NewBackground(testBackend(t), slow, func() { done.Add(1) })
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	if n := done.Load(); n != 1 {
		t.Fatalf("done called %d times by the time Close returned, want 1", n)
	}
	if n, all := slow.gets.Load(), int32(4+12*cfg.NLayers); n >= all {
		t.Errorf("the load went on to the end (%d of %d tensors) after Close", n, all)
	}
}
