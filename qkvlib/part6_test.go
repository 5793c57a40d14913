package qkvlib

import (
	"math"
	"testing"

	"github.com/qkvport/qkv/qkvlib/stats"
)

func TestPart6Significant(t *testing.T) {
	p := &Part6{Tests: make([][3][3]stats.Paired, 2)}
	for l := range p.Tests {
		for m := range 3 {
			for k := range 3 {
				p.Tests[l][m][k] = stats.Paired{PBH: 0.5, Dz: 0.1}
			}
		}
	}
	p.Tests[1][stats.Value][stats.Variance] = stats.Paired{PBH: 0.01, Dz: -0.5}
	p.Tests[0][stats.Key][stats.L1Mean] = stats.Paired{PBH: 0.01, Dz: 2}
	p.Tests[0][stats.Query][stats.ArithmeticMean] = stats.Paired{PBH: 0.001, Dz: 0.3}
	p.Tests[1][stats.Query][stats.L1Mean] = stats.Paired{PBH: 0.05, Dz: 3} // not below 0.05
	p.Tests[1][stats.Key][stats.ArithmeticMean] = stats.Paired{PBH: math.NaN(), Dz: 3}
	if n := len(p.Cells()); n != 18 {
		t.Fatalf("%d cells, want 18", n)
	}
	got := p.Significant(Part6Alpha)
	want := []string{"layer 0 Q mean", "layer 0 K L1 mean", "layer 1 V variance"}
	if len(got) != len(want) {
		t.Fatalf("%d significant cells %v, want %v", len(got), got, want)
	}
	for i, c := range got {
		if c.Name() != want[i] {
			t.Errorf("significant cell %d is %s, want %s", i, c.Name(), want[i])
		}
	}
}
