package pyplot

import (
	"image"
	"image/color"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// TestPNGCanvasDrawImage draws one image on vgimg's own canvas and on
// pngCanvas: copied pixel for pixel, it must land where vgimg puts it, with
// the same pixels inside (vgimg's resampling only blends the border pixels);
// under a transform pngCanvas must leave the drawing to vgimg.
func TestPNGCanvasDrawImage(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 20, 10))
	for y := range 10 {
		for x := range 20 {
			src.Set(x, y, color.RGBA{uint8(10 * x), uint8(20 * y), 200, 255})
		}
	}
	rect := vg.Rectangle{Min: vg.Point{X: 10, Y: 5}, Max: vg.Point{X: 30, Y: 15}} // 72 dpi: points are pixels
	draw := func(c vgCanvas, rotate bool) {
		if rotate {
			c.Push()
			c.Rotate(0.1)
		}
		c.DrawImage(rect, src)
		if rotate {
			c.Pop()
		}
	}
	for _, rotate := range []bool{false, true} {
		ref := vgimg.NewWith(vgimg.UseWH(50, 40), vgimg.UseDPI(72))
		got := vgimg.NewWith(vgimg.UseWH(50, 40), vgimg.UseDPI(72))
		draw(ref, rotate)
		draw(newPNGCanvas(got), rotate)
		a, b := ref.Image(), got.Image()
		for y := 0; y < 40; y++ {
			for x := 0; x < 50; x++ {
				// The image covers columns 10..29 and rows 40-15 = 25..34.
				border := x == 10 || x == 29 || y == 25 || y == 34
				if rotate || !border {
					if a.At(x, y) != b.At(x, y) {
						t.Fatalf("rotate %v: pixel (%d, %d) is %v, vgimg draws %v", rotate, x, y, b.At(x, y), a.At(x, y))
					}
				}
			}
		}
		if !rotate {
			if b.At(10, 25) != src.At(0, 0) || b.At(29, 34) != src.At(19, 9) {
				t.Errorf("corners %v %v, want %v %v", b.At(10, 25), b.At(29, 34), src.At(0, 0), src.At(19, 9))
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
