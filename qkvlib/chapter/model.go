package chapter

import (
	"context"
	"fmt"

	"github.com/qkvport/qkv/qkvlib/bpe"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
	"github.com/qkvport/qkv/qkvlib/corpus"
	"github.com/qkvport/qkv/qkvlib/download"
)

// ModelFiles are the files a GPT-2 checkpoint needs.
var ModelFiles = []string{"config.json", "model.safetensors"}

// tokenizerFiles are the two ways a GPT-2 tokenizer is stored.
var tokenizerFiles = [][]string{{"vocab.json", "merges.txt"}, {"tokenizer.json"}}

// Model is a GPT-2 checkpoint found on disk, before its weights are read:
// the book's model.config is Config.
type Model struct {
	Name     string            // as given: a repo id or a folder
	Repo     string            // the repo id, "" for a folder
	Revision string            // the commit hash, or a content key for a folder
	Dir      string            // the folder with config.json and model.safetensors
	Config   checkpoint.Config // config.json
}

// OpenModel resolves the checkpoint named by a folder or a HuggingFace repo id
// (from the HuggingFace cache first, downloading what is missing) and reads
// its config.json. The weights are not read.
func OpenModel(ctx context.Context, name string, opt download.Options) (*Model, error) {
	snap, err := download.Resolve(ctx, name, ModelFiles, opt)
	if err != nil {
		return nil, fmt.Errorf("chapter: model: %w", err)
	}
	cfg, err := checkpoint.ReadConfig(snap.Path("config.json"))
	if err != nil {
		return nil, fmt.Errorf("chapter: model %s: %w", name, err)
	}
	return &Model{Name: name, Repo: snap.Repo, Revision: snap.Revision, Dir: snap.Dir, Config: cfg}, nil
}

// String describes the model in one line.
func (m *Model) String() string {
	c := m.Config
	return fmt.Sprintf("GPT-2 %s: %d layers, n_embd %d, %d heads, vocab %d, n_positions %d",
		m.Name, c.NLayers, c.NEmb, c.NHeads, c.VocabSize, c.NPositions)
}

// LoadTokenizer loads the GPT-2 tokenizer named by a local folder or a
// HuggingFace repo id ("gpt2"; every GPT-2 size shares it), from the
// HuggingFace cache first.
func LoadTokenizer(ctx context.Context, name string, opt download.Options) (*bpe.Tokenizer, error) {
	snap, err := download.ResolveAny(ctx, name, tokenizerFiles, opt)
	if err != nil {
		return nil, fmt.Errorf("chapter: tokenizer: %w", err)
	}
	tok, err := bpe.Load(snap.Dir)
	if err != nil {
		return nil, fmt.Errorf("chapter: tokenizer %s: %w", name, err)
	}
	return tok, nil
}

// TokenID returns the token id of word, which must be exactly one token
// (" like" is 588); the error shows the pieces of a word that splits.
func TokenID(tok *bpe.Tokenizer, word string) (int, error) {
	return corpus.TargetID(tok.Encode, DecodeOrID(tok), word)
}

// DecodeOrID decodes ids, or shows them as numbers when they cannot be decoded.
func DecodeOrID(tok *bpe.Tokenizer) func([]int) string {
	return func(ids []int) string {
		s, err := tok.Decode(ids)
		if err != nil {
			return fmt.Sprint(ids)
		}
		return s
	}
}
