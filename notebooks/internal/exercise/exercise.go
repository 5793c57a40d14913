package exercise

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Blank is one marked blank of a code cell.
type Blank struct {
	Type   string // the answer's Go type; "" for a statement
	Text   string // the book's line, with ? where the gap is
	Uses   []string
	Answer string // the solution's code
}

// Call is the blank's Go call in the exercise.
func (b Blank) Call() string {
	typ := b.Type
	if typ == "" {
		typ = "any"
	}
	args := []string{strconv.Quote(b.Text)}
	args = append(args, b.Uses...)
	return fmt.Sprintf("blank[%s](%s)", typ, strings.Join(args, ", "))
}

const (
	open  = "/*blank"
	close = "*/"
	end   = "/*end*/"
)

// piece is a run of a cell's source: plain code, or a blank.
type piece struct {
	code  string
	blank *Blank
}

// parse splits src into plain code and blanks.
func parse(src string) ([]piece, error) {
	var out []piece
	for {
		i := strings.Index(src, open)
		if i < 0 {
			return append(out, piece{code: src}), nil
		}
		out = append(out, piece{code: src[:i]})
		rest := src[i+len(open):]
		var b Blank
		if strings.HasPrefix(rest, "[") {
			j := matchBracket(rest)
			if j < 0 {
				return nil, fmt.Errorf("unclosed [ in %q", firstLine(src[i:]))
			}
			b.Type, rest = rest[1:j], rest[j+1:]
		}
		j := strings.Index(rest, close)
		if j < 0 {
			return nil, fmt.Errorf("unclosed %s in %q", open, firstLine(src[i:]))
		}
		head := rest[:j]
		if text, uses, ok := strings.Cut(head, " @ "); ok {
			head = text
			for _, u := range strings.Split(uses, ",") {
				b.Uses = append(b.Uses, strings.TrimSpace(u))
			}
		}
		b.Text = strings.TrimSpace(head)
		rest = rest[j+len(close):]
		k := strings.Index(rest, end)
		if k < 0 {
			return nil, fmt.Errorf("blank %q has no %s", b.Text, end)
		}
		b.Answer = strings.TrimSuffix(strings.TrimPrefix(rest[:k], " "), " ")
		out = append(out, piece{blank: &b})
		src = rest[k+len(end):]
	}
}

