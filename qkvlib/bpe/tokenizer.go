package bpe

import (
	"fmt"
	"strings"
	"sync"
)

// maxCacheEntries bounds the per-Tokenizer cache of encoded pieces.
const maxCacheEntries = 1 << 18

// mergeRule is what a pair of adjacent symbols turns into.
type mergeRule struct {
	rank int32 // line of the rule in merges.txt: lower merges first
	id   int32 // id of the merged symbol
}

// Tokenizer is a GPT-2 byte-level BPE tokenizer. Build it with Load,
// FromFiles or FromTokenizerJSON. It is safe for concurrent use.
type Tokenizer struct {
	vocab      map[string]int // vocabulary entry (bytes_to_unicode form) → id; built on first use from keys
	keys       []string       // id → vocabulary entry, for a compiled tokenizer (see compiled.go)
	vocabOnce  sync.Once
	tokenBytes []string             // id → raw bytes the token stands for
	valid      []bool               // id → whether the id has a token
	byteID     [256]int32           // byte → id of its single-byte token
	merges     map[uint64]mergeRule // pairKey(left, right) → rule

	compiled string // the compiled tokenizer's cache file when Load read it (see encoded.go), else ""

	// A map under a lock, not a sync.Map: a program that uses a Tokenizer
	// would otherwise compile sync.Map's generic internals into its own main
	// package (about 60 ms more for each notebook cell's build).
	cacheMu sync.RWMutex
	cache   map[string][]int // piece → its ids, at most maxCacheEntries
}

func pairKey(left, right int32) uint64 { return uint64(uint32(left))<<32 | uint64(uint32(right)) }

// VocabSize returns the number of token ids: one more than the largest id.
func (t *Tokenizer) VocabSize() int { return len(t.tokenBytes) }

// ID returns the id of a raw vocabulary entry, written as in vocab.json
// (bytes_to_unicode form, e.g. "Ġlike" for " like"), and whether it exists.
func (t *Tokenizer) ID(token string) (int, bool) {
	t.vocabOnce.Do(t.buildVocab)
	id, ok := t.vocab[token]
	return id, ok
}

// Encode returns the token ids of text. The text is taken as bytes: invalid
// UTF-8 is encoded byte by byte and still decodes back to the same bytes.
// The ids of a long text are kept in qkv's cache when Load made t, and read
// back from there the next time (see encoded.go).
//
// Result: [number of tokens] ids in [0, VocabSize()).
func (t *Tokenizer) Encode(text string) []int {
	if len(text) < minCachedText || t.compiled == "" {
		return t.encode(text)
	}
	path := t.encodedPath(text)
	if ids, ok := t.readEncoded(path); ok {
		return ids
	}
	ids := t.encode(text)
	writeEncoded(path, ids)
	return ids
}

// encode is Encode without the cache of long texts.
func (t *Tokenizer) encode(text string) []int {
	ids := make([]int, 0, len(text)/4+1)
	var scratch []int32
	for i := 0; i < len(text); {
		j := nextPiece(text, i)
		piece := text[i:j]
		i = j
		t.cacheMu.RLock()
		cached, ok := t.cache[piece]
		t.cacheMu.RUnlock()
		if ok {
			ids = append(ids, cached...)
			continue
		}
		scratch = t.mergePiece(piece, scratch[:0])
		pieceIDs := make([]int, len(scratch))
		for k, id := range scratch {
			pieceIDs[k] = int(id)
		}
		ids = append(ids, pieceIDs...)
		t.cacheMu.Lock()
		if len(t.cache) < maxCacheEntries {
			if t.cache == nil {
				t.cache = make(map[string][]int)
			}
			t.cache[strings.Clone(piece)] = pieceIDs
		}
		t.cacheMu.Unlock()
	}
	return ids
}

// mergePiece applies the BPE merges to one pre-token, appending the ids of
// its symbols to syms. At each step the adjacent pair with the lowest merge
// rank is merged at all its non-overlapping occurrences, left to right, until
// no pair has a rule: the algorithm of GPT-2's encoder.py.
func (t *Tokenizer) mergePiece(piece string, syms []int32) []int32 {
	for k := 0; k < len(piece); k++ {
		syms = append(syms, t.byteID[piece[k]])
	}
	for len(syms) > 1 {
		best, bestRule := -1, mergeRule{rank: 1<<31 - 1}
		for k := 0; k+1 < len(syms); k++ {
			if rule, ok := t.merges[pairKey(syms[k], syms[k+1])]; ok && rule.rank < bestRule.rank {
				best, bestRule = k, rule
			}
		}
		if best < 0 {
			break
		}
		left, right := syms[best], syms[best+1]
		out := best
		for k := best; k < len(syms); {
			if k+1 < len(syms) && syms[k] == left && syms[k+1] == right {
				syms[out] = bestRule.id
				k += 2
			} else {
				syms[out] = syms[k]
				k++
			}
			out++
		}
		syms = syms[:out]
	}
	return syms
}

// Decode returns the text of ids: the concatenation of the bytes each token
// stands for. The bytes are returned as they are, so ids cut in the middle of
// a multi-byte character give invalid UTF-8 (Python's decode would put U+FFFD
// there). It fails for an id outside the vocabulary.
//
// ids: [number of tokens].
func (t *Tokenizer) Decode(ids []int) (string, error) {
	n := 0
	for pos, id := range ids {
		if id < 0 || id >= len(t.tokenBytes) || !t.valid[id] {
			return "", fmt.Errorf("bpe: decoding token %d (at position %d): %w", id, pos, t.errOutOfRange(id))
		}
		n += len(t.tokenBytes[id])
	}
	out := make([]byte, 0, n)
	for _, id := range ids {
		out = append(out, t.tokenBytes[id]...)
	}
	return string(out), nil
}

// DecodeToken returns the raw bytes that token id stands for (e.g. " like" for
// 588 in GPT-2), or an error for an id outside the vocabulary.
func (t *Tokenizer) DecodeToken(id int) (string, error) {
	if id < 0 || id >= len(t.tokenBytes) || !t.valid[id] {
		return "", fmt.Errorf("bpe: decoding token %d: %w", id, t.errOutOfRange(id))
	}
	return t.tokenBytes[id], nil
}

func (t *Tokenizer) errOutOfRange(id int) error {
	if id >= 0 && id < len(t.tokenBytes) {
		return fmt.Errorf("no vocabulary entry has id %d", id)
	}
	return fmt.Errorf("id %d is outside [0, %d): was it made by another tokenizer?", id, len(t.tokenBytes))
}
