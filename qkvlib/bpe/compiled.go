package bpe

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/qkvport/qkv/internal/atomicfile"
	"github.com/qkvport/qkv/internal/xdg"
)

// A tokenizer's parsed form is kept in qkv's cache ($XDG_CACHE_HOME/qkv/bpe,
// else ~/.cache/qkv/bpe), keyed by its files' paths, sizes and modification
// times, so that a later Load (every notebook cell's) reads it in a few
// milliseconds instead of parsing vocab.json and merges.txt (~80 ms).

// compiledMagic starts a compiled tokenizer; its last byte is the format's version.
const compiledMagic = "qkv-bpe\x01"

// compiledPath returns the cache file of the tokenizer made of files.
func compiledPath(files ...string) (string, error) {
	dir, err := xdg.CacheDir("bpe")
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			return "", err
		}
		fi, err := os.Stat(abs)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00", abs, fi.Size(), fi.ModTime().UnixNano())
	}
	return filepath.Join(dir, hex.EncodeToString(h.Sum(nil)[:16])), nil
}

// loadCompiled returns the tokenizer of files: from the cache when it holds
// it, else parsed by parse and then cached (a cache that cannot be written
// is not an error).
func loadCompiled(parse func() (*Tokenizer, error), files ...string) (*Tokenizer, error) {
	path, err := compiledPath(files...)
	if err == nil {
		if b, err := os.ReadFile(path); err == nil {
			if t, err := unmarshalTokenizer(b); err == nil {
				t.compiled = path
				return t, nil
			}
		}
	}
	t, perr := parse()
	if perr != nil || err != nil {
		return t, perr
	}
	if os.MkdirAll(filepath.Dir(path), 0o755) == nil {
		_ = atomicfile.WriteFile(path, t.marshalBinary())
	}
	t.compiled = path
	return t, nil
}

// marshalBinary writes the tokenizer's tables: every id's vocabulary entry
// and bytes, the byte tokens and the merge rules.
func (t *Tokenizer) marshalBinary() []byte {
	t.vocabOnce.Do(t.buildVocab)
	keys := make([]string, len(t.tokenBytes))
	for k, id := range t.vocab {
		keys[id] = k
	}
	b := []byte(compiledMagic)
	b = binary.AppendUvarint(b, uint64(len(t.tokenBytes)))
	for id, s := range t.tokenBytes {
		if !t.valid[id] {
			b = append(b, 0)
			continue
		}
		b = append(b, 1)
		b = appendString(appendString(b, keys[id]), s)
	}
	for _, id := range t.byteID {
		b = binary.AppendUvarint(b, uint64(id))
	}
	b = binary.AppendUvarint(b, uint64(len(t.merges)))
	for k, r := range t.merges {
		b = binary.LittleEndian.AppendUint64(b, k)
		b = binary.AppendUvarint(b, uint64(r.rank))
		b = binary.AppendUvarint(b, uint64(r.id))
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// errCompiled is the error of a damaged compiled tokenizer (parsed again).
var errCompiled = errors.New("bpe: damaged compiled tokenizer")

// unmarshalTokenizer reads marshalBinary's output. The vocabulary map, only
// needed by ID, is built on first use.
func unmarshalTokenizer(data []byte) (*Tokenizer, error) {
	if len(data) < len(compiledMagic) || string(data[:len(compiledMagic)]) != compiledMagic {
		return nil, errCompiled
	}
	all := string(data) // one copy; every string below is a slice of it
	r := &reader{s: all, i: len(compiledMagic)}
	size := r.uvarint()
	if r.err != nil || size > maxVocabID {
		return nil, errCompiled
	}
	t := &Tokenizer{tokenBytes: make([]string, size), valid: make([]bool, size), keys: make([]string, size)}
	for id := range t.tokenBytes {
		if r.byte() == 1 {
			t.keys[id], t.tokenBytes[id], t.valid[id] = r.string(), r.string(), true
		}
	}
	for b := range t.byteID {
		t.byteID[b] = int32(r.uvarint())
	}
	n := r.uvarint()
	if r.err != nil || n > uint64(len(all)) {
		return nil, errCompiled
	}
	t.merges = make(map[uint64]mergeRule, n)
	for range n {
		k := r.uint64()
		rank, id := r.uvarint(), r.uvarint()
		t.merges[k] = mergeRule{rank: int32(rank), id: int32(id)}
	}
	if r.err != nil || r.i != len(all) {
		return nil, errCompiled
	}
	return t, nil
}

// reader reads marshalBinary's fields, remembering the first error.
type reader struct {
	s   string
	i   int
	err error
}

func (r *reader) byte() byte {
	if r.i >= len(r.s) {
		r.err = errCompiled
		return 0
	}
	r.i++
	return r.s[r.i-1]
}

func (r *reader) uvarint() uint64 {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	r.err = errCompiled
	return 0
}

func (r *reader) uint64() uint64 {
	if r.i+8 > len(r.s) {
		r.err = errCompiled
		return 0
	}
	var v uint64
	for k := 7; k >= 0; k-- {
		v = v<<8 | uint64(r.s[r.i+k])
	}
	r.i += 8
	return v
}

func (r *reader) string() string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.s)-r.i) {
		r.err = errCompiled
		return ""
	}
	r.i += int(n)
	return r.s[r.i-int(n) : r.i]
}

// buildVocab fills the vocabulary map from keys (a compiled tokenizer's).
func (t *Tokenizer) buildVocab() {
	if t.vocab != nil {
		return
	}
	t.vocab = make(map[string]int, len(t.keys))
	for id, k := range t.keys {
		if t.valid[id] {
			t.vocab[k] = id
		}
	}
}
