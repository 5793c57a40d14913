package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/qkvport/qkv/internal/atomicfile"
	"github.com/qkvport/qkv/qkvlib"
	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/figures"
	"github.com/qkvport/qkv/qkvlib/paired"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

func runChapter(ctx context.Context, args []string) error {
	fs := newFlags("run", "[flags]",
		"Runs the whole chapter: finds the target word in the text, runs GPT-2 over the windows that end on it\n"+
			"capturing every layer's Q|K|V, and writes the nine figures (the book's eight and Part 6's; PNG and SVG)\n"+
			"and results.json into -out.\n"+
			"Activations are stored once in the cache, so a second run skips GPT-2.")
	o := chapter.BookOptions()
	o.Engine = qkvlib.Engine{}
	modelFlag(fs, &o.Model)
	tokenizerFlag(fs, &o.Tokenizer)
	textFlag(fs, &o.Text)
	fs.StringVar(&o.Target, "target", o.Target, "target word; the leading space matters (\" like\" is the word inside a sentence)")
	fs.IntVar(&o.Context, "context", o.Context, "tokens of context before each target")
	layer := fs.Int("layer", chapter.BookLayer, "layer of parts 1, 2 and 5a")
	hist := fs.String("hist", "-4,4,101", "part 4's histogram edges as lo,hi,n: linspace(lo, hi, n)")
	out := fs.String("out", "out", "output folder for the figures and results.json (created)")
	backendFlag(fs, &o.Backend)
	fs.StringVar(&o.CacheDir, "cache", "", "activation store folder (default $XDG_CACHE_HOME/qkv/acts or ~/.cache/qkv/acts)")
	batchFlag(fs, &o.BatchSize)
	stream := fs.Bool("stream", false, "compute the statistics chunk by chunk without storing activations (any number of windows fits in memory)")
	fs.BoolVar(&o.Offline, "offline", false, "never use the network (also HF_HUB_OFFLINE=1)")
	fs.IntVar(&o.Part6.Resamples, "resamples", paired.DefaultResamples, "part 6: random sign flips and bootstrap resamples")
	fs.Uint64Var(&o.Part6.Seed, "seed", 0, "part 6: seed of the sign flips and bootstrap resamples")
	if err := parse(fs, args); err != nil {
		return err
	}
	start := time.Now()
	warnNoSIMD()
	ch, err := chapter.Prepare(ctx, o)
	if err != nil {
		return err
	}
	if ch.HistogramEdges, err = parseLinspace(*hist); err != nil {
		return fmt.Errorf("-hist %q: %w", *hist, err)
	}
	printHeader(ch)
	if n := ch.Model.Config.NLayers; *layer < 0 || *layer >= n {
		return fmt.Errorf("-layer %d does not exist: %s has layers 0 to %d", *layer, o.Model, n-1)
	}
	res, fd, err := chapterResults(ctx, ch, *layer, *stream)
	if err != nil {
		return err
	}
	fmt.Printf("Layer %d Q, target:     mean %.4f, L1 mean %.4f, variance %.4f\n", *layer, res.QMeansTarget[0], res.QMeansTarget[1], res.QMeansTarget[2])
	fmt.Printf("Layer %d Q, non-target: mean %.4f, L1 mean %.4f, variance %.4f\n", *layer, res.QMeansNontarget[0], res.QMeansNontarget[1], res.QMeansNontarget[2])
	printPart6(res.Part6, 5)
	t0 := time.Now()
	figs, err := figures.Chapter(res, fd)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := figures.Save(*out, figs); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d figures in %s\n", len(figs), time.Since(t0).Round(time.Millisecond))
	b, err := json.MarshalIndent(res, "", " ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(*out, "results.json"), append(b, '\n')); err != nil {
		return err
	}
	fmt.Printf("Wrote %d figures (PNG + SVG) and results.json to %s in %s\n", len(figs), *out, time.Since(start).Round(time.Millisecond))
	return nil
}

// chapterResults computes every number and the figures' data of layer: chunk
// by chunk with stream; else GPT-2 runs if the store lacks the batch,
// writing it there and computing the statistics as the chunks come, and
// otherwise the statistics are read from the store.
func chapterResults(ctx context.Context, ch *chapter.Chapter, layer int, stream bool) (*chapter.Results, *chapter.FigureData, error) {
	if stream {
		return qkvlib.Stream(ctx, ch, layer)
	}
	t0 := time.Now()
	acts, res, fd, err := qkvlib.CaptureResults(ctx, ch, layer)
	if err != nil {
		return nil, nil, err
	}
	defer acts.Close()
	m, err := acts.Meta()
	if err != nil {
		return nil, nil, err
	}
	fmt.Printf("%d activations, each [%d, %d, %d], e.g. %s\n", len(acts.Names()), m.N, m.T, 3*m.NEmb, acts.Names()[0])
	fmt.Fprintf(os.Stderr, "Capture and statistics of %d layers in %s\n", ch.Model.Config.NLayers, time.Since(t0).Round(time.Millisecond))
	return res, fd, nil
}

// printPart6 prints how many of part 6's differences are significant and the
// strongest few.
func printPart6(p *chapter.Part6, few int) {
	if p == nil {
		fmt.Println("Part 6: skipped (paired tests need at least 2 sequences)")
		return
	}
	test := fmt.Sprintf("%d random sign flips, seed %d", p.Resamples, p.Seed)
	if p.Exact {
		test = fmt.Sprintf("all %d sign flips", 1<<p.NSequences)
	}
	sig := p.Significant(chapter.Part6Alpha)
	fmt.Printf("Part 6: %d of %d non-target − target differences are significant (Benjamini–Hochberg adjusted p < %g; %s)\n",
		len(sig), len(p.Cells()), chapter.Part6Alpha, test)
	for _, c := range sig[:min(few, len(sig))] {
		fmt.Printf("  %-22s %+.4g, %g%% interval [%.4g, %.4g], d_z %+.2f, adjusted p %.2g\n",
			c.Name()+":", c.Diff, 100*p.Level, c.CILo, c.CIHi, c.Dz, c.PBH)
	}
}

// printHeader prints what the book's notebook prints before the capture.
func printHeader(ch *chapter.Chapter) {
	c := ch.Model.Config
	fmt.Printf("%s: %d layers, n_emb %d, %d heads of %d\n", ch.Options.Model, c.NLayers, c.NEmb, c.NHeads, c.NEmb/c.NHeads)
	fmt.Printf("%d tokens; %d instances of %q (token %d)\n", len(ch.Tokens), len(ch.TargetIdxAll), ch.Target, ch.TargetID)
	fmt.Printf("Target count before filtering: %d\n", len(ch.TargetIdxAll))
	fmt.Printf("Target count after filtering: %d\n", len(ch.TargetIdx))
	fmt.Printf("batch shape: [%d, %d]\n", len(ch.Batch), ch.Context+1)
	rows, err := ch.ExampleRows(5, 10)
	if err == nil {
		for _, r := range rows {
			fmt.Printf("%q\n", r)
		}
	}
}

// parseLinspace parses "lo,hi,n" into tensor.Linspace(lo, hi, n), n ≥ 2.
func parseLinspace(s string) ([]float64, error) {
	var lo, hi float64
	var n int
	if _, err := fmt.Sscanf(s, "%g,%g,%d", &lo, &hi, &n); err != nil || n < 2 || !(lo < hi) {
		return nil, fmt.Errorf("want lo,hi,n with lo < hi and n ≥ 2, e.g. -4,4,101")
	}
	return tensor.Linspace(lo, hi, n), nil
}
