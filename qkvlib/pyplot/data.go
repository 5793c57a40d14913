package pyplot

import (
	"slices"

	"github.com/qkvport/qkv/qkvlib/pyplot/plotdata"
)

// Data returns what the figure shows as plain data: for each axes, row by
// row, its title, the lines of Plot (x and y as given), the positions of
// AxVLine and AxHLine and the matrices of Imshow and Pcolor. It reads a
// figure back, as matplotlib's ax.get_lines() and ax.get_images().
func (f *Figure) Data() plotdata.Figure {
	var fig plotdata.Figure
	for _, a := range f.Axes() {
		ax := plotdata.Axes{Title: a.title}
		for _, ar := range a.artists {
			switch ar := ar.(type) {
			case *series:
				ax.Lines = append(ax.Lines, plotdata.Line{Label: ar.label, Format: ar.format, X: slices.Clone(ar.x), Y: slices.Clone(ar.y)})
			case *refLine:
				if ar.vertical {
					ax.VLines = append(ax.VLines, ar.v)
				} else {
					ax.HLines = append(ax.HLines, ar.v)
				}
			case *raster:
				ax.Images = append(ax.Images, plotdata.Image{Kind: ar.kind, Rows: ar.rows, Cols: ar.cols, Data: slices.Clone(ar.data)})
			}
		}
		fig.Axes = append(fig.Axes, ax)
	}
	return fig
}
