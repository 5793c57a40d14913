package pyplot

import (
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// LineOpts is the options of Plot, AxHLine and AxVLine (matplotlib's Line2D
// keywords). Zero fields keep the format string's or matplotlib's default.
type LineOpts struct {
	Label           string  // legend entry; "" for none
	Color           Color   // overrides the format string's colour
	MarkerFaceColor Color   // default: the line colour
	MarkerSize      float64 // points; default 6
	LineWidth       float64 // points; default 1.5
	LineStyle       string  // "-", "--", ":", "-." or "none"; "" keeps the format's
}

// Plot draws y against x (x nil: 0, 1, …, len(y)-1) with a matplotlib format
// string of colour, marker and line style, e.g. "gs-", "ro-", "b^-", "k--", "r"
// ("" takes the next colour of the axes' cycle and a solid line; a marker
// without a line style draws markers only). Colours: b g r c m y k w; markers:
// s o ^ v D .; line styles: - -- : -. . NaNs break the line. At most one
// LineOpts.
func (a *Axes) Plot(x, y []float64, format string, opt ...LineOpts) {
	f, err := parseFormat(format)
	if err != nil {
		a.fail(err)
		return
	}
	if len(opt) > 1 {
		a.fail(errorf("Plot: give at most one LineOpts, got %d", len(opt)))
		return
	}
	var o LineOpts
	if len(opt) == 1 {
		o = opt[0]
	}
	if x == nil {
		x = Range(0, len(y), 1)
	}
	if len(x) != len(y) {
		a.fail(errorf("Plot: x has %d values and y %d; give as many of each (or x nil)", len(x), len(y)))
		return
	}
	col := o.Color.or(f.color.or(color.NRGBA{}))
	if !o.Color.set && !f.color.set {
		col = a.nextColor(&a.nLines)
	}
	style := f.style
	if o.LineStyle != "" {
		style = o.LineStyle
	}
	st, err := lineStyle(style, col, o.LineWidth)
	if err != nil {
		a.fail(err)
		return
	}
	s := &series{line: plotter.Line{LineStyle: st}, label: o.Label, format: format, x: slices.Clone(x), y: slices.Clone(y)}
	for i := range x {
		if finite(x[i]) && finite(y[i]) {
			s.points = append(s.points, plotter.XY{X: x[i], Y: y[i]})
		}
		if i+1 == len(x) || !finite(x[i+1]) || !finite(y[i+1]) {
			s.runs = append(s.runs, len(s.points))
		}
	}
	s.runs = slices.Compact(s.runs)
	if f.marker != markerNone {
		s.markers = &plotter.Scatter{XYs: s.points, GlyphStyle: draw.GlyphStyle{
			Shape:  marker{shape: f.marker, face: o.MarkerFaceColor.or(col), edge: col},
			Radius: orDefault(o.MarkerSize, markerSize) / 2,
		}}
	}
	a.artists = append(a.artists, s)
}

// series is a matplotlib Line2D: a gonum plotter.Line for each run of finite
// points (NaNs break the line) and a plotter.Scatter of matplotlib's markers.
type series struct {
	points  plotter.XYs
	runs    []int // ends of the runs of points
	line    plotter.Line
	markers *plotter.Scatter // nil: none
	label   string
	format  string    // as given, for Figure.Data
	x, y    []float64 // as given, for Figure.Data
}

func (s *series) Plot(c draw.Canvas, p *plot.Plot) {
	start := 0
	for _, end := range s.runs {
		if end-start > 1 {
			l := s.line
			l.XYs = s.points[start:end]
			l.Plot(c, p)
		}
		start = end
	}
	if s.markers != nil {
		s.markers.Plot(c, p)
	}
}

func (s *series) limits() (x, y dataRange) {
	x, y = emptyRange(), emptyRange()
	for _, p := range s.points {
		x.add(p.X)
		y.add(p.Y)
	}
	return x, y
}

func (s *series) legendEntry() (string, plot.Thumbnailer) {
	th := thumbnails{&s.line}
	if s.markers != nil {
		th = append(th, s.markers)
	}
	return s.label, th
}

// obstacles returns the line's path through its finite points (matplotlib drops
// NaN vertices from the path it tests).
func (s *series) obstacles(tr transform, _ vg.Rectangle) ([][]vg.Point, []vg.Rectangle) {
	path := make([]vg.Point, len(s.points))
	for i, p := range s.points {
		path[i] = tr(p.X, p.Y)
	}
	return [][]vg.Point{path}, nil
}

// thumbnails draws several legend handles on top of each other.
type thumbnails []plot.Thumbnailer

func (ts thumbnails) Thumbnail(c *draw.Canvas) {
	for _, t := range ts {
		t.Thumbnail(c)
	}
}

// AxHLine draws a horizontal line across the axes at y (solid, C0, 1.5 pt,
// unless opt says otherwise); y counts in the y autoscaling, as matplotlib's.
func (a *Axes) AxHLine(y float64, opt LineOpts) { a.refLine(false, y, opt) }

// AxVLine draws a vertical line across the axes at x; x counts in the x
// autoscaling.
func (a *Axes) AxVLine(x float64, opt LineOpts) { a.refLine(true, x, opt) }

func (a *Axes) refLine(vertical bool, v float64, o LineOpts) {
	st, err := lineStyle(o.LineStyle, o.Color.or(colorCycle[0]), o.LineWidth)
	if err != nil {
		a.fail(err)
		return
	}
	a.artists = append(a.artists, &refLine{vertical: vertical, v: v, line: plotter.Line{LineStyle: st}, label: o.Label})
}

// refLine is axhline / axvline: a gonum plotter.Line across the whole data
// area at v.
type refLine struct {
	vertical bool
	v        float64
	line     plotter.Line
	label    string
}

// ends returns the line's ends in data coordinates: at the view's limits.
func (l *refLine) ends(p *plot.Plot) plotter.XYs {
	if l.vertical {
		return plotter.XYs{{X: l.v, Y: p.Y.Min}, {X: l.v, Y: p.Y.Max}}
	}
	return plotter.XYs{{X: p.X.Min, Y: l.v}, {X: p.X.Max, Y: l.v}}
}

func (l *refLine) Plot(c draw.Canvas, p *plot.Plot) {
	line := l.line
	line.XYs = l.ends(p)
	line.Plot(c, p)
}

func (l *refLine) limits() (x, y dataRange) {
	x, y = emptyRange(), emptyRange()
	if l.vertical {
		x.add(l.v)
	} else {
		y.add(l.v)
	}
	return x, y
}

func (l *refLine) legendEntry() (string, plot.Thumbnailer) { return l.label, &l.line }

func (l *refLine) obstacles(tr transform, box vg.Rectangle) ([][]vg.Point, []vg.Rectangle) {
	if l.vertical {
		x := tr(l.v, 0).X
		return [][]vg.Point{{{X: x, Y: box.Min.Y}, {X: x, Y: box.Max.Y}}}, nil
	}
	y := tr(0, l.v).Y
	return [][]vg.Point{{{X: box.Min.X, Y: y}, {X: box.Max.X, Y: y}}}, nil
}

func orDefault(v float64, def vg.Length) vg.Length {
	if v > 0 {
		return vg.Length(v)
	}
	return def
}

// lineFormat is a parsed format string.
type lineFormat struct {
	color  Color
	marker markerShape
	style  string // "" when the format names none
}

// parseFormat parses a matplotlib format string such as "gs-" or "k--".
func parseFormat(s string) (lineFormat, error) {
	f := lineFormat{marker: markerNone}
	seen := ""
	for rest := s; rest != ""; {
		n, kind := 1, ""
		switch {
		case strings.HasPrefix(rest, "--"), strings.HasPrefix(rest, "-."):
			n, kind = 2, "line style"
			f.style = rest[:2]
		case rest[0] == '-' || rest[0] == ':':
			kind, f.style = "line style", rest[:1]
		case len(rest) > 1 && rest[0] == 'C' && rest[1] >= '0' && rest[1] <= '9':
			n, kind, f.color = 2, "colour", Named(rest[:2])
		case Named(rest[:1]).set:
			kind, f.color = "colour", Named(rest[:1])
		case strings.IndexByte("so^vD.", rest[0]) >= 0:
			kind, f.marker = "marker", markerShape(strings.IndexByte("so^vD.", rest[0]))
		default:
			return f, errorf("format %q: %q is not a colour (b g r c m y k w C0…C9), marker (s o ^ v D .) or line style (- -- : -.)", s, rest[:1])
		}
		if strings.Contains(seen, kind) {
			return f, errorf("format %q: two of one kind (%s); give at most one colour, one marker and one line style", s, kind)
		}
		seen += kind + ";"
		rest = rest[n:]
	}
	if f.style == "" && f.marker == markerNone {
		f.style = "-"
	}
	return f, nil
}

// lineStyle returns the stroke of a line style ("" and "-" solid; "none" no
// line) in col, width points wide (0: 1.5).
func lineStyle(style string, col color.Color, width float64) (draw.LineStyle, error) {
	st := draw.LineStyle{Color: col, Width: orDefault(width, lineWidth)}
	w := st.Width
	switch strings.ToLower(style) {
	case "", "-", "solid":
	case "--", "dashed":
		st.Dashes = dashed(w)
	case ":", "dotted":
		st.Dashes = []vg.Length{1 * w, 1.65 * w}
	case "-.", "dashdot":
		st.Dashes = []vg.Length{6.4 * w, 1.6 * w, 1 * w, 1.6 * w}
	case "none", " ":
		st.Width = 0
	default:
		return st, errorf("line style %q: want -, --, :, -. or none", style)
	}
	return st, nil
}

// markerShape is one of matplotlib's filled markers.
type markerShape int

const (
	markerSquare   markerShape = iota // 's'
	markerCircle                      // 'o'
	markerTriangle                    // '^'
	markerDown                        // 'v'
	markerDiamond                     // 'D'
	markerPoint                       // '.'
	markerNone     markerShape = -1
)

// marker is one of matplotlib's markers as a gonum glyph: filled with its face
// colour, edged in its line's colour, matplotlib's geometry for a markersize of
// twice the glyph's radius.
type marker struct {
	shape      markerShape
	face, edge color.Color
}

// path returns the marker's outline at at, h half its size.
func (m marker) path(at vg.Point, h vg.Length) vg.Path {
	var p vg.Path
	poly := func(pts ...[2]vg.Length) {
		for i, q := range pts {
			pt := vg.Point{X: at.X + q[0], Y: at.Y + q[1]}
			if i == 0 {
				p.Move(pt)
			} else {
				p.Line(pt)
			}
		}
	}
	switch m.shape {
	case markerCircle, markerPoint:
		if m.shape == markerPoint {
			h /= 2
		}
		p.Move(vg.Point{X: at.X + h, Y: at.Y})
		p.Arc(at, h, 0, 2*math.Pi)
	case markerTriangle:
		poly([2]vg.Length{0, h}, [2]vg.Length{-h, -h}, [2]vg.Length{h, -h})
	case markerDown:
		poly([2]vg.Length{0, -h}, [2]vg.Length{-h, h}, [2]vg.Length{h, h})
	case markerDiamond:
		d := h * math.Sqrt2
		poly([2]vg.Length{0, -d}, [2]vg.Length{d, 0}, [2]vg.Length{0, d}, [2]vg.Length{-d, 0})
	default:
		poly([2]vg.Length{-h, -h}, [2]vg.Length{h, -h}, [2]vg.Length{h, h}, [2]vg.Length{-h, h})
	}
	p.Close()
	return p
}

// DrawGlyph implements draw.GlyphDrawer.
func (m marker) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, at vg.Point) {
	p := m.path(at, sty.Radius)
	c.SetColor(m.face)
	c.Fill(p)
	c.SetLineStyle(draw.LineStyle{Color: m.edge, Width: markerEdge})
	c.Stroke(p)
}
