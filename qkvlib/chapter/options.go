package chapter

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/qkvport/qkv/qkvlib/download"
	"github.com/qkvport/qkv/qkvlib/stats"
)

// The book's inputs.
const (
	BookModel     = "gpt2-large"
	BookTokenizer = "gpt2"
	BookText      = "https://www.gutenberg.org/cache/epub/64317/pg64317.txt"
	BookTarget    = " like"
	BookContext   = 50
	BookLayer     = 6
)

// Part2bEdges returns part 2b's histogram edges, torch.linspace(-7, 7, 234): [234].
func Part2bEdges() []float64 { return stats.Linspace(-7, 7, 234) }

// Part4Edges returns part 4's histogram edges, torch.linspace(-4, 4, 101): [101].
func Part4Edges() []float64 { return stats.Linspace(-4, 4, 101) }

// Options are the chapter's inputs and the plumbing around them.
type Options struct {
	Model     string // a HuggingFace repo id or a folder with config.json + model.safetensors
	Tokenizer string // a repo id or a folder with vocab.json + merges.txt, or tokenizer.json
	Text      string // an http(s) URL (downloaded once, cached) or a file
	Target    string // the target word, e.g. " like" (leading space: a word inside a sentence)
	Context   int    // tokens before the target in each window

	Backend   string    // GoMLX backend ("go", "xla:cpu", "xla:cuda"); "" = $GOMLX_BACKEND, else "go"
	CacheDir  string    // activation store root; "" = $XDG_CACHE_HOME/qkv/acts or ~/.cache/qkv/acts
	BatchSize int       // most sequences per forward chunk; 0 = DefaultBatchSize
	Offline   bool      // never touch the network (also HF_HUB_OFFLINE=1)
	Log       io.Writer // where progress and notices go; nil = os.Stderr

	// Part6 sets part 6's resampling (sign flips, bootstrap resamples, seed);
	// zero fields take stats.PairedOptions' defaults.
	Part6 stats.PairedOptions
}

// DefaultBatchSize is the most sequences a forward chunk holds unless
// Options.BatchSize says otherwise. Two chunks run side by side
// (gpt2.DefaultLanes). On the go backend, 16 ran a gpt2-large-shaped forward
// of the book's batch fastest of 8, 16, 32 and 57 (scripts/bench.sh), and
// holds little memory.
const DefaultBatchSize = 16

// BookOptions returns the book's settings.
func BookOptions() Options {
	return Options{Model: BookModel, Tokenizer: BookTokenizer, Text: BookText, Target: BookTarget, Context: BookContext}
}

// OptionsFromEnv returns BookOptions overridden by the environment:
// QKV_MODEL, QKV_TOKENIZER, QKV_TEXT, QKV_TARGET, QKV_CONTEXT, QKV_CACHE,
// QKV_BATCH and GOMLX_BACKEND. A malformed number is reported on Log and ignored.
func OptionsFromEnv() Options {
	o := BookOptions()
	str := func(name string, dst *string) {
		if v, ok := os.LookupEnv(name); ok && v != "" {
			*dst = v
		}
	}
	num := func(name string, dst *int) {
		if v := os.Getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				fmt.Fprintf(os.Stderr, "qkvlib: ignoring %s=%q: not an integer\n", name, v)
				return
			}
			*dst = n
		}
	}
	str("QKV_MODEL", &o.Model)
	str("QKV_TOKENIZER", &o.Tokenizer)
	str("QKV_TEXT", &o.Text)
	str("QKV_TARGET", &o.Target)
	str("QKV_CACHE", &o.CacheDir)
	str("GOMLX_BACKEND", &o.Backend)
	num("QKV_CONTEXT", &o.Context)
	num("QKV_BATCH", &o.BatchSize)
	return o
}

// LogWriter is where progress and notices go: Log, or os.Stderr when nil.
func (o Options) LogWriter() io.Writer {
	if o.Log == nil {
		return os.Stderr
	}
	return o.Log
}

// Chunk is the most sequences per forward chunk: BatchSize, or
// DefaultBatchSize when BatchSize ≤ 0.
func (o Options) Chunk() int {
	if o.BatchSize <= 0 {
		return DefaultBatchSize
	}
	return o.BatchSize
}

// Hub returns the options of download.Resolve these options imply
// (downloads report on LogWriter).
func (o Options) Hub() download.Options {
	return download.Options{Offline: o.Offline, Log: o.LogWriter()}
}

// WithLog returns o with Log set to w: a notebook passes os.Stdout, so that
// progress lines do not show as errors.
func (o Options) WithLog(w io.Writer) Options {
	o.Log = w
	return o
}
