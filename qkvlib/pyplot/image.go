package pyplot

import (
	"image"
	"math"
	"strings"

	xdraw "golang.org/x/image/draw"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ImageOpts is the options of Imshow and Pcolor.
type ImageOpts struct {
	// Vmin and Vmax are the values mapped to the ends of the colour map (values
	// beyond take the end colours); both zero means the data's range.
	Vmin, Vmax float64
	// Cmap is the colour map's name: "plasma" (the default, and the only one).
	Cmap string
	// Aspect is "auto" or "" (the only one supported: the image fills the axes;
	// matplotlib's imshow default, "equal", is not).
	Aspect string
	// Extent is [x0, x1, y0, y1], the data coordinates of the image's left,
	// right, bottom and top edges; nil for matplotlib's default (cell centres on
	// the integers for Imshow, cell corners on the integers for Pcolor).
	Extent []float64
	// Origin is where Imshow puts the matrix's row 0: "upper" (the default) or
	// "lower". Pcolor always puts row 0 at the bottom.
	Origin string
}

// Image is what Imshow and Pcolor return, for Figure.Colorbar.
type Image struct {
	ax   *Axes
	cmap *ListedColorMap
}

// Matrix is a 2-D array of values to draw as an image: a gonum
// mat.Matrix, a tensor.Matrix or a 2-D tensor.Array, say.
type Matrix interface {
	Dims() (r, c int)
	At(i, j int) float64
}

// Imshow draws m as an image (plt.imshow): row r of m is the image's row r and
// column c its column c, so m reads as printed (a numpy array shown by
// matplotlib reads the same way). Row 0 is on top, as the y axis then grows
// downwards, unless opt.Origin is "lower". The image's extent is sticky: the
// axes' autoscaling ends there.
func (a *Axes) Imshow(m Matrix, opt ImageOpts) *Image {
	r, c := m.Dims()
	upper := true
	switch opt.Origin {
	case "", "upper":
	case "lower":
		upper = false
	default:
		a.fail(errorf("Imshow: Origin %q: want upper or lower", opt.Origin))
		return &Image{ax: a, cmap: Plasma(0, 1)}
	}
	ext := opt.Extent
	if ext == nil {
		ext = []float64{-0.5, float64(c) - 0.5, float64(r) - 0.5, -0.5}
		if !upper {
			ext[2], ext[3] = ext[3], ext[2]
		}
	}
	if len(ext) == 4 {
		a.yDown = ext[2] > ext[3]
		if upper { // row 0 at the top edge
			ext = []float64{ext[0], ext[1], ext[3], ext[2]}
		}
	}
	return a.addImage("Imshow", m, opt, ext)
}

// Pcolor draws m as coloured cells (plt.pcolor): cell (r, c) covers x in
// [c, c+1] and y in [r, r+1] (or opt.Extent divided evenly), row 0 at the
// bottom; pass a transposed view to put m's columns on y.
func (a *Axes) Pcolor(m Matrix, opt ImageOpts) *Image {
	r, c := m.Dims()
	ext := opt.Extent
	if ext == nil {
		ext = []float64{0, float64(c), 0, float64(r)}
	}
	return a.addImage("Pcolor", m, opt, ext)
}

// addImage copies m and adds it as a raster with row 0 at ext[2], row r-1
// ending at ext[3].
func (a *Axes) addImage(call string, m Matrix, opt ImageOpts, ext []float64) *Image {
	im := &Image{ax: a, cmap: Plasma(opt.Vmin, opt.Vmax)}
	switch {
	case len(ext) != 4:
		a.fail(errorf("%s: Extent has %d values, want 4 (x0, x1, y0, y1)", call, len(ext)))
		return im
	case opt.Cmap != "" && opt.Cmap != "plasma":
		a.fail(errorf("%s: colour map %q: only plasma is available", call, opt.Cmap))
		return im
	case opt.Aspect != "" && !strings.EqualFold(opt.Aspect, "auto"):
		a.fail(errorf("%s: Aspect %q: only auto is supported", call, opt.Aspect))
		return im
	}
	rows, cols := m.Dims()
	ra := &raster{kind: strings.ToLower(call), rows: rows, cols: cols, x0: ext[0], x1: ext[1], y0: ext[2], y1: ext[3], cmap: im.cmap}
	ra.data = make([]float64, rows*cols)
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range rows {
		for j := range cols {
			v := m.At(i, j)
			ra.data[i*cols+j] = v
			if finite(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if opt.Vmin == 0 && opt.Vmax == 0 && lo <= hi {
		im.cmap.SetMin(lo)
		im.cmap.SetMax(hi)
	}
	if im.cmap.Min() == im.cmap.Max() { // one value: a range around it
		lo, hi := nonsingular(im.cmap.Min(), im.cmap.Max(), 0.1, 1e-15)
		im.cmap.SetMin(lo)
		im.cmap.SetMax(hi)
	}
	a.artists = append(a.artists, ra)
	return im
}

// raster is imshow / pcolor: a grid of cells coloured through a colour map.
// Cell (r, c) covers x in [x0+c·dx, x0+(c+1)·dx) and y in [y0+r·dy, y0+(r+1)·dy),
// dx = (x1-x0)/cols, dy = (y1-y0)/rows.
//
// gonum's plotter.HeatMap draws a rectangle per cell (hundreds of thousands in
// part 1, and seams between them) or, rasterized, hands one pixel per cell to
// the canvas, which scales it bilinearly (and an SVG viewer keeps its aspect
// ratio); it also picks colours by rounding where matplotlib's ListedColormap
// takes the floor. matplotlib keeps cells larger than a pixel crisp and averages
// cells smaller than one. So the cells are resampled here with a box filter to
// the output resolution, and the canvas then draws them about 1:1.
type raster struct {
	kind           string // imshow or pcolor
	rows, cols     int
	data           []float64 // [rows, cols] row-major
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
	flipY := b.Y > a.Y // row 0 (at y0) is at the bottom of the picture
	c.DrawImage(rect, ra.image(w, h, flipX, flipY))
}

// boxFilter averages the cells a pixel covers when shrinking and takes the
// nearest cell when enlarging.
var boxFilter = &xdraw.Kernel{Support: 0.5 + 1e-9, At: func(float64) float64 { return 1 }}

// image returns the cells resampled to w×h pixels; pixel row 0 is the top.
func (ra *raster) image(w, h int, flipX, flipY bool) image.Image {
	cells := image.NewRGBA(image.Rect(0, 0, ra.cols, ra.rows))
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
			k := ra.cmap.Clipped(ra.data[r*ra.cols+col])
			cells.Set(pc, pr, k)
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	boxFilter.Scale(dst, dst.Bounds(), cells, cells.Bounds(), xdraw.Src, nil)
	return dst
}

func (ra *raster) limits() (x, y dataRange) {
	x, y = emptyRange(), emptyRange()
	x.add(ra.x0, ra.x1)
	y.add(ra.y0, ra.y1)
	x.sticky = []float64{ra.x0, ra.x1}
	y.sticky = []float64{ra.y0, ra.y1}
	return x, y
}

func (ra *raster) legendEntry() (string, plot.Thumbnailer) { return "", nil }

// obstacles: matplotlib's legend placement ignores images.
func (ra *raster) obstacles(transform, vg.Rectangle) ([][]vg.Point, []vg.Rectangle) { return nil, nil }
