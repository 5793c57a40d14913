package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
	"github.com/qkvport/qkv/qkvlib/npz"
)

// TestForwardFLOPs checks the FLOP formula against hand-worked counts.
func TestForwardFLOPs(t *testing.T) {
	tiny := checkpoint.Config{NEmb: 2, VocabSize: 3}
	cases := []struct {
		name                string
		cfg                 checkpoint.Config
		n, t, full, qkvOnly int
		head                bool
		want                float64
	}{
		// 24·2² + 4·1·2 = 104
		{"one token, one block", tiny, 1, 1, 1, 0, false, 104},
		// 104 + 6·2² = 128, + 2·3·2 = 140, times 2 tokens
		{"qkv-only block and head", tiny, 2, 1, 1, 1, true, 2 * 140},
		// attention grows with t: per token 24·4 + 4·5·2 = 136, times 3·5 tokens
		{"attention term", tiny, 3, 5, 1, 0, false, 15 * 136},
		// the chapter on gpt2-large, as qkv captures it: 35 full blocks + layer 35's c_attn
		{"book capture", checkpoint.GPT2Large(), 114, 51, 35, 1, false, 8111841638400},
		// the book's model(batch): 36 blocks and the LM head
		{"book model(batch)", checkpoint.GPT2Large(), 114, 51, 36, 0, true, 9032838773760},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := forwardFLOPs(tc.cfg, tc.n, tc.t, tc.full, tc.qkvOnly, tc.head); got != tc.want {
				t.Errorf("forwardFLOPs = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseVmHWM(t *testing.T) {
	cases := []struct {
		status  string
		want    int64
		wantErr string
	}{
		{"Name:\tqkv\nVmPeak:\t  999 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 100 kB\n", 123456, ""},
		{"Name:\tqkv\nVmRSS:\t 100 kB\n", 0, "no VmHWM"},
		{"VmHWM:\t12 MB\n", 0, "unexpected VmHWM"},
	}
	for _, tc := range cases {
		got, err := parseVmHWM(strings.NewReader(tc.status))
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parseVmHWM(%q) error %v, want one containing %q", tc.status, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseVmHWM(%q) = %d, %v; want %d", tc.status, got, err, tc.want)
		}
	}
}

func TestRandomTokens(t *testing.T) {
	a, b := randomTokens(5, 7, 11, 3), randomTokens(5, 7, 11, 3)
	c := randomTokens(5, 7, 11, 4)
	if len(a) != 5 || len(a[0]) != 7 {
		t.Fatalf("shape %dx%d, want 5x7", len(a), len(a[0]))
	}
	seen := map[int]bool{}
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			t.Errorf("row %d differs between two calls with the same seed", i)
		}
		for _, id := range a[i] {
			if id < 0 || id >= 11 {
				t.Errorf("id %d outside [0, 11)", id)
			}
			seen[id] = true
		}
	}
	if slices.EqualFunc(a, c, slices.Equal) {
		t.Errorf("seeds 3 and 4 gave the same tokens")
	}
	if len(seen) < 8 {
		t.Errorf("only %d distinct ids of 11 in 35 draws", len(seen))
	}
}

