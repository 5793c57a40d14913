package bpe

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Load reads a tokenizer from dir: from vocab.json and merges.txt when both
// are there, else from tokenizer.json. The parsed tables are kept in qkv's
// cache, so that the next Load of the same files takes milliseconds.
func Load(dir string) (*Tokenizer, error) {
	vocabPath := filepath.Join(dir, "vocab.json")
	mergesPath := filepath.Join(dir, "merges.txt")
	if exists(vocabPath) && exists(mergesPath) {
		return loadCompiled(func() (*Tokenizer, error) { return FromFiles(vocabPath, mergesPath) }, vocabPath, mergesPath)
	}
	jsonPath := filepath.Join(dir, "tokenizer.json")
	if exists(jsonPath) {
		return loadCompiled(func() (*Tokenizer, error) { return FromTokenizerJSON(jsonPath) }, jsonPath)
	}
	return nil, fmt.Errorf("bpe: %s holds neither vocab.json with merges.txt nor tokenizer.json: point Load at a GPT-2 tokenizer folder", dir)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// FromFiles reads a tokenizer from GPT-2's vocab.json (a JSON object from
// vocabulary entry to id) and merges.txt (an optional "#version" line, then
// one merge rule "left right" per line, highest priority first).
func FromFiles(vocabPath, mergesPath string) (*Tokenizer, error) {
	vocab, err := readVocabJSON(vocabPath)
	if err != nil {
		return nil, err
	}
	merges, err := readMergesTxt(mergesPath)
	if err != nil {
		return nil, err
	}
	t, err := newTokenizer(vocab, merges, nil)
	if err != nil {
		return nil, fmt.Errorf("bpe: %s with %s: %w", vocabPath, mergesPath, err)
	}
	return t, nil
}

func readVocabJSON(path string) (map[string]int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bpe: reading vocabulary: %w", err)
	}
	var vocab map[string]int
	if err := json.Unmarshal(data, &vocab); err != nil {
		return nil, fmt.Errorf("bpe: %s is not a vocab.json (want a JSON object from token to integer id): %w", path, err)
	}
	return vocab, nil
}

func readMergesTxt(path string) ([][2]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bpe: reading merges: %w", err)
	}
	var merges [][2]string
	scanner := bufio.NewScanner(bytes.NewReader(data))
	scanner.Buffer(nil, 1<<20)
	for line := 1; scanner.Scan(); line++ {
		text := scanner.Text()
		if line == 1 && strings.HasPrefix(text, "#version") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		if len(fields) != 2 {
			return nil, fmt.Errorf("bpe: %s line %d is %q: a merges.txt line holds two tokens separated by a space", path, line, text)
		}
		merges = append(merges, [2]string{fields[0], fields[1]})
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("bpe: reading merges %s: %w", path, err)
	}
	return merges, nil
}

// tokenizerJSON is the part of a HuggingFace tokenizers file that a BPE
// tokenizer needs.
type tokenizerJSON struct {
	AddedTokens []struct {
		ID      int    `json:"id"`
		Content string `json:"content"`
	} `json:"added_tokens"`
	Model *struct {
		Type         string            `json:"type"`
		Vocab        map[string]int    `json:"vocab"`
		Merges       []json.RawMessage `json:"merges"`
		IgnoreMerges bool              `json:"ignore_merges"`
	} `json:"model"`
}

