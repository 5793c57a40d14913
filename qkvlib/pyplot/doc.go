// Package pyplot is a small matplotlib-like plotting API on gonum/plot, in the
// look of the book's matplotlib figures.
//
// The API follows pyplot's names and arguments, so that the book's plotting code
// reads line for line in Go:
//
//	fig, axs := pyplot.Subplots(1, 3, 12, 3)              // plt.subplots(1,3,figsize=(12,3))
//	axs[0][i].Plot(nil, ys, "gs-", pyplot.LineOpts{       // axs[i].plot(ys,'gs-',
//		MarkerFaceColor: pyplot.RGBA(.7, .9, .7, .7), //   markerfacecolor=[.7,.9,.7,.7],
//		Label:           "Q"})                         //   label='Q')
//	axs[0][i].Legend()                                    // axs[i].legend()
//	axs[0][i].Set(pyplot.AxesOpts{XLabel: "Transformer layer", XTicks: pyplot.Range(0, nLayers, 4)})
//	im := ax.Imshow(m, pyplot.ImageOpts{Vmin: -1, Vmax: 1, Aspect: "auto", Cmap: "plasma"})
//	fig.Colorbar(im, pyplot.ColorbarOpts{Pad: .01})
//	fig.Save(dir, "ch6_proj34_part1")                     // PNG at 300 dpi and SVG
//
// Keyword arguments become option structs, each named after what it configures
// with the suffix Opts: LineOpts (Plot, AxHLine, AxVLine), BarOpts, FillOpts
// (FillBetween), TextOpts, ImageOpts (Imshow, Pcolor), ColorbarOpts, LegendOpts
// and AxesOpts (Set). Their zero fields keep matplotlib's defaults; AxesOpts'
// slices distinguish nil (leave as is) from empty (none). A bad argument (an
// unknown format string, colour map or alignment) makes the figure's rendering
// return an error naming it.
//
// Lines, markers, bars and fills are gonum's plotter.Line, plotter.Scatter (with
// matplotlib's markers as a draw.GlyphDrawer), plotter.BarChart and
// plotter.Polygon, and legend handles are their plot.Thumbnailer; the grid is
// gonum's draw.Tiles; drawing, text, fonts and the PNG and SVG canvases are
// gonum/plot's. What gonum/plot does not offer, this package adds: matplotlib's
// look (top and right spines hidden, bold titles and axis labels, outward ticks,
// its colours, markers with a face and an edge), its AutoLocator ticks and
// ScalarFormatter labels, autoscaling with 5% margins and sticky edges, legends
// in a rounded frame placed as loc='best', colour bars taking room from their
// axes as fig.colorbar, tight_layout, images resampled to the output resolution
// as matplotlib does (cells larger than a pixel stay crisp, smaller ones are
// averaged), and the "plasma" colour map.
//
// Figure.SVG returns an SVG that a browser shows as the PNG: its root element
// scales down to the width of the page it is shown in (a notebook's output
// area), as matplotlib's inline figures do; texts keep their runs of spaces,
// name a font stack ending in sans-serif, and are anchored by their alignment,
// so that a viewer without Liberation Sans keeps right-aligned and centred
// labels where they belong. In a GoNB notebook, show a figure with
// gonbui.DisplaySVG(string(svg)).
package pyplot

//go:generate go run plasma_gen.go
