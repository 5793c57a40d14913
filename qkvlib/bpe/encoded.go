package bpe

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"os"

	"github.com/qkvport/qkv/internal/atomicfile"
)

// The ids of a long text (minCachedText bytes or more, such as the book that
// every notebook cell encodes at its start) are kept beside the compiled
// tokenizer that Load read (see compiled.go), in a file named by the text's
// SHA-256. Encode reads them back in under a millisecond for The Great
// Gatsby's 82,439 tokens, instead of encoding the book again (about 18 ms
// with an empty cache of pieces, as a new program has).

// minCachedText is the length of the shortest text whose ids Encode keeps.
const minCachedText = 1 << 16

// encodedMagic starts a file of ids; its last byte is the version of what
// Encode returns: change it with any change to Encode's ids, and every kept
// file is encoded again.
const encodedMagic = "qkv-ids\x01"

// encodedPath returns the file that holds the ids of text.
func (t *Tokenizer) encodedPath(text string) string {
	h := sha256.New()
	_, _ = io.WriteString(h, text)
	return t.compiled + "-" + hex.EncodeToString(h.Sum(nil)[:16]) + ".ids"
}

// readEncoded returns the ids kept at path, if the file is whole (its magic,
// the count it gives) and every id is one of t's.
func (t *Tokenizer) readEncoded(path string) ([]int, bool) {
	data, err := os.ReadFile(path)
	head := len(encodedMagic) + 8
	if err != nil || len(data) < head || string(data[:len(encodedMagic)]) != encodedMagic {
		return nil, false
	}
	n := binary.LittleEndian.Uint64(data[len(encodedMagic):])
	body := data[head:]
	if uint64(len(body)) != 4*n {
		return nil, false
	}
	ids := make([]int, n)
	for i := range ids {
		id := binary.LittleEndian.Uint32(body[4*i:])
		if int(id) >= len(t.valid) || !t.valid[id] {
			return nil, false
		}
		ids[i] = int(id)
	}
	return ids, true
}

// writeEncoded keeps ids at path: the magic, their count (uint64) and each
// id (uint32), little-endian. A cache that cannot be written is not an error.
func writeEncoded(path string, ids []int) {
	b := append(make([]byte, 0, len(encodedMagic)+8+4*len(ids)), encodedMagic...)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(ids)))
	for _, id := range ids {
		b = binary.LittleEndian.AppendUint32(b, uint32(id))
	}
	_ = atomicfile.WriteFile(path, b)
}