// benchModel writes a tiny random GPT-2 and a token file for it.
func benchModel(t *testing.T) (model, tokPath string, tokens [][]int) {
	t.Helper()
	model = t.TempDir()
	cfg := checkpoint.Config{NLayers: 3, NEmb: 24, NHeads: 4, NPositions: 32, VocabSize: 50, LayerNormEps: 1e-5, Activation: "gelu_new"}
	if err := checkpoint.WriteRandom(model, cfg, checkpoint.RandomOptions{Seed: 5, Scale: 0.3}); err != nil {
		t.Fatal(err)
	}
	tokens = [][]int{{1, 5, 9, 49, 0}, {4, 4, 4, 4, 4}, {30, 2, 0, 0, 9}}
	b, _ := json.Marshal(tokens)
	tokPath = filepath.Join(t.TempDir(), "tokens.json")
	if err := os.WriteFile(tokPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return model, tokPath, tokens
}

// TestBenchCommand runs `qkv bench` on a tiny model and checks the report's
// arithmetic, and its saved layer against the independent numpy GPT-2.
func TestBenchCommand(t *testing.T) {
	py := testenv.Python(t)
	model, tokPath, _ := benchModel(t)
	dir := t.TempDir()
	jsonPath, npzPath := filepath.Join(dir, "go.json"), filepath.Join(dir, "go.npz")
	args := []string{"-model", model, "-tokens", tokPath, "-layers", "1,0", "-batch", "2", "-repeat", "2",
		"-json", jsonPath, "-save", npzPath, "-save-layer", "1"}
	if err := runBench(context.Background(), args); err != nil {
		t.Fatal(err)
	}
	var r benchReport
	readJSON(t, jsonPath, &r)
	if r.N != 3 || r.T != 5 || r.Chunk != 2 || !slices.Equal(r.Layers, []int{0, 1}) || len(r.RunsS) != 2 {
		t.Errorf("report header wrong: %+v", r)
	}
	if r.FullBlocks != 1 || r.QKVOnlyBlocks != 1 || r.LMHead {
		t.Errorf("blocks run: %d full + %d to c_attn, head %v; want 1 + 1, no head", r.FullBlocks, r.QKVOnlyBlocks, r.LMHead)
	}
	// 15 tokens · (24·24² + 4·5·24 + 6·24²) = 15 · 17760
	if r.GFLOP*1e9 != 15*17760 {
		t.Errorf("gflop %v, want %v", r.GFLOP, 15*17760e-9)
	}
	if r.WallS != r.RunsS[0] || r.BestS != min(r.RunsS[0], r.RunsS[1]) || r.WallS <= 0 {
		t.Errorf("wall %v best %v from runs %v", r.WallS, r.BestS, r.RunsS)
	}
	if d := r.TokensPerS - 15/r.WallS; math.Abs(d) > 1e-9*r.TokensPerS {
		t.Errorf("tokens/s %v, want 15/%v", r.TokensPerS, r.WallS)
	}
	if r.KeptBytes != 2*15*72*4 {
		t.Errorf("kept %d bytes, want 2 layers · 15 tokens · 72 floats · 4 bytes = %d", r.KeptBytes, 2*15*72*4)
	}
	if r.LoadPeakMiB <= 0 || r.PeakMiB < r.LoadPeakMiB {
		t.Errorf("peak RSS %v MiB, after load %v MiB", r.PeakMiB, r.LoadPeakMiB)
	}

	ref := t.TempDir()
	if b, err := exec.Command(py, filepath.Join("..", "..", "qkvlib", "gpt2", "testdata", "ref_gpt2.py"), model, tokPath, ref).CombinedOutput(); err != nil {
		t.Fatalf("reference: %v\n%s", err, b)
	}
	arrays, err := npz.ReadFile(npzPath)
	if err != nil {
		t.Fatal(err)
	}
	got := arrays["attn_1_qkv"]
	if got == nil || len(arrays) != 1 || !slices.Equal(got.Shape, []int{3, 5, 72}) {
		t.Fatalf("saved arrays %v, want only attn_1_qkv [3 5 72]", arrays)
	}
	want := readF64(t, filepath.Join(ref, "attn_1_qkv.f64"))
	d := 0.0
	for i, v := range got.Float32 {
		d = max(d, math.Abs(float64(v)-want[i]))
	}
	if d > 1e-4 {
		t.Errorf("saved attn_1_qkv: max |Δ| vs numpy = %g > 1e-4", d)
	}

	// Without -keep nothing is kept, and -save still writes the same layer.
	npz2 := filepath.Join(dir, "go2.npz")
	args = append(args[:len(args)-6], "-json", jsonPath, "-save", npz2, "-save-layer", "1", "-keep=false")
	if err := runBench(context.Background(), args); err != nil {
		t.Fatal(err)
	}
	readJSON(t, jsonPath, &r)
	if r.Keep || r.KeptBytes != 0 {
		t.Errorf("-keep=false: keep %v, %d bytes kept", r.Keep, r.KeptBytes)
	}
	arrays2, err := npz.ReadFile(npz2)
	if err != nil {
		t.Fatal(err)
	}
	if a := arrays2["attn_1_qkv"]; a == nil || !slices.Equal(a.Float32, got.Float32) {
		t.Errorf("-keep=false saved a different attn_1_qkv")
	}
}

func TestBenchBadInputs(t *testing.T) {
	model, tokPath, _ := benchModel(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-tokens", tokPath}, "-model is required"},
		{[]string{"-model", model, "-tokens", tokPath, "-repeat", "0"}, "at least one run"},
		{[]string{"-model", model, "-tokens", tokPath, "-layers", "0", "-save", filepath.Join(t.TempDir(), "x.npz")}, "-save-layer 6 is not captured"},
		{[]string{"-model", model, "-tokens", tokPath, "-layers", "7"}, "layer 7 does not exist"},
		{[]string{"-model", model, "-n", "0"}, "at least one sequence"},
	}
	for _, tc := range cases {
		err := runBench(context.Background(), tc.args)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("qkv bench %v: got %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
}

// TestPyTorchCaptureScript runs bench/pytorch_capture.py (the PyTorch original
// the benchmark compares with) on the same tiny model when a Python with torch
// and transformers is at hand ($QKV_BENCH_PYTHON, else the venv scripts/bench.sh
// -install makes), and checks that it reports the same fields as qkv bench and
// saves the same layer output. PyTorch is optional tooling: without it the
// test skips, even in CI.
func TestPyTorchCaptureScript(t *testing.T) {
	py := os.Getenv("QKV_BENCH_PYTHON")
	if py == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Skip("no user cache folder")
		}
		py = filepath.Join(cache, "qkv", "bench", "venv", "bin", "python")
	}
	if exec.Command(py, "-c", "import torch, transformers").Run() != nil {
		t.Skipf("skipped: %s cannot import torch and transformers (run scripts/bench.sh -install, or set QKV_BENCH_PYTHON)", py)
	}
	model, tokPath, _ := benchModel(t)
	dir := t.TempDir()
	goJSON, goNPZ := filepath.Join(dir, "go.json"), filepath.Join(dir, "go.npz")
	if err := runBench(context.Background(), []string{"-model", model, "-tokens", tokPath, "-json", goJSON, "-save", goNPZ, "-save-layer", "2", "-logits"}); err != nil {
		t.Fatal(err)
	}
	pyJSON, pyNPZ := filepath.Join(dir, "py.json"), filepath.Join(dir, "py.npz")
	cmd := exec.Command(py, filepath.Join("..", "..", "bench", "pytorch_capture.py"), model, tokPath, "--threads", "1", "--json", pyJSON, "--save", pyNPZ, "--save-layer", "2")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pytorch_capture.py: %v\n%s", err, b)
	}
	var g, p map[string]any
	readJSON(t, goJSON, &g)
	readJSON(t, pyJSON, &p)
	for k := range g {
		if _, ok := p[k]; !ok {
			t.Errorf("pytorch_capture.py's report lacks %q", k)
		}
	}
	// With -logits both run every block and the LM head: the same FLOPs.
	if g["gflop"] != p["gflop"] || p["lm_head"] != true || p["n"] != 3.0 || p["t"] != 5.0 {
		t.Errorf("go gflop %v, pytorch gflop %v, lm_head %v, n %v, t %v", g["gflop"], p["gflop"], p["lm_head"], p["n"], p["t"])
	}
	ga, err := npz.ReadFile(goNPZ)
	if err != nil {
		t.Fatal(err)
	}
	pa, err := npz.ReadFile(pyNPZ)
	if err != nil {
		t.Fatal(err)
	}
	x, y := ga["attn_2_qkv"], pa["attn_2_qkv"]
	if x == nil || y == nil || !slices.Equal(x.Shape, y.Shape) {
		t.Fatalf("attn_2_qkv: go %v, pytorch %v", x, y)
	}
	d := 0.0
	for i := range x.Float32 {
		d = max(d, math.Abs(float64(x.Float32[i]-y.Float32[i])))
	}
	t.Logf("attn_2_qkv: max |go - pytorch| = %.2e", d)
	if d > 1e-4 {
		t.Errorf("attn_2_qkv: max |go - pytorch| = %g > 1e-4", d)
	}
}
