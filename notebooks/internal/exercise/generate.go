package exercise

import (
	"fmt"
	"slices"
	"strings"
)

// IntroID is the id of the markdown cell the exercise adds after the title.
const IntroID = "ex-intro"

// HintID returns the id of the cell the exercise adds after a step's cell,
// whose commented lines ask for the hint and the solution.
func HintID(cellID string) string { return cellID + "-hint" }

// HintSource is the source of a step's hint cell: its lines, uncommented,
// print the hint and the solution.
func HintSource(step string) string {
	return fmt.Sprintf("%%%%\n// ex.%s.Hint()\n// ex.%s.Solution()", step, step)
}

// stepCell returns the index of the only code cell of cells that holds marker.
func stepCell(cells []*Cell, marker string) (int, error) {
	found := -1
	for i, c := range cells {
		if IsCode(c) && strings.Contains(Source(c), marker) {
			if found >= 0 {
				return -1, fmt.Errorf("exercise: two code cells hold %q", marker)
			}
			found = i
		}
	}
	if found < 0 {
		return -1, fmt.Errorf("exercise: no code cell holds %q", marker)
	}
	return found, nil
}

// edit is an Edit located in a solution cell.
type edit struct {
	Edit
	pos   int // of at in the solution cell
	blank bool
}

// exerciseSource returns a step's exercise cell from its solution cell:
// each blank and hidden text replaced, the check appended.
func (st Step) exerciseSource(src string) (string, error) {
	var edits []edit
	for i, e := range append(slices.Clone(st.Blanks), st.Hide...) {
		at, _ := e.at()
		if n := strings.Count(src, at); n != 1 {
			return "", fmt.Errorf("exercise: step %s: %q occurs %d times in its cell, want once", st.Name, at, n)
		}
		if n := strings.Count(at, e.Answer); n != 1 {
			return "", fmt.Errorf("exercise: step %s: the answer %q occurs %d times in %q, want once", st.Name, e.Answer, n, at)
		}
		isBlank := i < len(st.Blanks)
		if isBlank && !strings.Contains(e.Blank, "Blank[") {
			return "", fmt.Errorf("exercise: step %s: blank %q is no Blank[T](...) call", st.Name, e.Blank)
		}
		edits = append(edits, edit{e, strings.Index(src, at) + strings.Index(at, e.Answer), isBlank})
	}
	for i := 1; i < len(st.Blanks); i++ {
		if edits[i].pos < edits[i-1].pos {
			return "", fmt.Errorf("exercise: step %s: blank %q comes before %q in the cell: list the blanks in the cell's order", st.Name, edits[i].Answer, edits[i-1].Answer)
		}
	}
	slices.SortFunc(edits, func(a, b edit) int { return a.pos - b.pos })
	var b strings.Builder
	last := 0
	for _, e := range edits {
		if e.pos < last {
			return "", fmt.Errorf("exercise: step %s: %q overlaps another blank", st.Name, e.Answer)
		}
		b.WriteString(src[last:e.pos])
		b.WriteString(e.Blank)
		last = e.pos + len(e.Answer)
	}
	b.WriteString(src[last:])
	ex := b.String()
	for _, e := range edits {
		if _, atEx := e.at(); strings.Count(ex, atEx) != 1 {
			return "", fmt.Errorf("exercise: step %s: %q occurs %d times in the exercise cell, want once (to fill it back)", st.Name, atEx, strings.Count(ex, atEx))
		}
	}
	if !strings.Contains(ex, st.Cell) {
		return "", fmt.Errorf("exercise: step %s: the marker %q is gone from the exercise cell", st.Name, st.Cell)
	}
	return ex + st.checkSuffix(src), nil
}

// checkSuffix is what the exercise appends to a step's cell: its check,
// after a %% line when the cell has none.
func (st Step) checkSuffix(src string) string {
	if hasBody(src) {
		return "\n" + st.Check
	}
	return "\n\n%%\n" + st.Check
}

// hasBody reports whether a cell has a %% line.
func hasBody(src string) bool {
	for l := range strings.Lines(src) {
		if strings.TrimSpace(l) == "%%" {
			return true
		}
	}
	return false
}

// FillBlanks returns an exercise cell's source with its first len(answers)
// blanks filled with answers, in order (the others and the hidden texts
// stay), e.g. the step's own answers, or a wrong one.
func (st Step) FillBlanks(src string, answers ...string) (string, error) {
	if len(answers) > len(st.Blanks) {
		return "", fmt.Errorf("exercise: step %s has %d blanks, not %d", st.Name, len(st.Blanks), len(answers))
	}
	for i, a := range answers {
		e := st.Blanks[i]
		at, atEx := e.at()
		if strings.Count(src, atEx) != 1 {
			return "", fmt.Errorf("exercise: step %s: the cell does not hold %q once", st.Name, atEx)
		}
		src = strings.Replace(src, atEx, strings.Replace(at, e.Answer, a, 1), 1)
	}
	return src, nil
}

