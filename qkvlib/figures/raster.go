package figures

import (
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// raster is imshow / pcolor: a grid of cells coloured through a colour map.
// Cell (r, c) covers x in [x0+c·dx, x0+(c+1)·dx) and y in [y0+r·dy, y0+(r+1)·dy),
// dx = (x1-x0)/cols, dy = (y1-y0)/rows; where row 0 lands (top or bottom) follows
// from the axes' y direction, as in matplotlib.
//
// The cells are resampled to the output resolution with an area (box) filter
// before they are handed to the canvas: cells larger than a pixel stay crisp (as
// matplotlib's nearest-neighbour upsampling) and cells smaller than a pixel are
// averaged (as its anti-aliased downsampling), and the canvas' own bilinear
// scaling then works at about 1:1.
type raster struct {
	rows, cols     int
	at             func(r, c int) float64
	x0, x1, y0, y1 float64
	cmap           *ListedColorMap
}

func (ra *raster) Plot(c draw.Canvas, p *plot.Plot) {
	if ra.rows == 0 || ra.cols == 0 {
		return
	}
	tr := transformOf(c, p)
	a, b := tr(ra.x0, ra.y0), tr(ra.x1, ra.y1)
	rect := vg.Rectangle{
		Min: vg.Point{X: min(a.X, b.X), Y: min(a.Y, b.Y)},
		Max: vg.Point{X: max(a.X, b.X), Y: max(a.Y, b.Y)},
	}
	dpi := float64(vectorDPI)
	if d, ok := c.Canvas.(interface{ DPI() float64 }); ok {
		dpi = d.DPI()
	}
	w := max(1, int(math.Round(float64(rect.Size().X)*dpi/72)))
	h := max(1, int(math.Round(float64(rect.Size().Y)*dpi/72)))
	flipX := b.X < a.X
	row0Top := b.Y < a.Y // row 0 is where y0 maps; it is on top when y grows downwards
	c.DrawImage(rect, ra.image(w, h, flipX, !row0Top))
}

// image returns the cells resampled to w×h pixels; pixel row 0 is the top.
func (ra *raster) image(w, h int, flipX, flipY bool) *image.NRGBA {
	// Colour the cells (premultiplied, float) in picture order: top row first.
	cells := make([][4]float32, ra.rows*ra.cols)
	for r := range ra.rows {
		pr := r
		if flipY {
			pr = ra.rows - 1 - r
		}
		for col := range ra.cols {
			pc := col
			if flipX {
				pc = ra.cols - 1 - col
			}
			k := ra.cmap.Clipped(ra.at(r, col))
			al := float32(k.A) / 255
			cells[pr*ra.cols+pc] = [4]float32{float32(k.R) * al, float32(k.G) * al, float32(k.B) * al, al}
		}
	}
	wx := boxWeights(ra.cols, w)
	wy := boxWeights(ra.rows, h)
	// Horizontal pass: rows × w.
	tmp := make([][4]float32, ra.rows*w)
	for r := range ra.rows {
		for x, taps := range wx {
			var acc [4]float32
			for _, t := range taps {
				s := cells[r*ra.cols+t.i]
				for k := range acc {
					acc[k] += t.w * s[k]
				}
			}
			tmp[r*w+x] = acc
		}
	}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y, taps := range wy {
		for x := range w {
			var acc [4]float32
			for _, t := range taps {
				s := tmp[t.i*w+x]
				for k := range acc {
					acc[k] += t.w * s[k]
				}
			}
			var px color.NRGBA
			if acc[3] > 0 {
				px = color.NRGBA{
					R: clamp8(acc[0] / acc[3]), G: clamp8(acc[1] / acc[3]), B: clamp8(acc[2] / acc[3]),
					A: clamp8(acc[3] * 255),
				}
			}
			img.SetNRGBA(x, y, px)
		}
	}
	return img
}

func clamp8(v float32) uint8 { return uint8(min(max(v+0.5, 0), 255)) }

type tap struct {
	i int
	w float32
}

// boxWeights returns, for each of m output pixels, the source cells (of n) it
// overlaps and the fraction of the pixel each covers.
func boxWeights(n, m int) [][]tap {
	out := make([][]tap, m)
	scale := float64(n) / float64(m)
	for j := range m {
		lo, hi := float64(j)*scale, float64(j+1)*scale
		for i := int(math.Floor(lo)); i < n && float64(i) < hi; i++ {
			ov := math.Min(hi, float64(i+1)) - math.Max(lo, float64(i))
			if ov > 1e-9 {
				out[j] = append(out[j], tap{i, float32(ov / scale)})
			}
		}
	}
	return out
}
