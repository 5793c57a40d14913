// Package figures draws the eight figures of the book chapter "[34] QKV activation
// characteristics" with gonum/plot, in the look of the book's matplotlib figures:
// top and right spines hidden, bold titles and axis labels, matplotlib's default
// colours, markers, tick locator, legend placement and tight layout, and the
// "plasma" colour map.
//
// Every figure is a function of plain arrays (the package knows nothing of GoMLX)
// that returns a *Figure, which writes itself as PNG (300 dpi by default) or SVG,
// and saves both side by side. In a GoNB notebook, display the bytes of
// Figure.SVG or Figure.PNG.
//
// The functions take the chapter's arrays with any number of layers, sequences,
// embedding dimensions or heads; figure sizes and colour ranges are the book's.
// Inputs of the wrong length return an error, never a panic.
package figures
