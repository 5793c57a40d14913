package npz_test

import (
	"bytes"
	"fmt"

	"github.com/qkvport/qkv/qkvlib/npz"
)

// Write an array in chunks of rows, then read the archive back
// (np.load reads the same bytes).
func Example() {
	var buf bytes.Buffer
	w := npz.NewWriter(&buf)
	a, _ := w.Float32Array("x", []int{3, 2}) // [3, 2]
	for _, row := range [][]float32{{1, 2}, {3, 4}, {5, 6}} {
		a.Write(row)
	}
	if err := a.Close(); err != nil {
		fmt.Println(err)
	}
	w.WriteInt64("tokens", []int{2}, []int64{588, 262})
	if err := w.Close(); err != nil {
		fmt.Println(err)
	}

	arrays, err := npz.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		fmt.Println(err)
	}
	fmt.Println(arrays["x"].Shape, arrays["x"].Float32)
	fmt.Println(arrays["tokens"].Shape, arrays["tokens"].Int64)
	// Output:
	// [3 2] [1 2 3 4 5 6]
	// [2] [588 262]
}
