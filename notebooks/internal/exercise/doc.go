// Package exercise makes the exercise notebook from the solution notebook
// and the side file notebooks/ex/blanks.json, and fills it back.
//
// The solution notebook has no markers: it reads like the book. The side
// file lists the exercise's steps in notebook order, each one cell of the
// solution (found by a marker text that only it holds) with:
//
//   - its blanks: the book's blank (as the book's exercise has it), the
//     answer (the solution's text, which must occur exactly once in the
//     cell, or once in a longer text "at" that occurs once), and the blank
//     that replaces it in the exercise, an nb.Blank call:
//     Blank[T]("the book's line → the Go to reach for", uses...);
//   - the texts to hide: the solution's comments that would give an answer
//     away (the book's line beside the Go), with what the exercise has
//     instead;
//   - the check line the exercise cell ends with, ex.Step.Check(...) (after a
//     %% line, which the generator adds to a cell without one);
//   - the hint, which ex.Step.Hint() prints.
//
// The exercise also imports the checks (package notebooks/ex, the side
// file's import line), opens with notebooks/ex/intro.md after the title (how
// to check, the cheat sheet) and has after each step's cell a cell with
// ex.Step.Hint() and ex.Step.Solution() commented out.
//
// Generate fails loudly when the side file does not fit the solution (an
// answer found twice or not at all, blanks out of order or overlapping).
// Fill is its inverse: the exercise with every blank filled with its answer,
// without the checks and the added cells, is the solution, byte for byte.
// go run ./notebooks/mkexercise writes the exercise and the README's table
// of blanks (Table); -check only compares.
package exercise
