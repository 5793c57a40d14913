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
	"sort"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/qkvport/qkv/internal/testenv"
)

// tmpWeights is a random GPT-2 held in memory (dev only; to be replaced by checkpoint.WriteRandom).
type tmpWeights struct {
	cfg    Config
	data   map[string][]float32
	shapes map[string][]int
}

func randomWeights(cfg Config, scale float64, seed uint64) *tmpWeights {
	r := rand.New(rand.NewPCG(seed, 1))
	w := &tmpWeights{cfg: cfg, data: map[string][]float32{}, shapes: map[string][]int{}}
	add := func(name string, center float64, dims ...int) {
		n := 1
		for _, d := range dims {
			n *= d
		}
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(center + scale*r.NormFloat64())
		}
		w.data[name], w.shapes[name] = x, dims
	}
	e := cfg.NEmbd
	add("wte.weight", 0, cfg.VocabSize, e)
	add("wpe.weight", 0, cfg.NPositions, e)
	add("ln_f.weight", 1, e)
	add("ln_f.bias", 0, e)
	for i := range cfg.NLayer {
		p := fmt.Sprintf("h.%d.", i)
		add(p+"ln_1.weight", 1, e)
		add(p+"ln_1.bias", 0, e)
		add(p+"attn.c_attn.weight", 0, e, 3*e)
		add(p+"attn.c_attn.bias", 0, 3*e)
		add(p+"attn.c_proj.weight", 0, e, e)
		add(p+"attn.c_proj.bias", 0, e)
		add(p+"ln_2.weight", 1, e)
		add(p+"ln_2.bias", 0, e)
		add(p+"mlp.c_fc.weight", 0, e, 4*e)
		add(p+"mlp.c_fc.bias", 0, 4*e)
		add(p+"mlp.c_proj.weight", 0, 4*e, e)
		add(p+"mlp.c_proj.bias", 0, e)
	}
	return w
}

func (w *tmpWeights) source(name string) ([]float32, []int, error) {
	d, ok := w.data[name]
	if !ok {
		return nil, nil, fmt.Errorf("no tensor %q", name)
	}
	return d, w.shapes[name], nil
}

func (w *tmpWeights) writeHF(t *testing.T, dir string) {
	cfg := map[string]any{"n_layer": w.cfg.NLayer, "n_embd": w.cfg.NEmbd, "n_head": w.cfg.NHead,
		"n_positions": w.cfg.NPositions, "vocab_size": w.cfg.VocabSize, "layer_norm_epsilon": 1e-5,
		"activation_function": "gelu_new", "model_type": "gpt2"}
	b, _ := json.Marshal(cfg)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(w.data))
	for n := range w.data {
		names = append(names, n)
	}
	sort.Strings(names)
	header := map[string]any{}
	off := 0
	for _, n := range names {
		sz := 4 * len(w.data[n])
		header[n] = map[string]any{"dtype": "F32", "shape": w.shapes[n], "data_offsets": []int{off, off + sz}}
		off += sz
	}
	hb, _ := json.Marshal(header)
	for len(hb)%8 != 0 {
		hb = append(hb, ' ')
	}
	f, err := os.Create(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	binary.Write(f, binary.LittleEndian, uint64(len(hb)))
	f.Write(hb)
	for _, n := range names {
		binary.Write(f, binary.LittleEndian, w.data[n])
	}
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

func TestParityWithNumpy(t *testing.T) {
	py := testenv.Python(t)
	cases := []struct {
		name string
		cfg  Config
		n, T int
	}{
		{"odd-3L-5H-E60", Config{NLayer: 3, NEmbd: 60, NHead: 5, NPositions: 40, VocabSize: 97}, 4, 13},
		{"odd-4L-3H-E54", Config{NLayer: 4, NEmbd: 54, NHead: 3, NPositions: 24, VocabSize: 50}, 3, 24},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := randomWeights(tc.cfg, 0.2, 7)
			dir := t.TempDir()
			w.writeHF(t, dir)
			r := rand.New(rand.NewPCG(3, 4))
			toks := make([][]int32, tc.n)
			for i := range toks {
				toks[i] = make([]int32, tc.T)
				for j := range toks[i] {
					toks[i][j] = int32(r.IntN(tc.cfg.VocabSize))
				}
			}
			tb, _ := json.Marshal(toks)
			os.WriteFile(filepath.Join(dir, "tokens.json"), tb, 0o644)
			out := t.TempDir()
			cmd := exec.Command(py, filepath.Join("testdata", "ref_gpt2.py"), dir, filepath.Join(dir, "tokens.json"), out, "--logits")
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("reference failed: %v\n%s", err, b)
			}
			m, err := New(gobackend.GetBackend(), tc.cfg, w.source)
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
				for l := range tc.cfg.NLayer {
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
				d := maxAbsDiff(lg, readF64(t, filepath.Join(out, "logits.f64")))
				t.Logf("batch %d logits: max |Δ| = %.2e", bs, d)
				if d > 1e-4 {
					t.Errorf("batch %d logits: max |Δ| = %g > 1e-4", bs, d)
				}
			}
		})
	}
}
