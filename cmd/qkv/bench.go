package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qkvport/qkv/internal/atomicfile"
	"github.com/qkvport/qkv/qkvlib"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
	"github.com/qkvport/qkv/qkvlib/gpt2"
	"github.com/qkvport/qkv/qkvlib/npz"
	"github.com/qkvport/qkv/qkvlib/store"
)

// benchReport is what `qkv bench -json` writes; bench/pytorch_capture.py
// writes the same fields, so bench/compare.py can put them side by side.
type benchReport struct {
	Impl      string `json:"impl"`    // "go"
	Backend   string `json:"backend"` // GoMLX backend name
	Model     string `json:"model"`
	NLayers   int    `json:"n_layer"`
	NEmb      int    `json:"n_embd"`
	NHeads    int    `json:"n_head"`
	VocabSize int    `json:"vocab_size"`
	N         int    `json:"n"`       // sequences
	T         int    `json:"t"`       // tokens per sequence
	Chunk     int    `json:"chunk"`   // most sequences per chunk
	Lanes     int    `json:"lanes"`   // chunks run side by side
	Threads   int    `json:"threads"` // GOMAXPROCS
	Layers    []int  `json:"layers"`  // captured layers
	Keep      bool   `json:"keep"`    // activations kept in memory, as the book does
	KeptBytes int64  `json:"kept_bytes"`
	// FullBlocks and QKVOnlyBlocks are the blocks run whole and the blocks of
	// which only ln_1 + c_attn ran; LMHead says whether the logits were computed.
	FullBlocks    int  `json:"full_blocks"`
	QKVOnlyBlocks int  `json:"qkv_only_blocks"`
	LMHead        bool `json:"lm_head"`

	LoadS       float64   `json:"load_s"`
	RunsS       []float64 `json:"runs_s"`       // each timed forward; the first includes compilation
	WallS       float64   `json:"wall_s"`       // the first run
	BestS       float64   `json:"best_s"`       // the fastest run
	TokensPerS  float64   `json:"tokens_per_s"` // of the first run
	GFLOP       float64   `json:"gflop"`        // per run, from forwardFLOPs
	GFLOPPerS   float64   `json:"gflop_per_s"`  // of the first run
	BestGFLOPs  float64   `json:"best_gflop_per_s"`
	LoadPeakMiB float64   `json:"load_peak_rss_mib"` // VmHWM after loading
	PeakMiB     float64   `json:"peak_rss_mib"`      // VmHWM at the end
}

// benchFlags are qkv bench's flags.
type benchFlags struct {
	model, backend, tokens, layers, jsonOut, save string
	n, t, batch, lanes, repeat, saveLayer         int
	seed                                          uint64
	keep, logits                                  bool
}

