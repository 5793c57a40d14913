package checkpoint

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The values WriteRandom writes have the distribution it promises, as numpy
// measures them.
func TestWriteRandomDistribution(t *testing.T) {
	for _, scale := range []float32{0, 0.5} {
		dir := t.TempDir()
		if err := WriteRandom(dir, tiny, RandomOptions{Seed: 3, Scale: scale, Prefix: true, Buffers: true}); err != nil {
			t.Fatal(err)
		}
		if scale == 0 {
			scale = 0.1 // the default
		}
		ref, refDir := numpyRead(t, dir)
		for name, r := range ref.Tensors {
			n := 1
			for _, d := range r.Shape {
				n *= d
			}
			canon := strings.TrimPrefix(name, "transformer.")
			switch {
			case strings.HasSuffix(canon, ".attn.bias"):
				if r.Tril == nil || !*r.Tril {
					t.Errorf("%s is not a lower-triangular mask of ones", name)
				}
				continue
			case strings.HasSuffix(canon, "masked_bias"):
				if v := readF32(t, filepath.Join(refDir, name+".f32")); len(v) != 1 || v[0] != -1e4 {
					t.Errorf("%s = %v, want [-10000]", name, v)
				}
				continue
			}
			mean := 0.0
			if canon == "ln_f.weight" || strings.HasSuffix(canon, "ln_1.weight") || strings.HasSuffix(canon, "ln_2.weight") {
				mean = 1
			}
			sd := float64(scale)
			if math.Abs(r.Mean-mean) > 5*sd/math.Sqrt(float64(n)) {
				t.Errorf("scale %g, %s: mean %g, want %g", scale, name, r.Mean, mean)
			}
			if n >= 1000 && math.Abs(r.Std/sd-1) > 0.1 {
				t.Errorf("scale %g, %s: std %g, want %g", scale, name, r.Std, sd)
			}
		}
		wte, _ := os.ReadFile(filepath.Join(refDir, "transformer.wte.weight.f32"))
		head, _ := os.ReadFile(filepath.Join(refDir, "lm_head.weight.f32"))
		if len(wte) == 0 || !bytes.Equal(wte, head) {
			t.Errorf("lm_head.weight is not tied to wte.weight")
		}
	}
}

// F16 and BF16 files hold the F32 file's values (same seed), rounded as
// numpy (F16) or to within bfloat16's precision.
func TestWriteRandomHalfMatchesF32(t *testing.T) {
	files := map[string]string{}
	for _, d := range []string{"F32", "F16", "BF16"} {
		dir := t.TempDir()
		if err := WriteRandom(dir, tiny, RandomOptions{Seed: 11, DType: d}); err != nil {
			t.Fatal(err)
		}
		_, files[d] = numpyRead(t, dir)
	}
	// All values in one file, for one call to numpy.
	var all, f16, bf16 []float32
	for _, s := range tiny.TensorSpecs() {
		all = append(all, readF32(t, filepath.Join(files["F32"], s.Name+".f32"))...)
		f16 = append(f16, readF32(t, filepath.Join(files["F16"], s.Name+".f32"))...)
		bf16 = append(bf16, readF32(t, filepath.Join(files["BF16"], s.Name+".f32"))...)
	}
	tmp := t.TempDir()
	in, out := filepath.Join(tmp, "all.f32"), filepath.Join(tmp, "bits.u16")
	writeF32(t, in, all)
	reference(t, "f16encode", in, out)
	bits, _ := os.ReadFile(out)
	if len(all) == 0 || len(bits) != 2*len(all) || len(f16) != len(all) || len(bf16) != len(all) {
		t.Fatalf("%d values, %d F16, %d BF16, %d bytes from numpy", len(all), len(f16), len(bf16), len(bits))
	}
	for i, v := range all {
		if want := f16ToF32(binary.LittleEndian.Uint16(bits[2*i:])); f16[i] != want {
			t.Fatalf("value %d: F16 file %g, numpy rounds %g to %g", i, f16[i], v, want)
		}
		if math.Abs(float64(bf16[i]-v)) > math.Abs(float64(v))/256 {
			t.Fatalf("value %d: BF16 file %g, F32 %g", i, bf16[i], v)
		}
	}
}

// Equal seeds give equal files whatever the number of CPUs; other seeds differ.
func TestWriteRandomDeterministic(t *testing.T) {
	cfg := tiny
	cfg.VocabSize = 40000 // wte spans several generation chunks
	write := func(seed int64, procs int) []byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		dir := t.TempDir()
		if err := WriteRandom(dir, cfg, RandomOptions{Seed: seed, DType: "BF16"}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "model.safetensors"))
		if err != nil {
			t.Fatal(err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 2 {
			t.Errorf("WriteRandom left %d files, want config.json and model.safetensors", len(entries))
		}
		return b
	}
	a := write(5, 1)
	if !bytes.Equal(a, write(5, 4)) {
		t.Error("the same seed gave different files on 1 and 4 CPUs")
	}
	if bytes.Equal(a, write(6, 4)) {
		t.Error("seeds 5 and 6 gave the same file")
	}
}

func TestWriteRandomErrors(t *testing.T) {
	bad := tiny
	bad.NHeads = 5
	if err := WriteRandom(t.TempDir(), bad, RandomOptions{}); err == nil || !strings.Contains(err.Error(), "not divisible") {
		t.Errorf("invalid config: %v", err)
	}
	if err := WriteRandom(t.TempDir(), tiny, RandomOptions{DType: "F64"}); err == nil || !strings.Contains(err.Error(), `dtype "F64"`) {
		t.Errorf("F64: %v", err)
	}
}

// BenchmarkWriteRandomGPT2 writes a gpt2-shaped checkpoint (500 MB of float32).
func BenchmarkWriteRandomGPT2(b *testing.B) {
	dir := b.TempDir()
	b.SetBytes(124439808 * 4)
	for b.Loop() {
		if err := WriteRandom(dir, GPT2(), RandomOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
