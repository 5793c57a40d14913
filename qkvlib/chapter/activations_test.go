package chapter

import (
	"strings"
	"testing"

	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

// TestActivationsKey checks that the store key follows the model revision,
// the batch's tokens and the layers, and nothing else.
func TestActivationsKey(t *testing.T) {
	m := &Model{Name: "m", Repo: "org/m", Revision: "abc", Config: checkpoint.Config{NLayers: 4}}
	other := *m
	other.Revision = "def"
	batch := [][]int{{1, 2, 3}, {4, 5, 6}}
	base := NewActivations(m, batch, nil, "")
	tests := []struct {
		name string
		a    *Activations
		same bool
	}{
		{"same inputs", NewActivations(m, [][]int{{1, 2, 3}, {4, 5, 6}}, nil, ""), true},
		{"every layer listed", NewActivations(m, batch, []int{3, 2, 1, 0, 0}, ""), true},
		{"another cache folder", NewActivations(m, batch, nil, t.TempDir()), true},
		{"another revision", NewActivations(&other, batch, nil, ""), false},
		{"another token", NewActivations(m, [][]int{{1, 2, 3}, {4, 5, 7}}, nil, ""), false},
		{"rows split otherwise", NewActivations(m, [][]int{{1, 2, 3, 4}, {5, 6}}, nil, ""), false},
		{"fewer layers", NewActivations(m, batch, []int{0, 2}, ""), false},
	}
	for _, tc := range tests {
		if got := tc.a.Key() == base.Key(); got != tc.same {
			t.Errorf("%s: same key = %v, want %v", tc.name, got, tc.same)
		}
	}
}

func TestActivationsErrors(t *testing.T) {
	m := &Model{Name: "m", Revision: "abc", Config: checkpoint.Config{NLayers: 4}}
	a := NewActivations(m, [][]int{{1, 2}}, []int{0, 2}, t.TempDir())
	for _, tc := range []struct {
		call func() error
		want string
	}{
		{func() error { _, err := a.Layer(1); return err }, "layer 1 was not captured (layers [0 2]"},
		{func() error { _, err := a.Layer(2); return err }, "has not been captured on this batch"},
		{func() error { _, err := a.Get("attn_x_qkv"); return err }, "not a name of the form attn_{i}_qkv"},
	} {
		if err := tc.call(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one containing %q", err, tc.want)
		}
	}
	if a.Stored() {
		t.Error("Stored() is true for an empty cache")
	}
	if got := a.Names(); strings.Join(got, ",") != "attn_0_qkv,attn_2_qkv" {
		t.Errorf("Names() = %v", got)
	}
}