func parseBenchFlags(args []string) (*benchFlags, error) {
	fs := newFlags("bench", "-model M [-tokens FILE.json | -n 114 -t 51 -seed S] [-batch N] [-layers 0,6] [-keep=false] [-logits] [-repeat R] [-json OUT]",
		"Times what `qkv capture` does, as the book does it: loads the model, runs the [N, T] batch through it\n"+
			"once capturing every layer's c_attn output (Q|K|V) and keeping them all in memory, and prints\n"+
			"the wall time, tokens/s, GFLOP/s and peak memory (VmHWM). The GoMLX graphs compile during the\n"+
			"first run, so run 1 includes compilation; -repeat 2 times a second, compiled run too.\n"+
			"bench/pytorch_capture.py measures the PyTorch original the same way; scripts/bench.sh runs both.")
	f := &benchFlags{}
	modelFlag(fs, &f.model)
	fs.StringVar(&f.tokens, "tokens", "", "JSON file: [[id, ...], ...], N sequences of T tokens (default random ids, see -n -t -seed)")
	fs.IntVar(&f.n, "n", 114, "random sequences, without -tokens (the book's batch has 114)")
	fs.IntVar(&f.t, "t", 51, "tokens per random sequence, without -tokens (the book's: 50 context + the target)")
	fs.Uint64Var(&f.seed, "seed", 1, "random token seed, without -tokens")
	batchFlag(fs, &f.batch)
	fs.IntVar(&f.lanes, "lanes", gpt2.DefaultLanes, "chunks run side by side, each on its own goroutine (1 = one at a time)")
	fs.StringVar(&f.layers, "layers", "", "comma-separated layers to capture (default all)")
	fs.BoolVar(&f.keep, "keep", true, "keep every captured layer in memory as the book does (false: drop each chunk)")
	fs.BoolVar(&f.logits, "logits", false, "also run the rest of the model and the LM head, as the book's model(batch) does (the logits are dropped)")
	fs.IntVar(&f.repeat, "repeat", 1, "timed runs; the first includes compilation")
	fs.StringVar(&f.jsonOut, "json", "", "also write the report as JSON to this file")
	fs.StringVar(&f.save, "save", "", "write the -save-layer c_attn output of the first run to this .npz (to compare with PyTorch)")
	fs.IntVar(&f.saveLayer, "save-layer", 6, "layer written by -save")
	backendFlag(fs, &f.backend)
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if f.model == "" {
		fs.Usage()
		return nil, fmt.Errorf("-model is required")
	}
	if f.repeat < 1 {
		return nil, fmt.Errorf("-repeat %d: need at least one run", f.repeat)
	}
	return f, nil
}

func runBench(ctx context.Context, args []string) error {
	f, err := parseBenchFlags(args)
	if err != nil {
		return err
	}
	layers, err := parseLayers(f.layers)
	if err != nil {
		return err
	}
	m, backend, loadTime, err := openModel(ctx, f.model, f.backend, true)
	if err != nil {
		return err
	}
	defer m.Close()
	cfg := m.Config()
	r := benchReport{Impl: "go", Backend: backend.Name(), Model: f.model, NLayers: cfg.NLayers, NEmb: cfg.NEmb, NHeads: cfg.NHeads,
		VocabSize: cfg.VocabSize, Chunk: f.batch, Lanes: max(f.lanes, 1), Threads: runtime.GOMAXPROCS(0), Keep: f.keep, LoadS: loadTime.Seconds()}
	if r.LoadPeakMiB, err = peakRSSMiB(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "Peak RSS after loading: %.0f MiB\n", r.LoadPeakMiB)
	tokens, err := f.batchTokens(cfg.VocabSize)
	if err != nil {
		return err
	}
	if err := f.plan(&r, cfg, tokens, layers); err != nil {
		return err
	}
	saved, err := f.timeRuns(ctx, m, tokens, &r)
	if err != nil {
		return err
	}
	if r.PeakMiB, err = peakRSSMiB(); err != nil {
		return err
	}
	r.print()
	return f.writeOutputs(r, saved)
}

// batchTokens reads -tokens, or makes -n random sequences of -t tokens.
func (f *benchFlags) batchTokens(vocab int) ([][]int, error) {
	if f.tokens != "" {
		return readTokens(f.tokens)
	}
	if f.n < 1 || f.t < 1 {
		return nil, fmt.Errorf("-n %d -t %d: need at least one sequence of one token", f.n, f.t)
	}
	return randomTokens(f.n, f.t, vocab, f.seed), nil
}

