package pyplot

import (
	"image"
	stddraw "image/draw"
	"image/png"
	"io"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// pngCanvas is vgimg's canvas that copies an image drawn without rotation or
// scaling straight into its pixels: raster hands it images already resampled
// to the pixels they cover, which vgimg would otherwise resample once more,
// bilinearly, through the transform (half the time of a heat-map figure).
// It tracks, per Push level, whether a Translate, Scale or Rotate is in force.
type pngCanvas struct {
	*vgimg.Canvas
	moved []bool // moved[len-1]: the current level is transformed
}

func newPNGCanvas(c *vgimg.Canvas) *pngCanvas { return &pngCanvas{Canvas: c, moved: []bool{false}} }

func (c *pngCanvas) Push() {
	c.moved = append(c.moved, c.moved[len(c.moved)-1])
	c.Canvas.Push()
}

func (c *pngCanvas) Pop() {
	if len(c.moved) > 1 {
		c.moved = c.moved[:len(c.moved)-1]
	}
	c.Canvas.Pop()
}

func (c *pngCanvas) Translate(pt vg.Point) { c.moved[len(c.moved)-1] = true; c.Canvas.Translate(pt) }
func (c *pngCanvas) Scale(x, y float64)    { c.moved[len(c.moved)-1] = true; c.Canvas.Scale(x, y) }
func (c *pngCanvas) Rotate(t float64)      { c.moved[len(c.moved)-1] = true; c.Canvas.Rotate(t) }

// DrawImage draws img over rect: copied pixel for pixel when no transform is
// in force and img has rect's size in pixels (to the pixel), else as vgimg does.
func (c *pngCanvas) DrawImage(rect vg.Rectangle, img image.Image) {
	dpi := c.DPI()
	x0, y0 := rect.Min.X.Dots(dpi), rect.Min.Y.Dots(dpi)
	w, h := rect.Size().X.Dots(dpi), rect.Size().Y.Dots(dpi)
	b := img.Bounds()
	if c.moved[len(c.moved)-1] || math.Abs(w-float64(b.Dx())) > 1 || math.Abs(h-float64(b.Dy())) > 1 {
		c.Canvas.DrawImage(rect, img)
		return
	}
	dst := c.Image()
	// vgimg's y runs up from the bottom; the image's rows run down.
	top := float64(dst.Bounds().Dy()) - y0 - h
	at := image.Pt(int(math.Round(x0)), int(math.Round(top)))
	stddraw.Draw(dst, b.Sub(b.Min).Add(at), img, b.Min, stddraw.Over)
}

// encodePNG writes img as PNG with zlib's fastest compression: a figure's
// flat colours compress almost as well, in about two thirds of the time.
func encodePNG(w io.Writer, img image.Image) error {
	return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, img)
}
