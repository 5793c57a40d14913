// Package ex is the exercise notebook's checks, as Kaggle Learn's
// (q1.check(), q1.hint(), q1.solution()). Each step of the exercise, one
// cell with the book's blanks, is a variable of this package:
//
//	ex.NEmb.Check(model, n_emb, n_layers) // the cell's last line
//	ex.NEmb.Hint()                        // in the cell below it
//	ex.NEmb.Solution()
//
// Check computes the reference from the inputs the cell used (passed in
// the call: the model, the tokens, the batch, the activations, a figure...)
// and prints one line: "✓ " and what it checked, or "✗ " and what is wrong
// and where, recognising the usual mistakes. Values are compared within
// a relative tolerance of 1e-6 (Tolerance). Hint prints the step's hint and
// Solution the answers of its blanks, both from the exercise's side file,
// blanks.json, embedded here, from which the exercise notebook is
// generated (go run ./notebooks/mkexercise).
//
// An unfilled blank (nb.Blank) stops its cell before the check runs, with
// the line "✗ ... fill in the blank: ...", which names it.
//
// Like the cells, this package links neither GoMLX nor the network client,
// nor the plotting packages: a figure is read through its Data method
// (pyplot.Figure.Data).
package ex
