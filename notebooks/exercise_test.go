package notebooks

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/qkvport/qkv/notebooks/internal/exercise"
)

// TestCommittedExercise checks that the committed exercise notebook and the
// README's table of blanks are the ones mkexercise generates, that the
// notebooks are stored tidy (no outputs, every cell with an id), that the
// solution has no blank left, and that filling the exercise's blanks with the
// answers (dropping the checks and the cells the exercise adds) gives the
// solution notebook back, byte for byte.
func TestCommittedExercise(t *testing.T) {
	files, err := exercise.Files(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		got, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, f.Want) {
			t.Errorf("%s is not the generated one: run go run ./notebooks/mkexercise", f.Path)
		}
	}
	src, err := exercise.Load(".")
	if err != nil {
		t.Fatal(err)
	}
	solBytes, _ := os.ReadFile(exercise.SolutionFile)
	exBytes, _ := os.ReadFile(exercise.ExerciseFile)
	for name, b := range map[string][]byte{exercise.SolutionFile: solBytes, exercise.ExerciseFile: exBytes} {
		nb, err := exercise.ReadNotebook(b)
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := nb.Marshal(); !bytes.Equal(again, b) {
			t.Errorf("%s is not stored as the notebooks are (json.dump(nb, indent=1, ensure_ascii=False)): read and written again it differs", name)
		}
		for _, c := range nb.Cells() {
			if c.ID == "" || (exercise.IsCode(c) && (string(c.ExecutionCount) != "null" || c.Outputs == nil || len(*c.Outputs) != 0)) {
				t.Errorf("%s: cell %q is not tidy: an id, no outputs, no execution count", name, c.ID)
			}
			if name == exercise.SolutionFile && (strings.Contains(exercise.Source(c), "Blank[") || strings.Contains(exercise.Source(c), "/*blank")) {
				t.Errorf("%s: cell %q holds a blank", name, c.ID)
			}
		}
	}
	ex, _ := exercise.ReadNotebook(exBytes)
	filled, err := exercise.Fill(ex, src.Side)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := filled.Marshal(); !bytes.Equal(b, solBytes) {
		t.Errorf("the exercise filled with the answers is not %s", exercise.SolutionFile)
	}
	n := 0
	for _, st := range src.Side.Steps {
		n += len(st.Blanks)
	}
	if n < 60 {
		t.Errorf("the exercise has %d blanks; the book's has about 70", n)
	}
}

