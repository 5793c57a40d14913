package figures

import (
	"image"
	"math"

	xdraw "golang.org/x/image/draw"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// colorbar is matplotlib's colour bar: the colour map drawn by gonum's
// plotter.ColorBar, a thin outline, and ticks on the right (vertical) or below
// (horizontal). Its box is set by the axes it belongs to.
type colorbar struct {
	cmap     *ListedColorMap
	vertical bool
	box      vg.Rectangle
}

func (cb *colorbar) decorations() (texts []label, marks [][2]vg.Point) {
	lo, hi := cb.cmap.Min(), cb.cmap.Max()
	length := cb.box.Size().X
	if cb.vertical {
		length = cb.box.Size().Y
	}
	vals := autoTicks(lo, hi, tickSpace(length, !cb.vertical))
	labels, _ := formatTicks(vals, lo, hi)
	for i, v := range vals {
		f := vg.Length((v - lo) / (hi - lo))
		if cb.vertical {
			y := cb.box.Min.Y + f*cb.box.Size().Y
			marks = append(marks, [2]vg.Point{{X: cb.box.Max.X, Y: y}, {X: cb.box.Max.X + tickLen, Y: y}})
			texts = append(texts, label{text: labels[i], font: tickFont, at: vg.Point{X: cb.box.Max.X + tickLen + tickPad, Y: y}, va: vaCenter})
		} else {
			x := cb.box.Min.X + f*cb.box.Size().X
			marks = append(marks, [2]vg.Point{{X: x, Y: cb.box.Min.Y}, {X: x, Y: cb.box.Min.Y - tickLen}})
			texts = append(texts, label{text: labels[i], font: tickFont, at: vg.Point{X: x, Y: cb.box.Min.Y - tickLen - tickPad}, ha: 0.5, va: vaTop})
		}
	}
	return texts, marks
}

func (cb *colorbar) extent() vg.Rectangle {
	texts, marks := cb.decorations()
	return covering(cb.box, texts, marks)
}

func (cb *colorbar) draw(c draw.Canvas) {
	bar := &plotter.ColorBar{ColorMap: cb.cmap, Vertical: cb.vertical, Colors: 256}
	p := plot.New()
	p.HideAxes()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = bar.DataRange()
	bar.Plot(draw.Canvas{Canvas: fillingImages{c.Canvas}, Rectangle: cb.box}, p)
	line := draw.LineStyle{Color: colBlack, Width: spineWidth}
	c.SetLineStyle(line)
	c.Stroke(cb.box.Path())
	texts, marks := cb.decorations()
	for _, m := range marks {
		c.StrokeLine2(line, m[0].X, m[0].Y, m[1].X, m[1].Y)
	}
	for _, t := range texts {
		t.draw(c)
	}
}

// fillingImages is a vg.Canvas whose images fill their rectangle: it resamples
// each image (nearest neighbour) to the rectangle's size at the canvas resolution
// before drawing it. SVG viewers keep an image's aspect ratio
// (preserveAspectRatio's default), which would turn plotter.ColorBar's one-pixel
// strip into a hairline.
type fillingImages struct{ vg.Canvas }

func (f fillingImages) DrawImage(rect vg.Rectangle, img image.Image) {
	dpi := float64(vectorDPI)
	if d, ok := f.Canvas.(interface{ DPI() float64 }); ok {
		dpi = d.DPI()
	}
	w := max(1, int(math.Round(float64(rect.Size().X)*dpi/72)))
	h := max(1, int(math.Round(float64(rect.Size().Y)*dpi/72)))
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	xdraw.NearestNeighbor.Scale(dst, dst.Bounds(), img, img.Bounds(), xdraw.Src, nil)
	f.Canvas.DrawImage(rect, dst)
}
