package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
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
	E       int   `json:"e"`        // embedding width (n_embd); a row holds 3·E values
	NLayers int   `json:"n_layers"` // layers in the model
	NHeads  int   `json:"n_heads"`  // attention heads per layer
	Layers  []int `json:"layers"`   // layers present, increasing, each in [0, NLayers)

	// Tokens is the batch: [N][T] token ids, the target last in each row.
	Tokens [][]int `json:"tokens"`
}

// LayerLen returns the number of float32 values in one layer: N·T·3E.
func (m Meta) LayerLen() int { return m.N * m.T * 3 * m.E }

// HasLayer reports whether layer i is in m.Layers.
func (m Meta) HasLayer(i int) bool {
	_, ok := slices.BinarySearch(m.Layers, i)
	return ok
}

// LayerFile returns the file name of layer i inside a store folder.
func LayerFile(i int) string { return fmt.Sprintf("attn_%d_qkv.f32", i) }

// validate checks the shapes are consistent.
func (m *Meta) validate() error {
	switch {
	case m.N <= 0 || m.T <= 0 || m.E <= 0:
		return fmt.Errorf("store: meta has N=%d T=%d E=%d; all must be positive", m.N, m.T, m.E)
	case m.NLayers <= 0:
		return fmt.Errorf("store: meta has n_layers=%d; it must be positive", m.NLayers)
	case len(m.Layers) == 0:
		return fmt.Errorf("store: meta lists no layers")
	case len(m.Tokens) != m.N:
		return fmt.Errorf("store: meta has %d token rows, want N=%d", len(m.Tokens), m.N)
	}
	if m.N > (1<<62)/m.T/(12*m.E) {
		return fmt.Errorf("store: N=%d T=%d E=%d is too large", m.N, m.T, m.E)
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
