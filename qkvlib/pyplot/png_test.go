package pyplot

import (
	"image"
	"image/color"
	"math"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// TestPNGCanvasDrawImage draws one image on vgimg's own canvas and on
// pngCanvas. With no transform in force and the image the rectangle's size
// in pixels, pngCanvas must copy it: each of its pixels at the rectangle's
// corner rounded to the pixel, white around (and, on whole pixels, just what
// vgimg draws). Otherwise (under a transform, or scaled) it must leave the
// drawing to vgimg, pixel for pixel.
func TestPNGCanvasDrawImage(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 20, 10))
	for y := range 10 {
		for x := range 20 {
			src.Set(x, y, color.RGBA{uint8(10 * x), uint8(20 * y), 200, 255})
		}
	}
	const height = 40 // the canvas is 60 × 40 pixels: at 72 dpi, points are pixels
	rect := func(x, y, w, h vg.Length) vg.Rectangle {
		return vg.Rectangle{Min: vg.Point{X: x, Y: y}, Max: vg.Point{X: x + w, Y: y + h}}
	}
	onPixels := rect(10, 5, 20, 10)
	between := rect(10.4, 5.4, 20, 10) // vgimg blends neighbouring pixels here
	cases := []struct {
		name   string
		rect   vg.Rectangle
		before func(c vgCanvas) // what the canvas went through before DrawImage
		rotate bool             // DrawImage under a rotation
		copied bool             // pngCanvas copies the pixels
	}{
		{"1:1 on whole pixels", onPixels, nil, false, true},
		{"1:1 between pixels", between, nil, false, true},
		{"1:1 after a rotation popped", between, func(c vgCanvas) { c.Push(); c.Rotate(0.3); c.Pop() }, false, true},
		{"rotated", between, nil, true, false},
		{"scaled twice", rect(10.4, 5.4, 40, 20), nil, false, false},
	}
	white := color.RGBA{255, 255, 255, 255}
	for _, tc := range cases {
		draw := func(c vgCanvas) {
			if tc.before != nil {
				tc.before(c)
			}
			if tc.rotate {
				c.Push()
				c.Rotate(0.1)
			}
			c.DrawImage(tc.rect, src)
			if tc.rotate {
				c.Pop()
			}
		}
		ref := vgimg.NewWith(vgimg.UseWH(60, height), vgimg.UseDPI(72))
		got := vgimg.NewWith(vgimg.UseWH(60, height), vgimg.UseDPI(72))
		draw(ref)
		draw(newPNGCanvas(got))
		a, b := ref.Image(), got.Image()
		// The copy's top left pixel: vgimg's y runs up, image rows down.
		x0 := int(math.Round(float64(tc.rect.Min.X)))
		y0 := int(math.Round(height - float64(tc.rect.Max.Y)))
		for y := 0; y < height; y++ {
			for x := 0; x < 60; x++ {
				want := a.At(x, y)
				if tc.copied {
					want = color.Color(white)
					if p := image.Pt(x-x0, y-y0); p.In(src.Bounds()) {
						want = src.At(p.X, p.Y)
					}
				}
				if tc.copied && tc.rect == onPixels && want != a.At(x, y) {
					t.Fatalf("%s: pixel (%d, %d): vgimg draws %v, the copy %v", tc.name, x, y, a.At(x, y), want)
				}
				if b.At(x, y) != want {
					t.Fatalf("%s: pixel (%d, %d) is %v, want %v", tc.name, x, y, b.At(x, y), want)
				}
			}
		}
	}
}

// vgCanvas is what the test needs of both canvases.
type vgCanvas interface {
	Push()
	Pop()
	Rotate(float64)
	DrawImage(vg.Rectangle, image.Image)
}