// FromTokenizerJSON reads a tokenizer from a HuggingFace tokenizers file: its
// model.vocab and model.merges (rules written "left right" or ["left",
// "right"]). Added tokens missing from model.vocab are kept for decoding.
// The file's pre-tokenizer settings are not read: GPT-2's are assumed.
func FromTokenizerJSON(path string) (*Tokenizer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bpe: reading tokenizer: %w", err)
	}
	var file tokenizerJSON
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("bpe: %s is not a tokenizer.json (want HuggingFace tokenizers JSON): %w", path, err)
	}
	m := file.Model
	switch {
	case m == nil || m.Vocab == nil || m.Merges == nil:
		return nil, fmt.Errorf("bpe: %s has no model.vocab and model.merges: want a HuggingFace tokenizers JSON of a BPE model", path)
	case m.Type != "" && m.Type != "BPE":
		return nil, fmt.Errorf("bpe: %s holds a %q model, want a BPE one", path, m.Type)
	case m.IgnoreMerges:
		return nil, fmt.Errorf("bpe: %s sets model.ignore_merges, which GPT-2 byte-level BPE does not do", path)
	}
	merges := make([][2]string, len(m.Merges))
	for k, raw := range m.Merges {
		var text string
		if err := json.Unmarshal(raw, &text); err == nil {
			fields := strings.Fields(text)
			if len(fields) != 2 {
				return nil, fmt.Errorf("bpe: %s model.merges[%d] is %q: want two tokens separated by a space", path, k, text)
			}
			merges[k] = [2]string{fields[0], fields[1]}
			continue
		}
		var pair []string
		if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
			return nil, fmt.Errorf("bpe: %s model.merges[%d] is %s: want \"left right\" or [\"left\", \"right\"]", path, k, raw)
		}
		merges[k] = [2]string{pair[0], pair[1]}
	}
	added := make(map[int]string)
	for _, a := range file.AddedTokens {
		added[a.ID] = a.Content
	}
	t, err := newTokenizer(m.Vocab, merges, added)
	if err != nil {
		return nil, fmt.Errorf("bpe: %s: %w", path, err)
	}
	return t, nil
}

// maxVocabID bounds ids so that a corrupt file cannot make us allocate
// gigabytes.
const maxVocabID = 1 << 24

// newTokenizer checks and indexes a vocabulary and its merge rules (highest
// priority first). added holds extra tokens by id (raw text, not in
// bytes_to_unicode form) for ids the vocabulary lacks.
func newTokenizer(vocab map[string]int, merges [][2]string, added map[int]string) (*Tokenizer, error) {
	if len(vocab) == 0 {
		return nil, errors.New("the vocabulary is empty")
	}
	size := 0
	for token, id := range vocab {
		if id < 0 || id >= maxVocabID {
			return nil, fmt.Errorf("vocabulary entry %q has id %d, want one in [0, %d)", token, id, maxVocabID)
		}
		size = max(size, id+1)
	}
	for id := range added {
		if id >= 0 && id < maxVocabID {
			size = max(size, id+1)
		}
	}
	symbols := byteSymbols()
	inverse := make(map[rune]byte, 256)
	for b, r := range symbols {
		inverse[r] = byte(b)
	}
	t := &Tokenizer{
		vocab:      make(map[string]int, len(vocab)+len(added)),
		tokenBytes: make([]string, size),
		valid:      make([]bool, size),
		merges:     make(map[uint64]mergeRule, len(merges)),
	}
	for token, id := range vocab {
		if t.valid[id] {
			return nil, fmt.Errorf("vocabulary entries %q and %q share id %d", symbolBytes(token, inverse), t.tokenBytes[id], id)
		}
		t.vocab[token] = id
		t.tokenBytes[id] = symbolBytes(token, inverse)
		t.valid[id] = true
	}
	for id, content := range added {
		if id >= 0 && id < size && !t.valid[id] {
			t.vocab[content] = id
			t.tokenBytes[id] = content
			t.valid[id] = true
		}
	}
	for b, r := range symbols {
		id, ok := vocab[string(r)]
		if !ok {
			return nil, fmt.Errorf("the vocabulary lacks %q, the token of byte 0x%02x: it is not a byte-level BPE vocabulary", string(r), b)
		}
		t.byteID[b] = int32(id)
	}
	for rank, m := range merges {
		left, okL := vocab[m[0]]
		right, okR := vocab[m[1]]
		merged, okM := vocab[m[0]+m[1]]
		if !okL || !okR || !okM {
			return nil, fmt.Errorf("merge rule %d (%q %q) or its result %q is missing from the vocabulary: vocabulary and merges do not belong together", rank+1, m[0], m[1], m[0]+m[1])
		}
		// A repeated rule takes its last rank, as in the reference encoder's
		// dict(zip(merges, range(len(merges)))).
		t.merges[pairKey(int32(left), int32(right))] = mergeRule{rank: int32(rank), id: int32(merged)}
	}
	return t, nil
}
