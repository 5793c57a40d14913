// Package plotdata is what a pyplot figure shows, as plain data
// (pyplot.Figure.Data), for reading a figure back, as matplotlib's
// ax.get_lines() and ax.get_images() do, without linking the plotting
// packages: the notebooks' exercise checks a figure's data with it.
package plotdata

// Figure is what a figure shows: its axes, row by row (fig.axes).
type Figure struct {
	Axes []Axes
}

// Axes is what one axes shows.
type Axes struct {
	Title  string
	Lines  []Line    // Plot's lines, in the order drawn
	VLines []float64 // AxVLine's x, in the order drawn
	HLines []float64 // AxHLine's y
	Images []Image   // Imshow's and Pcolor's matrices
}

// Line is one Plot: its x and y as given (x 0, 1, … when Plot had nil),
// its format string and label.
type Line struct {
	Label, Format string
	X, Y          []float64
}

// Image is the matrix of one Imshow or Pcolor, as given: Rows × Cols values,
// row-major.
type Image struct {
	Kind       string // "imshow" or "pcolor"
	Rows, Cols int
	Data       []float64
}

// At returns element [i, j].
func (m Image) At(i, j int) float64 { return m.Data[i*m.Cols+j] }
