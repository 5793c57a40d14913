// Package figures is a small matplotlib-like plotting API on gonum/plot, in the
// look of the book's matplotlib figures, and the figures of the chapter
// "[34] QKV activation characteristics" written with it (the book's eight and
// Part 6's).
//
// The API follows pyplot's names and arguments, so that the book's plotting code
// reads line for line in Go:
//
//	fig, axs := figures.Subplots(1, 3, 12, 3)             // plt.subplots(1,3,figsize=(12,3))
//	axs[0][i].Plot(nil, ys, "gs-", figures.Line{          // axs[i].plot(ys,'gs-',
//		MarkerFaceColor: figures.RGBA(.7, .9, .7, .7), //   markerfacecolor=[.7,.9,.7,.7],
//		Label:           "Q"})                         //   label='Q')
//	axs[0][i].Legend()
//	axs[0][i].Set(figures.Props{XLabel: "Transformer layer", XTicks: figures.Range(0, nLayers, 4)})
//	im := ax.Imshow(m, figures.ImageOpts{Vmin: -1, Vmax: 1, Aspect: "auto", Cmap: "plasma"})
//	fig.Colorbar(im, figures.ColorbarOpts{Pad: .01})
//	fig.Save(dir, "ch6_proj34_part1")                     // PNG at 300 dpi and SVG
//
// Keyword arguments become option structs whose zero fields keep matplotlib's
// defaults; Props' slices distinguish nil (leave as is) from empty (none). A bad
// argument (an unknown format string, colour map or alignment) makes the
// figure's rendering return an error naming it.
//
// What gonum/plot does not offer, and this package adds: matplotlib's look
// (top and right spines hidden, bold titles and axis labels, outward ticks, its
// colours, markers with a face and an edge), its AutoLocator ticks and
// ScalarFormatter labels, autoscaling with 5% margins and sticky edges, legends
// placed as loc='best' in a rounded frame, colour bars taking room from their
// axes as fig.colorbar, tight_layout, and the "plasma" colour map. Images are
// resampled to the output resolution as matplotlib does (cells larger than a
// pixel stay crisp, smaller ones are averaged). Drawing, text, fonts and the PNG
// and SVG canvases are gonum/plot's.
//
// Figure.SVG returns an SVG whose root element scales down to the width of the
// page it is shown in (a notebook's output area), as matplotlib's inline figures
// do. In a GoNB notebook, show a figure with gonbui.DisplaySVG(string(svg)).
//
// The chapter's figures (Part1 … Part5b) take the chapter's arrays with any
// number of layers, sequences, embedding dimensions or heads; figure sizes and
// colour ranges are the book's. Inputs of the wrong length return an error, never
// a panic.
package figures
