package store

import (
	"fmt"

	"github.com/qkvport/qkv/qkvlib/npz"
)

// ExportNPZ writes the store as a NumPy .npz archive at path (atomically,
// through a temporary file): "tokens", int64 [N, T], and for each of layers
// (all the store's layers when nil) "attn_{i}_qkv", float32 [N, T, 3·E], the
// names the book's notebook uses. Data streams from the mapped files.
func (s *Store) ExportNPZ(path string, layers []int) (err error) {
	if layers == nil {
		layers = s.meta.Layers
	}
	for _, i := range layers {
		if !s.meta.HasLayer(i) {
			return fmt.Errorf("store: exporting layer %d: not in %s (it holds layers %v)", i, s.dir, s.meta.Layers)
		}
	}
	w, err := npz.Create(path)
	if err != nil {
		return fmt.Errorf("store: exporting: %w", err)
	}
	defer func() {
		if err != nil {
			w.Abort()
		}
	}()
	m := s.meta
	tok, err := w.Int64Array("tokens", []int{m.N, m.T})
	if err != nil {
		return fmt.Errorf("store: exporting: %w", err)
	}
	row := make([]int64, m.T)
	for _, r := range m.Tokens {
		for j, t := range r {
			row[j] = int64(t)
		}
		if err := tok.Write(row); err != nil {
			return fmt.Errorf("store: exporting tokens: %w", err)
		}
	}
	if err := tok.Close(); err != nil {
		return fmt.Errorf("store: exporting tokens: %w", err)
	}
	for _, i := range layers {
		data, err := s.Layer(i)
		if err != nil {
			return err
		}
		if err := w.WriteFloat32(LayerName(i), []int{m.N, m.T, 3 * m.NEmb}, data); err != nil {
			return fmt.Errorf("store: exporting layer %d: %w", i, err)
		}
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("store: exporting: %w", err)
	}
	return nil
}
