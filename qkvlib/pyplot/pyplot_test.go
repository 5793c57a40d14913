package pyplot

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// TestSVGScalesToPage parses the root <svg> element: a viewBox of the figure's
// size in points, width 100%, no fixed height, and the figure's width as the
// largest it grows to, so that a 12-inch figure fits Jupyter's output area.
func TestSVGScalesToPage(t *testing.T) {
	for _, size := range [][2]float64{{12, 6}, {8, 3}} {
		f := NewFigure(size[0], size[1])
		f.Gca().Plot(nil, []float64{1, 3, 2}, "ro-")
		b, err := f.SVG()
		if err != nil {
			t.Fatal(err)
		}
		root, err := rootElement(b)
		if err != nil {
			t.Fatal(err)
		}
		attr := map[string]string{}
		for _, a := range root.Attr {
			attr[a.Name.Local] = a.Value
		}
		w, h := size[0]*72, size[1]*72
		if got, want := attr["viewBox"], fmt.Sprintf("0 0 %g %g", w, h); got != want {
			t.Errorf("%v in: viewBox %q, want %q", size, got, want)
		}
		if attr["width"] != "100%" {
			t.Errorf("%v in: width %q, want 100%%", size, attr["width"])
		}
		if h, ok := attr["height"]; ok {
			t.Errorf("%v in: fixed height %q, want none (auto from the viewBox)", size, h)
		}
		style := strings.ReplaceAll(attr["style"], " ", "")
		if !strings.Contains(style, fmt.Sprintf("max-width:%gpt", w)) || !strings.Contains(style, "height:auto") {
			t.Errorf("%v in: style %q, want max-width:%gpt and height:auto", size, attr["style"], w)
		}
		if err := xml.Unmarshal(b, new(struct{})); err != nil {
			t.Errorf("%v in: SVG is not well-formed: %v", size, err)
		}
	}
}

func rootElement(b []byte) (xml.StartElement, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != "svg" {
				return se, fmt.Errorf("root element is <%s>, want <svg>", se.Name.Local)
			}
			return se, nil
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, c := range []struct {
		format string
		color  Color
		marker markerShape
		style  string
	}{
		{"gs-", Named("g"), markerSquare, "-"},
		{"ro-", Named("r"), markerCircle, "-"},
		{"b^-", Named("b"), markerTriangle, "-"},
		{"k--", Named("k"), markerNone, "--"},
		{"r", Named("r"), markerNone, "-"},
		{"o", Color{}, markerCircle, ""},
		{"C1:", Named("C1"), markerNone, ":"},
		{"-.vm", Named("m"), markerDown, "-."},
		{"", Color{}, markerNone, "-"},
	} {
		f, err := parseFormat(c.format)
		if err != nil {
			t.Errorf("parseFormat(%q): %v", c.format, err)
			continue
		}
		if f.color != c.color || f.marker != c.marker || f.style != c.style {
			t.Errorf("parseFormat(%q) = %+v, want colour %v marker %d style %q", c.format, f, c.color, c.marker, c.style)
		}
	}
	for _, bad := range []string{"x", "gq-", "k---"} {
		if _, err := parseFormat(bad); err == nil {
			t.Errorf("parseFormat(%q): want an error", bad)
		}
	}
	if Named("g").c != rgba(0, 0.5, 0, 1) || Named("C0").c != rgba(0x1f/255.0, 0x77/255.0, 0xb4/255.0, 1) || Named("zz").set {
		t.Error("Named: g must be (0, 0.5, 0), C0 #1f77b4, zz unset")
	}
}

// TestRange checks Python's range: start, start+step, … before stop.
func TestRange(t *testing.T) {
	if got := Range(0, 3, 1); !slices.Equal(got, []float64{0, 1, 2}) {
		t.Errorf("Range(0, 3, 1) = %v", got)
	}
	if got := Range(0, 3, 0); got != nil {
		t.Errorf("Range(0, 3, 0) = %v, want nil", got)
	}
}

// TestIntegerTicks checks MaxNLocator(integer=True) against matplotlib 3.11.2's
// tick_values (restricted to the view) for a layer axis of 4 layers (view
// -0.15 … 3.15): 0, 1, 2, 3 where the default locator gives 0.0, 0.5, … 3.0.
func TestIntegerTicks(t *testing.T) {
	if got := autoTicks(-0.15, 3.15, 9, false); !slices.Equal(got, []float64{0, 0.5, 1, 1.5, 2, 2.5, 3}) {
		t.Errorf("default ticks = %v", got)
	}
	if got := autoTicks(-0.15, 3.15, 9, true); !slices.Equal(got, []float64{0, 1, 2, 3}) {
		t.Errorf("integer ticks = %v, want [0 1 2 3]", got)
	}
	if got := autoTicks(-0.55, 11.55, 9, true); !slices.Equal(got, []float64{0, 2, 4, 6, 8, 10}) {
		t.Errorf("integer ticks for 12 layers = %v, want [0 2 4 6 8 10]", got)
	}
}

