package exercise

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		src, exercise, answer string
	}{
		{"var n = /*blank[int] n_emb = model.?*/ model.Config.NEmb /*end*/\n",
			"var n = blank[int](\"n_emb = model.?\")\n", "var n = model.Config.NEmb\n"},
		{"f(/*blank[[]int] batch[i,:] = ? @ toks, i*/ toks /*end*/)",
			"f(blank[[]int](\"batch[i,:] = ?\", toks, i))", "f(toks)"},
		{"/*blank print(?) @ k*/ fmt.Println(k) /*end*/",
			"blank[any](\"print(?)\", k)", "fmt.Println(k)"},
		{"x := /*blank[map[string][2]int] 'quoted' \"text\"*/ m /*end*/; y := /*blank[*a.B] b*/ &a.B{\n} /*end*/",
			"x := blank[map[string][2]int](\"'quoted' \\\"text\\\"\"); y := blank[*a.B](\"b\")", "x := m; y := &a.B{\n}"},
		{"no blanks", "no blanks", "no blanks"},
	}
	for _, tc := range tests {
		ex, err := Exercise(tc.src)
		if err != nil || ex != tc.exercise {
			t.Errorf("Exercise(%q) = %q, %v; want %q", tc.src, ex, err, tc.exercise)
		}
		ans, err := Strip(tc.src)
		if err != nil || ans != tc.answer {
			t.Errorf("Strip(%q) = %q, %v; want %q", tc.src, ans, err, tc.answer)
		}
		bl, _ := Blanks(tc.src)
		if filled, err := Fill(ex, bl); err != nil || filled != tc.answer {
			t.Errorf("Fill(%q) = %q, %v; want %q", ex, filled, err, tc.answer)
		}
	}
	for _, bad := range []string{"/*blank[int x*/ 1 /*end*/", "/*blank[int] x 1 /*end*/", "/*blank[int] x*/ 1"} {
		if _, err := Exercise(bad); err == nil {
			t.Errorf("Exercise(%q): no error", bad)
		}
	}
}

func readNotebook(t *testing.T, name string) (Notebook, []byte) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	nb, err := ReadNotebook(b)
	if err != nil {
		t.Fatal(err)
	}
	return nb, b
}

// TestCommittedExercise checks that the committed exercise notebook is the one
// mkexercise generates from the committed solution, that the solution file is
// in Jupyter's own layout (so the generator's output is too), and that
// filling the exercise's blanks with the solution's answers gives the
// solution without its markers.
func TestCommittedExercise(t *testing.T) {
	sol, solBytes := readNotebook(t, SolutionFile)
	ex, exBytes := readNotebook(t, ExerciseFile)

	if again, err := sol.Marshal(); err != nil || !bytes.Equal(again, solBytes) {
		t.Errorf("%s is not in Jupyter's layout (sorted keys, one-space indent): re-save it in Jupyter (%v)", SolutionFile, err)
	}
	want, err := GenerateFile(solBytes)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(exBytes, want) {
		t.Errorf("%s is not generated from %s: run go run ./notebooks/mkexercise", ExerciseFile, SolutionFile)
	}

	filled, err := FillNotebook(ex, sol)
	if err != nil {
		t.Fatal(err)
	}
	clean, err := Clean(sol)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(filled, clean) {
		t.Errorf("the exercise filled with the solution's answers is not the solution without markers")
	}
	n := 0
	for _, c := range clean.Cells() {
		if IsCode(c) && (strings.Contains(Source(c), "/*blank") || strings.Contains(Source(c), "/*end*/")) {
			t.Errorf("a marker is left in %q", Source(c))
		}
	}
	for _, c := range ex.Cells() {
		if !IsCode(c) {
			continue
		}
		n += strings.Count(Source(c), "blank[")
		if strings.Contains(Source(c), "/*blank") {
			t.Errorf("a marker is left in the exercise: %q", Source(c))
		}
	}
	if n < 40 {
		t.Errorf("the exercise has %d blanks; the book's has more than 40", n)
	}
}

// TestReadmeListsEveryBlank checks that notebooks/README.md's table has every
// blank of the solution, as the exercise writes it.
func TestReadmeListsEveryBlank(t *testing.T) {
	sol, _ := readNotebook(t, SolutionFile)
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range sol.Cells() {
		if !IsCode(c) {
			continue
		}
		blanks, err := Blanks(Source(c))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range blanks {
			if cell := "`" + strings.ReplaceAll(b.Call(), "|", `\|`) + "`"; !strings.Contains(string(readme), cell) {
				t.Errorf("notebooks/README.md does not list %s", cell)
			}
		}
	}
}
