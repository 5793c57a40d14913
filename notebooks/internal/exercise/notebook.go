package exercise

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Notebook is an .ipynb file, its fields in the order the notebooks store
// them (nbformat 4 as Python's json.dump(nb, indent=1, ensure_ascii=False)
// writes it), so that reading and writing a notebook gives back its bytes.
type Notebook struct {
	List          []*Cell         `json:"cells"`
	Metadata      json.RawMessage `json:"metadata"`
	NBFormat      int             `json:"nbformat"`
	NBFormatMinor int             `json:"nbformat_minor"`
}

// Cell is one cell of a notebook. Code cells have an execution count and
// outputs (null and [] in a tidy notebook); markdown cells have neither.
type Cell struct {
	CellType       string             `json:"cell_type"`
	ID             string             `json:"id,omitempty"`
	Metadata       json.RawMessage    `json:"metadata"`
	Source         Lines              `json:"source"`
	ExecutionCount json.RawMessage    `json:"execution_count,omitempty"`
	Outputs        *[]json.RawMessage `json:"outputs,omitempty"`
}

// Lines is an nbformat multi-line string: stored as a list of lines, each
// but the last ending in "\n" (a single string is read too).
type Lines string

// MarshalJSON writes s as its list of lines.
func (s Lines) MarshalJSON() ([]byte, error) {
	lines := []string{}
	for l := range strings.Lines(string(s)) {
		lines = append(lines, l)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(lines)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), err
}

// UnmarshalJSON reads a list of lines or a string.
func (s *Lines) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = Lines(one)
		return nil
	}
	var lines []string
	if err := json.Unmarshal(b, &lines); err != nil {
		return err
	}
	*s = Lines(strings.Join(lines, ""))
	return nil
}

// NewCode returns a tidy code cell (no outputs).
func NewCode(id, src string) *Cell {
	return &Cell{CellType: "code", ID: id, Metadata: json.RawMessage("{}"), Source: Lines(src),
		ExecutionCount: json.RawMessage("null"), Outputs: &[]json.RawMessage{}}
}

// NewMarkdown returns a markdown cell.
func NewMarkdown(id, src string) *Cell {
	return &Cell{CellType: "markdown", ID: id, Metadata: json.RawMessage("{}"), Source: Lines(src)}
}

// ReadNotebook decodes an .ipynb file.
func ReadNotebook(b []byte) (*Notebook, error) {
	var nb Notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("exercise: notebook: %w", err)
	}
	return &nb, nil
}

// Marshal encodes nb as the notebooks are stored: fields in order, one-space
// indent, no escaping of HTML or non-ASCII characters, a final newline.
func (nb *Notebook) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(nb); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Cells returns the notebook's cells.
func (nb *Notebook) Cells() []*Cell { return nb.List }

// clone returns a deep copy of nb.
func (nb *Notebook) clone() *Notebook {
	out := *nb
	out.List = make([]*Cell, len(nb.List))
	for i, c := range nb.List {
		cc := *c
		if c.Outputs != nil {
			outs := append([]json.RawMessage{}, *c.Outputs...)
			cc.Outputs = &outs
		}
		out.List[i] = &cc
	}
	return &out
}

// Source returns a cell's source.
func Source(c *Cell) string { return string(c.Source) }

// IsCode reports whether c is a code cell.
func IsCode(c *Cell) bool { return c.CellType == "code" }

// The notebooks' file names.
const (
	SolutionFile = "ch6_proj34_qkv_activations.ipynb"
	ExerciseFile = "ch6_proj34_qkv_activations_exercise.ipynb"
)
