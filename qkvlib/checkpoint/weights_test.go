package checkpoint

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

type summary struct {
	Metadata map[string]string      `json:"metadata"`
	Tensors  map[string]numpyTensor `json:"tensors"`
}

// numpyTensor is what numpy read of one tensor.
type numpyTensor struct {
	DType string  `json:"dtype"`
	Shape []int   `json:"shape"`
	Mean  float64 `json:"mean"`
	Std   float64 `json:"std"`
	Tril  *bool   `json:"tril"`
}

// numpyRead decodes every tensor of dir/model.safetensors with numpy, into
// out/<name>.f32, and returns numpy's summary.
func numpyRead(t *testing.T, dir string) (summary, string) {
	t.Helper()
	out := t.TempDir()
	var s summary
	if err := json.Unmarshal(reference(t, "tensors", filepath.Join(dir, "model.safetensors"), out), &s); err != nil {
		t.Fatal(err)
	}
	return s, out
}

// WriteRandom then Open, every tensor compared bit for bit with numpy's
// reading of the same file.
func TestRoundTrip(t *testing.T) {
	tests := []struct {
		dtype   string
		prefix  bool
		buffers bool
	}{
		{"F32", false, false}, {"F32", true, true}, {"F16", false, true}, {"F16", true, false}, {"BF16", false, false}, {"BF16", true, true},
	}
	for _, tc := range tests {
		name := tc.dtype
		if tc.prefix {
			name += "/prefix"
		}
		if tc.buffers {
			name += "/buffers"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := WriteRandom(dir, tiny, RandomOptions{Seed: 7, DType: tc.dtype, Prefix: tc.prefix, Buffers: tc.buffers}); err != nil {
				t.Fatal(err)
			}
			ref, refDir := numpyRead(t, dir)
			w, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			if w.Config() != tiny {
				t.Fatalf("Config() = %+v", w.Config())
			}
			if ref.Metadata["format"] != "pt" {
				t.Errorf("metadata %v", ref.Metadata)
			}
			want := len(tiny.TensorSpecs())
			if tc.prefix {
				want++ // lm_head.weight
			}
			if tc.buffers {
				want += 2 * tiny.NLayers
			}
			if len(ref.Tensors) != want || len(w.Names()) != want {
				t.Fatalf("numpy sees %d tensors, Names %d, want %d", len(ref.Tensors), len(w.Names()), want)
			}
			for stored, r := range ref.Tensors {
				checkAgainstNumpy(t, w, stored, r, refDir, tc.dtype, tc.prefix)
			}
			// Canonical names work whatever the file's spelling.
			for _, s := range tiny.TensorSpecs() {
				if _, err := w.Get(s.Name); err != nil {
					t.Fatal(err)
				}
				if _, err := w.Get("transformer." + s.Name); err != nil {
					t.Fatal(err)
				}
			}
			// F32 data is a view of the mapping, not a copy.
			c, _ := w.Get("h.1.mlp.c_fc.weight")
			p := uintptr(unsafe.Pointer(&c.Data[0]))
			base := uintptr(unsafe.Pointer(&w.file[0]))
			if inMap := p >= base && p < base+uintptr(len(w.file)); inMap != (tc.dtype == "F32") {
				t.Errorf("%s data inside the mapping: %v", tc.dtype, inMap)
			}
			if _, err := w.Get("h.9.ln_1.weight"); err == nil || !strings.Contains(err.Error(), "has no tensor h.9.ln_1.weight") {
				t.Errorf("absent tensor: %v", err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := w.Get("wte.weight"); err == nil {
				t.Error("Get after Close gave no error")
			}
		})
	}
}

// checkAgainstNumpy checks tensor stored (its name as the file spells it)
// against what numpy read of it: name, dtype, shape and every value's bits.
func checkAgainstNumpy(t *testing.T, w *Weights, stored string, r numpyTensor, refDir, dtype string, prefix bool) {
	t.Helper()
	if strings.HasPrefix(stored, "transformer.") != (prefix && stored != "lm_head.weight") {
		t.Errorf("tensor named %s", stored)
	}
	got, err := w.Get(stored) // as stored, prefix or not
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != strings.TrimPrefix(stored, "transformer.") || got.DType != dtype || !equalInts(got.Shape, r.Shape) {
		t.Fatalf("%s: got %s %s %v, numpy %s %v", stored, got.Name, got.DType, got.Shape, r.DType, r.Shape)
	}
	want := readF32(t, filepath.Join(refDir, stored+".f32"))
	if len(got.Data) != len(want) {
		t.Fatalf("%s: %d values, numpy %d", stored, len(got.Data), len(want))
	}
	for i := range want {
		if !sameBits(got.Data[i], want[i]) {
			t.Fatalf("%s[%d] = %g, numpy %g", stored, i, got.Data[i], want[i])
		}
	}
	if r.Tril != nil && !*r.Tril {
		t.Errorf("%s is not a lower-triangular mask", stored)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// rawTensor is a header entry for writeSafetensors.
type rawTensor struct {
	name, dtype string
	shape       []int
	size        int // bytes of data; -1 for what shape and dtype imply
}

// writeSafetensors writes a safetensors file by hand (zero data), to build
// files WriteRandom would never write.
func writeSafetensors(t *testing.T, path string, tensors []rawTensor) {
	t.Helper()
	header := map[string]any{}
	var off int
	for _, r := range tensors {
		n := r.size
		if n < 0 {
			n = 4
			if r.dtype == "F16" || r.dtype == "BF16" {
				n = 2
			}
			for _, d := range r.shape {
				n *= d
			}
		}
		header[r.name] = map[string]any{"dtype": r.dtype, "shape": r.shape, "data_offsets": []int{off, off + n}}
		off += n
	}
	h, _ := json.Marshal(header)
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
	b = append(append(b, h...), make([]byte, off)...)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// openErrorCases are damaged checkpoints and what Open must say of them.
var openErrorCases = []struct {
	name    string
	mutate  func(t *testing.T, dir string) // applied to a valid tiny checkpoint
	is      error                          // wrapped sentinel, if any
	holding []string
}{
	{
		name: "config wider than the weights",
		mutate: func(t *testing.T, dir string) {
			c := tiny
			c.NEmb = 64
			writeConfig(t, dir, c)
		},
		is:      ErrMismatch,
		holding: []string{"tensor wte.weight", "has shape [200 32]", "implies [200 64]", "the config does not match the weights"},
	},
	{
		name: "config with more layers",
		mutate: func(t *testing.T, dir string) {
			c := tiny
			c.NLayers = 3
			writeConfig(t, dir, c)
		},
		is:      ErrMismatch,
		holding: []string{"lacks tensor h.2.ln_1.weight", "(the file holds 2 blocks)", "the config does not match the weights"},
	},
	{
		name:    "missing weights file",
		mutate:  func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "model.safetensors")) },
		is:      os.ErrNotExist,
		holding: []string{"model.safetensors"},
	},
	{
		name:    "bad config",
		mutate:  func(t *testing.T, dir string) { os.WriteFile(filepath.Join(dir, "config.json"), []byte("{"), 0o644) },
		holding: []string{"config.json", "not a valid config.json"},
	},
	{
		name:    "cut in the data",
		mutate:  func(t *testing.T, dir string) { truncate(t, dir, -1000) },
		is:      ErrCorrupt,
		holding: []string{"looks truncated or corrupt", "beyond the end of the file", "re-download it"},
	},
	{
		name:    "cut in the header",
		mutate:  func(t *testing.T, dir string) { truncate(t, dir, 100) },
		is:      ErrCorrupt,
		holding: []string{"looks truncated or corrupt", "header length", "beyond the end of the 100-byte file"},
	},
	{
		name:    "cut in the length",
		mutate:  func(t *testing.T, dir string) { truncate(t, dir, 5) },
		is:      ErrCorrupt,
		holding: []string{"looks truncated or corrupt", "5 bytes"},
	},
	{
		name: "bad JSON",
		mutate: func(t *testing.T, dir string) {
			p := filepath.Join(dir, "model.safetensors")
			b, _ := os.ReadFile(p)
			copy(b[8:], "[oops")
			os.WriteFile(p, b, 0o644)
		},
		is:      ErrCorrupt,
		holding: []string{"looks truncated or corrupt", "bad JSON header"},
	},
	{
		name: "huge header length",
		mutate: func(t *testing.T, dir string) {
			p := filepath.Join(dir, "model.safetensors")
			b, _ := os.ReadFile(p)
			binary.LittleEndian.PutUint64(b, math.MaxUint64)
			os.WriteFile(p, b, 0o644)
		},
		is:      ErrCorrupt,
		holding: []string{"looks truncated or corrupt", "100 MB"},
	},
	{
		name: "unknown dtype",
		mutate: func(t *testing.T, dir string) {
			writeSafetensors(t, filepath.Join(dir, "model.safetensors"), append(specsAs(tiny, "F32"), rawTensor{"h.0.attn.masked_bias", "F13", nil, 4}))
		},
		is:      ErrCorrupt,
		holding: []string{`unknown dtype "F13"`},
	},
	{
		name: "offsets disagree with the shape",
		mutate: func(t *testing.T, dir string) {
			writeSafetensors(t, filepath.Join(dir, "model.safetensors"), append(specsAs(tiny, "F32"), rawTensor{"extra", "F32", []int{3}, 8}))
		},
		is:      ErrCorrupt,
		holding: []string{"tensor extra (F32 [3]) has data offsets"},
	},
	{
		name: "integer weights",
		mutate: func(t *testing.T, dir string) {
			specs := specsAs(tiny, "F32")
			specs[0].dtype = "I32"
			writeSafetensors(t, filepath.Join(dir, "model.safetensors"), specs)
		},
		holding: []string{"tensor wte.weight", "is I32: only F32, F16 and BF16 are supported"},
	},
}

func TestOpenErrors(t *testing.T) {
	tests := openErrorCases
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := WriteRandom(dir, tiny, RandomOptions{}); err != nil {
				t.Fatal(err)
			}
			tc.mutate(t, dir)
			w, err := Open(dir)
			if err == nil {
				w.Close()
				t.Fatal("no error")
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
			for _, h := range append(tc.holding, dir) {
				if !strings.Contains(err.Error(), h) {
					t.Errorf("error %q lacks %q", err, h)
				}
			}
		})
	}
}

