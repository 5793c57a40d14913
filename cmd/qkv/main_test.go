package main

import (
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
	"github.com/qkvport/qkv/qkvlib/npz"
)

// smallModel writes a small random GPT-2 with the real vocabulary size, so the
// real tokenizer's ids fit.
func smallModel(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cfg := checkpoint.Config{NLayers: 4, NEmb: 48, NHeads: 4, NPositions: 64, VocabSize: 50257, LayerNormEps: 1e-5, Activation: "gelu_new"}
	if err := checkpoint.WriteRandom(dir, cfg, checkpoint.RandomOptions{Seed: 3, Scale: 0.3}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// figureSizes are the book's figure sizes in inches; PNGs are 300 dpi.
var figureSizes = map[string][2]int{
	"part1": {10, 3}, "part2a": {8, 3}, "part2b": {10, 3}, "part3a": {12, 3},
	"part3b": {12, 3}, "part4": {12, 6}, "part5a": {12, 6}, "part5b": {10, 3}, "part6": {12, 3},
}

// TestRunChapter runs the whole chapter on the real Gatsby text and tokenizer
// with a small random GPT-2, checks the counts, the nine figures, and that
// results.json equals an independent numpy computation from the same
// activations; then checks that a second run (statistics read from the
// store) and the streaming path give the same numbers.
func TestRunChapter(t *testing.T) {
	text := testenv.SharedData(t, "gatsby", "pg64317.txt")
	tokDir := testenv.SharedData(t, "gpt2-tokenizer")
	py := testenv.Python(t, "scipy")
	model := smallModel(t)
	cache, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
	args := []string{"-model", model, "-tokenizer", tokDir, "-text", text, "-cache", cache, "-layer", "2", "-batch", "40"}
	if err := runChapter(context.Background(), append(args, "-out", out)); err != nil {
		t.Fatal(err)
	}
	var res chapter.Results
	readJSON(t, filepath.Join(out, "results.json"), &res)
	if res.TargetID != 588 || res.TargetsBefore != 114 || res.TargetsAfter != 114 || res.NLayers != 4 {
		t.Errorf("results header %+v: want target 588, 114 targets before and after, 4 layers", res)
	}
	if p := res.Part6; p == nil || len(p.Tests) != 4 || p.NSequences != 114 || p.Resamples != 10000 || p.Exact {
		t.Errorf("results part6 %+v: want 4 layers of random tests over 114 sequences, 10000 resamples", p)
	}
	checkFigureFiles(t, out)

	// The independent computation, from the stored activations exported to .npz.
	o := chapter.BookOptions()
	o.Model, o.Tokenizer, o.Text, o.CacheDir, o.Offline = model, tokDir, text, cache, true
	ch, err := chapter.Prepare(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	acts := ch.Activations()
	if !acts.Stored() {
		t.Fatal("qkv run did not store the activations")
	}
	defer acts.Close()
	npzPath := filepath.Join(t.TempDir(), "acts.npz")
	if err := acts.ExportNPZ(npzPath, nil); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, filepath.Join("testdata", "ref_results.py"), npzPath, filepath.Join(out, "results.json"), "2")
	b, err := cmd.CombinedOutput()
	t.Logf("numpy reference:\n%s", b)
	if err != nil {
		t.Fatalf("results.json differs from the numpy computation: %v", err)
	}

	// A second run reads the activations from the store (the first computed
	// the statistics as the chunks came): the same numbers.
	out3 := filepath.Join(t.TempDir(), "out")
	if err := runChapter(context.Background(), append(args, "-out", out3)); err != nil {
		t.Fatal(err)
	}
	var res3 chapter.Results
	readJSON(t, filepath.Join(out3, "results.json"), &res3)
	if d := maxDiff(res, res3); d > 1e-12 {
		t.Errorf("results from the store differ from those computed during the capture by %g", d)
	}

	// Streaming gives the same numbers without the store. (The same forward
	// chunks give bit-identical activations; the statistics' own chunking is
	// tested in package describe.)
	out2 := filepath.Join(t.TempDir(), "out")
	if err := runChapter(context.Background(), append(args, "-out", out2, "-stream", "-cache", t.TempDir())); err != nil {
		t.Fatal(err)
	}
	var res2 chapter.Results
	readJSON(t, filepath.Join(out2, "results.json"), &res2)
	if d := maxDiff(res, res2); d > 1e-12 {
		t.Errorf("streaming results differ from stored ones by %g", d)
	}
}

// checkFigureFiles checks the nine figures in out: PNGs of the book's size
// at 300 dpi, and SVGs.
func checkFigureFiles(t *testing.T, out string) {
	t.Helper()
	for part, inches := range figureSizes {
		name := filepath.Join(out, "ch6_proj34_"+part)
		f, err := os.Open(name + ".png")
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != inches[0]*300 || cfg.Height != inches[1]*300 {
			t.Errorf("%s.png: %dx%d (%v), want %dx%d", part, cfg.Width, cfg.Height, err, inches[0]*300, inches[1]*300)
		}
		if b, err := os.ReadFile(name + ".svg"); err != nil || !strings.Contains(string(b), "<svg") {
			t.Errorf("%s.svg missing or not SVG: %v", part, err)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// maxDiff compares two Results field by field through their JSON numbers.
func maxDiff(a, b chapter.Results) float64 {
	var fa, fb []float64
	for _, x := range []struct {
		r   chapter.Results
		dst *[]float64
	}{{a, &fa}, {b, &fb}} {
		raw, _ := json.Marshal(x.r)
		var generic any
		json.Unmarshal(raw, &generic)
		*x.dst = flattenNumbers(generic, nil)
	}
	if len(fa) != len(fb) {
		return math.Inf(1)
	}
	d := 0.0
	for i := range fa {
		d = max(d, math.Abs(fa[i]-fb[i]))
	}
	return d
}

func flattenNumbers(v any, out []float64) []float64 {
	switch x := v.(type) {
	case float64:
		out = append(out, x)
	case []any:
		for _, e := range x {
			out = flattenNumbers(e, out)
		}
	case map[string]any:
		keys := []string{"qmeans_target", "qmeans_nontarget", "part2b_histograms", "descriptives", "histograms", "head_stdevs", "part6"}
		if _, top := x["model"]; !top { // part 6's objects
			keys = slices.Sorted(maps.Keys(x))
		}
		for _, k := range keys {
			out = flattenNumbers(x[k], out)
		}
	}
	return out
}

// TestRunBadInputs checks each bad input gives an error that says what to do
// and leaves no output folder behind.
func TestRunBadInputs(t *testing.T) {
	text := testenv.SharedData(t, "gatsby", "pg64317.txt")
	tokDir := testenv.SharedData(t, "gpt2-tokenizer")
	model := smallModel(t)
	base := []string{"-model", model, "-tokenizer", tokDir, "-text", text, "-cache", t.TempDir()}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing text", []string{"-text", "/nonexistent/book.txt"}, "book.txt"},
		{"absent word", []string{"-target", " Python"}, "does not occur"},
		{"multi-token word", []string{"-target", " Gatsby's"}, "pick a word that is one token"},
		{"context 0", []string{"-context", "0"}, "context"},
		{"context too long", []string{"-context", "64"}, "maximum context is 63"},
		{"no such layer", []string{"-layer", "9"}, "-layer 9 does not exist"},
		{"missing model", []string{"-model", filepath.Join(t.TempDir(), "nothing")}, "nothing"},
		{"stray argument", []string{"extra"}, "unexpected argument"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append(append(append([]string{}, base...), "-out", out), tc.args...)
			err := runChapter(context.Background(), args)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if _, serr := os.Stat(out); serr == nil {
				t.Errorf("the output folder was created despite the error")
			}
		})
	}
}

// TestCaptureCommand checks `qkv capture` against the independent numpy GPT-2
// on a random checkpoint, for a subset of layers and the logits.
func TestCaptureCommand(t *testing.T) {
	py := testenv.Python(t)
	dir := t.TempDir()
	cfg := checkpoint.Config{NLayers: 3, NEmb: 30, NHeads: 5, NPositions: 32, VocabSize: 77, LayerNormEps: 1e-5, Activation: "gelu_new"}
	if err := checkpoint.WriteRandom(dir, cfg, checkpoint.RandomOptions{Seed: 11, Scale: 0.25, DType: "BF16", Prefix: true, Buffers: true}); err != nil {
		t.Fatal(err)
	}
	tokens := [][]int{{1, 5, 9, 76, 0, 3}, {4, 4, 4, 4, 4, 4}, {70, 2, 0, 0, 9, 1}}
	tb, _ := json.Marshal(tokens)
	tokPath := filepath.Join(t.TempDir(), "tokens.json")
	os.WriteFile(tokPath, tb, 0o644)
	out := filepath.Join(t.TempDir(), "acts.npz")
	if err := runCapture(context.Background(), []string{"-model", dir, "-tokens", tokPath, "-out", out, "-layers", "0,2", "-logits", "-batch", "2"}); err != nil {
		t.Fatal(err)
	}
	ref := t.TempDir()
	if b, err := exec.Command(py, filepath.Join("..", "..", "qkvlib", "gpt2", "testdata", "ref_gpt2.py"), dir, tokPath, ref, "--logits").CombinedOutput(); err != nil {
		t.Fatalf("reference: %v\n%s", err, b)
	}
	arrays, err := npz.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := arrays["attn_1_qkv"]; ok {
		t.Errorf("layer 1 was not asked for but was written")
	}
	if tok := arrays["tokens"]; tok == nil || fmt.Sprint(tok.Shape) != "[3 6]" || tok.Int64[3] != 76 {
		t.Errorf("tokens array wrong: %+v", tok)
	}
	for name, shape := range map[string]string{"attn_0_qkv": "[3 6 90]", "attn_2_qkv": "[3 6 90]", "logits": "[3 6 77]"} {
		a := arrays[name]
		if a == nil || fmt.Sprint(a.Shape) != shape {
			t.Fatalf("%s: got %+v, want shape %s", name, a, shape)
		}
		want := readF64(t, filepath.Join(ref, name+".f64"))
		d := 0.0
		for i, v := range a.Float32 {
			d = max(d, math.Abs(float64(v)-want[i]))
		}
		t.Logf("%s: max |Δ| vs numpy = %.2e", name, d)
		if d > 1e-4 {
			t.Errorf("%s: max |Δ| vs numpy = %g > 1e-4", name, d)
		}
	}
}

func readF64(t *testing.T, path string) []float64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(b)/8)
	for i := range out {
		var u uint64
		for k := 7; k >= 0; k-- {
			u = u<<8 | uint64(b[8*i+k])
		}
		out[i] = math.Float64frombits(u)
	}
	return out
}

// TestTokenizeCommand checks `qkv tokenize` on the Gatsby text: the count and
// the " like" occurrences measured with an independent encoder (the ids
// themselves are compared with it in package bpe).
func TestTokenizeCommand(t *testing.T) {
	text := testenv.SharedData(t, "gatsby", "pg64317.txt")
	tokDir := testenv.SharedData(t, "gpt2-tokenizer")
	out := filepath.Join(t.TempDir(), "ids.json")
	if err := runTokenize(context.Background(), []string{"-tokenizer", tokDir, "-text", text, "-out", out}); err != nil {
		t.Fatal(err)
	}
	var ids []int
	readJSON(t, out, &ids)
	likes := 0
	for _, id := range ids {
		if id == 588 {
			likes++
		}
	}
	if len(ids) != 82439 || likes != 114 {
		t.Errorf("got %d tokens with %d × 588, want 82439 and 114", len(ids), likes)
	}
	if err := runTokenize(context.Background(), []string{"-tokenizer", tokDir}); err == nil || !strings.Contains(err.Error(), "-text is required") {
		t.Errorf("no -text: got %v", err)
	}
}
