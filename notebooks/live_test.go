package notebooks

import (
	"strings"
	"testing"

	"github.com/qkvport/qkv/notebooks/internal/exercise"
)

// step is one thing a reader does in the live kernel: run some cells.
type step struct {
	name  string
	cells []string
	in    inputs // what the cells' numbers must follow; target "" for none
	// captures is how many cells must run GPT-2, and why they must say.
	captures int
	why      string
}

// TestLiveKernel drives one GoNB kernel as a reader does, without a restart:
// Run All; another word (" Daisy"), then another context (30), run with the
// cells below; another layeri; unchanged cells again; a word that is not one
// token (a failure: one line in its cell and in each cell after it that
// needs it); then a word that also occurs within the first contextwin tokens.
// Every step's numbers must equal `qkv run`'s for the same inputs, GPT-2 must
// run exactly when the batch changed, once, saying why, and the slider must
// leave the kernel free.
func TestLiveKernel(t *testing.T) {
	e := newTestEnv(t)
	cur := codeCells(t, exercise.SolutionFile)
	word, ctx := index(t, cur, "var target_word ="), index(t, cur, "var contextwin =")
	part2, capture := index(t, cur, "var Q, K, V ="), index(t, cur, "activations.Capture(")
	desc, part3a := index(t, cur, "func getDescriptives()"), index(t, cur, "ch6_proj34_part3a")

	var steps []step
	edit := func(name string, i int, old, new string, in inputs, captures int, why string) {
		cur = replace(t, cur, i, old, new)
		steps = append(steps, step{name, append([]string(nil), cur[i:]...), in, captures, why})
	}
	steps = append(steps, step{"Run All", append([]string(nil), cur...), book, 1, "no activations of"})
	daisy := inputs{target: " Daisy", context: 50, layer: 6, hist: book.hist}
	edit(`target_word " Daisy", run below`, word, `" like"`, `" Daisy"`, daisy, 1, `the target changed from " like" to " Daisy"`)
	daisy30 := daisy
	daisy30.context = 30
	edit("contextwin 30, run below", ctx, "= 50", "= 30", daisy30, 1, "the context changed from 50 to 30 tokens")
	layer2 := daisy30
	layer2.layer = 2
	edit("layeri 2, run below", part2, "var layeri = 6", "var layeri = 2", layer2, 0, "")
	steps = append(steps, step{"unchanged cells again", []string{cur[capture], cur[desc], cur[part3a]}, layer2, 0, ""})
	edit("a word of two tokens, run below", word, `" Daisy"`, `" Daisyish"`, inputs{}, 0, "")
	gutenberg := inputs{target: " Gutenberg", context: 30, layer: 2, hist: book.hist}
	edit(`target_word " Gutenberg" (also before contextwin), run below`, word, `" Daisyish"`, `" Gutenberg"`, gutenberg, 1, `the target changed from " Daisy" to " Gutenberg"`)

	var all []string
	for _, s := range steps {
		all = append(all, s.cells...)
	}
	k := &kernel{t: t, env: e.env, dir: t.TempDir()}
	rs := k.run(all)
	for _, s := range steps {
		got := rs[:len(s.cells)]
		rs = rs[len(s.cells):]
		t.Logf("%s: %s", s.name, timing(got))
		checkCaptures(t, s, got)
		if s.in.target == "" {
			checkFailureLines(t, s.name, got, "target_id")
			continue
		}
		checkCells(t, s.name, got, e.cfg, s.in, e.qkvRun(t, s.in))
		if s.name == "Run All" {
			checkFigures(t, got, k.dir)
		}
	}
}

// checkCaptures checks that GPT-2 ran in s.captures cells, saying why.
func checkCaptures(t *testing.T, s step, rs []result) {
	t.Helper()
	var ran []string
	for _, r := range rs {
		out := r.stream("stdout")
		if strings.Contains(out, "Running GPT-2 over") {
			ran = append(ran, r.first())
			if !strings.Contains(out, s.why) {
				t.Errorf("%s: cell %q runs GPT-2 without saying %q:\n%s", s.name, r.first(), s.why, out)
			}
		}
	}
	if len(ran) != s.captures {
		t.Errorf("%s: GPT-2 ran in %d cells %q, want %d", s.name, len(ran), ran, s.captures)
	}
}

// checkFailureLines checks a step whose first cell fails on declaration
// name: it says so in one line, and every later cell that fails says one
// line that names it, with no other output; most later cells need it.
func checkFailureLines(t *testing.T, step string, rs []result, name string) {
	t.Helper()
	if f := rs[0].failure(); !strings.HasPrefix(f, "✗ "+name+": ") {
		t.Errorf("%s: the edited cell says %q, want a line starting ✗ %s:", step, f, name)
	}
	failed := 0
	for _, r := range rs {
		f := r.failure()
		if f == "" {
			continue
		}
		failed++
		out := r.stream("stdout") + r.stream("stderr")
		if strings.Count(out, "\n") != 1 || len(r.Outputs) != 1 || !strings.Contains(f, name) || strings.Contains(out, "exit status") {
			t.Errorf("%s: cell %q fails with more than one line naming %s:\n%s%v", step, r.first(), name, out, r.shown("text/html"))
		}
	}
	if failed < len(rs)-3 {
		t.Errorf("%s: %d of %d cells say that %s failed; the others ran", step, failed, len(rs), name)
	}
}
