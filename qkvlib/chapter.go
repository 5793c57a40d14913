package qkvlib

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/qkvport/qkv/qkvlib/bpe"
	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
	"github.com/qkvport/qkv/qkvlib/corpus"
	"github.com/qkvport/qkv/qkvlib/download"
)

// modelFiles are the files a GPT-2 checkpoint needs.
var modelFiles = []string{"config.json", "model.safetensors"}

// Chapter is the chapter's inputs, ready to run: model configuration,
// tokenizer, text, targets and batch. Building one reads no GPT-2 weights, so
// it is cheap enough to redo in every notebook cell.
type Chapter struct {
	Options

	NEmb, NLayers, NHeads, HeadDim int // from the model's config.json
	Config                         checkpoint.Config
	Tokenizer                      *bpe.Tokenizer
	Text                           string
	Tokens                         []int // the whole text's token ids

	TargetWord   string
	TargetID     int
	TargetIdxAll []int   // every position of TargetID in Tokens
	TargetIdx    []int   // those ≥ Context
	Batch        [][]int // [N, Context+1]: Tokens[idx-Context : idx+1] for idx in TargetIdx

	// HistogramEdges are part 4's histogram edges; nil means the book's,
	// chapter.Part4Edges().
	HistogramEdges []float64

	model *chapter.Model
	acts  *chapter.Activations // every layer on Batch
}

// Prepare resolves the model (from the HuggingFace cache, downloading what is
// missing), loads the tokenizer and the text, finds the targets and builds
// the batch, with the same functions the notebook's cells call.
func Prepare(ctx context.Context, opt Options) (*Chapter, error) {
	model, err := chapter.OpenModel(ctx, opt.Model, opt.Hub())
	if err != nil {
		return nil, err
	}
	cfg := model.Config
	if err := corpus.CheckContext(opt.Context, cfg.NPositions); err != nil {
		return nil, err
	}
	tok, err := chapter.LoadTokenizer(ctx, opt.Tokenizer, opt.Hub())
	if err != nil {
		return nil, err
	}
	if tok.VocabSize() > cfg.VocabSize {
		return nil, fmt.Errorf("qkvlib: the tokenizer has %d entries but the model only %d (vocab_size): they do not belong together", tok.VocabSize(), cfg.VocabSize)
	}
	text, err := download.Text(ctx, opt.Text, download.TextOptions{})
	if err != nil {
		return nil, err
	}
	c := &Chapter{Options: opt, Config: cfg, Tokenizer: tok, Text: text, model: model,
		NEmb: cfg.NEmb, NLayers: cfg.NLayers, NHeads: cfg.NHeads, HeadDim: cfg.NEmb / cfg.NHeads}
	c.Tokens = tok.Encode(text)
	c.TargetWord = opt.Target
	if c.TargetID, err = chapter.TokenID(tok, opt.Target); err != nil {
		return nil, err
	}
	c.TargetIdxAll = corpus.Positions(c.Tokens, c.TargetID)
	if len(c.TargetIdxAll) == 0 {
		return nil, fmt.Errorf("qkvlib: the target %q (token %d) does not occur in %s: pick another word", opt.Target, c.TargetID, opt.Text)
	}
	c.TargetIdx = corpus.DropBefore(c.TargetIdxAll, opt.Context)
	if c.Batch, err = corpus.Batch(c.Tokens, c.TargetIdx, opt.Context); err != nil {
		return nil, err
	}
	c.acts = chapter.NewActivations(model, c.Batch, nil, opt.CacheDir)
	c.acts.TargetWord, c.acts.TextSHA256 = c.TargetWord, sha256Hex(c.Text)
	return c, nil
}

// Activations reopens the activations that Capture stored (memory-mapped,
// in milliseconds). It fails when they were never captured.
func (c *Chapter) Activations() (*Activations, error) {
	a := chapter.NewActivations(c.model, c.Batch, nil, c.CacheDir)
	if _, err := a.Meta(); err != nil {
		return nil, err
	}
	return a, nil
}

// Capture returns the c_attn output of every layer on the batch: from the
// activation store when an earlier run stored them, else by running GPT-2
// once (progress on Log) and storing them (see the function Capture).
func (c *Chapter) Capture(ctx context.Context) (*Activations, error) {
	if err := Capture(ctx, c.acts, c.Options); err != nil {
		return nil, err
	}
	return c.Activations()
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// ExampleRows decodes the last k tokens of each of the first rows of the batch
// (the book prints 5 rows of 10).
func (c *Chapter) ExampleRows(rows, k int) ([]string, error) {
	var out []string
	for i := 0; i < rows && i < len(c.Batch); i++ {
		row := c.Batch[i]
		s, err := c.Tokenizer.Decode(row[max(0, len(row)-k):])
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// StoreKey is the key of this batch's activations in the store.
func (c *Chapter) StoreKey() string { return c.acts.Key() }
