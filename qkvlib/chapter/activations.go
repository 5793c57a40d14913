package chapter

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	"github.com/qkvport/qkv/qkvlib/stats"
	"github.com/qkvport/qkv/qkvlib/store"
)

// Activations are the book's `activations` dictionary: the c_attn output of
// the chosen layers of a model on a batch, "attn_{i}_qkv" [N, T, 3·E], kept in
// the on-disk store under a key made of the model's revision, the batch's
// tokens and the layers. A capture (qkvlib.Capture) fills the store once;
// Layer reopens it memory-mapped, in about a millisecond, in any later program.
type Activations struct {
	Model  *Model
	Batch  [][]int // [N, T]: the target last in each row
	Layers []int   // increasing

	// TargetWord and TextSHA256 describe the batch in the store's meta.json
	// (optional; they are not part of the key).
	TargetWord, TextSHA256 string

	cacheDir string
	key      string
	s        *store.Store
}

// NewActivations names the activations of layers (nil: every layer) of model
// on batch, in the store under cacheDir ("" = $XDG_CACHE_HOME/qkv/acts or
// ~/.cache/qkv/acts). Nothing is read until Layer is called.
func NewActivations(model *Model, batch [][]int, layers []int, cacheDir string) *Activations {
	if layers == nil {
		for i := range model.Config.NLayers {
			layers = append(layers, i)
		}
	}
	layers = slices.Clone(layers)
	slices.Sort(layers)
	layers = slices.Compact(layers)
	return &Activations{Model: model, Batch: batch, Layers: layers, cacheDir: cacheDir,
		key: store.Key("qkvlib-capture-v2", model.Repo, model.Revision, TokensHash(batch), fmt.Sprint(layers))}
}

// LayerName is the book's name of layer i's c_attn output, "attn_{i}_qkv".
func LayerName(i int) string { return fmt.Sprintf("attn_%d_qkv", i) }

// Key is the activations' key in the store.
func (a *Activations) Key() string { return a.key }

// Root is the store's root folder.
func (a *Activations) Root() (string, error) {
	if a.cacheDir != "" {
		return a.cacheDir, nil
	}
	return store.DefaultRoot()
}

// Stored reports whether the store holds these activations.
func (a *Activations) Stored() bool { return a.open() == nil }

// open opens the store once.
func (a *Activations) open() error {
	if a.s != nil {
		return nil
	}
	root, err := a.Root()
	if err != nil {
		return err
	}
	s, err := store.Open(root, a.key)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("chapter: %s has not been captured on this batch (%d sequences) yet: run the capture first (the notebook's capture cell, qkvlib.Capture): %w",
			a.Model.Name, len(a.Batch), err)
	}
	if err != nil {
		return err
	}
	a.s = s
	return nil
}

// Layer returns layer i's c_attn output, activations[f'attn_{i}_qkv']:
// [N, T, 3·E], memory-mapped (valid until Close).
func (a *Activations) Layer(i int) (stats.QKV, error) {
	if _, ok := slices.BinarySearch(a.Layers, i); !ok {
		return stats.QKV{}, fmt.Errorf("chapter: layer %d was not captured (layers %v; the model has layers 0 to %d)", i, a.Layers, a.Model.Config.NLayers-1)
	}
	if err := a.open(); err != nil {
		return stats.QKV{}, err
	}
	m := a.s.Meta()
	data, err := a.s.Layer(i)
	if err != nil {
		return stats.QKV{}, fmt.Errorf("chapter: %s: %w", LayerName(i), err)
	}
	return stats.NewQKV(data, m.N, m.T, m.E)
}

// Get returns the layer by its name, activations["attn_6_qkv"].
func (a *Activations) Get(name string) (stats.QKV, error) {
	var i int
	if _, err := fmt.Sscanf(name, "attn_%d_qkv", &i); err != nil || LayerName(i) != name {
		return stats.QKV{}, fmt.Errorf("chapter: %q is not a name of the form attn_{i}_qkv", name)
	}
	return a.Layer(i)
}

// Names lists the layers by the book's names, in layer order.
func (a *Activations) Names() []string {
	var out []string
	for _, l := range a.Layers {
		out = append(out, LayerName(l))
	}
	return out
}

// Release lets the operating system drop layer i's pages from memory until
// they are read again; values returned by Layer stay valid.
func (a *Activations) Release(i int) {
	if a.s != nil {
		a.s.Release(i)
	}
}

// Meta describes the stored batch: model, shapes, tokens.
func (a *Activations) Meta() (store.Meta, error) {
	if err := a.open(); err != nil {
		return store.Meta{}, err
	}
	return a.s.Meta(), nil
}

// Dir is the store's folder ("" until opened).
func (a *Activations) Dir() string {
	if a.s == nil {
		return ""
	}
	return a.s.Dir()
}

// ExportNPZ writes the given layers (nil: all) and the batch's tokens to a
// numpy .npz file.
func (a *Activations) ExportNPZ(path string, layers []int) error {
	if err := a.open(); err != nil {
		return err
	}
	return a.s.ExportNPZ(path, layers)
}

// Close unmaps the layers.
func (a *Activations) Close() error {
	if a.s == nil {
		return nil
	}
	err := a.s.Close()
	a.s = nil
	return err
}

// TokensHash is a hex sha256 of a batch of token ids.
func TokensHash(batch [][]int) string {
	h := sha256.New()
	var b [4]byte
	for _, row := range batch {
		binary.LittleEndian.PutUint32(b[:], uint32(len(row)))
		h.Write(b[:])
		for _, id := range row {
			binary.LittleEndian.PutUint32(b[:], uint32(id))
			h.Write(b[:])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