// TestViewLimits checks the view limits against matplotlib 3.11.2's
// (ax.get_xlim / get_ylim after the same calls): 5% margins for lines, bars
// stopping at 0, an image's extent exactly, axhline counted, Set's limits as
// given.
func TestViewLimits(t *testing.T) {
	view := func(build func(a *Axes)) ([2]float64, [2]float64, bool) {
		f := NewFigure(4, 3)
		a := f.Gca()
		build(a)
		a.autoscale()
		return a.xlim, a.ylim, a.yDown
	}
	near := func(a, b [2]float64) bool { return math.Abs(a[0]-b[0]) < 1e-12 && math.Abs(a[1]-b[1]) < 1e-12 }
	for _, c := range []struct {
		name       string
		build      func(a *Axes)
		xlim, ylim [2]float64
		yDown      bool
	}{
		{"line", func(a *Axes) { a.Plot(nil, []float64{1, 3, 2}, "k") }, [2]float64{-0.1, 2.1}, [2]float64{0.9, 3.1}, false},
		{"bars", func(a *Axes) { a.Bar([]float64{0, 1}, []float64{2, 4}, BarOpts{}) }, [2]float64{-0.49, 1.49}, [2]float64{0, 4.2}, false},
		{"axhline", func(a *Axes) {
			a.AxHLine(0, LineOpts{})
			a.Plot(nil, []float64{1, 2}, "k")
		}, [2]float64{-0.05, 1.05}, [2]float64{-0.1, 2.1}, false},
		{"imshow", func(a *Axes) { a.Imshow(mat.NewDense(2, 3, nil), ImageOpts{}) }, [2]float64{-0.5, 2.5}, [2]float64{-0.5, 1.5}, true},
		{"imshow lower extent", func(a *Axes) {
			a.Imshow(mat.NewDense(2, 3, nil), ImageOpts{Extent: []float64{-4, 4, 0, 2}, Origin: "lower"})
		}, [2]float64{-4, 4}, [2]float64{0, 2}, false},
		{"pcolor", func(a *Axes) { a.Pcolor(mat.NewDense(2, 3, nil), ImageOpts{}) }, [2]float64{0, 3}, [2]float64{0, 2}, false},
		{"set", func(a *Axes) {
			a.Plot(nil, []float64{1, 2}, "k")
			a.Set(AxesOpts{XLim: []float64{-7, 7}})
		}, [2]float64{-7, 7}, [2]float64{0.95, 2.05}, false},
		{"empty", func(a *Axes) {}, [2]float64{0, 1}, [2]float64{0, 1}, false},
	} {
		x, y, down := view(c.build)
		if !near(x, c.xlim) || !near(y, c.ylim) || down != c.yDown {
			t.Errorf("%s: limits %v %v (y down %v), want %v %v (y down %v)", c.name, x, y, down, c.xlim, c.ylim, c.yDown)
		}
	}
}

// TestSetTicks checks Props' tick conventions: nil automatic, empty none, empty
// labels hidden, labels in order.
func TestSetTicks(t *testing.T) {
	f := NewFigure(8, 3)
	a := f.Gca()
	a.Plot(nil, []float64{0, 1, 2}, "k")
	a.Set(AxesOpts{XTicks: Range(0, 3, 1), XTickLabels: []string{"a", "b", "c"}, YTickLabels: []string{}})
	if _, err := f.PNG(); err != nil {
		t.Fatal(err)
	}
	xv, xl, _ := a.ticks(true)
	if !slices.Equal(xv, []float64{0, 1, 2}) || !slices.Equal(xl, []string{"a", "b", "c"}) {
		t.Errorf("x ticks %v %v, want [0 1 2] [a b c]", xv, xl)
	}
	yv, yl, _ := a.ticks(false)
	if len(yv) < 2 || strings.Join(yl, "") != "" {
		t.Errorf("y ticks %v %q: want automatic ticks without labels", yv, yl)
	}
	a.Set(AxesOpts{XTicks: []float64{}})
	if xv, _, _ := a.ticks(true); len(xv) != 0 {
		t.Errorf("XTicks empty: ticks %v, want none", xv)
	}
}

