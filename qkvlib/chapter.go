package qkvlib

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/qkvport/qkv/qkvlib/bpe"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
	"github.com/qkvport/qkv/qkvlib/corpus"
	"github.com/qkvport/qkv/qkvlib/gpt2"
	"github.com/qkvport/qkv/qkvlib/hub"
	"github.com/qkvport/qkv/qkvlib/store"
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

	model hub.Snapshot
	key   string // the activation store key
}

// Prepare resolves the model (from the HuggingFace cache, downloading what is
// missing), loads the tokenizer and the text, finds the targets and builds
// the batch.
func Prepare(ctx context.Context, opt Options) (*Chapter, error) {
	hopt := hub.Options{Offline: opt.Offline, Log: opt.log()}
	snap, err := hub.Resolve(ctx, opt.Model, modelFiles, hopt)
	if err != nil {
		return nil, fmt.Errorf("qkvlib: model: %w", err)
	}
	cfg, err := checkpoint.ReadConfig(snap.Path("config.json"))
	if err != nil {
		return nil, fmt.Errorf("qkvlib: model %s: %w", opt.Model, err)
	}
	if err := corpus.CheckContext(opt.Context, cfg.NPositions); err != nil {
		return nil, err
	}
	tok, err := LoadTokenizer(ctx, opt.Tokenizer, hopt)
	if err != nil {
		return nil, err
	}
	if tok.VocabSize() > cfg.VocabSize {
		return nil, fmt.Errorf("qkvlib: the tokenizer has %d entries but the model only %d (vocab_size): they do not belong together", tok.VocabSize(), cfg.VocabSize)
	}
	text, err := corpus.Fetch(ctx, opt.Text, corpus.FetchOptions{})
	if err != nil {
		return nil, err
	}
	c := &Chapter{Options: opt, Config: cfg, Tokenizer: tok, Text: text, model: snap,
		NEmb: cfg.NEmb, NLayers: cfg.NLayers, NHeads: cfg.NHeads, HeadDim: cfg.NEmb / cfg.NHeads}
	c.Tokens = tok.Encode(text)
	c.TargetWord = opt.Target
	if c.TargetID, err = corpus.TargetID(tok.Encode, decodeOrID(tok), opt.Target); err != nil {
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
	c.key = store.Key("qkvlib-capture-v1", snap.Repo, snap.Revision, tokensHash(c.Batch), "layers=all")
	return c, nil
}

// decodeOrID decodes ids, or shows them as numbers when they cannot be decoded.
func decodeOrID(tok *bpe.Tokenizer) func([]int) string {
	return func(ids []int) string {
		s, err := tok.Decode(ids)
		if err != nil {
			return fmt.Sprint(ids)
		}
		return s
	}
}

// tokensHash is a hex sha256 of a batch of token ids.
func tokensHash(batch [][]int) string {
	h := sha256.New()
	var b [4]byte
	for _, row := range batch {
		binary.LittleEndian.PutUint32(b[:], uint32(len(row)))
		h.Write(b[:])
		for _, id := range row {
			binary.LittleEndian.PutUint32(b[:], uint32(id))
			h.Write(b[:])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (c *Chapter) storeRoot() (string, error) {
	if c.CacheDir != "" {
		return c.CacheDir, nil
	}
	return store.DefaultRoot()
}

// Activations reopens the activations that Capture stored (memory-mapped,
// in milliseconds). It fails when they were never captured.
func (c *Chapter) Activations() (*Activations, error) {
	root, err := c.storeRoot()
	if err != nil {
		return nil, err
	}
	s, err := store.Open(root, c.key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("qkvlib: no stored activations for %s on this batch yet: run the capture first (Chapter.Capture, or the notebook's capture cell): %w", c.Model, err)
	}
	if err != nil {
		return nil, err
	}
	return &Activations{s: s}, nil
}

// Capture returns the c_attn output of every layer on the batch: from the
// activation store when an earlier run stored them, else by running GPT-2
// once (progress on Log) and storing them.
func (c *Chapter) Capture(ctx context.Context) (*Activations, error) {
	if a, err := c.Activations(); err == nil {
		fmt.Fprintf(c.log(), "Activations for %d sequences × %d layers read from the store %s\n", len(c.Batch), c.NLayers, a.s.Dir())
		return a, nil
	}
	root, err := c.storeRoot()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	m, err := c.loadModel(ctx)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	layers := make([]int, c.NLayers)
	for i := range layers {
		layers[i] = i
	}
	meta := store.Meta{Model: c.Model, Revision: c.model.Revision, TextSHA256: sha256Hex(c.Text),
		TargetWord: c.TargetWord, TargetID: c.TargetID, Context: c.Context,
		N: len(c.Batch), T: c.Context + 1, E: c.NEmb, NLayers: c.NLayers, NHeads: c.NHeads, Layers: layers, Tokens: c.Batch}
	w, err := store.Create(root, c.key, meta)
	if err != nil {
		return nil, err
	}
	defer w.Abort() // no-op after Commit
	p := NewProgress(c.log(), "GPT-2 forward")
	err = m.CaptureLayers(c.Batch, gpt2.CaptureOptions{BatchSize: c.batchSize(), Progress: p.Update}, func(lc gpt2.LayerChunk) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		lw, err := w.Layer(lc.Layer)
		if err != nil {
			return err
		}
		return lw.Write(lc.QKV)
	})
	p.Done()
	if err != nil {
		return nil, fmt.Errorf("qkvlib: capture: %w", err)
	}
	if err := w.Commit(); err != nil {
		return nil, err
	}
	fmt.Fprintf(c.log(), "Captured %d layers of [%d, %d, %d] in %s\n", c.NLayers, len(c.Batch), c.Context+1, 3*c.NEmb, time.Since(start).Round(time.Millisecond))
	return c.Activations()
}

// loadModel loads the chapter's GPT-2 on its backend and says so on Log.
func (c *Chapter) loadModel(ctx context.Context) (*gpt2.Model, error) {
	backend, err := NewBackend(c.Backend)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	m, err := LoadModel(ctx, c.Model, backend, hub.Options{Offline: c.Offline, Log: c.log()})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(c.log(), "Loaded %s (%d layers, n_embd %d) on %s in %s\n", c.Model, c.NLayers, c.NEmb, BackendLabel(backend), time.Since(start).Round(time.Millisecond))
	if h := SpeedHint(backend); h != "" && 12*c.NLayers*c.NEmb*c.NEmb >= 200_000_000 { // GPT-2 medium and larger
		fmt.Fprintln(c.log(), h)
	}
	return m, nil
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
func (c *Chapter) StoreKey() string { return c.key }