// plan fills the report's shape: the batch, the chunk, the captured layers
// and the FLOPs of one forward.
func (f *benchFlags) plan(r *benchReport, cfg checkpoint.Config, tokens [][]int, layers []int) error {
	r.N, r.T = len(tokens), len(tokens[0])
	if r.Chunk <= 0 || r.Chunk > r.N {
		r.Chunk = r.N
	}
	r.Layers = slices.Compact(slices.Sorted(slices.Values(layers)))
	if layers == nil {
		for l := range cfg.NLayers {
			r.Layers = append(r.Layers, l)
		}
	}
	if f.save != "" && !slices.Contains(r.Layers, f.saveLayer) {
		return fmt.Errorf("-save-layer %d is not captured (layers %v): add it to -layers", f.saveLayer, r.Layers)
	}
	// CaptureLayers stops after the last captured layer's c_attn, unless
	// asked for the logits, as the book's model(batch) computes them.
	r.FullBlocks, r.QKVOnlyBlocks, r.LMHead = r.Layers[len(r.Layers)-1], 1, f.logits
	if f.logits {
		r.FullBlocks, r.QKVOnlyBlocks = cfg.NLayers, 0
	}
	r.GFLOP = forwardFLOPs(cfg, r.N, r.T, r.FullBlocks, r.QKVOnlyBlocks, r.LMHead) / 1e9
	return nil
}

// timeRuns runs the forward -repeat times, keeping the activations as the
// book's dict does unless -keep=false, and fills the report's times. It
// returns the first run's -save-layer output when -save asks for it.
func (f *benchFlags) timeRuns(ctx context.Context, m *gpt2.Model, tokens [][]int, r *benchReport) ([]float32, error) {
	var saved []float32
	for run := range f.repeat {
		// kept holds the activations as the book's dict does: one
		// [N, T, 3·E] array per captured layer, filled chunk by chunk.
		kept := map[int][]float32{}
		r.KeptBytes = 0
		if f.keep {
			for _, l := range r.Layers {
				kept[l] = make([]float32, 0, r.N*r.T*3*r.NEmb)
			}
		}
		p := qkvlib.NewProgress(os.Stderr, fmt.Sprintf("run %d/%d", run+1, f.repeat))
		t0 := time.Now()
		// Each layer is appended as soon as it is computed (CaptureLayers
		// lends the backend's buffer: no copy besides the kept one); with
		// -logits the forward also runs the LM head, whose output is dropped.
		onLayer := func(lc gpt2.LayerChunk) error {
			if f.keep && lc.Layer != gpt2.LogitsLayer {
				kept[lc.Layer] = append(kept[lc.Layer], lc.QKV...)
			}
			if run == 0 && f.save != "" && !f.keep && lc.Layer == f.saveLayer {
				saved = append(saved, lc.QKV...)
			}
			return ctx.Err()
		}
		opt := gpt2.CaptureOptions{Layers: r.Layers, Logits: f.logits, BatchSize: f.batch, Lanes: r.Lanes, Progress: p.Update}
		err := m.CaptureLayers(tokens, opt, onLayer)
		el := time.Since(t0).Seconds()
		p.Done()
		if err != nil {
			return nil, err
		}
		for _, d := range kept {
			r.KeptBytes += int64(len(d)) * 4
		}
		if run == 0 && f.save != "" && f.keep {
			saved = kept[f.saveLayer] // no second copy to swell the peak
		}
		r.RunsS = append(r.RunsS, el)
		fmt.Fprintf(os.Stderr, "run %d: %.2fs (%.0f tokens/s, %.1f GFLOP/s)\n", run+1, el, float64(r.N*r.T)/el, r.GFLOP/el)
		runtime.KeepAlive(kept)
	}
	r.WallS, r.BestS = r.RunsS[0], slices.Min(r.RunsS)
	r.TokensPerS = float64(r.N*r.T) / r.WallS
	r.GFLOPPerS, r.BestGFLOPs = r.GFLOP/r.WallS, r.GFLOP/r.BestS
	return saved, nil
}

