package exercise

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// notebook returns a tidy notebook of the given cells: "# ..." sources are
// markdown, the others code.
func notebook(srcs ...string) *Notebook {
	nb := &Notebook{Metadata: json.RawMessage(`{"kernelspec": {"name": "gonb"}}`), NBFormat: 4, NBFormatMinor: 5}
	for i, s := range srcs {
		id := string(rune('a' + i))
		if strings.HasPrefix(s, "# ") {
			nb.List = append(nb.List, NewMarkdown(id, s))
		} else {
			nb.List = append(nb.List, NewCode(id, s))
		}
	}
	return nb
}

func testSide() *Side {
	return &Side{
		Import: Import{Cell: "import (", Before: `"fmt"`, Line: "\t\"ex\""},
		Steps: []Step{{
			Name: "N", Cell: "var n =",
			Blanks: []Edit{
				{Book: "n = ", Answer: "f(1)", At: "var n = f(1)", Blank: `Blank[int]("n = ?")`},
				{Book: "m = ", Answer: "x", At: "m := x", Blank: `Blank[int]("m = ?", x)`},
			},
			Hide:  []Edit{{Answer: "// n = f(1)", Blank: "// n = ?"}},
			Check: "ex.N.Check(n)", Hint: "f",
		}, {
			Name: "M", Cell: "func g(", Blanks: []Edit{{Book: "return", Answer: "x + x", Blank: `Blank[int]("return ?", x)`}},
			Check: "ex.M.Check(g)", Hint: "g",
		}},
	}
}

// TestGenerateAndFill generates an exercise from a small solution and fills
// it back: each blank and hidden text replaced, the check appended (after a
// %% line the generator adds where the cell has none), hint cells, the
// import and the intro; and Fill gives the solution back byte for byte.
func TestGenerateAndFill(t *testing.T) {
	sol := notebook("# Title", "import (\n\t\"fmt\"\n)",
		"var n = f(1) // n = f(1)\n\n%%\nx := 2\nm := x\nfmt.Println(n, m, x)",
		"func g(x int) int {\n\treturn x + x\n}")
	side := testSide()
	ex, err := Generate(sol, side, "# Intro\n")
	if err != nil {
		t.Fatal(err)
	}
	var srcs, ids []string
	for _, c := range ex.Cells() {
		srcs, ids = append(srcs, Source(c)), append(ids, c.ID)
	}
	want := []string{"# Title", "# Intro", "import (\n\t\"ex\"\n\t\"fmt\"\n)",
		"var n = Blank[int](\"n = ?\") // n = ?\n\n%%\nx := 2\nm := Blank[int](\"m = ?\", x)\nfmt.Println(n, m, x)\nex.N.Check(n)",
		HintSource("N"),
		"func g(x int) int {\n\treturn Blank[int](\"return ?\", x)\n}\n\n%%\nex.M.Check(g)",
		HintSource("M")}
	if strings.Join(srcs, "\n---\n") != strings.Join(want, "\n---\n") {
		t.Errorf("exercise:\n%s\nwant:\n%s", strings.Join(srcs, "\n---\n"), strings.Join(want, "\n---\n"))
	}
	if strings.Join(ids, " ") != "a "+IntroID+" b c c-hint d d-hint" {
		t.Errorf("ids %q", ids)
	}
	back, err := Fill(ex, side)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := back.Marshal()
	b, _ := sol.Marshal()
	if !bytes.Equal(a, b) {
		t.Errorf("filled:\n%s\nwant the solution:\n%s", a, b)
	}

	src := srcs[3]
	one, err := side.Steps[0].FillBlanks(src, "f(1)")
	if err != nil || !strings.Contains(one, "var n = f(1) // n = ?") || !strings.Contains(one, `Blank[int]("m = ?", x)`) {
		t.Errorf("FillBlanks with the first answer: %q, %v", one, err)
	}
	wrong, err := side.Steps[0].FillBlanks(src, "f(1)", "x + 1")
	if err != nil || !strings.Contains(wrong, "m := x + 1\n") {
		t.Errorf("FillBlanks with a wrong answer: %q, %v", wrong, err)
	}
}

