package describe_test

import (
	"fmt"
	"log"

	"github.com/qkvport/qkv/qkvlib/describe"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// One sequence (N=1) of T=2 tokens with E=2: rows are Q|K|V.
var tiny = []float32{
	// t=0 (non-target): Q    K     V
	1, 3, 0, 0, 5, 5,
	// t=1 (target):
	-1, 1, 0, 2, 5, 7,
}

func ExampleMeansAndVar() {
	qkv, err := tensor.New(tiny, 1, 2, 6)
	if err != nil {
		log.Fatal(err)
	}
	Q, _, _ := qkv.Split()
	target, nontarget := describe.MeansAndVar(Q)
	fmt.Println("target     [mean L1 var]:", target)
	fmt.Println("non-target [mean L1 var]:", nontarget)
	// Output:
	// target     [mean L1 var]: [0 1 2]
	// non-target [mean L1 var]: [2 2 2]
}

func ExampleLayer() {
	qkv, err := tensor.New(tiny, 1, 2, 6)
	if err != nil {
		log.Fatal(err)
	}
	acc, err := describe.NewLayer(tensor.Linspace(-4, 4, 5), 1)
	if err != nil {
		log.Fatal(err)
	}
	// Feed the sequences in chunks as they are captured.
	if err := acc.Add(qkv); err != nil {
		log.Fatal(err)
	}
	r := acc.Result()
	fmt.Println("V variance, target:", r.Descriptives[describe.Value][describe.Variance][describe.Target])
	fmt.Println("K histogram [bins][target, non-target]:", r.Histograms[describe.Key])
	fmt.Println("head stdev Q K V:", r.HeadStdev)
	// Output:
	// V variance, target: 2
	// K histogram [bins][target, non-target]: [[0 0] [0 0] [0.25 0.5] [0.25 0]]
	// head stdev Q K V: [1.4142135623730951 0.7071067811865476 0.7071067811865476]
}
