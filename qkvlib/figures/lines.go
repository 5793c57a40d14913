package figures

import (
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Line is the options of Plot, AxHLine and AxVLine (matplotlib's Line2D
// keywords). Zero fields keep the format string's or matplotlib's default.
type Line struct {
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
// s o ^ v D .; line styles: - -- : -. . NaNs break the line. At most one Line
// of options.
func (a *Axes) Plot(x, y []float64, format string, opt ...Line) {
	f, err := parseFormat(format)
	if err != nil {
		a.fail(err)
		return
	}
	if len(opt) > 1 {
		a.fail(errorf("Plot: give at most one Line of options, got %d", len(opt)))
		return
	}
	var o Line
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
	s := &series{xs: slices.Clone(x), ys: slices.Clone(y), style: st, label: o.Label}
	if f.marker != markerNone {
		s.marker = &marker{shape: f.marker, size: orDefault(o.MarkerSize, markerSize), face: o.MarkerFaceColor.or(col), edge: col}
	}
	a.artists = append(a.artists, s)
}

// AxHLine draws a horizontal line across the axes at y (solid, C0, 1.5 pt,
// unless opt says otherwise); y counts in the y autoscaling, as matplotlib's.
func (a *Axes) AxHLine(y float64, opt Line) { a.refLine(false, y, opt) }

// AxVLine draws a vertical line across the axes at x; x counts in the x
// autoscaling.
func (a *Axes) AxVLine(x float64, opt Line) { a.refLine(true, x, opt) }

func (a *Axes) refLine(vertical bool, v float64, o Line) {
	st, err := lineStyle(o.LineStyle, o.Color.or(colorCycle[0]), o.LineWidth)
	if err != nil {
		a.fail(err)
		return
	}
	a.artists = append(a.artists, &refLine{vertical: vertical, v: v, style: st, label: o.Label})
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

// marker is a filled marker with an edge in the line's colour.
type marker struct {
	shape      markerShape
	size       vg.Length // matplotlib markersize: square side, circle diameter
	face, edge color.Color
}

// path returns the marker's outline at at, with matplotlib's geometry.
func (m marker) path(at vg.Point) vg.Path {
	h := m.size / 2
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

func (m marker) draw(c draw.Canvas, at vg.Point) {
	p := m.path(at)
	c.SetColor(m.face)
	c.Fill(p)
	c.SetLineStyle(draw.LineStyle{Color: m.edge, Width: markerEdge})
	c.Stroke(p)
}

// series is a matplotlib Line2D: a polyline (broken at NaNs) with optional markers.
type series struct {
	xs, ys []float64
	style  draw.LineStyle
	marker *marker
	label  string
}

func (s *series) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var runs [][]vg.Point
	var run []vg.Point
	for i := range s.xs {
		if !finite(s.xs[i]) || !finite(s.ys[i]) {
			if len(run) > 0 {
				runs = append(runs, run)
			}
			run = nil
			continue
		}
		run = append(run, vg.Point{X: trX(s.xs[i]), Y: trY(s.ys[i])})
	}
	if len(run) > 0 {
		runs = append(runs, run)
	}
	if s.style.Width > 0 {
		for _, r := range runs {
			if len(r) > 1 {
				c.StrokeLines(s.style, c.ClipLinesXY(r)...)
			}
		}
	}
	if s.marker != nil {
		for _, r := range runs {
			for _, pt := range r {
				if c.Contains(pt) {
					s.marker.draw(c, pt)
				}
			}
		}
	}
}

func (s *series) limits() (x, y dataRange) {
	x, y = emptyRange(), emptyRange()
	for i := range s.xs {
		if finite(s.xs[i]) && finite(s.ys[i]) {
			x.add(s.xs[i])
			y.add(s.ys[i])
		}
	}
	return x, y
}

func (s *series) legendEntry() legendEntry {
	st := s.style
	return legendEntry{label: s.label, line: &st, marker: s.marker}
}

func (s *series) vertices(tr transform) []vg.Point {
	pts := make([]vg.Point, 0, len(s.xs))
	for i := range s.xs {
		if finite(s.xs[i]) && finite(s.ys[i]) {
			pts = append(pts, tr(s.xs[i], s.ys[i]))
		}
	}
	return pts
}

// refLine is axhline / axvline: a line across the whole data area at v.
type refLine struct {
	vertical bool
	v        float64
	style    draw.LineStyle
	label    string
}

func (l *refLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	if l.vertical {
		x := trX(l.v)
		c.StrokeLine2(l.style, x, c.Min.Y, x, c.Max.Y)
		return
	}
	y := trY(l.v)
	c.StrokeLine2(l.style, c.Min.X, y, c.Max.X, y)
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

func (l *refLine) legendEntry() legendEntry {
	st := l.style
	return legendEntry{label: l.label, line: &st}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
