package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/qkvport/qkv/qkvlib"
	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/gpt2"
	"github.com/qkvport/qkv/qkvlib/npz"
	"github.com/qkvport/qkv/qkvlib/store"
)

func runCapture(ctx context.Context, args []string) error {
	fs := newFlags("capture", "-model M -tokens FILE.json (-out FILE.npz | -store DIR) [-layers 0,6,35] [-logits] [-batch N]",
		"Runs GPT-2 on token sequences and writes each captured layer's c_attn output (Q|K|V) as attn_{i}_qkv\n"+
			"float32 [N, T, 3·n_emb], the tokens as int64 [N, T], and with -logits the logits float32 [N, T, vocab],\n"+
			"into a numpy .npz file. FILE.json is an array of N arrays of T token ids.\n"+
			"With -store, the layers go into the activation store under DIR instead, as qkv run and the notebook\n"+
			"keep them (nothing is done when the store holds them already); the notebook's cells run this.")
	model, backendName, batch := new(string), new(string), new(int)
	modelFlag(fs, model)
	tokensPath := fs.String("tokens", "", "JSON file: [[id, ...], ...], N sequences of T tokens")
	out := fs.String("out", "", "output .npz file")
	layersFlag := fs.String("layers", "", "comma-separated layers to capture (default all)")
	logits := fs.Bool("logits", false, "also write the logits")
	storeDir := fs.String("store", "", "write into the activation store under this folder instead of -out")
	targetWord := fs.String("target-word", "", "with -store: the target word, recorded in the store's meta.json")
	textSHA := fs.String("text-sha256", "", "with -store: the text's sha256, recorded in the store's meta.json")
	offline := fs.Bool("offline", false, "never use the network (also HF_HUB_OFFLINE=1)")
	batchFlag(fs, batch)
	backendFlag(fs, backendName)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *model == "" || *tokensPath == "" || (*out == "") == (*storeDir == "") {
		fs.Usage()
		return fmt.Errorf("-model, -tokens and one of -out and -store are required")
	}
	layers, err := parseLayers(*layersFlag)
	if err != nil {
		return err
	}
	tokens, err := readTokens(*tokensPath)
	if err != nil {
		return err
	}
	if *storeDir != "" {
		opt := chapter.Options{Backend: *backendName, CacheDir: *storeDir, BatchSize: *batch, Offline: *offline, Engine: qkvlib.Engine{}}
		return captureToStore(ctx, *model, tokens, layers, opt, *targetWord, *textSHA)
	}
	return captureToNPZ(ctx, *model, *backendName, tokens, gpt2.CaptureOptions{Layers: layers, Logits: *logits, BatchSize: *batch}, *out)
}

// captureToStore fills the activation store under opt.CacheDir with the
// layers of model on tokens, unless it holds them.
func captureToStore(ctx context.Context, model string, tokens [][]int, layers []int, opt chapter.Options, targetWord, textSHA string) error {
	warnNoSIMD()
	m, err := chapter.OpenModel(ctx, model, opt)
	if err != nil {
		return err
	}
	acts := chapter.NewActivations(m, tokens, layers, opt)
	acts.TargetWord, acts.TextSHA256 = targetWord, textSHA
	return qkvlib.Capture(ctx, acts)
}

// captureToNPZ writes the tokens and the layers (and the logits) that copt
// asks of model into the .npz file out, each layer as it comes.
func captureToNPZ(ctx context.Context, model, backendName string, tokens [][]int, copt gpt2.CaptureOptions, out string) error {
	m, _, _, err := openModel(ctx, model, backendName, false)
	if err != nil {
		return err
	}
	defer m.Close()
	cfg := m.Config()
	n, t := len(tokens), len(tokens[0])
	w, err := npz.Create(out)
	if err != nil {
		return err
	}
	defer w.Abort() // no-op after a successful Close
	flat := make([]int64, 0, n*t)
	for _, row := range tokens {
		for _, id := range row {
			flat = append(flat, int64(id))
		}
	}
	if err := w.WriteInt64("tokens", []int{n, t}, flat); err != nil {
		return err
	}
	// Layer-major: each layer arrives whole, chunk after chunk, and is
	// written into its array as it comes (on CaptureLayers' own goroutine,
	// while the forward runs the next blocks); then the logits likewise.
	aw := &arrayStream{w: w, n: n, t: t, e: cfg.NEmb, vocab: cfg.VocabSize}
	start := time.Now()
	p := qkvlib.NewProgress(os.Stderr, "GPT-2 forward")
	copt.LayerMajor, copt.Progress = true, p.Update
	err = m.CaptureLayers(tokens, copt, func(lc gpt2.LayerChunk) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return aw.write(lc)
	})
	p.Done()
	if err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Fprintf(os.Stderr, "Forward of [%d, %d] in %s (%.0f tokens/s)\n", n, t, el.Round(time.Millisecond), float64(n*t)/el.Seconds())
	if err := w.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "Wrote %d layers%s to %s\n", aw.layers, map[bool]string{true: " and the logits"}[copt.Logits], out)
	return nil
}

// arrayStream writes CaptureLayers' layer-major hand-over into an .npz: one
// array per layer (attn_{i}_qkv, [N, T, 3·E]), then the logits ([N, T, V]),
// each filled chunk after chunk.
type arrayStream struct {
	w        *npz.Writer
	n, t, e  int
	vocab    int
	cur      *npz.Float32Array
	curLayer int
	layers   int
}

func (s *arrayStream) write(lc gpt2.LayerChunk) error {
	if s.cur == nil || lc.Layer != s.curLayer {
		if s.cur != nil {
			if err := s.cur.Close(); err != nil {
				return err
			}
		}
		name, shape := store.LayerName(lc.Layer), []int{s.n, s.t, 3 * s.e}
		if lc.Layer == gpt2.LogitsLayer {
			name, shape = "logits", []int{s.n, s.t, s.vocab}
		} else {
			s.layers++
		}
		a, err := s.w.Float32Array(name, shape)
		if err != nil {
			return err
		}
		s.cur, s.curLayer = a, lc.Layer
	}
	if lc.Layer == gpt2.LogitsLayer {
		return s.cur.Write(lc.Logits)
	}
	return s.cur.Write(lc.QKV)
}

// parseLayers reads "0,6,35"; "" means all (nil).
func parseLayers(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		l, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || l < 0 {
			return nil, fmt.Errorf("-layers %q: %q is not a layer number (write e.g. -layers 0,6,35)", s, f)
		}
		out = append(out, l)
	}
	return out, nil
}

// readTokens reads a JSON array of equally long arrays of token ids.
func readTokens(path string) ([][]int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var tokens [][]int
	if err := json.Unmarshal(b, &tokens); err != nil {
		return nil, fmt.Errorf("reading %s: %w (want a JSON array of arrays of token ids, e.g. [[464, 588], [40, 588]])", path, err)
	}
	if len(tokens) == 0 || len(tokens[0]) == 0 {
		return nil, fmt.Errorf("%s holds no tokens", path)
	}
	return tokens, nil
}