// TestCallErrors checks that a bad argument of a plotting call makes the
// figure's rendering fail with a message naming it, rather than panicking.
func TestCallErrors(t *testing.T) {
	for _, c := range []struct {
		name, want string
		call       func(f *Figure)
	}{
		{"format", `"gx-"`, func(f *Figure) { f.Gca().Plot(nil, []float64{1}, "gx-") }},
		{"lengths", "x has 2 values and y 1", func(f *Figure) { f.Gca().Plot([]float64{1, 2}, []float64{1}, "k") }},
		{"cmap", `"viridis"`, func(f *Figure) { f.Gca().Imshow(mat.NewDense(1, 1, nil), ImageOpts{Cmap: "viridis"}) }},
		{"origin", `"top"`, func(f *Figure) { f.Gca().Imshow(mat.NewDense(1, 1, nil), ImageOpts{Origin: "top"}) }},
		{"extent", "Extent has 2", func(f *Figure) { f.Gca().Pcolor(mat.NewDense(1, 1, nil), ImageOpts{Extent: []float64{0, 1}}) }},
		{"orientation", `"sideways"`, func(f *Figure) {
			f.Colorbar(f.Gca().Pcolor(mat.NewDense(1, 1, nil), ImageOpts{}), ColorbarOpts{Orientation: "sideways"})
		}},
		{"align", `"middle"`, func(f *Figure) { f.Gca().Text(0, 0, "x", TextOpts{VA: "middle"}) }},
		{"xlim", "XLim has 1", func(f *Figure) { f.Gca().Set(AxesOpts{XLim: []float64{1}}) }},
		{"fill", "have 2, 1 and 2 values", func(f *Figure) {
			f.Gca().FillBetween([]float64{0, 1}, []float64{0}, []float64{1, 2}, FillOpts{})
		}},
		{"legend", `"top"`, func(f *Figure) { f.Gca().Legend(LegendOpts{Loc: "top"}) }},
	} {
		f := NewFigure(3, 2)
		c.call(f)
		_, err := f.PNG()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %s", c.name, err, c.want)
		}
	}
}

// TestLegendEntries checks that the legend lists the labelled artists in order,
// with gonum's plotters as handles: a BarChart for bars, a Line and a Scatter
// for a line with markers.
func TestLegendEntries(t *testing.T) {
	f := NewFigure(4, 3)
	a := f.Gca()
	a.AxHLine(0, LineOpts{})
	a.Bar([]float64{0}, []float64{1}, BarOpts{Label: "bars", EdgeColor: Named("k")})
	a.Plot(nil, []float64{1, 2}, "gs-", LineOpts{Label: "line"})
	a.Text(0, 0, "note", TextOpts{})
	var got []string
	for _, ar := range a.artists {
		label, h := ar.legendEntry()
		if label == "" {
			continue
		}
		got = append(got, label)
		switch label {
		case "bars":
			if b, ok := h.(*plotter.BarChart); !ok || b.Color != colorCycle[0] || b.LineStyle.Color != Named("k").c {
				t.Errorf("bars handle: %#v, want a BarChart in C0 edged in black", h)
			}
		case "line":
			th, ok := h.(thumbnails)
			if !ok || len(th) != 2 {
				t.Fatalf("line handle: %#v, want a Line and a Scatter", h)
			}
			if l, ok := th[0].(*plotter.Line); !ok || l.LineStyle.Color != Named("g").c {
				t.Errorf("line handle %#v: want a green plotter.Line", th[0])
			}
			if _, ok := th[1].(*plotter.Scatter); !ok {
				t.Errorf("marker handle %#v: want a plotter.Scatter", th[1])
			}
		}
	}
	if !slices.Equal(got, []string{"bars", "line"}) {
		t.Errorf("legend entries %v, want [bars line]", got)
	}
}

// TestLegendBest checks loc='best' against matplotlib's _find_best_position: the
// first of the candidate corners (upper right, upper left, lower left, lower
// right, …) with the least badness, counting vertices inside, paths crossing
// and boxes overlapping.
func TestLegendBest(t *testing.T) {
	box := vg.Rectangle{Max: vg.Point{X: 400, Y: 200}}
	w, h := legendEntries{{label: "Q"}, {label: "K"}}.size()
	pad := legBorderAxesPad * fontSize
	upperRight := vg.Point{X: 400 - pad - w, Y: 200 - pad - h}
	upperLeft := vg.Point{X: pad, Y: 200 - pad - h}
	lowerLeft := vg.Point{X: pad, Y: pad}
	lowerRight := vg.Point{X: 400 - pad - w, Y: pad}
	top := []vg.Point{{X: 0, Y: 190}, {X: 400, Y: 190}} // a line along the top
	// Every candidate is covered; the upper left one least (two lines across it,
	// where the upper right one holds three vertices and their path).
	hline := func(y, x1 vg.Length) []vg.Point { return []vg.Point{{X: 0, Y: y}, {X: x1, Y: y}} }
	crowded := [][]vg.Point{
		{{X: 380, Y: 185}, {X: 385, Y: 187}, {X: 390, Y: 189}},
		hline(180, 250), hline(185, 250),
		hline(5, 400), hline(6, 400), hline(7, 400),
		hline(99, 400), hline(100, 400), hline(101, 400),
	}
	for _, c := range []struct {
		name  string
		paths [][]vg.Point
		boxes []vg.Rectangle
		want  vg.Point
	}{
		{"empty", nil, nil, upperRight},
		{"line along the top", [][]vg.Point{top}, nil, lowerLeft},
		{"and a point lower left", [][]vg.Point{top, {{X: pad + 1, Y: pad + 1}}}, nil, lowerRight},
		{"bars everywhere but lower right", [][]vg.Point{top}, []vg.Rectangle{{Max: vg.Point{X: 100, Y: 100}}}, lowerRight},
		{"least covered", crowded, nil, upperLeft},
	} {
		if got := best(box, w, h, c.paths, c.boxes); got != c.want {
			t.Errorf("%s: legend at %v, want %v", c.name, got, c.want)
		}
	}
}

