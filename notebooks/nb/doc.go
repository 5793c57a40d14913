// Package nb is the notebooks' runtime under GoNB: Must and Check turn an
// error into one clear line, Show displays a figure and saves it, Blank is
// a gap of the exercise, and StartCell keeps a live kernel usable when a
// top-level declaration fails.
//
// # Declarations that fail
//
// GoNB compiles each cell into a program that holds every top-level
// declaration of the cells run so far, those of cells below included, and
// evaluates them all before the cell's body. A declaration that fails would
// fail every cell, the one that fixes it included. So in a declaration
// (var x = Must(...)), Must and Blank do not end the program: they record
// the failure against the declaration and return their value. Before the
// body runs, StartCell (called from the first cell's func init_nb) looks
// at which declarations the body uses, directly or through other
// declarations: if one of them failed, the cell prints one line naming it
// and why, and ends; otherwise the body runs as usual. In a body, Must,
// Check and Blank print their line and end the cell at once.
//
// Which declaration a failure belongs to, and which declarations the body
// uses, take parsing GoNB's main.go: notebooks/celldecls does it, run only
// when a declaration failed, so that the cells' programs do not link a Go
// parser (without $GONB_TMP_DIR/celldecls, a failure is named "a
// declaration" and the body runs).
//
// A failed cell ends with exit status 0, so that GoNB does not add its
// "exit status 1" twice; the line starts with "✗".
//
// Values that a failed declaration leaves behind are zero values, and the
// chapter's types (chapter.Activations, tensor's views) are safe to use
// empty, so the declarations below it do not panic.
package nb
