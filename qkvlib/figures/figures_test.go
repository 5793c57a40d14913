package figures

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/qkvport/qkv/internal/testenv"
	"github.com/qkvport/qkv/qkvlib/pyplot"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// book is the figure size in inches of each figure, from the chapter's figsize.
var book = map[string][2]float64{
	"ch6_proj34_part1": {10, 3}, "ch6_proj34_part2a": {8, 3}, "ch6_proj34_part2b": {10, 3},
	"ch6_proj34_part3a": {12, 3}, "ch6_proj34_part3b": {12, 3}, "ch6_proj34_part4": {12, 6},
	"ch6_proj34_part5a": {12, 6}, "ch6_proj34_part5b": {10, 3}, "ch6_proj34_part6": {12, 3},
}

// TestFigures renders every figure on tiny and on chapter-sized inputs and checks
// the PNG (decodes, inches × 300 pixels, not blank), the SVG (well-formed XML) and
// the layout (nothing drawn outside the page).
func TestFigures(t *testing.T) {
	sizes := []struct {
		name string
		s    *synthetic
	}{
		{"tiny", newSynthetic(5, 4, 3, 6, 3, 4)},
		{"gpt2-small-like", newSynthetic(7, 24, 12, 11, 12, 2)},
		{"chapter", chapterSynthetic()},
	}
	for _, sz := range sizes {
		if testing.Short() && sz.name == "chapter" {
			continue
		}
		figs, err := sz.s.figures()
		if err != nil {
			t.Fatalf("%s: %v", sz.name, err)
		}
		if len(figs) != len(book) {
			t.Fatalf("%s: %d figures, want %d", sz.name, len(figs), len(book))
		}
		names := make([]string, 0, len(figs))
		for name := range figs {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			f := figs[name]
			t.Run(sz.name+"/"+name, func(t *testing.T) {
				inches := book[name]
				if f.Width != vg.Length(inches[0])*vg.Inch || f.Height != vg.Length(inches[1])*vg.Inch {
					t.Errorf("size %v×%v pt, want %v×%v in", f.Width, f.Height, inches[0], inches[1])
				}
				b, err := f.PNG()
				if err != nil {
					t.Fatal(err)
				}
				img, err := png.Decode(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("PNG does not decode: %v", err)
				}
				wantW, wantH := int(inches[0]*300+0.5), int(inches[1]*300+0.5)
				if got := img.Bounds().Size(); got.X != wantW || got.Y != wantH {
					t.Errorf("PNG is %v pixels, want %dx%d (300 dpi)", got, wantW, wantH)
				}
				distinct, inked := inkStats(img)
				if distinct < 50 || inked < 0.03 {
					t.Errorf("PNG looks blank: %d distinct colours, %.1f%% non-white pixels", distinct, 100*inked)
				}
				checkInside(t, name, f)

				svg, err := f.SVG()
				if err != nil {
					t.Fatal(err)
				}
				if err := xml.Unmarshal(svg, new(struct{})); err != nil {
					t.Errorf("SVG is not well-formed XML: %v", err)
				}
			})
		}
	}
}

// inkStats returns the number of distinct colours and the fraction of pixels
// that are not white.
func inkStats(img image.Image) (distinct int, inked float64) {
	seen := map[color.RGBA]bool{}
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			seen[c] = true
			if c.R < 250 || c.G < 250 || c.B < 250 {
				n++
			}
		}
	}
	return len(seen), float64(n) / float64((b.Dx()/2)*(b.Dy()/2))
}

// checkInside fails t when any axes (with its texts and colour bar) reaches past
// the page or into another axes' data area, or when anything of a panel of part
// 5a reaches past its data area's top or right edge: the head labels in its top
// right corner stay inside, whatever the head size.
func checkInside(t *testing.T, name string, f *pyplot.Figure) {
	t.Helper()
	f.TightLayout()
	axs := f.Axes()
	for i, a := range axs {
		e, box := a.TightBBox(), a.Position()
		if e.Min.X < 0 || e.Min.Y < 0 || e.Max.X > f.Width || e.Max.Y > f.Height {
			t.Errorf("axes %d reaches outside the page: %v, page %v×%v", i, e, f.Width, f.Height)
		}
		if box.Size().X < 20 || box.Size().Y < 20 {
			t.Errorf("axes %d data area is only %v", i, box.Size())
		}
		for j, b := range axs {
			if o := b.Position(); j != i && e.Min.X < o.Max.X && o.Min.X < e.Max.X && e.Min.Y < o.Max.Y && o.Min.Y < e.Max.Y {
				t.Errorf("axes %d (%v) reaches into the data area of axes %d (%v)", i, e, j, o)
			}
		}
		if name == "ch6_proj34_part5a" && e.Max != box.Max {
			t.Errorf("part 5a panel %d draws past its data area's top right corner: %v, data area %v", i, e, box)
		}
	}
}