// TestPathIntersects checks matplotlib's segment-rectangle test: segments
// crossing, inside, beside and touching a corner's outside.
func TestPathIntersects(t *testing.T) {
	r := vg.Rectangle{Min: vg.Point{X: 10, Y: 10}, Max: vg.Point{X: 20, Y: 20}}
	for _, c := range []struct {
		path []vg.Point
		want bool
	}{
		{[]vg.Point{{X: 0, Y: 15}, {X: 30, Y: 15}}, true},  // across
		{[]vg.Point{{X: 12, Y: 12}, {X: 18, Y: 18}}, true}, // inside
		{[]vg.Point{{X: 0, Y: 0}, {X: 30, Y: 5}}, false},   // below
		{[]vg.Point{{X: 0, Y: 25}, {X: 25, Y: 0}}, true},   // diagonal through the corner area
		{[]vg.Point{{X: 0, Y: 41}, {X: 41, Y: 0}}, false},  // diagonal past the corner
		{[]vg.Point{{X: 15, Y: 15}}, false},                // a lone vertex has no segment
	} {
		if got := pathIntersects(c.path, r); got != c.want {
			t.Errorf("pathIntersects(%v) = %v, want %v", c.path, got, c.want)
		}
	}
}

// TestData reads a figure back: lines as given (x from nil), reference lines,
// images as given (imshow's origin and pcolor's layout change how they are
// drawn, not their matrices), titles, and removed axes left out.
func TestData(t *testing.T) {
	fig, axs := Subplots(1, 3, 6, 2)
	axs[0][0].Plot(nil, []float64{1, math.NaN(), 3}, "k--", LineOpts{Label: "a"})
	axs[0][0].Plot([]float64{0, 2}, []float64{5, 6}, "ro-")
	axs[0][0].AxVLine(4, LineOpts{})
	axs[0][0].AxHLine(-1, LineOpts{})
	axs[0][0].Set(AxesOpts{Title: "lines"})
	m := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})
	axs[0][1].Imshow(m, ImageOpts{Origin: "lower"})
	axs[0][1].Pcolor(m.T(), ImageOpts{})
	fig.Delaxes(axs[0][2])

	d := fig.Data()
	if len(d.Axes) != 2 {
		t.Fatalf("%d axes, want 2 (one removed)", len(d.Axes))
	}
	a := d.Axes[0]
	if a.Title != "lines" || len(a.Lines) != 2 || a.Lines[0].Label != "a" || a.Lines[0].Format != "k--" || a.Lines[1].Format != "ro-" {
		t.Errorf("axes 0: %+v", a)
	}
	if x, y := a.Lines[0].X, a.Lines[0].Y; !slices.Equal(x, []float64{0, 1, 2}) || y[0] != 1 || !math.IsNaN(y[1]) || y[2] != 3 {
		t.Errorf("line 0: x %v y %v, want [0 1 2] [1 NaN 3]", x, y)
	}
	if !slices.Equal(a.VLines, []float64{4}) || !slices.Equal(a.HLines, []float64{-1}) || len(a.Images) != 0 {
		t.Errorf("axes 0: vlines %v hlines %v images %d, want [4] [-1] 0", a.VLines, a.HLines, len(a.Images))
	}
	ims := d.Axes[1].Images
	if len(ims) != 2 || ims[0].Kind != "imshow" || ims[1].Kind != "pcolor" {
		t.Fatalf("axes 1 images: %+v", ims)
	}
	if ims[0].Rows != 2 || ims[0].Cols != 3 || ims[0].At(1, 0) != 4 || ims[1].Rows != 3 || ims[1].Cols != 2 || ims[1].At(0, 1) != 4 {
		t.Errorf("images %+v: want the matrices as given, [2 3] and its transpose", ims)
	}
	d.Axes[0].Lines[0].Y[0] = 100
	if fig.Data().Axes[0].Lines[0].Y[0] != 1 {
		t.Error("Data shares the figure's values")
	}
}
