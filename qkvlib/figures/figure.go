package figures

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"

	"github.com/qkvport/qkv/internal/atomicfile"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure is one of the chapter's figures: a grid of axes laid out as matplotlib's
// tight_layout on a page of Width × Height. It renders to PNG and SVG; render one
// figure from one goroutine at a time (drawing lays it out anew).
type Figure struct {
	// Width and Height are the figure size (the book's figsize; vg.Inch is 72).
	Width, Height vg.Length
	// DPI is the resolution of WritePNG; zero means 300, the book's savefig.dpi.
	DPI int

	grid [][]*Axes // row 0 on top; nil cells stay empty
}

func newFigure(wInch, hInch float64, grid [][]*Axes) *Figure {
	return &Figure{Width: vg.Length(wInch) * vg.Inch, Height: vg.Length(hInch) * vg.Inch, grid: grid}
}

// Draw lays the figure out on c (which should be Width × Height) and draws it.
func (f *Figure) Draw(c draw.Canvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("figures: drawing failed: %v", r)
		}
	}()
	c.SetColor(colWhite)
	c.Fill(c.Rectangle.Path())
	tightLayout(f.Width, f.Height, f.grid)
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
func (f *Figure) WritePNG(w io.Writer) error {
	c := vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(f.dpi()))
	if err := f.Draw(draw.New(c)); err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(w); err != nil {
		return fmt.Errorf("figures: writing PNG: %w", err)
	}
	return nil
}

// WriteSVG writes the figure as SVG (fonts referenced by name, not embedded;
// heat maps embedded as PNG images at 100 dpi).
func (f *Figure) WriteSVG(w io.Writer) error {
	c := vgsvg.New(f.Width, f.Height)
	if err := f.Draw(draw.New(c)); err != nil {
		return err
	}
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("figures: writing SVG: %w", err)
	}
	return nil
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

// Save writes dir/name.png and dir/name.svg, each through a temporary file renamed
// into place, so that a reader never sees half a file.
func (f *Figure) Save(dir, name string) error {
	if err := writeAtomic(dir, name+".png", f.WritePNG); err != nil {
		return err
	}
	return writeAtomic(dir, name+".svg", f.WriteSVG)
}

func writeAtomic(dir, name string, write func(io.Writer) error) error {
	if err := atomicfile.Write(filepath.Join(dir, name), write); err != nil {
		return fmt.Errorf("figures: saving %s (does the folder %s exist and is it writable?): %w", name, dir, err)
	}
	return nil
}