// Answers returns the step's answers, in order.
func (st Step) Answers() []string {
	var out []string
	for _, e := range st.Blanks {
		out = append(out, e.Answer)
	}
	return out
}

// Generate returns the exercise notebook of a solution notebook: each step's
// cell with its blanks, its hidden texts and its check, a hint cell after
// it, the import of the checks, and intro (markdown) after the first cell;
// code cells without outputs.
func Generate(solution *Notebook, side *Side, intro string) (*Notebook, error) {
	ex := solution.clone()
	for _, c := range ex.List {
		if IsCode(c) {
			tidy := NewCode(c.ID, Source(c))
			c.ExecutionCount, c.Outputs = tidy.ExecutionCount, tidy.Outputs
		}
	}
	i, err := stepCell(ex.List, side.Import.Cell)
	if err != nil {
		return nil, err
	}
	src := Source(ex.List[i])
	at := lineStart(src, side.Import.Before)
	if at < 0 {
		return nil, fmt.Errorf("exercise: import: no line of its cell holds %q once", side.Import.Before)
	}
	ex.List[i].Source = Lines(src[:at] + side.Import.Line + "\n" + src[at:])

	hints := map[int]string{} // cell index → step
	for _, st := range side.Steps {
		i, err := stepCell(solution.List, st.Cell)
		if err != nil {
			return nil, fmt.Errorf("%w (step %s)", err, st.Name)
		}
		if _, dup := hints[i]; dup {
			return nil, fmt.Errorf("exercise: steps %s and %s are in one cell", hints[i], st.Name)
		}
		hints[i] = st.Name
		src, err := st.exerciseSource(Source(ex.List[i]))
		if err != nil {
			return nil, err
		}
		ex.List[i].Source = Lines(src)
	}
	var cells []*Cell
	for i, c := range ex.List {
		cells = append(cells, c)
		if i == 0 {
			cells = append(cells, NewMarkdown(IntroID, strings.TrimSpace(intro)))
		}
		if st, ok := hints[i]; ok {
			cells = append(cells, NewCode(HintID(c.ID), HintSource(st)))
		}
	}
	ex.List = cells
	return ex, nil
}

// lineStart returns where the only line of src that holds s starts, or -1.
func lineStart(src, s string) int {
	start, found := 0, -1
	for l := range strings.Lines(src) {
		if strings.Contains(l, s) {
			if found >= 0 {
				return -1
			}
			found = start
		}
		start += len(l)
	}
	return found
}

// Fill returns the exercise with every blank filled with its answer and each
// hidden text back, without the checks, the hint cells, the import of the
// checks and the intro: the solution notebook.
func Fill(exercise *Notebook, side *Side) (*Notebook, error) {
	sol := exercise.clone()
	drop := map[string]bool{IntroID: true}
	for _, st := range side.Steps {
		i, err := stepCell(sol.List, st.Cell)
		if err != nil {
			return nil, fmt.Errorf("%w (step %s)", err, st.Name)
		}
		c := sol.List[i]
		drop[HintID(c.ID)] = true
		src := Source(c)
		if !strings.HasSuffix(src, "\n"+st.Check) {
			return nil, fmt.Errorf("exercise: step %s: the cell does not end with its check %q", st.Name, st.Check)
		}
		src = strings.TrimSuffix(src, "\n"+st.Check)
		if rest, ok := strings.CutSuffix(src, "\n\n%%"); ok && !hasBody(rest) {
			src = rest
		}
		for _, e := range append(slices.Clone(st.Blanks), st.Hide...) {
			at, atEx := e.at()
			if strings.Count(src, atEx) != 1 {
				return nil, fmt.Errorf("exercise: step %s: the cell does not hold %q once", st.Name, atEx)
			}
			src = strings.Replace(src, atEx, at, 1)
		}
		c.Source = Lines(src)
	}
	i, err := stepCell(sol.List, side.Import.Cell)
	if err != nil {
		return nil, err
	}
	src := Source(sol.List[i])
	if strings.Count(src, side.Import.Line+"\n") != 1 {
		return nil, fmt.Errorf("exercise: the import cell does not hold %q once", side.Import.Line)
	}
	sol.List[i].Source = Lines(strings.Replace(src, side.Import.Line+"\n", "", 1))
	var cells []*Cell
	for _, c := range sol.List {
		if !drop[c.ID] {
			cells = append(cells, c)
		}
	}
	sol.List = cells
	return sol, nil
}

// GenerateFile returns the exercise notebook file of a solution notebook
// file.
func GenerateFile(solution []byte, side *Side, intro string) ([]byte, error) {
	nb, err := ReadNotebook(solution)
	if err != nil {
		return nil, err
	}
	ex, err := Generate(nb, side, intro)
	if err != nil {
		return nil, err
	}
	return ex.Marshal()
}
