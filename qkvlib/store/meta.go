package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// FormatVersion is the version of the on-disk layout written by this package.
// Open refuses a store of another version.
const FormatVersion = 1

// Meta describes a store. It is written as meta.json.
type Meta struct {
	FormatVersion int       `json:"format_version"` // set by Create
	Created       time.Time `json:"created"`        // set by Commit when zero
	Model         string    `json:"model"`          // e.g. "gpt2-large"
	Revision      string    `json:"revision"`       // model revision (commit hash) or "" when unknown
	TextSHA256    string    `json:"text_sha256"`    // hex sha256 of the text
	TargetWord    string    `json:"target_word"`    // e.g. " like"
	TargetID      int       `json:"target_id"`      // e.g. 588
	Context       int       `json:"context"`        // tokens before the target, e.g. 50

	N       int   `json:"n"`        // sequences in the batch
	T       int   `json:"t"`        // tokens per sequence (Context+1)
	NEmb    int   `json:"n_emb"`    // embedding width; a row holds 3·NEmb values
	NLayers int   `json:"n_layers"` // layers in the model
	NHeads  int   `json:"n_heads"`  // attention heads per layer
	Layers  []int `json:"layers"`   // layers present, increasing, each in [0, NLayers)

	// Tokens is the batch: [N][T] token ids, the target last in each row.
	Tokens [][]int `json:"tokens"`
}

// LayerLen returns the number of float32 values in one layer: N·T·3E.
func (m Meta) LayerLen() int { return m.N * m.T * 3 * m.NEmb }

// HasLayer reports whether layer i is in m.Layers.
func (m Meta) HasLayer(i int) bool {
	_, ok := slices.BinarySearch(m.Layers, i)
	return ok
}

// LayerName is the book's name of layer i's captured c_attn output,
// "attn_{i}_qkv": the store's file of it is LayerName(i)+".f32", and an
// exported .npz holds it under that name.
func LayerName(i int) string { return fmt.Sprintf("attn_%d_qkv", i) }

// LayerFile returns the file name of layer i inside a store folder.
func LayerFile(i int) string { return LayerName(i) + ".f32" }

// UnmarshalJSON reads a meta.json, also one written before n_emb was called
// "e" (qkv up to 2026-12).
func (m *Meta) UnmarshalJSON(b []byte) error {
	type plain Meta
	var v struct {
		plain
		LegacyE int `json:"e"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*m = Meta(v.plain)
	if m.NEmb == 0 {
		m.NEmb = v.LegacyE
	}
	return nil
}

// validate checks the shapes are consistent.
func (m *Meta) validate() error {
	switch {
	case m.N <= 0 || m.T <= 0 || m.NEmb <= 0:
		return fmt.Errorf("store: meta has N=%d T=%d n_emb=%d; all must be positive", m.N, m.T, m.NEmb)
	case m.NLayers <= 0:
		return fmt.Errorf("store: meta has n_layers=%d; it must be positive", m.NLayers)
	case len(m.Layers) == 0:
		return fmt.Errorf("store: meta lists no layers")
	case len(m.Tokens) != m.N:
		return fmt.Errorf("store: meta has %d token rows, want N=%d", len(m.Tokens), m.N)
	}
	if m.N > (1<<62)/m.T/(12*m.NEmb) {
		return fmt.Errorf("store: N=%d T=%d n_emb=%d is too large", m.N, m.T, m.NEmb)
	}
	for i, row := range m.Tokens {
		if len(row) != m.T {
			return fmt.Errorf("store: meta token row %d has %d tokens, want T=%d", i, len(row), m.T)
		}
	}
	for k, l := range m.Layers {
		if l < 0 || l >= m.NLayers || (k > 0 && l <= m.Layers[k-1]) {
			return fmt.Errorf("store: meta layers %v must increase within [0, %d)", m.Layers, m.NLayers)
		}
	}
	return nil
}

// Key returns the store key for the given fields: the first 32 hex digits of
// the sha256 of the fields (each length-prefixed, so ("ab","c") and ("a","bc")
// differ). Pass everything the activations depend on, e.g.
//
//	store.Key("gpt2-large", revision, textSHA256, "588", "50", "layers=0-35")
func Key(fields ...string) string {
	h := sha256.New()
	var n [8]byte
	for _, f := range fields {
		binary.LittleEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}
