package checkpoint

import (
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
)

// tiny is a small but complete GPT-2 config for tests.
var tiny = Config{NLayers: 2, NEmb: 32, NHeads: 4, NPositions: 24, VocabSize: 200, LayerNormEps: 1e-5, Activation: "gelu_new"}

// reference runs testdata/st_reference.py (numpy) with args.
func reference(t *testing.T, args ...string) []byte {
	t.Helper()
	py := testenv.Python(t)
	cmd := exec.Command(py, append([]string{filepath.Join("testdata", "st_reference.py")}, args...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("st_reference.py %v: %v", args, err)
	}
	return out
}

// readF32 reads a little-endian float32 file.
func readF32(t *testing.T, path string) []float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}

func writeF32(t *testing.T, path string, v []float32) {
	t.Helper()
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// sameBits reports whether a and b are equal bit for bit (any NaN equals any NaN).
func sameBits(a, b float32) bool {
	if a != a && b != b {
		return true
	}
	return math.Float32bits(a) == math.Float32bits(b)
}
