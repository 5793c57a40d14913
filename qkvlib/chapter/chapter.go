package chapter

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/qkvport/qkv/qkvlib/bpe"
	"github.com/qkvport/qkv/qkvlib/corpus"
)

// Chapter is the chapter's inputs, ready to run: the model's configuration,
// the tokenizer, the text, the targets and the batch. Building one reads no
// GPT-2 weights.
type Chapter struct {
	Options

	Model     *Model
	Tokenizer *bpe.Tokenizer
	Text      string
	Tokens    []int // the whole text's token ids

	TargetID     int
	TargetIdxAll []int   // every position of TargetID in Tokens
	TargetIdx    []int   // those ≥ Context
	Batch        [][]int // [N, Context+1]: Tokens[idx-Context : idx+1] for idx in TargetIdx

	// HistogramEdges are part 4's histogram edges; nil means the book's,
	// Part4Edges().
	HistogramEdges []float64
}

// Prepare finds the model (config.json only) and the tokenizer, loads the
// text, finds the targets and builds the batch, as the notebook's cells do.
// What the caches lack is fetched through opt's Engine.
func Prepare(ctx context.Context, opt Options) (*Chapter, error) {
	model, err := OpenModel(ctx, opt.Model, opt)
	if err != nil {
		return nil, err
	}
	if err := corpus.CheckContext(opt.Context, model.Config.NPositions); err != nil {
		return nil, err
	}
	tok, err := LoadTokenizer(ctx, opt.Tokenizer, opt)
	if err != nil {
		return nil, err
	}
	if tok.VocabSize() > model.Config.VocabSize {
		return nil, fmt.Errorf("chapter: the tokenizer has %d entries but the model only %d (vocab_size): they do not belong together", tok.VocabSize(), model.Config.VocabSize)
	}
	text, err := LoadText(ctx, opt.Text, opt)
	if err != nil {
		return nil, err
	}
	c := &Chapter{Options: opt, Model: model, Tokenizer: tok, Text: text, Tokens: tok.Encode(text)}
	if c.TargetID, err = TokenID(tok, opt.Target); err != nil {
		return nil, err
	}
	c.TargetIdxAll = corpus.Positions(c.Tokens, c.TargetID)
	if len(c.TargetIdxAll) == 0 {
		return nil, fmt.Errorf("chapter: the target %q (token %d) does not occur in %s: pick another word", opt.Target, c.TargetID, opt.Text)
	}
	c.TargetIdx = corpus.DropBefore(c.TargetIdxAll, opt.Context)
	if c.Batch, err = corpus.Batch(c.Tokens, c.TargetIdx, opt.Context); err != nil {
		return nil, err
	}
	return c, nil
}

// Activations returns the activations of every layer on the batch (stored,
// or captured on first use).
func (c *Chapter) Activations() *Activations {
	a := NewActivations(c.Model, c.Batch, nil, c.Options)
	h := sha256.Sum256([]byte(c.Text))
	a.TargetWord, a.TextSHA256 = c.Target, hex.EncodeToString(h[:])
	return a
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

// Part4Edges returns part 4's histogram edges: HistogramEdges, or the book's.
func (c *Chapter) Part4Edges() []float64 {
	if c.HistogramEdges == nil {
		return Part4Edges()
	}
	return c.HistogramEdges
}
