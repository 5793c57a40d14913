package pyplot

import (
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TightLayout autoscales the axes and lays them out as matplotlib's
// tight_layout(): every grid cell the same size (gonum's draw.Tiles), the
// figure margins the widest decorations of the outer rows and columns plus 1.08
// font sizes, and one gap between columns (rows) wide enough for the widest pair
// of facing decorations plus the same pad. Drawing the figure does it; call it
// to read the axes' Position and TightBBox beforehand.
func (f *Figure) TightLayout() {
	rows, cols := len(f.grid), 0
	for _, r := range f.grid {
		cols = max(cols, len(r))
	}
	if rows == 0 || cols == 0 {
		return
	}
	for _, a := range f.Axes() {
		a.autoscale()
	}
	page := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: f.Width, Y: f.Height}}}
	// Start from matplotlib's default subplot parameters, then refine twice: the
	// decorations barely depend on the cell size.
	w, h := f.Width, f.Height
	t := draw.Tiles{Rows: rows, Cols: cols, PadLeft: 0.125 * w, PadRight: 0.1 * w, PadBottom: 0.11 * h, PadTop: 0.12 * h}
	t.PadX, t.PadY = 0.2*(w-t.PadLeft-t.PadRight)/vg.Length(cols), 0.2*(h-t.PadBottom-t.PadTop)/vg.Length(rows)
	place := func() {
		for i, r := range f.grid {
			for j, a := range r {
				if a != nil {
					r := t.At(page, j, i).Rectangle
					r.Max = vg.Point{X: max(r.Max.X, r.Min.X+1), Y: max(r.Max.Y, r.Min.Y+1)}
					a.place(r)
				}
			}
		}
	}
	for range 3 {
		decoL, decoR := make([]vg.Length, cols), make([]vg.Length, cols) // reach of decorations past each cell side
		decoB, decoT := make([]vg.Length, rows), make([]vg.Length, rows)
		place()
		for i, r := range f.grid {
			for j, a := range r {
				if a == nil {
					continue
				}
				e := a.TightBBox()
				decoL[j] = max(decoL[j], a.cell.Min.X-e.Min.X)
				decoR[j] = max(decoR[j], e.Max.X-a.cell.Max.X)
				decoB[i] = max(decoB[i], a.cell.Min.Y-e.Min.Y)
				decoT[i] = max(decoT[i], e.Max.Y-a.cell.Max.Y)
			}
		}
		t.PadLeft, t.PadRight = decoL[0]+layoutPad, decoR[cols-1]+layoutPad
		t.PadTop, t.PadBottom = decoT[0]+layoutPad, decoB[rows-1]+layoutPad
		t.PadX, t.PadY = 0, 0
		for j := 1; j < cols; j++ {
			t.PadX = max(t.PadX, decoR[j-1]+decoL[j])
		}
		for i := 1; i < rows; i++ {
			t.PadY = max(t.PadY, decoB[i-1]+decoT[i])
		}
		t.PadX += layoutPad
		t.PadY += layoutPad
	}
	place()
}
