package ex

import (
	_ "embed"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"

	"github.com/qkvport/qkv/notebooks/internal/exercise"
	"github.com/qkvport/qkv/qkvlib/pyplot/plotdata"
)

//go:embed blanks.json
var sideFile []byte

// side is the parsed side file.
var side = sync.OnceValues(func() (*exercise.Side, error) { return exercise.ParseSide(sideFile) })

// Step is what every step has: its name in the side file, a hint and the
// solution.
type Step struct{ name string }

// Name returns the step's name, as the exercise writes it (ex.Name).
func (s Step) Name() string { return s.name }

func (s Step) spec() (exercise.Step, error) {
	sd, err := side()
	if err != nil {
		return exercise.Step{}, err
	}
	st, ok := sd.Step(s.name)
	if !ok {
		return exercise.Step{}, fmt.Errorf("ex: the side file has no step %s", s.name)
	}
	return st, nil
}

// Hint prints the step's hint.
func (s Step) Hint() { fmt.Fprint(stdout, s.hint()) }

func (s Step) hint() string {
	st, err := s.spec()
	if err != nil {
		return "✗ " + err.Error() + "\n"
	}
	return "Hint: " + st.Hint + "\n"
}

// Solution prints the answers of the step's blanks: for each, the book's
// line as a comment, then the Go that fills the blank.
func (s Step) Solution() { fmt.Fprint(stdout, s.solution()) }

func (s Step) solution() string {
	st, err := s.spec()
	if err != nil {
		return "✗ " + err.Error() + "\n"
	}
	var b strings.Builder
	b.WriteString("Solution (each blank: the book's line, then the Go that fills it):\n")
	for _, e := range st.Blanks {
		fmt.Fprintf(&b, "    // %s\n", e.Book)
		for l := range strings.Lines(e.Answer) {
			fmt.Fprintf(&b, "    %s\n", strings.TrimSpace(l))
		}
	}
	return b.String()
}

// Where the checks print: ✓ lines to stdout, ✗ lines to stderr (as the
// notebooks' other failure lines). Tests replace them.
var (
	stdout io.Writer = os.Stdout
	stderr io.Writer = os.Stderr
)

// verdict is what a check found: ok, and the line that says it.
type verdict struct {
	ok  bool
	msg string
}

func pass(format string, a ...any) verdict { return verdict{true, fmt.Sprintf(format, a...)} }
func fail(format string, a ...any) verdict { return verdict{false, fmt.Sprintf(format, a...)} }

// report prints v as the check's one line.
func report(v verdict) {
	if v.ok {
		fmt.Fprintln(stdout, "✓ "+v.msg)
		return
	}
	fmt.Fprintln(stderr, "✗ "+v.msg)
}

// Tolerance is the relative tolerance of the checks' comparisons of values:
// the activations are float32, summed in float64, so that the same
// computation in another order agrees to about 1e-7.
const Tolerance = 1e-6

// within says Tolerance in the checks' lines.
const within = "1e-6, relative"

// near reports whether a and b agree within Tolerance (relative to the
// larger), NaN only with NaN.
func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= Tolerance*math.Max(math.Abs(a), math.Abs(b))+1e-300
}

// nearAll reports whether a and b have the same length and agree value by
// value.
func nearAll(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !near(a[i], b[i]) {
			return false
		}
	}
	return true
}

// A Figure is a figure a check reads: *pyplot.Figure.
type Figure interface {
	Data() plotdata.Figure
}

// tokenName names token t of a window.
func tokenName(t int) string {
	switch t {
	case -1:
		return "the target token (-1)"
	case -2:
		return "the non-target token (-2)"
	}
	return fmt.Sprintf("token %d", t)
}

// g formats a value for a message.
func g(v float64) string { return fmt.Sprintf("%.6g", v) }

// ints formats a few ints: all of them when they are few, else the first
// and the last.
func ints(v []int) string {
	if len(v) <= 8 {
		return fmt.Sprint(v)
	}
	return fmt.Sprintf("[%d %d %d … %d] (%d)", v[0], v[1], v[2], v[len(v)-1], len(v))
}
