package chapter

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/qkvport/qkv/qkvlib/corpus"
	"github.com/qkvport/qkv/qkvlib/paired"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// The book's inputs.
const (
	BookModel     = "gpt2-large"
	BookTokenizer = "gpt2"
	BookText      = corpus.GatsbyURL
	BookTarget    = " like"
	BookContext   = 50
	BookLayer     = 6
)

// Part2bEdges returns part 2b's histogram edges, torch.linspace(-7, 7, 234): [234].
func Part2bEdges() []float64 { return tensor.Linspace(-7, 7, 234) }

// Part4Edges returns part 4's histogram edges, torch.linspace(-4, 4, 101): [101].
func Part4Edges() []float64 { return tensor.Linspace(-4, 4, 101) }

// DefaultBatchSize is the most sequences a forward chunk holds unless
// Options.BatchSize says otherwise. Two chunks run side by side; on the go
// backend, 16 ran a gpt2-large-shaped forward of the book's batch fastest of
// 8, 16, 32 and 57 (bench/README.md), and holds little memory.
const DefaultBatchSize = 16

// Options are the chapter's inputs and the plumbing around them.
type Options struct {
	Model     string // a HuggingFace repo id or a folder with config.json + model.safetensors
	Tokenizer string // a repo id or a folder with vocab.json + merges.txt, or tokenizer.json
	Text      string // an http(s) URL (downloaded once, cached) or a file
	Target    string // the target word, e.g. " like" (leading space: a word inside a sentence)
	Context   int    // tokens before the target in each window

	Backend   string    // GoMLX backend ("go", "xla:cpu", "xla:cuda"); "" = $GOMLX_BACKEND, else the default
	CacheDir  string    // activation store root; "" = $XDG_CACHE_HOME/qkv/acts or ~/.cache/qkv/acts
	BatchSize int       // most sequences per forward chunk; 0 = DefaultBatchSize
	Offline   bool      // never touch the network (also HF_HUB_OFFLINE=1)
	Log       io.Writer // where progress and notices go; nil = os.Stderr

	// Part6 sets part 6's resampling (sign flips, bootstrap resamples, seed);
	// zero fields take paired.Options' defaults.
	Part6 paired.Options

	// Engine downloads what the caches lack and runs the captures; nil means
	// the qkv command in a separate process (see Engine).
	Engine Engine
}

// BookOptions returns the book's settings.
func BookOptions() Options {
	return Options{Model: BookModel, Tokenizer: BookTokenizer, Text: BookText, Target: BookTarget, Context: BookContext}
}

// OptionsFromEnv returns BookOptions overridden by the environment:
// QKV_MODEL, QKV_TOKENIZER, QKV_TEXT, QKV_TARGET, QKV_CONTEXT, QKV_CACHE,
// QKV_BATCH and GOMLX_BACKEND. It fails on a number that does not parse.
func OptionsFromEnv() (Options, error) {
	o := BookOptions()
	for name, dst := range map[string]*string{"QKV_MODEL": &o.Model, "QKV_TOKENIZER": &o.Tokenizer, "QKV_TEXT": &o.Text,
		"QKV_TARGET": &o.Target, "QKV_CACHE": &o.CacheDir, "GOMLX_BACKEND": &o.Backend} {
		if v := os.Getenv(name); v != "" {
			*dst = v
		}
	}
	for name, dst := range map[string]*int{"QKV_CONTEXT": &o.Context, "QKV_BATCH": &o.BatchSize} {
		if v := os.Getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return o, fmt.Errorf("chapter: %s=%q is not an integer: fix or unset it", name, v)
			}
			*dst = n
		}
	}
	return o, nil
}

// LogWriter is where progress and notices go: Log, or os.Stderr when nil.
func (o Options) LogWriter() io.Writer {
	if o.Log == nil {
		return os.Stderr
	}
	return o.Log
}

// WithLog returns o with Log set to w: a notebook passes os.Stdout, so that
// progress lines do not show as errors.
func (o Options) WithLog(w io.Writer) Options {
	o.Log = w
	return o
}

// Chunk is the most sequences per forward chunk: BatchSize, or
// DefaultBatchSize when BatchSize ≤ 0.
func (o Options) Chunk() int {
	if o.BatchSize <= 0 {
		return DefaultBatchSize
	}
	return o.BatchSize
}

// engine returns Engine, or the qkv command when nil.
func (o Options) engine() Engine {
	if o.Engine == nil {
		return CommandEngine
	}
	return o.Engine
}
