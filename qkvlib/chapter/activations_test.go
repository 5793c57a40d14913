package chapter

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/qkvport/qkv/qkvlib/checkpoint"
	"github.com/qkvport/qkv/qkvlib/store"
)

// TestActivationsKey checks that the store key follows the model revision,
// the batch's tokens and the layers, and nothing else.
func TestActivationsKey(t *testing.T) {
	m := &Model{Name: "m", Repo: "org/m", Revision: "abc", Config: checkpoint.Config{NLayers: 4}}
	other := *m
	other.Revision = "def"
	batch := [][]int{{1, 2, 3}, {4, 5, 6}}
	base := NewActivations(m, batch, nil, Options{})
	tests := []struct {
		name string
		a    *Activations
		same bool
	}{
		{"same inputs", NewActivations(m, [][]int{{1, 2, 3}, {4, 5, 6}}, nil, Options{}), true},
		{"every layer listed", NewActivations(m, batch, []int{3, 2, 1, 0, 0}, Options{}), true},
		{"another cache folder", NewActivations(m, batch, nil, Options{CacheDir: t.TempDir()}), true},
		{"another revision", NewActivations(&other, batch, nil, Options{}), false},
		{"another token", NewActivations(m, [][]int{{1, 2, 3}, {4, 5, 7}}, nil, Options{}), false},
		{"rows split otherwise", NewActivations(m, [][]int{{1, 2, 3, 4}, {5, 6}}, nil, Options{}), false},
		{"fewer layers", NewActivations(m, batch, []int{0, 2}, Options{}), false},
	}
	for _, tc := range tests {
		if got := tc.a.Key() == base.Key(); got != tc.same {
			t.Errorf("%s: same key = %v, want %v", tc.name, got, tc.same)
		}
	}
}

// fakeEngine stores zeros for every capture and counts them.
type fakeEngine struct{ captures int }

func (e *fakeEngine) Fetch(context.Context, Fetch, Options) error {
	return errors.New("no network here")
}

func (e *fakeEngine) Capture(_ context.Context, a *Activations) error {
	e.captures++
	root, err := a.Root()
	if err != nil {
		return err
	}
	n, t := len(a.Batch), len(a.Batch[0])
	w, err := store.Create(root, a.Key(), store.Meta{Model: a.Model.Name, Revision: a.Model.Revision, N: n, T: t,
		NEmb: a.Model.Config.NEmb, NLayers: a.Model.Config.NLayers, NHeads: 1, Layers: a.Layers, Tokens: a.Batch})
	if err != nil {
		return err
	}
	for _, l := range a.Layers {
		lw, err := w.Layer(l)
		if err != nil {
			return err
		}
		if err := lw.Write(make([]float32, n*t*3*a.Model.Config.NEmb)); err != nil {
			return err
		}
	}
	return w.Commit()
}

// TestActivationsCaptureOnFirstUse checks that the first Layer of a batch
// the store lacks captures it once, saying why, and that later ones read it.
func TestActivationsCaptureOnFirstUse(t *testing.T) {
	m := &Model{Name: "m", Revision: "abc", Config: checkpoint.Config{NLayers: 4, NEmb: 2, NPositions: 8}}
	var log strings.Builder
	eng := &fakeEngine{}
	opt := Options{CacheDir: t.TempDir(), Log: &log, Engine: eng}
	a := NewActivations(m, [][]int{{1, 2}, {3, 2}}, []int{0, 2}, opt)
	if a.Stored() {
		t.Fatal("Stored() is true for an empty cache")
	}
	x, err := a.Layer(2)
	if err != nil {
		t.Fatal(err)
	}
	if got := x.Shape(); got[0] != 2 || got[1] != 2 || got[2] != 6 || eng.captures != 1 {
		t.Fatalf("Layer(2) = %v after %d captures, want [2 2 6] after 1", got, eng.captures)
	}
	if !strings.Contains(log.String(), "Running GPT-2 over 2 windows of 2 tokens: no activations of m are stored yet") {
		t.Errorf("log of the first capture:\n%s", log.String())
	}
	if _, err := a.Layer(0); err != nil || eng.captures != 1 {
		t.Fatalf("Layer(0): %v after %d captures, want none more", err, eng.captures)
	}
	log.Reset()
	b := NewActivations(m, [][]int{{1, 2, 5}}, []int{0, 2}, opt)
	if err := b.Capture(context.Background()); err != nil || eng.captures != 2 {
		t.Fatalf("Capture of another batch: %v after %d captures", err, eng.captures)
	}
	for _, want := range []string{"the target changed from \"token 2\" to \"token 5\"", "the context changed from 1 to 2 tokens", "1 windows instead of 2"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log of the second capture lacks %q:\n%s", want, log.String())
		}
	}
	if err := NewActivations(m, [][]int{{1, 2}, {3, 2}}, []int{2, 0}, opt).Capture(context.Background()); err != nil || eng.captures != 2 {
		t.Errorf("the first batch again: %v after %d captures, want none more", err, eng.captures)
	}
}

func TestActivationsErrors(t *testing.T) {
	m := &Model{Name: "m", Revision: "abc", Config: checkpoint.Config{NLayers: 4, NEmb: 2, NPositions: 3}}
	eng := &fakeEngine{}
	opt := Options{CacheDir: t.TempDir(), Engine: eng}
	a := NewActivations(m, [][]int{{1, 2}}, []int{0, 2}, opt)
	for _, tc := range []struct {
		call func() error
		want string
	}{
		{func() error { _, err := a.Layer(1); return err }, "layer 1 was not hooked (hook_layers [0 2])"},
		{func() error { _, err := a.Layer(7); return err }, "layer 7 does not exist: m has layers 0 to 3"},
		{func() error { _, err := a.Get("attn_x_qkv"); return err }, "not a name of the form attn_{i}_qkv"},
		{func() error { _, err := NewActivations(m, nil, nil, opt).Layer(0); return err }, "the batch is empty"},
		{func() error { _, err := NewActivations(m, [][]int{{1, 2}, {1, 3}}, nil, opt).Layer(0); return err },
			"every row of the batch must end on the target token; row 0 ends on 2, row 1 on 3"},
		{func() error { _, err := NewActivations(m, [][]int{{1, 2}, {2}}, nil, opt).Layer(0); return err }, "row 1 of the batch holds 1 tokens"},
		{func() error { _, err := NewActivations(m, [][]int{{1, 2, 3, 4}}, nil, opt).Layer(0); return err }, "more than m's 3 positions"},
		{func() error { _, err := NewActivations(m, [][]int{{1, 2}}, []int{5}, opt).Layer(5); return err }, "layer 5 does not exist"},
		{func() error { _, err := NewActivations(nil, [][]int{{1, 2}}, nil, opt).Layer(0); return err }, "activations of no model"},
	} {
		if err := tc.call(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one containing %q", err, tc.want)
		}
	}
	if eng.captures != 0 {
		t.Errorf("%d captures of batches that cannot be captured", eng.captures)
	}
	if got := a.Names(); strings.Join(got, ",") != "attn_0_qkv,attn_2_qkv" {
		t.Errorf("Names() = %v", got)
	}
}
