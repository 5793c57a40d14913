package checkpoint

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// Bit patterns worked by hand from IEEE 754 binary16 and bfloat16.
func TestHalfKnownValues(t *testing.T) {
	f16 := []struct {
		f    float32
		bits uint16
		back float32 // the value bits decode to
	}{
		{1, 0x3c00, 1},
		{-2, 0xc000, -2},
		{0, 0x0000, 0},
		{float32(math.Copysign(0, -1)), 0x8000, float32(math.Copysign(0, -1))},
		{0.1, 0x2e66, 0.0999755859375},
		{1.0 / 3, 0x3555, 0.333251953125},
		{65504, 0x7bff, 65504},
		{65519, 0x7bff, 65504},
		{65520, 0x7c00, float32(math.Inf(1))}, // the tie rounds to even: Inf
		{0x1p-14, 0x0400, 0x1p-14},            // smallest normal
		{0x1p-24, 0x0001, 0x1p-24},            // smallest subnormal
		{0x3p-26, 0x0001, 0x1p-24},            // 0.75 of it rounds up
		{0x1p-25, 0x0000, 0},                  // half of it: tie to even, zero
		{0x1.8p-25, 0x0001, 0x1p-24},          // above half: up
		{0x3ffp-24, 0x03ff, 0x3ffp-24},        // largest subnormal
		{0x1.ffep-15, 0x0400, 0x1p-14},        // rounds up into the smallest normal
		{1 + 0x1p-11, 0x3c00, 1},              // tie, even is down
		{1 + 0x3p-11, 0x3c02, 1 + 0x1p-9},     // tie, even is up
		{float32(math.Inf(-1)), 0xfc00, float32(math.Inf(-1))},
		{1e-10, 0x0000, 0},
	}
	for _, c := range f16 {
		if got := f32ToF16(c.f); got != c.bits {
			t.Errorf("f32ToF16(%g) = %#04x, want %#04x", c.f, got, c.bits)
		}
		if got := f16ToF32(c.bits); !sameBits(got, c.back) {
			t.Errorf("f16ToF32(%#04x) = %g, want %g", c.bits, got, c.back)
		}
	}
	if v := f16ToF32(f32ToF16(float32(math.NaN()))); v == v {
		t.Errorf("NaN became %g", v)
	}

	bf16 := []struct {
		f    float32
		bits uint16
	}{
		{1, 0x3f80},
		{-2.5, 0xc020},
		{0.1, 0x3dcd},             // 0x3dcccccd: the low half 0xcccd rounds up
		{math.Pi, 0x4049},         // 0x40490fdb: rounds down
		{1 + 0x1p-8, 0x3f80},      // 0x3f808000, tie, even is down
		{1 + 0x3p-8, 0x3f82},      // 0x3f818000, tie, even is up
		{math.MaxFloat32, 0x7f80}, // overflows to Inf
		{float32(math.Inf(-1)), 0xff80},
		{0x1p-133, 0x0001}, // a float32 subnormal keeps its top bits
	}
	for _, c := range bf16 {
		if got := f32ToBF16(c.f); got != c.bits {
			t.Errorf("f32ToBF16(%g) = %#04x, want %#04x", c.f, got, c.bits)
		}
	}
	if got := bf16ToF32(0x3dcd); got != 0.10009765625 {
		t.Errorf("bf16ToF32(0x3dcd) = %g, want 0.10009765625", got)
	}
	if v := bf16ToF32(f32ToBF16(float32(math.NaN()))); v == v {
		t.Errorf("NaN became %g", v)
	}
}

// Every float16 bit pattern decodes as numpy decodes it.
func TestF16DecodeNumpy(t *testing.T) {
	out := filepath.Join(t.TempDir(), "decoded.f32")
	reference(t, "f16decode", out)
	want := readF32(t, out)
	if len(want) != 65536 {
		t.Fatalf("numpy gave %d values", len(want))
	}
	for h := range 65536 {
		if got := f16ToF32(uint16(h)); !sameBits(got, want[h]) {
			t.Fatalf("f16ToF32(%#04x) = %g (%#08x), numpy %g (%#08x)", h, got, math.Float32bits(got), want[h], math.Float32bits(want[h]))
		}
	}
}

// Float32 values round to the float16 numpy rounds them to: ties, subnormals,
// overflow, and random bit patterns across every exponent.
func TestF16EncodeNumpy(t *testing.T) {
	vals := []float32{0, 1, -1, 65504, 65519.996, 65520, 1e6, 0x1p-25, 0x1.000002p-25, 0x1p-24, 0x1.8p-24, 1 + 0x1p-11, 1 + 0x3p-11}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		b := rng.Uint32()
		if b&0x7f800000 == 0x7f800000 { // NaNs are checked by hand above
			continue
		}
		vals = append(vals, math.Float32frombits(b))
	}
	// Values near float16's range, where the rounding matters most.
	for range 200000 {
		vals = append(vals, float32((rng.Float64()*2-1)*math.Pow(2, float64(rng.IntN(50)-30))))
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.f32"), filepath.Join(dir, "out.u16")
	writeF32(t, in, vals)
	reference(t, "f16encode", in, out)
	b, err := os.ReadFile(out)
	if err != nil || len(b) != 2*len(vals) {
		t.Fatalf("numpy output: %d bytes, %v", len(b), err)
	}
	bad := 0
	for i, v := range vals {
		want := binary.LittleEndian.Uint16(b[2*i:])
		if got := f32ToF16(v); got != want {
			t.Errorf("f32ToF16(%g = %#08x) = %#04x, numpy %#04x", v, math.Float32bits(v), got, want)
			if bad++; bad > 10 {
				t.FailNow()
			}
		}
	}
}
