package qkvlib

import (
	"fmt"

	"github.com/qkvport/qkv/qkvlib/gpt2"
	"github.com/qkvport/qkv/qkvlib/stats"
	"github.com/qkvport/qkv/qkvlib/store"
)

// Activations are the stored c_attn outputs of every layer for a batch, the
// book's `activations` dictionary: layer i is "attn_{i}_qkv", [N, T, 3·E].
// Layers are memory-mapped: valid until Close.
type Activations struct {
	s *store.Store
}

// Layer returns layer i's c_attn output: [N, T, 3·E].
func (a *Activations) Layer(i int) (stats.QKV, error) {
	m := a.s.Meta()
	data, err := a.s.Layer(i)
	if err != nil {
		return stats.QKV{}, fmt.Errorf("qkvlib: %s: %w", gpt2.LayerName(i), err)
	}
	return stats.NewQKV(data, m.N, m.T, m.E)
}

// Release lets the operating system drop layer i's pages from memory until
// they are read again; values returned by Layer stay valid.
func (a *Activations) Release(i int) { a.s.Release(i) }

// Names lists the arrays by the book's names, in layer order.
func (a *Activations) Names() []string {
	var out []string
	for _, l := range a.s.Meta().Layers {
		out = append(out, gpt2.LayerName(l))
	}
	return out
}

// Meta describes the stored batch: model, shapes, tokens.
func (a *Activations) Meta() store.Meta { return a.s.Meta() }

// Dir is the store's folder.
func (a *Activations) Dir() string { return a.s.Dir() }

// ExportNPZ writes the given layers (nil: all) and the batch's tokens to a
// numpy .npz file.
func (a *Activations) ExportNPZ(path string, layers []int) error { return a.s.ExportNPZ(path, layers) }

// Close unmaps the layers.
func (a *Activations) Close() error { return a.s.Close() }
