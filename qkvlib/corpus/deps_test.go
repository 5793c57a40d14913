package corpus

import (
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
)

// TestNoNetHTTP: a notebook cell that reads the text links without net/http
// (about 0.25 s of every cell's build); downloads live in qkvlib/download.
func TestNoNetHTTP(t *testing.T) {
	testenv.NoDependency(t, "net/http", "github.com/qkvport/qkv/qkvlib/corpus")
}
