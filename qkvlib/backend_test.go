package qkvlib

import (
	"strings"
	"testing"
)

func TestNewBackend(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "")
	t.Setenv("PJRT_PLUGIN_LIBRARY_PATH", t.TempDir()) // no XLA plugin installed
	for _, tc := range []struct {
		config, wantName, wantErr string
	}{
		{"", "Go Backend", ""},
		{"go", "Go Backend", ""},
		{"go:ops_parallel", "Go Backend", ""},
		{"go:nosuchoption", "", "unknown configuration option"},
		{"bogus", "", "Use GOMLX_BACKEND=go"},
		{"xla:/nonexistent/pjrt_c_api_cpu_plugin.so", "", "PJRT plugin"},
	} {
		b, err := NewBackend(tc.config)
		switch {
		case tc.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("NewBackend(%q): got %v, want an error containing %q", tc.config, err, tc.wantErr)
			}
		case err != nil:
			t.Errorf("NewBackend(%q): %v", tc.config, err)
		case b.Name() != tc.wantName:
			t.Errorf("NewBackend(%q) = %s, want %s", tc.config, b.Name(), tc.wantName)
		}
	}
	t.Setenv("GOMLX_BACKEND", "go")
	if b, err := NewBackend(""); err != nil || b.Name() != "Go Backend" {
		t.Errorf("GOMLX_BACKEND=go: got %v, %v", b, err)
	}
}
