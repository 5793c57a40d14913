package nb

import (
	"fmt"
	"os"
	"strings"
)

// Must returns v, or handles err: in a cell's body, it prints err as the
// cell's one failure line and ends the cell; in a top-level declaration it
// records err against the declaration and returns v (see the package doc).
func Must[T any](v T, err error) T {
	if err != nil {
		fail(err.Error())
	}
	return v
}

// Check handles err as Must does.
func Check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

// Blank stands for a gap of the exercise notebook: what is the book's line
// with "?" where the answer goes, uses the variables the answer is made of
// (Go refuses a variable that nothing uses). Unfilled, it fails as Must does
// with "fill in the blank: what", and returns T's zero value.
func Blank[T any](what string, uses ...any) T {
	fail("fill in the blank: " + what)
	var zero T
	return zero
}

// failure is a declaration that failed.
type failure struct {
	names []string // the variables it declares
	line  int      // its line in main.go
	msg   string
}

// failures are the declarations that failed in this program, in order.
var failures []failure

// fail records msg against the declaration being evaluated, or, in a body,
// prints it and ends the cell.
func fail(msg string) {
	if file, line, ok := initFrame(); ok {
		f := failure{names: []string{"a declaration"}, line: line, msg: msg}
		if d, err := declAt(file, line); err == nil {
			f.names, f.line = d.Names, d.Line
		}
		failures = append(failures, f)
		reportFailure(f)
		return
	}
	End(msg)
}

// End prints msg as the cell's one failure line and ends the cell (exit
// status 0: see the package doc).
func End(msg string) {
	fmt.Fprintln(os.Stderr, "✗ "+strings.TrimSpace(msg))
	os.Exit(0)
}
