package pyplot

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"

	"github.com/qkvport/qkv/internal/atomicfile"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure is a matplotlib figure: a grid of axes laid out as matplotlib's
// tight_layout on a page of Width × Height. It renders to PNG and SVG; render one
// figure from one goroutine at a time (drawing lays it out anew).
type Figure struct {
	// Width and Height are the figure size (the book's figsize; vg.Inch is 72).
	Width, Height vg.Length
	// DPI is the resolution of WritePNG; zero means 300, the book's savefig.dpi.
	DPI int

	grid [][]*Axes // row 0 on top; nil cells stay empty
	err  error     // the first failed call on the figure or its axes
}

// NewFigure returns a figure of width × height inches with one axes, fig.Gca()
// (plt.figure(figsize=(width, height))).
func NewFigure(width, height float64) *Figure {
	f, _ := Subplots(1, 1, width, height)
	return f
}

// Subplots returns a figure of width × height inches with a grid of rows × cols
// axes, axs[row][col], row 0 on top (plt.subplots(rows, cols, figsize=(width,
// height)), always as a 2-D grid).
func Subplots(rows, cols int, width, height float64) (*Figure, [][]*Axes) {
	f := &Figure{Width: vg.Length(width) * vg.Inch, Height: vg.Length(height) * vg.Inch}
	if rows < 1 || cols < 1 || !(width > 0) || !(height > 0) {
		f.fail(errorf("Subplots(%d, %d, %v, %v): want at least one row and column and a positive size", rows, cols, width, height))
	}
	f.grid = make([][]*Axes, max(rows, 0))
	for i := range f.grid {
		f.grid[i] = make([]*Axes, max(cols, 0))
		for j := range f.grid[i] {
			f.grid[i][j] = newAxes(f)
		}
	}
	axs := make([][]*Axes, len(f.grid))
	for i := range axs {
		axs[i] = slices.Clone(f.grid[i])
	}
	return f, axs
}

// Axes returns the figure's axes, row by row (fig.axes).
func (f *Figure) Axes() []*Axes {
	var axs []*Axes
	for _, row := range f.grid {
		for _, a := range row {
			if a != nil {
				axs = append(axs, a)
			}
		}
	}
	return axs
}

// Gca returns the figure's first axes (top left), the only one of NewFigure's.
func (f *Figure) Gca() *Axes {
	for _, row := range f.grid {
		for _, a := range row {
			if a != nil {
				return a
			}
		}
	}
	a := newAxes(f) // every axes was removed: a detached one, drawn nowhere
	return a
}

// Delaxes removes a from the figure (fig.delaxes): its cell stays empty.
func (f *Figure) Delaxes(a *Axes) {
	for _, row := range f.grid {
		for j := range row {
			if row[j] == a {
				row[j] = nil
			}
		}
	}
}

func (f *Figure) fail(err error) {
	if f.err == nil {
		f.err = err
	}
}

// Draw lays the figure out on c (which should be Width × Height) and draws it.
// It returns the first error of the calls that made the figure, if any.
func (f *Figure) Draw(c draw.Canvas) error {
	if err := f.layOut(); err != nil {
		return err
	}
	return f.drawLaidOut(c)
}

// layOut runs TightLayout, which places the axes and their decorations.
func (f *Figure) layOut() (err error) {
	if f.err != nil {
		return f.err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pyplot: laying the figure out failed: %v", r)
		}
	}()
	f.TightLayout()
	return nil
}

// drawLaidOut draws the figure where layOut last placed it. It only reads the
// figure, so that Save draws the PNG and the SVG side by side.
func (f *Figure) drawLaidOut(c draw.Canvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pyplot: drawing failed: %v", r)
		}
	}()
	c.SetColor(colWhite)
	c.Fill(c.Rectangle.Path())
	for _, row := range f.grid {
		for _, a := range row {
			if a != nil {
				a.draw(c)
			}
		}
	}
	return nil
}

func (f *Figure) dpi() int {
	if f.DPI > 0 {
		return f.DPI
	}
	return defaultDPI
}

// WritePNG writes the figure as a PNG of DPI dots per inch (300 unless set).
func (f *Figure) WritePNG(w io.Writer) error { return f.writePNG(w, f.Draw) }

func (f *Figure) writePNG(w io.Writer, drawOn func(draw.Canvas) error) error {
	c := vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(f.dpi()))
	if err := drawOn(draw.New(newPNGCanvas(c))); err != nil {
		return err
	}
	if err := encodePNG(w, c.Image()); err != nil {
		return fmt.Errorf("pyplot: writing PNG: %w", err)
	}
	return nil
}

// WriteSVG writes the figure as SVG (fonts referenced by name, not embedded;
// heat maps embedded as PNG images at 100 dpi). The root element scales to the
// width of the page it is shown in, up to its own size, as matplotlib's inline
// figures do in Jupyter: width="100%", the figure size as max-width, and the
// height following the viewBox's aspect ratio. Texts show as in the PNG where
// Liberation Sans is missing too (see svgTextRules).
func (f *Figure) WriteSVG(w io.Writer) error { return f.writeSVG(w, f.Draw) }

