package corpus_test

import (
	"fmt"

	"github.com/qkvport/qkv/qkvlib/corpus"
)

func Example() {
	tokens := []int{7, 588, 3, 4, 5, 588, 6, 588} // 588 is " like" in GPT-2
	const context = 3
	pos := corpus.Positions(tokens, 588)
	fmt.Println("targets:", pos)
	pos = corpus.DropBefore(pos, context)
	fmt.Println("after dropping positions <", context, ":", pos)
	batch, err := corpus.Batch(tokens, pos, context)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("batch:", batch)
	// Output:
	// targets: [1 5 7]
	// after dropping positions < 3 : [5 7]
	// batch: [[3 4 5 588] [5 588 6 588]]
}
