package figures

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/png"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/qkvport/qkv/qkvlib/paired"
)

// part6Cells returns synthetic cells for n layers: differences that grow
// with the layer, intervals ±0.1·(1+m), significant from layer n/2 on when
// sig.
func part6Cells(n int, sig bool) [][3][3]paired.Result {
	cells := make([][3][3]paired.Result, n)
	for l := range cells {
		for m := range 3 {
			for k := range 3 {
				d := math.Sin(float64(l)/3+float64(m)) * float64(1+k)
				w := 0.1 * float64(1+m) * float64(1+k)
				cells[l][m][k] = paired.Result{Diff: d, CILo: d - w, CIHi: d + 0.5*w, PBH: 0.5}
				if sig && l >= n/2 {
					cells[l][m][k].PBH = 0.001
				}
			}
		}
	}
	return cells
}

// part6PNG draws Part6 of cells and decodes its PNG.
func part6PNG(t *testing.T, cells [][3][3]paired.Result) image.Image {
	t.Helper()
	f, err := Part6(cells, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// countPixels counts the pixels of img within 6 of (r, g, b) in every channel.
func countPixels(img image.Image, r, g, b uint32) int {
	n := 0
	bd := img.Bounds()
	near := func(a, b uint32) bool { return a+6 >= b && b+6 >= a }
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if near(pr>>8, r) && near(pg>>8, g) && near(pb>>8, b) {
				n++
			}
		}
	}
	return n
}

// TestPart6 checks the figure's size at 300 dpi, its SVG, that the bands are
// drawn in their translucent colours, that significant layers fill their
// markers, and that a NaN cell or a tiny model draws without error.
func TestPart6(t *testing.T) {
	plain := part6PNG(t, part6Cells(36, false))
	if got := plain.Bounds().Size(); got.X != 3600 || got.Y != 900 {
		t.Errorf("PNG %v pixels, want 3600×900 (12×3 in at 300 dpi)", got)
	}
	// Q's band: green (0, 128, 0) at opacity .18 over white.
	if n := countPixels(plain, 209, 232, 209); n < 20000 {
		t.Errorf("%d pixels of Q's band colour: the bands are missing", n)
	}
	// Filled green squares add pure-green pixels where the hollow ones were white.
	marked := part6PNG(t, part6Cells(36, true))
	g0, g1 := countPixels(plain, 0, 128, 0), countPixels(marked, 0, 128, 0)
	if g1 < g0+2000 {
		t.Errorf("pure green pixels: %d without significant layers, %d with: the markers are not filled", g0, g1)
	}

	cells := part6Cells(3, true)
	cells[1][0][2] = paired.Result{Diff: math.NaN(), CILo: math.NaN(), CIHi: math.NaN(), PBH: math.NaN()}
	f, err := Part6(cells, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := f.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(svg, new(struct{})); err != nil {
		t.Fatalf("SVG is not well-formed XML: %v", err)
	}
	if !strings.Contains(string(svg), "Non-target") {
		t.Error("SVG lacks the y label")
	}
	if out := os.Getenv("QKV_FIGURES_OUT"); out != "" { // to look at it
		f, _ := Part6(part6Cells(36, true), 0.05)
		if _, err := f.Save(out, "ch6_proj34_part6"); err != nil {
			t.Fatal(err)
		}
	}

	if _, err := Part6(nil, 0.05); err == nil {
		t.Error("Part6 of no layers: no error")
	}
}