// TestBadInputs checks that inputs of the wrong shape return errors, not panics.
func TestBadInputs(t *testing.T) {
	ok := make([]float64, 10)
	for _, c := range []struct {
		name string
		fn   func() (*pyplot.Figure, error)
	}{
		{"Part1 short", func() (*pyplot.Figure, error) { return Part1(make([]float32, 11), 2, 2) }},
		{"Part1 zero rows", func() (*pyplot.Figure, error) { return Part1(nil, 0, 2) }},
		{"Part1 negative e", func() (*pyplot.Figure, error) { return Part1(nil, 2, -1) }},
		{"Part2b one edge", func() (*pyplot.Figure, error) { return Part2b([]float64{0}, nil, nil, nil, nil, nil, nil, 6) }},
		{"Part2b short curve", func() (*pyplot.Figure, error) {
			return Part2b(make([]float64, 11), ok, ok, ok, ok[:9], ok, ok, 6)
		}},
		{"Part3a empty", func() (*pyplot.Figure, error) { return Part3a(nil) }},
		{"Part3b empty", func() (*pyplot.Figure, error) { return Part3b([][3][3][2]float64{}) }},
		{"Part4 empty", func() (*pyplot.Figure, error) { return Part4(nil, make([]float64, 3)) }},
		{"Part4 bins", func() (*pyplot.Figure, error) {
			return Part4([][3][][2]float64{{make([][2]float64, 2), make([][2]float64, 3), make([][2]float64, 2)}}, []float64{0, 1, 2})
		}},
		{"Part4 edges", func() (*pyplot.Figure, error) {
			return Part4([][3][][2]float64{{make([][2]float64, 1), make([][2]float64, 1), make([][2]float64, 1)}}, []float64{1, 1})
		}},
		{"Part5a short", func() (*pyplot.Figure, error) { return Part5a(make([]float32, 23), 2, 3, 4) }},
		{"Part5a zero heads", func() (*pyplot.Figure, error) { return Part5a(nil, 2, 0, 4) }},
		{"Part5b empty", func() (*pyplot.Figure, error) { return Part5b(nil) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := c.fn()
			if err == nil || f != nil {
				t.Errorf("got figure %v and error %v, want an error", f, err)
			}
		})
	}
}

// TestOddValues draws NaNs, infinities and constants without failing.
func TestOddValues(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	desc := make([][3][3][2]float64, 3)
	desc[1][0][0] = [2]float64{nan, 1}
	desc[2][1][2] = [2]float64{inf, 0}
	hist := [][3][][2]float64{{{{nan, inf}}, {{-inf, 0}}, {{1, 2}}}}
	var figs []*pyplot.Figure
	for _, mk := range []func() (*pyplot.Figure, error){
		func() (*pyplot.Figure, error) { return Part1([]float32{float32(nan), float32(inf), 0, 1, -1, 2}, 1, 2) },
		func() (*pyplot.Figure, error) { return Part2a([3]float64{nan, 0, 0}, [3]float64{}) },
		func() (*pyplot.Figure, error) {
			y := []float64{nan}
			return Part2b([]float64{0, 1}, y, y, y, y, y, y, 0)
		},
		func() (*pyplot.Figure, error) { return Part3a(desc) },
		func() (*pyplot.Figure, error) { return Part3b(desc) },
		func() (*pyplot.Figure, error) { return Part4(hist, []float64{-1, 1}) },
		func() (*pyplot.Figure, error) { return Part5a([]float32{float32(nan)}, 1, 1, 1) },
		func() (*pyplot.Figure, error) { return Part5b([][3]float64{{nan, 1, 1}}) },
	} {
		f, err := mk()
		if err != nil {
			t.Fatal(err)
		}
		figs = append(figs, f)
	}
	for i, f := range figs {
		f.DPI = 30
		if _, err := f.PNG(); err != nil {
			t.Errorf("figure %d: PNG: %v", i, err)
		}
		if _, err := f.SVG(); err != nil {
			t.Errorf("figure %d: SVG: %v", i, err)
		}
	}
}

