package exercise

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/token"
	"strings"
)

// Side is the side file (notebooks/ex/blanks.json): what turns the solution
// notebook into the exercise.
type Side struct {
	// Import is the line that imports the checks, and where it goes.
	Import Import `json:"import"`
	// Steps are the exercise's steps in notebook order, one per cell with
	// blanks.
	Steps []Step `json:"steps"`
}

// Import inserts Line before the line Before of the cell that holds Cell.
type Import struct {
	Cell   string `json:"cell"`
	Before string `json:"before"`
	Line   string `json:"line"`
}

// Step is one cell of the exercise: its blanks and the check it ends with.
type Step struct {
	// Name is the step's variable in package ex: ex.Name.Check(...).
	Name string `json:"name"`
	// Cell is a marker: a text only this cell of the solution holds.
	Cell string `json:"cell"`
	// Blanks are the cell's blanks, in the order of the cell's text.
	Blanks []Edit `json:"blanks"`
	// Hide are texts of the solution cell that would give an answer away
	// (the book's line in a comment), and what the exercise has instead.
	Hide []Edit `json:"hide,omitempty"`
	// Check is the line the exercise cell ends with (after a %% line, which
	// the generator adds when the cell has none).
	Check string `json:"check"`
	// Hint is what ex.Name.Hint() prints.
	Hint string `json:"hint"`
}

// Edit is one text of a solution cell and what replaces it in the exercise.
type Edit struct {
	// Book is the book's blank, as the book's exercise notebook has it
	// (blanks only).
	Book string `json:"book,omitempty"`
	// Answer is the solution's text. It occurs exactly once in the cell, or,
	// when At is given, exactly once in At, which occurs exactly once in the
	// cell.
	Answer string `json:"answer"`
	At     string `json:"at,omitempty"`
	// Blank replaces Answer in the exercise: a blank's nb.Blank call
	// (Blank[T]("the book's line → the Go to reach for", uses...)).
	Blank string `json:"blank"`
}

// at returns the text that locates e in the solution and in the exercise.
func (e Edit) at() (solution, exercise string) {
	at := e.At
	if at == "" {
		at = e.Answer
	}
	return at, strings.Replace(at, e.Answer, e.Blank, 1)
}

// ParseSide decodes a side file and checks that it is well formed: step
// names are Go identifiers, each check calls its step, each blank has the
// book's line, and no field is missing.
func ParseSide(b []byte) (*Side, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var s Side
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("exercise: side file: %w", err)
	}
	if s.Import.Cell == "" || s.Import.Before == "" || s.Import.Line == "" {
		return nil, fmt.Errorf("exercise: side file: import needs cell, before and line")
	}
	names := map[string]bool{}
	for i, st := range s.Steps {
		where := fmt.Sprintf("exercise: side file: step %d (%s)", i, st.Name)
		switch {
		case !token.IsIdentifier(st.Name) || !token.IsExported(st.Name):
			return nil, fmt.Errorf("%s: the name must be an exported Go identifier", where)
		case names[st.Name]:
			return nil, fmt.Errorf("%s: two steps have this name", where)
		case st.Cell == "":
			return nil, fmt.Errorf("%s: no cell marker", where)
		case len(st.Blanks) == 0:
			return nil, fmt.Errorf("%s: no blank", where)
		case !strings.HasPrefix(st.Check, "ex."+st.Name+".Check(") || strings.Contains(st.Check, "\n"):
			return nil, fmt.Errorf("%s: the check must be one line calling ex.%s.Check(...), not %q", where, st.Name, st.Check)
		case st.Hint == "":
			return nil, fmt.Errorf("%s: no hint", where)
		}
		names[st.Name] = true
		for j, e := range st.Blanks {
			if e.Book == "" || e.Answer == "" || e.Blank == "" {
				return nil, fmt.Errorf("%s: blank %d needs book, answer and blank", where, j)
			}
		}
		for j, e := range st.Hide {
			if e.Book != "" || e.Answer == "" {
				return nil, fmt.Errorf("%s: hide %d needs an answer (the hidden text) and no book", where, j)
			}
		}
	}
	return &s, nil
}

// Step returns the step of the given name.
func (s *Side) Step(name string) (Step, bool) {
	for _, st := range s.Steps {
		if st.Name == name {
			return st, true
		}
	}
	return Step{}, false
}