// matchBracket returns the index of the ] that closes s[0] == '[', or -1.
func matchBracket(s string) int {
	depth := 0
	for i, r := range s {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// render joins pieces, writing each blank with f.
func render(ps []piece, f func(Blank) string) string {
	var b strings.Builder
	for _, p := range ps {
		if p.blank != nil {
			b.WriteString(f(*p.blank))
		} else {
			b.WriteString(p.code)
		}
	}
	return b.String()
}

// Blanks returns the blanks of a code cell's source, in order.
func Blanks(src string) ([]Blank, error) {
	ps, err := parse(src)
	if err != nil {
		return nil, err
	}
	var out []Blank
	for _, p := range ps {
		if p.blank != nil {
			out = append(out, *p.blank)
		}
	}
	return out, nil
}

// Exercise returns a code cell's source with each blank as its call.
func Exercise(src string) (string, error) {
	ps, err := parse(src)
	return render(ps, Blank.Call), err
}

// Strip returns a code cell's source with the markers removed: the answers.
func Strip(src string) (string, error) {
	ps, err := parse(src)
	return render(ps, func(b Blank) string { return b.Answer }), err
}

// Fill replaces, in order, the calls of blanks in an exercise cell's source
// with their answers; it fails when a call is not where the blanks say.
func Fill(src string, blanks []Blank) (string, error) {
	var b strings.Builder
	for _, bl := range blanks {
		i := strings.Index(src, bl.Call())
		if i < 0 {
			return "", fmt.Errorf("the exercise has no %s here", bl.Call())
		}
		b.WriteString(src[:i])
		b.WriteString(bl.Answer)
		src = src[i+len(bl.Call()):]
	}
	b.WriteString(src)
	return b.String(), nil
}

// Notebook is an .ipynb file as generic JSON, so that every field survives.
type Notebook map[string]any

// ReadNotebook decodes an .ipynb file.
func ReadNotebook(b []byte) (Notebook, error) {
	var nb Notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("exercise: notebook: %w", err)
	}
	return nb, nil
}

// Marshal encodes nb as Jupyter writes it: keys sorted, one-space indent, no
// HTML escaping, a final newline.
func (nb Notebook) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(map[string]any(nb)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Cells returns the notebook's cells.
func (nb Notebook) Cells() []map[string]any {
	raw, _ := nb["cells"].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, c := range raw {
		if m, ok := c.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// Source returns a cell's source as one string.
func Source(c map[string]any) string { return Multiline(c["source"]) }

// Multiline returns an nbformat multi-line string, stored as a string or a
// list of lines.
func Multiline(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		var b strings.Builder
		for _, l := range v {
			s, _ := l.(string)
			b.WriteString(s)
		}
		return b.String()
	}
	return ""
}

// SetSource stores src as a list of lines, as Jupyter does.
func SetSource(c map[string]any, src string) {
	lines := []any{}
	for src != "" {
		i := strings.IndexByte(src, '\n')
		if i < 0 {
			lines = append(lines, src)
			break
		}
		lines = append(lines, src[:i+1])
		src = src[i+1:]
	}
	c["source"] = lines
}

// IsCode reports whether c is a code cell.
func IsCode(c map[string]any) bool { return c["cell_type"] == "code" }

// ExerciseIntro is the markdown cell the exercise notebook starts with.
const ExerciseIntro = "**Exercise.** This is the chapter's notebook with the book's blanks. Each " +
	"`blank[type](\"the book's line\", ...)` stands for code to write: run unfilled, it stops its cell with " +
	"\"fill in the blank: the book's line\". Replace each call with Go code of that type (the variables " +
	"after the text are those the answer uses), then run the cells in order. The solution is " +
	"`ch6_proj34_qkv_activations.ipynb`; `notebooks/README.md` lists the blanks."

// transform returns a copy of nb with each code cell's source passed
// through f, outputs cleared.
func transform(nb Notebook, f func(string) (string, error)) (Notebook, error) {
	b, err := nb.Marshal()
	if err != nil {
		return nil, err
	}
	out, err := ReadNotebook(b) // a deep copy
	if err != nil {
		return nil, err
	}
	for i, c := range out.Cells() {
		if !IsCode(c) {
			continue
		}
		src, err := f(Source(c))
		if err != nil {
			return nil, fmt.Errorf("exercise: code cell %d (%q): %w", i, firstLine(Source(c)), err)
		}
		SetSource(c, src)
		c["outputs"] = []any{}
		c["execution_count"] = nil
	}
	return out, nil
}

// Generate returns the exercise notebook of a solution notebook: every
// blank as its call, outputs cleared, ExerciseIntro first.
func Generate(solution Notebook) (Notebook, error) {
	ex, err := transform(solution, Exercise)
	if err != nil {
		return nil, err
	}
	intro := map[string]any{"cell_type": "markdown", "id": "p34-exercise", "metadata": map[string]any{}}
	SetSource(intro, ExerciseIntro)
	ex["cells"] = append([]any{intro}, ex["cells"].([]any)...)
	return ex, nil
}

// Clean returns the solution notebook without its markers.
func Clean(solution Notebook) (Notebook, error) { return transform(solution, Strip) }

// FillNotebook fills the exercise's blanks with the solution's answers and
// drops ExerciseIntro: the result should equal Clean(solution).
func FillNotebook(exercise, solution Notebook) (Notebook, error) {
	var answers [][]Blank
	for _, c := range solution.Cells() {
		if IsCode(c) {
			bl, err := Blanks(Source(c))
			if err != nil {
				return nil, err
			}
			answers = append(answers, bl)
		}
	}
	k := 0
	filled, err := transform(exercise, func(src string) (string, error) {
		if k >= len(answers) {
			return "", fmt.Errorf("the exercise has more code cells than the solution")
		}
		k++
		return Fill(src, answers[k-1])
	})
	if err != nil {
		return nil, err
	}
	cells := filled["cells"].([]any)
	if len(cells) > 0 && Source(cells[0].(map[string]any)) == ExerciseIntro {
		filled["cells"] = cells[1:]
	}
	return filled, nil
}

// The notebooks' file names.
const (
	SolutionFile = "ch6_proj34_qkv_activations.ipynb"
	ExerciseFile = "ch6_proj34_qkv_activations_exercise.ipynb"
)

// GenerateFile returns the exercise notebook file of a solution notebook file.
func GenerateFile(solution []byte) ([]byte, error) {
	nb, err := ReadNotebook(solution)
	if err != nil {
		return nil, err
	}
	ex, err := Generate(nb)
	if err != nil {
		return nil, err
	}
	return ex.Marshal()
}