// blankText returns what an nb.Blank call says when it stops a cell: its
// first argument, unquoted.
func blankText(t *testing.T, call string) string {
	m := regexp.MustCompile(`Blank\[[^(]*\]\(("(?:[^"\\]|\\.)*")`).FindStringSubmatch(call)
	if m == nil {
		t.Fatalf("%q holds no Blank call", call)
	}
	s, err := strconv.Unquote(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// wrongAnswer is a usual mistake in one blank, and what the cell's check
// must say about it.
type wrongAnswer struct {
	step   string
	blank  int
	answer string
	want   string
}

// wrongAnswers are the usual mistakes, across the five parts, for the test
// model (8 layers, n_emb 64, 4 heads), The Great Gatsby and " like".
var wrongAnswers = []wrongAnswer{
	{"NEmb", 0, "model.Config.NHeads", "n_emb is 4, model.Config.NHeads: the number of embedding dimensions is model.Config.NEmb"},
	{"TargetIdx", 0, `"like"`, `target_word is "like": " like" and "like" are different GPT-2 tokens (588 and 2339)`},
	{"Filter", 1, "true", "keeps positions < contextwin: a target needs contextwin tokens before it"},
	{"Batch", 0, "tokens[target_idx[i]-contextwin : target_idx[i]]", "every row of batch must end on target_id 588; row 0 ends on 1254: a window is tokens[i-contextwin : i+1]"},
	{"Examples", 0, "batch[i][:10]", "example(0) is the first 10 tokens of row 0; the book decodes the last 10"},
	{"Part1", 0, "Must(activations.Layer(layeri)).Token(-2)", "the image is the non-target token (-2) of layer 6; Part 1 shows the target, [:,-1,:]: .Token(-1)"},
	{"Part2a", 2, "Q.Token(-1).Mean(1).Mean()", "qMeans_t[2] is the arithmetic mean of the target token (-1), not the variance: torch.var(x,dim=1).mean() is x.Var(1).Mean()"},
	{"Part2a", 3, "[]float64{Q.Token(0).Mean(1).Mean(), Q.Token(0).Abs().Mean(1).Mean(), Q.Token(0).Var(1).Mean()}", "qMeans_n[0] is the arithmetic mean of token 0, not of the non-target token (-2): that is X.Token(-2)"},
	{"Part2b", 0, "false", `the line "Q target" is counts, not a density: density=true`},
	{"Descriptives", 5, "descriptives.SetSlice(T[:], layeri, 1, tensor.All, 0)", "descriptives[:,1,:,0] (K, target) holds V's target values"},
	{"Part3a", 0, "descriptives.Slice(tensor.All, 0, i, tensor.All).Diff(-1).Data()", `panel "Arithmetic mean"'s line Q is non-target minus target, .Diff(-1): Part 3b's`},
	{"CalculateHists", 0, "tensor.Histogram(X.Token(-2).Flatten(), edges, true)", "calculateHists(Q)'s yt is the histogram of the non-target token (-2); it should be of the target token (-1)"},
	{"Part4", 0, "histograms.Slice(tensor.All, i, tensor.All, 1)", `panel "Target Q" shows histograms[:,0,:,1] (Q, non-target)`},
	{"Heads", 0, "model.Config.NLayers", "n_heads is 8, model.Config.NLayers: the number of heads is model.Config.NHeads"},
	{"Qh", 0, "Q.View(len(target_idx), contextwin+1, head_dim, n_heads)", "Qh is [114 51 16 4]: the heads come before their dimensions"},
	{"Part5b", 0, "Must(activations.Layer(6))", "head_stdevs holds layer 6's values in every layer: split activations.Layer(layeri) inside the loop"},
}

// run is one cell the exercise test runs, and what it must print.
type run struct {
	what  string
	src   string
	check func(r result) error
	show  bool // log its last line
}

// TestExercise drives one GoNB kernel through the exercise as a learner
// does: Run All unfilled (each cell with a blank, or using one, says one ✗
// line, nothing panics, GPT-2 does not run); a hint and the solution asked
// for with the blanks unfilled; then, cell by cell in order, the usual wrong
// answers (each gets its own message), then the blanks filled one by one
// (until the last, the cell says which blank of its own to fill; then ✓;
// the capture cell runs GPT-2, once in all); and last the filled cells again,
// which must print what they printed while the cells below were unfilled.
func TestExercise(t *testing.T) {
	e := newTestEnv(t)
	src, err := exercise.Load(".")
	if err != nil {
		t.Fatal(err)
	}
	cells := codeCells(t, exercise.ExerciseFile)
	runs := unfilledRuns(t, cells)
	unfilled := len(runs)
	fills, filledAt := fillingRuns(t, cells, src.Side.Steps)
	for name, i := range filledAt {
		filledAt[name] = unfilled + i
	}
	runs = append(runs, fills...)
	againAt := len(runs)
	for _, st := range src.Side.Steps {
		r := runs[filledAt[st.Name]]
		runs = append(runs, run{st.Name + ", again with every blank filled", r.src, passes, false})
	}

	var srcs []string
	for _, r := range runs {
		srcs = append(srcs, r.src)
	}
	k := &kernel{t: t, env: e.env, dir: t.TempDir()}
	rs := k.run(srcs)
	t.Logf("Run All unfilled: %s", timing(rs[:unfilled]))
	t.Logf("filling, blank by blank, with the wrong answers: %s", timing(rs[unfilled:againAt]))
	t.Logf("the filled cells again: %s", timing(rs[againAt:]))

	gpt2 := 0
	for i, r := range rs {
		if err := runs[i].check(r); err != nil {
			t.Errorf("%s: %v\n%s", runs[i].what, err, r.Source)
		} else if runs[i].show {
			t.Logf("%s: %s", runs[i].what, lastLine(printed(r)))
		}
		if strings.Contains(r.stream("stdout"), "Running GPT-2 over") {
			gpt2++
			if want := "Capture, 1 of 1 blanks filled"; runs[i].what != want {
				t.Errorf("GPT-2 runs in %q, want only in %q", runs[i].what, want)
			}
		}
	}
	if gpt2 != 1 {
		t.Errorf("GPT-2 ran %d times, want once", gpt2)
	}
	for j, st := range src.Side.Steps {
		first, again := rs[filledAt[st.Name]], rs[againAt+j]
		if a, b := printed(first), printed(again); a != b {
			t.Errorf("%s prints\n%s\nwhile the cells below are unfilled, and\n%s\nonce they are filled", st.Name, a, b)
		}
	}
}

// unfilledRuns are Run All of the unfilled exercise, then a hint and a
// solution asked for while the blanks are unfilled.
func unfilledRuns(t *testing.T, cells []string) []run {
	t.Helper()
	setup := map[int]bool{0: true, index(t, cells, "import ("): true, index(t, cells, "var model ="): true}
	var runs []run
	for i, c := range cells {
		what := fmt.Sprintf("Run All: cell %d", i)
		switch {
		case setup[i]:
			runs = append(runs, run{what, c, noFailure, false})
		case strings.HasPrefix(c, "%%\n// ex."):
			runs = append(runs, run{what, c, silent, false})
		default:
			runs = append(runs, run{what, c, oneLine("✗ "), i < 12})
		}
	}
	return append(runs, run{"hint and solution, unfilled", "%%\nex.NEmb.Hint()\nex.NEmb.Solution()", func(r result) error {
		out := r.stream("stdout")
		if !strings.HasPrefix(out, "Hint: model.Config is") || !strings.Contains(out, "    // n_emb = model.\n    model.Config.NEmb\n") || r.stream("stderr") != "" {
			return fmt.Errorf("prints %q, stderr %q", out, r.stream("stderr"))
		}
		return nil
	}, false})
}

// fillingRuns fill the exercise cell by cell, in order: each step's wrong
// answers, then its blanks one by one (each partial run naming one of the
// cell's own blanks left), the last one passing its check. filledAt is
// each step's passing run.
func fillingRuns(t *testing.T, cells []string, steps []exercise.Step) (runs []run, filledAt map[string]int) {
	t.Helper()
	filledAt = map[string]int{}
	for _, st := range steps {
		k := index(t, cells, st.Cell)
		ans := st.Answers()
		for _, w := range wrongAnswers {
			if w.step != st.Name {
				continue
			}
			a := append([]string(nil), ans...)
			a[w.blank] = w.answer
			s, err := st.FillBlanks(cells[k], a...)
			if err != nil {
				t.Fatal(err)
			}
			runs = append(runs, run{fmt.Sprintf("%s, wrong blank %d: %s", st.Name, w.blank, w.answer), s, failsWith(w.want), true})
		}
		for j := 1; j <= len(ans); j++ {
			s, err := st.FillBlanks(cells[k], ans[:j]...)
			if err != nil {
				t.Fatal(err)
			}
			what := fmt.Sprintf("%s, %d of %d blanks filled", st.Name, j, len(ans))
			if j < len(ans) {
				var left []string
				for _, b := range st.Blanks[j:] {
					left = append(left, "fill in the blank: "+blankText(t, b.Blank))
				}
				runs = append(runs, run{what, s, failsWithOneOf(left), false})
				continue
			}
			filledAt[st.Name] = len(runs)
			runs = append(runs, run{what, s, passes, true})
		}
	}
	return runs, filledAt
}

// printed is what a cell printed, without what a capture prints.
func printed(r result) string {
	return captureLines.ReplaceAllString(r.stream("stdout"), "") + r.stream("stderr")
}

func noFailure(r result) error {
	if f := r.failure(); f != "" {
		return fmt.Errorf("fails: %s", f)
	}
	return nil
}

func silent(r result) error {
	if len(r.Outputs) != 0 {
		return fmt.Errorf("prints %q", printed(r))
	}
	return nil
}

// oneLine checks that the cell prints one line, starting with prefix, and
// nothing else.
func oneLine(prefix string) func(r result) error {
	return func(r result) error {
		out := printed(r)
		if strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, prefix) || len(r.Outputs) != 1 {
			return fmt.Errorf("prints %q (%d outputs), want one line starting with %q", out, len(r.Outputs), prefix)
		}
		return nil
	}
}

// failsWith checks that the cell's one ✗ line holds want, without a panic.
func failsWith(want string) func(r result) error { return failsWithOneOf([]string{want}) }

func failsWithOneOf(wants []string) func(r result) error {
	return func(r result) error {
		errs := r.stream("stderr")
		if strings.Count(errs, "✗ ") != 1 || strings.Count(errs, "\n") != 1 || strings.Contains(printed(r), "panic") || r.Status != "ok" {
			return fmt.Errorf("stderr %q, status %s: want one ✗ line", errs, r.Status)
		}
		for _, w := range wants {
			if strings.Contains(errs, w) {
				return nil
			}
		}
		return fmt.Errorf("says %q, want one of %q", errs, wants)
	}
}

// passes checks that the cell ends with one ✓ line and fails nowhere.
func passes(r result) error {
	out := r.stream("stdout")
	if r.stream("stderr") != "" || r.Status != "ok" || strings.Count(out, "✓ ") != 1 || !strings.HasPrefix(lastLine(out), "✓ ") {
		return fmt.Errorf("prints %q, stderr %q: want a last line ✓ and no ✗", out, r.stream("stderr"))
	}
	return nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}
