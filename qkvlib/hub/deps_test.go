package hub

import (
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
)

// TestNoNetHTTP: a notebook cell that finds model files links without
// net/http (about 0.25 s of every cell's build), so neither hub nor the
// packages that read what it finds may import it; downloads live in
// qkvlib/download.
func TestNoNetHTTP(t *testing.T) {
	testenv.NoDependency(t, "net/http",
		"github.com/qkvport/qkv/qkvlib/hub",
		"github.com/qkvport/qkv/qkvlib/bpe",
		"github.com/qkvport/qkv/qkvlib/store",
		"github.com/qkvport/qkv/qkvlib/checkpoint")
}
