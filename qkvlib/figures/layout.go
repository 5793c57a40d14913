package figures

import (
	"gonum.org/v1/plot/vg"
)

// tightLayout places a grid of axes (row 0 on top; nil cells stay empty) in a
// w×h figure as matplotlib's tight_layout(): every cell the same size, the figure
// margins the widest decorations of the outer rows and columns plus 1.08 font
// sizes, and one gap between columns (rows) wide enough for the widest pair of
// facing decorations plus the same pad. It autoscales the axes first.
func tightLayout(w, h vg.Length, grid [][]*Axes) {
	rows := len(grid)
	cols := 0
	for _, r := range grid {
		cols = max(cols, len(r))
	}
	if rows == 0 || cols == 0 {
		return
	}
	for _, r := range grid {
		for _, a := range r {
			if a != nil {
				a.autoscale()
			}
		}
	}
	// Start from matplotlib's default subplot parameters, then refine twice: the
	// decorations barely depend on the cell size.
	left, right := 0.125*w, 0.1*w
	bottom, top := 0.11*h, 0.12*h
	hgap, vgap := 0.2*(w-left-right)/vg.Length(cols), 0.2*(h-bottom-top)/vg.Length(rows)
	for range 3 {
		cw := (w - left - right - vg.Length(cols-1)*hgap) / vg.Length(cols)
		ch := (h - bottom - top - vg.Length(rows-1)*vgap) / vg.Length(rows)
		if cw <= 0 || ch <= 0 {
			cw, ch = max(cw, 1), max(ch, 1)
		}
		decoL := make([]vg.Length, cols) // reach of decorations past each cell side
		decoR := make([]vg.Length, cols)
		decoB := make([]vg.Length, rows)
		decoT := make([]vg.Length, rows)
		for i, r := range grid {
			for j, a := range r {
				if a == nil {
					continue
				}
				x0 := left + vg.Length(j)*(cw+hgap)
				y1 := h - top - vg.Length(i)*(ch+vgap)
				cell := vg.Rectangle{Min: vg.Point{X: x0, Y: y1 - ch}, Max: vg.Point{X: x0 + cw, Y: y1}}
				a.place(cell)
				e := a.extent()
				decoL[j] = max(decoL[j], cell.Min.X-e.Min.X)
				decoR[j] = max(decoR[j], e.Max.X-cell.Max.X)
				decoB[i] = max(decoB[i], cell.Min.Y-e.Min.Y)
				decoT[i] = max(decoT[i], e.Max.Y-cell.Max.Y)
			}
		}
		left, right = decoL[0]+layoutPad, decoR[cols-1]+layoutPad
		top, bottom = decoT[0]+layoutPad, decoB[rows-1]+layoutPad
		hgap, vgap = 0, 0
		for j := 1; j < cols; j++ {
			hgap = max(hgap, decoR[j-1]+decoL[j])
		}
		for i := 1; i < rows; i++ {
			vgap = max(vgap, decoB[i-1]+decoT[i])
		}
		hgap += layoutPad
		vgap += layoutPad
	}
	cw := (w - left - right - vg.Length(cols-1)*hgap) / vg.Length(cols)
	ch := (h - bottom - top - vg.Length(rows-1)*vgap) / vg.Length(rows)
	cw, ch = max(cw, 1), max(ch, 1)
	for i, r := range grid {
		for j, a := range r {
			if a != nil {
				x0 := left + vg.Length(j)*(cw+hgap)
				y1 := h - top - vg.Length(i)*(ch+vgap)
				a.place(vg.Rectangle{Min: vg.Point{X: x0, Y: y1 - ch}, Max: vg.Point{X: x0 + cw, Y: y1}})
			}
		}
	}
}