// TestOrientation checks where row 0 lands: at the top for part 1 (imshow's
// origin='upper'), at the bottom for parts 4 (origin='lower') and 5a (pcolor).
func TestOrientation(t *testing.T) {
	hot := pyplot.Plasma(0, 1).Clipped(1)  // the top of the colour range
	cold := pyplot.Plasma(0, 1).Clipped(0) // its bottom
	const n, layers, dim = 8, 6, 8
	p1, p4, p5 := orientationFigures(t)
	for _, c := range []struct {
		name      string
		f         *pyplot.Figure
		a         func() *pyplot.Axes
		rowTop    bool
		firstRows float64 // the fraction of the height row 0 takes
	}{
		{"part1", p1, func() *pyplot.Axes { return p1.Axes()[0] }, true, 1.0 / n},
		{"part4", p4, func() *pyplot.Axes { return p4.Axes()[3] }, false, 1.0 / layers},
		{"part5a", p5, func() *pyplot.Axes { return p5.Axes()[0] }, false, 1.0 / dim},
	} {
		c.f.DPI = 100
		b, err := c.f.PNG()
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		box := c.a().Position()
		at := func(fy float64) color.RGBA { // fy: fraction of the data height from the bottom
			x := (box.Min.X + box.Max.X) / 2
			y := box.Min.Y + vg.Length(fy)*box.Size().Y
			px, py := int(float64(x)*100/72), img.Bounds().Dy()-1-int(float64(y)*100/72)
			return color.RGBAModel.Convert(img.At(px, py)).(color.RGBA)
		}
		row0, other := c.firstRows/2, 1-c.firstRows/2
		if c.rowTop {
			row0, other = other, row0
		}
		if got := at(row0); !near(got, hot) {
			t.Errorf("%s: row 0 pixel %v, want %v", c.name, got, hot)
		}
		if got := at(other); !near(got, cold) {
			t.Errorf("%s: far row pixel %v, want %v", c.name, got, cold)
		}
	}
}

// orientationFigures draws Part1, Part4 and Part5a with their row 0 hot
// and the rest cold: sequence 0, layer 0, head dimension 0.
func orientationFigures(t *testing.T) (p1, p4, p5 *pyplot.Figure) {
	t.Helper()
	const n, e, layers, bins, tokens, dim = 8, 4, 6, 10, 5, 8

	wide := make([]float32, n*3*e)
	for i := range wide {
		wide[i] = -1
		if i < 3*e {
			wide[i] = 1 // sequence 0
		}
	}
	var err error
	p1, err = Part1(wide, n, e)
	if err != nil {
		t.Fatal(err)
	}

	hist := make([][3][][2]float64, layers)
	for l := range hist {
		for m := range 3 {
			hist[l][m] = make([][2]float64, bins)
			if l == 0 {
				for b := range bins {
					hist[l][m][b] = [2]float64{0.4, 0.4} // layer 0
				}
			}
		}
	}
	p4, err = Part4(hist, tensor.Linspace(-4, 4, bins+1))
	if err != nil {
		t.Fatal(err)
	}

	q := make([]float32, tokens*dim)
	for i := range q {
		q[i] = -2
		if i%dim == 0 {
			q[i] = 2 // head dimension 0
		}
	}
	p5, err = Part5a(q, tokens, 1, dim)
	if err != nil {
		t.Fatal(err)
	}

	return p1, p4, p5
}

func near(c color.RGBA, want color.NRGBA) bool {
	d := func(a, b uint8) bool { return math.Abs(float64(a)-float64(b)) <= 4 }
	return d(c.R, want.R) && d(c.G, want.G) && d(c.B, want.B)
}

func TestSave(t *testing.T) {
	dir := t.TempDir()
	f, err := Part5b([][3]float64{{1, 2, 3}, {2, 3, 1}})
	if err != nil {
		t.Fatal(err)
	}
	f.DPI = 50
	svg, err := f.Save(dir, "five")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "five.svg")); !bytes.Equal(svg, b) {
		t.Error("Save returned another SVG than the one it wrote")
	}
	names := testenv.DirNames(t, dir)
	if len(names) != 2 || names[0] != "five.png" || names[1] != "five.svg" {
		t.Errorf("Save wrote %v, want [five.png five.svg] and no temporary files", names)
	}
	if _, err := f.Save(filepath.Join(dir, "missing"), "x"); err == nil {
		t.Error("Save into a missing folder: want an error")
	}
}

func TestHeadGrid(t *testing.T) {
	for _, c := range []struct{ n, rows, cols int }{
		{20, 4, 5}, {12, 3, 4}, {16, 4, 4}, {25, 5, 5}, {1, 1, 1}, {3, 1, 3}, {36, 6, 6},
	} {
		if r, k := headGrid(c.n); r != c.rows || k != c.cols {
			t.Errorf("headGrid(%d) = %d×%d, want %d×%d", c.n, r, k, c.rows, c.cols)
		}
	}
}

// TestLayerTicks checks integer layer ticks: the book's Range(0, n, every), and
// every layer for small models rather than a lone 0.
func TestLayerTicks(t *testing.T) {
	for _, c := range []struct {
		n, every int
		want     []float64
	}{
		{36, 4, []float64{0, 4, 8, 12, 16, 20, 24, 28, 32}},
		{12, 5, []float64{0, 5, 10}},
		{6, 5, []float64{0, 5}},
		{5, 5, []float64{0, 1, 2, 3, 4}},
		{4, 4, []float64{0, 1, 2, 3}},
		{1, 4, []float64{0}},
	} {
		if got := LayerTicks(c.n, c.every); !slices.Equal(got, c.want) {
			t.Errorf("LayerTicks(%d, %d) = %v, want %v", c.n, c.every, got, c.want)
		}
	}
}
