package pyplot_test

import (
	"bytes"
	"fmt"
	"image/color"
	"log"
	"regexp"

	"gonum.org/v1/gonum/mat"

	"github.com/qkvport/qkv/qkvlib/pyplot"
)

// The book's part 5b cell, line for line: plt.figure, plt.plot with a format
// string and keywords, plt.legend, plt.gca().set.
func ExampleNewFigure() {
	headStdevs := [3][]float64{{0.5, 0.8, 1.1, 1.2}, {0.6, 0.9, 1.5, 1.4}, {0.2, 0.3, 0.5, 0.6}} // Q, K, V per layer

	fig := pyplot.NewFigure(10, 3)
	ax := fig.Gca()
	ax.Plot(nil, headStdevs[0], "gs-", pyplot.LineOpts{MarkerSize: 9, MarkerFaceColor: pyplot.RGB(.7, .9, .7), Label: "Q"})
	ax.Plot(nil, headStdevs[1], "ro-", pyplot.LineOpts{MarkerSize: 9, MarkerFaceColor: pyplot.RGB(.9, .7, .7), Label: "K"})
	ax.Plot(nil, headStdevs[2], "b^-", pyplot.LineOpts{MarkerSize: 9, MarkerFaceColor: pyplot.RGB(.7, .7, .9), Label: "V"})
	ax.Legend()
	ax.Set(pyplot.AxesOpts{XLabel: "Transformer layer", YLabel: "Average standard deviation", XIntegerTicks: true})

	svg, err := fig.SVG()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.Contains(svg, []byte(`width="100%"`)))
	// Output: true
}

// A row of three panels, as plt.subplots(1, 3, figsize=(12, 3)): tight_layout
// gives them one size and aligns their data areas.
func ExampleSubplots() {
	fig, axs := pyplot.Subplots(1, 3, 12, 3)
	for i, ax := range axs[0] {
		ax.Plot(nil, []float64{1, 3, 2}, "ro-")
		ax.Set(pyplot.AxesOpts{Title: fmt.Sprint("Panel ", i), XLabel: "Transformer layer"})
	}
	axs[0][0].Set(pyplot.AxesOpts{YLabel: "Non-target − target"})
	fig.TightLayout()
	for _, ax := range fig.Axes() {
		p := ax.Position()
		fmt.Printf("%.0f×%.0f pt at y %.0f\n", p.Size().X.Points(), p.Size().Y.Points(), p.Min.Y.Points())
	}
	// Output:
	// 248×150 pt at y 40
	// 248×150 pt at y 40
	// 248×150 pt at y 40
}

// An image with a colour bar (plt.imshow and fig.colorbar): the bar takes its
// room from the axes' grid cell, as matplotlib's does.
func ExampleAxes_Imshow() {
	m := mat.NewDense(2, 3, []float64{-1, 0, 1, 0.5, -0.5, 0})
	fig := pyplot.NewFigure(4, 2)
	ax := fig.Gca()
	im := ax.Imshow(m, pyplot.ImageOpts{Vmin: -1, Vmax: 1, Aspect: "auto", Cmap: "plasma"})
	fig.Colorbar(im, pyplot.ColorbarOpts{Pad: .01})
	fig.TightLayout()
	box, all := ax.Position(), ax.TightBBox()
	fmt.Printf("data area %.0f pt wide; with the colour bar and its labels, up to %.0f of the page's %.0f pt\n",
		box.Size().X.Points(), all.Max.X.Points(), fig.Width.Points())
	// Output: data area 201 pt wide; with the colour bar and its labels, up to 273 of the page's 288 pt
}

// A bad argument does not panic: the figure's rendering returns an error that
// names it.
func ExampleAxes_Plot_badFormat() {
	fig := pyplot.NewFigure(4, 3)
	fig.Gca().Plot(nil, []float64{1, 2}, "gx-")
	_, err := fig.PNG()
	fmt.Println(err)
	// Output: pyplot: format "gx-": "x" is not a colour (b g r c m y k w C0…C9), marker (s o ^ v D .) or line style (- -- : -.)
}

// Texts in the SVG keep their spaces, name a font stack that ends in a generic
// family, and are anchored by their alignment: a right-aligned label ends at its
// anchor in any font.
func ExampleFigure_SVG() {
	fig := pyplot.NewFigure(4, 3)
	ax := fig.Gca()
	ax.Text(1, 1, "Qh0", pyplot.TextOpts{HA: "right", VA: "top", AxesCoords: true})
	ax.Set(pyplot.AxesOpts{XLabel: "Queries   |   Keys", XTicks: []float64{}, YTicks: []float64{}})
	svg, err := fig.SVG()
	if err != nil {
		log.Fatal(err)
	}
	text := regexp.MustCompile(`<text [^>]*?(text-anchor="\w+")?>([^<]*)</text>`)
	for _, m := range text.FindAllSubmatch(svg, -1) {
		fmt.Printf("%q %s\n", m[2], m[1])
	}
	fmt.Println(bytes.Contains(svg, []byte(`font-family:'Liberation Sans',Arial,Helvetica,sans-serif;white-space:pre`)))
	// Output:
	// "Qh0" text-anchor="end"
	// "Queries   |   Keys" text-anchor="middle"
	// true
}

// Matplotlib's "plasma" colour map over a range, as imshow's vmin and vmax
// use it: values beyond the range take its end colours.
func ExamplePlasma() {
	m := pyplot.Plasma(-1, 1)
	for _, v := range []float64{-5, -1, 0, 1} {
		c := m.Clipped(v)
		fmt.Printf("%v: #%02x%02x%02x\n", v, c.R, c.G, c.B)
	}
	var _ color.Color = m.Clipped(0)
	// Output:
	// -5: #0d0887
	// -1: #0d0887
	// 0: #cc4778
	// 1: #f0f921
}

// Python's range, for ticks: range(0, n_layers, 4).
func ExampleRange() {
	fmt.Println(pyplot.Range(0, 36, 4))
	// Output: [0 4 8 12 16 20 24 28 32]
}
