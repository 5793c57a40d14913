// Package exercise turns the solution notebook into the exercise notebook.
//
// In the solution's code cells, a blank is marked as
//
//	/*blank[TYPE] the book's line @ a, b*/ answer /*end*/
//
// and becomes, in the exercise, the call
//
//	blank[TYPE]("the book's line", a, b)
//
// which compiles where the answer did (TYPE is the answer's type) and, run,
// ends the cell with "fill in the blank: the book's line". "@ a, b" lists the
// variables the answer uses, optional: Go refuses a variable nothing uses.
// Without [TYPE], the blank is a whole statement and becomes blank[any](...).
// The solution notebook itself shows the markers as comments.
package exercise