func (f *Figure) writeSVG(w io.Writer, drawOn func(draw.Canvas) error) error {
	c := vgsvg.New(f.Width, f.Height)
	if err := drawOn(draw.New(svgCanvas{c})); err != nil {
		return err
	}
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return fmt.Errorf("pyplot: writing SVG: %w", err)
	}
	svg, err := fluidSVG(svgText(b.Bytes()))
	if err != nil {
		return err
	}
	if _, err := w.Write(svg); err != nil {
		return fmt.Errorf("pyplot: writing SVG: %w", err)
	}
	return nil
}

// svgSize matches the fixed size vgsvg writes on the root element.
var svgSize = regexp.MustCompile(`<svg width="([0-9.e+-]+)pt" height="[0-9.e+-]+pt"`)

// fluidSVG replaces the root element's fixed width and height by width="100%"
// and a max-width of the fixed width; its viewBox keeps the aspect ratio.
func fluidSVG(svg []byte) ([]byte, error) {
	m := svgSize.FindSubmatchIndex(svg)
	if m == nil {
		return nil, errorf("SVG: no <svg width=… height=…> root element to make fluid (has vgsvg's header changed?)")
	}
	fluid := fmt.Sprintf(`<svg width="100%%" style="max-width:%spt;height:auto"`, svg[m[2]:m[3]])
	return slices.Concat(svg[:m[0]], []byte(fluid), svg[m[1]:]), nil
}

// svgCanvas is vgsvg's canvas that anchors text by its alignment: it marks
// centred and right-aligned strings, drawn at their anchor, for svgText.
type svgCanvas struct{ *vgsvg.Canvas }

// Private-use characters that mark a string's text-anchor until svgText
// turns them into the attribute.
const (
	anchorMiddle = "\uE000"
	anchorEnd    = "\uE001"
)

// FillStringAnchored draws s right-aligned to pt when ha is 1, else centred.
func (c svgCanvas) FillStringAnchored(f font.Face, pt vg.Point, ha float64, s string) {
	if ha == 1 {
		c.FillString(f, pt, anchorEnd+s)
		return
	}
	c.FillString(f, pt, anchorMiddle+s)
}

// svgTextRules rewrites vgsvg's <text> elements (…style="font-family:Liberation
// Sans;…">text</text>) so that a browser shows them as the PNG does: runs of
// spaces kept (xml:space and white-space:pre), a font stack ending in a generic
// family where Liberation Sans is missing, and text anchored by its alignment.
var svgTextRules = []struct{ old, new []byte }{
	{[]byte(`style="font-family:Liberation Sans;`),
		[]byte(`xml:space="preserve" style="font-family:'Liberation Sans',Arial,Helvetica,sans-serif;white-space:pre;`)},
	{[]byte(`">` + anchorMiddle), []byte(`" text-anchor="middle">`)},
	{[]byte(`">` + anchorEnd), []byte(`" text-anchor="end">`)},
}

// svgText applies svgTextRules to an SVG written by vgsvg through svgCanvas.
func svgText(svg []byte) []byte {
	for _, r := range svgTextRules {
		svg = bytes.ReplaceAll(svg, r.old, r.new)
	}
	return svg
}

// PNG returns the figure as PNG bytes, e.g. for a notebook cell.
func (f *Figure) PNG() ([]byte, error) {
	var b bytes.Buffer
	err := f.WritePNG(&b)
	return b.Bytes(), err
}

// SVG returns the figure as SVG bytes, e.g. for a notebook cell
// (gonbui.DisplaySVG(string(svg)) in GoNB).
func (f *Figure) SVG() ([]byte, error) {
	var b bytes.Buffer
	err := f.WriteSVG(&b)
	return b.Bytes(), err
}

// Save writes dir/name.png and dir/name.svg, each through a temporary file
// renamed into place, so that a reader never sees half a file, and returns the
// SVG (what a notebook shows). It lays the figure out once and draws the two
// side by side.
func (f *Figure) Save(dir, name string) (svg []byte, err error) {
	if err := f.layOut(); err != nil {
		return nil, err
	}
	png := make(chan error, 1)
	go func() {
		png <- writeAtomic(dir, name+".png", func(w io.Writer) error { return f.writePNG(w, f.drawLaidOut) })
	}()
	var b bytes.Buffer
	err = f.writeSVG(&b, f.drawLaidOut)
	if err == nil {
		err = writeAtomic(dir, name+".svg", func(w io.Writer) error {
			_, err := w.Write(b.Bytes())
			return err
		})
	}
	if pngErr := <-png; pngErr != nil {
		err = pngErr
	}
	if b.Len() == 0 {
		return nil, err
	}
	return b.Bytes(), err
}

func writeAtomic(dir, name string, write func(io.Writer) error) error {
	if err := atomicfile.Write(filepath.Join(dir, name), write); err != nil {
		return fmt.Errorf("pyplot: saving %s (does the folder %s exist and is it writable?): %w", name, dir, err)
	}
	return nil
}
