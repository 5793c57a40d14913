package chapter

import (
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
)

// TestCellPackagesStayLight checks that the packages a notebook cell links
// import neither the network client nor GoMLX: linking either costs every
// cell a quarter of a second or more.
func TestCellPackagesStayLight(t *testing.T) {
	cells := []string{"github.com/qkvport/qkv/qkvlib/chapter", "github.com/qkvport/qkv/qkvlib/tensor",
		"github.com/qkvport/qkv/qkvlib/describe", "github.com/qkvport/qkv/qkvlib/paired", "github.com/qkvport/qkv/notebooks/nb"}
	for _, dep := range []string{"net/http", "github.com/gomlx/compute", "github.com/gomlx/gomlx/core/graph"} {
		testenv.NoDependency(t, dep, cells...)
	}
}