// print writes the report for people on stdout.
func (r benchReport) print() {
	fmt.Printf("go (GoMLX %q backend, %d threads): [%d, %d] in chunks of at most %d, %d side by side, %d layers captured, keep=%v, LM head %v\n",
		r.Backend, r.Threads, r.N, r.T, r.Chunk, r.Lanes, len(r.Layers), r.Keep, r.LMHead)
	fmt.Printf("  load      %8.2f s\n", r.LoadS)
	fmt.Printf("  forward   %8.2f s (run 1, with compilation)", r.WallS)
	if len(r.RunsS) > 1 {
		fmt.Printf(", best %.2f s", r.BestS)
	}
	fmt.Println()
	fmt.Printf("  tokens/s  %8.1f\n", r.TokensPerS)
	fmt.Printf("  GFLOP/s   %8.2f (%.1f GFLOP per forward)\n", r.GFLOPPerS, r.GFLOP)
	fmt.Printf("  peak RSS  %8.0f MiB (after load %.0f MiB; activations kept %.0f MiB)\n", r.PeakMiB, r.LoadPeakMiB, float64(r.KeptBytes)/(1<<20))
}

// writeOutputs writes -save's .npz and -json's report.
func (f *benchFlags) writeOutputs(r benchReport, saved []float32) error {
	if f.save != "" {
		w, err := npz.Create(f.save)
		if err != nil {
			return err
		}
		defer w.Abort() // no-op after a successful Close
		if err := w.WriteFloat32(store.LayerName(f.saveLayer), []int{r.N, r.T, 3 * r.NEmb}, saved); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	if f.jsonOut != "" {
		b, err := json.MarshalIndent(r, "", " ")
		if err != nil {
			return err
		}
		if err := atomicfile.WriteFile(f.jsonOut, append(b, '\n')); err != nil {
			return err
		}
	}
	return nil
}

// forwardFLOPs counts the floating-point operations of a GPT-2 forward over n
// sequences of t tokens, counting a multiply-add as 2 and only the matrix
// products (layer norms, GELU, softmax and the embedding are left out):
//
//	per token, per full block:  2·(3E² + E² + 4E² + 4E²) = 24·E²   (c_attn, attn.c_proj, c_fc, mlp.c_proj: 2·params)
//	                          + 4·t·E                             (q·kᵀ and softmax·v over all t keys, causal mask ignored)
//	per token, per block that stops after c_attn:  6·E²
//	per token, LM head (lmHead):  2·V·E
//
// times n·t tokens. bench/pytorch_capture.py uses the same formula.
func forwardFLOPs(cfg checkpoint.Config, n, t, fullBlocks, qkvOnlyBlocks int, lmHead bool) float64 {
	e, v := float64(cfg.NEmb), float64(cfg.VocabSize)
	perToken := float64(fullBlocks)*(24*e*e+4*float64(t)*e) + float64(qkvOnlyBlocks)*6*e*e
	if lmHead {
		perToken += 2 * v * e
	}
	return float64(n*t) * perToken
}

// randomTokens returns n sequences of t token ids uniform in [0, vocab),
// the same for the same seed.
func randomTokens(n, t, vocab int, seed uint64) [][]int {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	out := make([][]int, n)
	for i := range out {
		out[i] = make([]int, t)
		for j := range out[i] {
			out[i][j] = rng.IntN(vocab)
		}
	}
	return out
}

// peakRSSMiB returns this process's peak resident memory (VmHWM in
// /proc/self/status, file-backed pages such as a memory-mapped checkpoint
// included) in MiB.
func peakRSSMiB() (float64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("bench: reading peak memory: %w (only Linux has /proc/self/status)", err)
	}
	defer f.Close()
	kib, err := parseVmHWM(f)
	if err != nil {
		return 0, fmt.Errorf("bench: /proc/self/status: %w", err)
	}
	return float64(kib) / 1024, nil
}

// parseVmHWM returns the "VmHWM:  1234 kB" value of a /proc/PID/status, in KiB.
func parseVmHWM(r io.Reader) (int64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, fmt.Errorf("unexpected VmHWM line %q", sc.Text())
		}
		return strconv.ParseInt(fields[0], 10, 64)
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no VmHWM line")
}