// TestGenerateErrors checks that the generator fails loudly where the side
// file does not fit the solution.
func TestGenerateErrors(t *testing.T) {
	sol := notebook("# Title", "import (\n\t\"fmt\"\n)",
		"var n = f(1) // n = f(1)\n\n%%\nx := 2\nm := x\nfmt.Println(n, m, x)", "func g(x int) int {\n\treturn x + x\n}")
	for _, tc := range []struct {
		name string
		edit func(*Side)
		want string
	}{
		{"answer absent", func(s *Side) { s.Steps[0].Blanks[0].Answer = "f(2)" }, `"f(2)" occurs 0 times`},
		{"answer twice", func(s *Side) { s.Steps[0].Blanks[1].At = ""; s.Steps[0].Blanks[1].Answer = "x" }, `"x" occurs 3 times in its cell`},
		{"answer not in at", func(s *Side) { s.Steps[0].Blanks[1].Answer = "y" }, `the answer "y" occurs 0 times in "m := x"`},
		{"out of order", func(s *Side) { b := s.Steps[0].Blanks; b[0], b[1] = b[1], b[0] }, "list the blanks in the cell's order"},
		{"overlap", func(s *Side) { s.Steps[0].Hide[0] = Edit{Answer: "f(1) //", Blank: "?"} }, "overlaps"},
		{"no marker", func(s *Side) { s.Steps[1].Cell = "func h(" }, `no code cell holds "func h("`},
		{"marker twice", func(s *Side) { s.Steps[1].Cell = "x" }, "two code cells hold"},
		{"no Blank call", func(s *Side) { s.Steps[1].Blanks[0].Blank = "x" }, "is no Blank[T](...) call"},
		{"blank twice in the exercise", func(s *Side) { s.Steps[0].Hide[0].Blank = `// var n = Blank[int]("n = ?")` }, "occurs 2 times in the exercise cell"},
		{"import line absent", func(s *Side) { s.Import.Before = `"os"` }, "no line of its cell holds"},
	} {
		side := testSide()
		tc.edit(side)
		if _, err := Generate(sol, side, ""); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", tc.name, err, tc.want)
		}
	}
}

// TestParseSide checks the side file's own rules.
func TestParseSide(t *testing.T) {
	good, err := json.Marshal(testSide())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseSide(good); err != nil {
		t.Fatalf("ParseSide: %v", err)
	}
	enc := string(good)
	for _, tc := range []struct{ from, to, want string }{
		{`"name":"N"`, `"name":"n"`, "exported Go identifier"},
		{`"check":"ex.N.Check(n)"`, `"check":"ex.M.Check(n)"`, "calling ex.N.Check"},
		{`"book":"n = ",`, ``, "needs book, answer and blank"},
		{`"hint":"g"`, `"hint":""`, "no hint"},
		{`"cell":"func g(",`, `"cell":"func g(","extra":1,`, "unknown field"},
	} {
		if !strings.Contains(enc, tc.from) {
			t.Fatalf("the encoded side file has no %s: %s", tc.from, enc)
		}
		if _, err := ParseSide([]byte(strings.Replace(enc, tc.from, tc.to, 1))); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s → %s: %v, want %q", tc.from, tc.to, err, tc.want)
		}
	}
}

// TestTable checks the README's table: a row per blank, code in spans, |
// escaped, several lines as several spans.
func TestTable(t *testing.T) {
	side := testSide()
	side.Steps[1].Blanks[0].Answer = "a | b\n\tc"
	got := Table(side)
	for _, want := range []string{"| `ex.N.Check(n)` | `n =` | `Blank[int](\"n = ?\")` | `f(1)` |", "|  | `m =` |", "| `a \\| b`<br>`c` |"} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
	readme := []byte("intro\n" + TableStart + "\nold\n" + TableEnd + "\nend\n")
	out, err := WithTable(readme, side)
	if err != nil || !bytes.HasPrefix(out, []byte("intro\n"+TableStart+"\n| the cell's check")) || !bytes.HasSuffix(out, []byte("|\n"+TableEnd+"\nend\n")) {
		t.Errorf("WithTable: %v\n%s", err, out)
	}
	if _, err := WithTable([]byte("no table"), side); err == nil {
		t.Error("WithTable without the marker lines: no error")
	}
}
