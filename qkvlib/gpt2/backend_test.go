package gpt2

import (
	"os"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
	_ "github.com/gomlx/go-xla/compute/xla"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

// testBackend is the backend the tests run on: $QKV_TEST_BACKEND (e.g.
// "xla:/path/to/pjrt_c_api_cpu_plugin.so" or "xla:cuda"), else the go backend.
func testBackend(t testing.TB) compute.Backend {
	t.Helper()
	cfg := os.Getenv("QKV_TEST_BACKEND")
	if cfg == "" {
		return gobackend.GetBackend()
	}
	b, err := compute.NewWithConfig(cfg)
	if err != nil {
		t.Fatalf("QKV_TEST_BACKEND=%s: %v", cfg, err)
	}
	return b
}

// newTestModel writes a random checkpoint of cfg and loads it on the test
// backend; the model is closed when the test ends.
func newTestModel(t testing.TB, cfg checkpoint.Config, opt checkpoint.RandomOptions) *Model {
	t.Helper()
	_, w := writeModel(t, cfg, opt)
	m, err := New(testBackend(t), w)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m
}