// Buffers and lm_head in any dtype, and unknown extra tensors, do not stop Open.
func TestOpenIgnoresNonWeights(t *testing.T) {
	dir := t.TempDir()
	writeConfig(t, dir, tiny)
	specs := append(specsAs(tiny, "F32"),
		rawTensor{"h.0.attn.bias", "BOOL", []int{1, 1, 24, 24}, 576},
		rawTensor{"h.0.attn.masked_bias", "F64", []int{}, 8},
		rawTensor{"lm_head.weight", "F16", []int{200, 32}, -1},
		rawTensor{"v_head.summary.weight", "I64", []int{1, 32}, 256})
	writeSafetensors(t, filepath.Join(dir, "model.safetensors"), specs)
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Get("h.0.attn.bias"); err == nil || !strings.Contains(err.Error(), "is BOOL, which cannot be read as float32") {
		t.Errorf("Get of a BOOL buffer: %v", err)
	}
	if x, err := w.Get("ln_f.bias"); err != nil || len(x.Data) != 32 || x.Data[0] != 0 {
		t.Errorf("ln_f.bias: %+v, %v", x, err)
	}
}

func specsAs(cfg Config, dtype string) []rawTensor {
	var r []rawTensor
	for _, s := range cfg.TensorSpecs() {
		r = append(r, rawTensor{s.Name, dtype, s.Shape, -1})
	}
	return r
}

