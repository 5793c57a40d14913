package figures_test

import (
	"bytes"
	"fmt"
	"image/png"
	"log"
	"os"

	"github.com/qkvport/qkv/qkvlib/figures"
)

// Draw part 5b for a three-layer model and save it as the book does; in a GoNB
// notebook, show it with gonbui.DisplaySVG(string(svg)) from f.SVG().
func Example() {
	stdevs := [][3]float64{{0.5, 0.6, 0.2}, {0.8, 0.9, 0.3}, {1.1, 1.5, 0.5}} // [n_layers][Q, K, V]
	f, err := figures.Part5b(stdevs)
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "figures")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if _, err := f.Save(dir, "ch6_proj34_part5b"); err != nil {
		log.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fmt.Println(e.Name())
	}

	f.DPI = 100 // a smaller PNG for a quick look
	b, err := f.PNG()
	if err != nil {
		log.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(img.Bounds().Size())
	// Output:
	// ch6_proj34_part5b.png
	// ch6_proj34_part5b.svg
	// (1000,300)
}

// The ticks of a layer axis: the book's range(0, n_layers, 4), or every layer
// for a model too small for two such ticks.
func ExampleLayerTicks() {
	fmt.Println(figures.LayerTicks(36, 4), figures.LayerTicks(3, 4))
	// Output: [0 4 8 12 16 20 24 28 32] [0 1 2]
}
