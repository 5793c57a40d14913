// Package figures draws the nine figures of the chapter "[34] QKV activation
// characteristics": the book's eight (Part1 … Part5b) and Part 6's.
//
// Each figure is the book's plotting cell written with qkvlib/pyplot, the
// matplotlib-like API on gonum/plot, one short file per part:
//
//   - Part1: one layer's Q|K|V activations at the target as a heat map.
//   - Part2a, Part2b: descriptives of Q as bars; Q, K, V densities at the
//     target and non-target positions of one layer.
//   - Part3a, Part3b: the descriptives per layer (their average, and
//     non-target − target).
//   - Part4: the per-layer densities as images.
//   - Part5a, Part5b: one sequence's query vectors per head; the heads'
//     standard deviation per layer.
//   - Part6: Part 3b with bootstrap intervals as bands and filled markers where
//     the paired test of non-target − target is significant (Part6Cell).
//
// The figures take the chapter's arrays with any number of layers, sequences,
// embedding dimensions or heads; figure sizes and colour ranges are the book's.
// Inputs of the wrong length return an error, never a panic. Save a figure with
// its Save method (PNG at 300 dpi and SVG), or show its SVG in a notebook.
package figures