func writeConfig(t *testing.T, dir string, cfg Config) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"n_layer": cfg.NLayers, "n_embd": cfg.NEmb, "n_head": cfg.NHeads,
		"n_positions": cfg.NPositions, "vocab_size": cfg.VocabSize, "model_type": "gpt2"})
	if err := os.WriteFile(filepath.Join(dir, "config.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// truncate cuts dir/model.safetensors to n bytes, or by -n bytes when n < 0.
func truncate(t *testing.T, dir string, n int64) {
	t.Helper()
	p := filepath.Join(dir, "model.safetensors")
	if n < 0 {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		n += fi.Size()
	}
	if err := os.Truncate(p, n); err != nil {
		t.Fatal(err)
	}
}

// TestReleaseKeepsData checks that releasing a tensor's pages leaves its data
// readable and unchanged (it pages back in from the file).
func TestReleaseKeepsData(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{NLayers: 1, NEmb: 256, NHeads: 4, NPositions: 64, VocabSize: 1000, LayerNormEps: 1e-5, Activation: "gelu_new"}
	if err := WriteRandom(dir, cfg, RandomOptions{Seed: 5}); err != nil {
		t.Fatal(err)
	}
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	before, err := w.Get("wte.weight")
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(before.Data)
	w.Release("wte.weight")
	w.Release("no.such.tensor")
	if !slices.Equal(before.Data, want) {
		t.Fatal("wte.weight changed after Release")
	}
	w.Close()
	w.Release("wte.weight") // after Close: ignored
}
