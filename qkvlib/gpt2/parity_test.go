package gpt2

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

// writeModel writes a random GPT-2 checkpoint in HF layout into a temp dir and opens it.
func writeModel(t testing.TB, cfg checkpoint.Config, opt checkpoint.RandomOptions) (string, *checkpoint.Weights) {
	t.Helper()
	dir := t.TempDir()
	if err := checkpoint.WriteRandom(dir, cfg, opt); err != nil {
		t.Fatal(err)
	}
	w, err := checkpoint.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return dir, w
}

func randomTokens(n, t, vocab int, seed uint64) [][]int {
	r := rand.New(rand.NewPCG(seed, 4))
	toks := make([][]int, n)
	for i := range toks {
		toks[i] = make([]int, t)
		for j := range toks[i] {
			toks[i][j] = r.IntN(vocab)
		}
	}
	return toks
}

func config(layers, embd, heads, positions, vocab int) checkpoint.Config {
	return checkpoint.Config{NLayers: layers, NEmb: embd, NHeads: heads, NPositions: positions, VocabSize: vocab,
		LayerNormEps: 1e-5, Activation: "gelu_new"}
}

func readF64(t *testing.T, path string) []float64 {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(b)/8)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out
}

func maxAbsDiff(a []float32, b []float64) float64 {
	m := 0.0
	for i := range a {
		m = max(m, math.Abs(float64(a[i])-b[i]))
	}
	return m
}

// TestParityWithNumpy compares every captured layer and the logits with an
// independent numpy GPT-2 (testdata/ref_gpt2.py, float64) on random
// checkpoints of odd shapes, in every stored dtype and name layout, for
// several chunk sizes. The weight scale (0.2) is large enough that erf GELU
// instead of gelu_new fails the 1e-4 bound.
func TestParityWithNumpy(t *testing.T) {
	py := testenv.Python(t)
	cases := []struct {
		name string
		cfg  checkpoint.Config
		opt  checkpoint.RandomOptions
		n, T int
	}{
		{"3L-5H-E60-F32", config(3, 60, 5, 40, 97), checkpoint.RandomOptions{Seed: 7, Scale: 0.2}, 4, 13},
		{"4L-3H-E54-F16-prefix-buffers", config(4, 54, 3, 24, 50), checkpoint.RandomOptions{Seed: 8, Scale: 0.2, DType: "F16", Prefix: true, Buffers: true}, 3, 24},
		{"3L-7H-E42-BF16", config(3, 42, 7, 16, 61), checkpoint.RandomOptions{Seed: 9, Scale: 0.2, DType: "BF16"}, 5, 9},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir, w := writeModel(t, tc.cfg, tc.opt)
			toks := randomTokens(tc.n, tc.T, tc.cfg.VocabSize, 3)
			tb, _ := json.Marshal(toks)
			tokPath := filepath.Join(t.TempDir(), "tokens.json")
			if err := os.WriteFile(tokPath, tb, 0o644); err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			cmd := exec.Command(py, filepath.Join("testdata", "ref_gpt2.py"), dir, tokPath, out, "--logits")
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("reference failed: %v\n%s", err, b)
			}
			m, err := New(testBackend(t), w)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			for _, bs := range []int{0, 1, 2} {
				var got []Chunk
				err := m.CaptureChunks(toks, CaptureOptions{Logits: true, BatchSize: bs}, func(c Chunk) error {
					got = append(got, c)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				for l := range tc.cfg.NLayers {
					var all []float32
					for _, c := range got {
						all = append(all, c.QKV[l]...)
					}
					want := readF64(t, filepath.Join(out, fmt.Sprintf("attn_%d_qkv.f64", l)))
					if len(all) != len(want) {
						t.Fatalf("layer %d: got %d values, want %d", l, len(all), len(want))
					}
					d := maxAbsDiff(all, want)
					t.Logf("batch %d layer %d: max |Δ| = %.2e", bs, l, d)
					if d > 1e-4 {
						t.Errorf("batch %d layer %d: max |Δ| = %g > 1e-4", bs, l, d)
					}
				}
				var lg []float32
				for _, c := range got {
					lg = append(lg, c.Logits...)
				}
				want := readF64(t, filepath.Join(out, "logits.f64"))
				if len(lg) != len(want) {
					t.Fatalf("logits: got %d values, want %d", len(lg), len(want))
				}
				d := maxAbsDiff(lg, want)
				t.Logf("batch %d logits: max |Δ| = %.2e", bs, d)
				if d > 1e-4 {
					t.Errorf("batch %d logits: max |Δ| = %g > 1e-4", bs, d)
				}
			}
		})
	}
}
