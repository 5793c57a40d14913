package gpt2

import (
	"os"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
	_ "github.com/gomlx/go-xla/compute/xla"
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
