package ex

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
	"github.com/qkvport/qkv/qkvlib/bpe"
	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
	"github.com/qkvport/qkv/qkvlib/pyplot"
	"github.com/qkvport/qkv/qkvlib/store"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// steps are the exercise's steps, by name.
var steps = map[string]any{
	"NEmb": NEmb, "TargetIdx": TargetIdx, "Filter": Filter, "Batch": Batch, "Examples": Examples, "Hooks": Hooks,
	"Capture": Capture, "Part1": Part1, "Split": Split, "Part2a": Part2a, "Part2b": Part2b, "MeansAndVar": MeansAndVar,
	"Descriptives": Descriptives, "Part3a": Part3a, "Part3b": Part3b, "CalculateHists": CalculateHists,
	"Histograms": Histograms, "Part4": Part4, "Heads": Heads, "Qh": Qh, "Part5a": Part5a, "Part5b": Part5b,
}

// TestStepsMatchSideFile checks that every step of the side file is a
// variable of this package whose Check takes as many arguments as the
// exercise's check line passes, and the other way round; and that Hint and
// Solution print the side file's.
func TestStepsMatchSideFile(t *testing.T) {
	sd, err := side()
	if err != nil {
		t.Fatal(err)
	}
	if len(sd.Steps) != len(steps) {
		t.Errorf("the side file has %d steps, package ex %d", len(sd.Steps), len(steps))
	}
	for _, st := range sd.Steps {
		v, ok := steps[st.Name]
		if !ok {
			t.Errorf("the side file's step %s is no variable of package ex", st.Name)
			continue
		}
		if v.(interface{ Name() string }).Name() != st.Name {
			t.Errorf("ex.%s is named %q", st.Name, v.(interface{ Name() string }).Name())
		}
		m := reflect.ValueOf(v).MethodByName("Check")
		if !m.IsValid() {
			t.Errorf("ex.%s has no Check", st.Name)
			continue
		}
		if n := len(args(st.Check)); n != m.Type().NumIn() {
			t.Errorf("%s passes %d arguments; ex.%s.Check takes %d", st.Check, n, st.Name, m.Type().NumIn())
		}
		s := Step{st.Name}
		if h := s.hint(); !strings.HasPrefix(h, "Hint: ") || !strings.Contains(h, st.Hint) {
			t.Errorf("ex.%s.Hint() prints %q", st.Name, h)
		}
		sol := s.solution()
		for _, e := range st.Blanks {
			if !strings.Contains(sol, "// "+e.Book+"\n") || !strings.Contains(sol, strings.TrimSpace(strings.Split(e.Answer, "\n")[0])) {
				t.Errorf("ex.%s.Solution() lacks the blank %q → %q:\n%s", st.Name, e.Book, e.Answer, sol)
			}
		}
	}
}

// args returns the top-level arguments of a call's text.
func args(call string) []string {
	_, in, _ := strings.Cut(call, "(")
	in = strings.TrimSuffix(in, ")")
	var out []string
	depth, start := 0, 0
	for i, r := range in {
		switch r {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(in[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(in[start:]))
}

// TestStaysLight checks that the checks link neither the network client,
// nor GoMLX, nor the plotting packages: every exercise cell links them.
func TestStaysLight(t *testing.T) {
	for _, dep := range []string{"net/http", "github.com/gomlx/gomlx/core/graph", "github.com/gomlx/compute", "gonum.org/v1/plot"} {
		testenv.NoDependency(t, dep, "github.com/qkvport/qkv/notebooks/ex")
	}
}

// TestReport checks the one line of a check: ✓ on stdout, ✗ on stderr.
func TestReport(t *testing.T) {
	var out, errs bytes.Buffer
	saved, savedErr := stdout, stderr
	stdout, stderr = &out, &errs
	defer func() { stdout, stderr = saved, savedErr }()
	report(pass("fine %d", 1))
	report(fail("wrong %d", 2))
	if out.String() != "✓ fine 1\n" || errs.String() != "✗ wrong 2\n" {
		t.Errorf("stdout %q, stderr %q", out.String(), errs.String())
	}
}

// randomEngine stores random activations: each layer, matrix and token has
// its own scale and offset, so that any two of them differ.
type randomEngine struct{}

func (randomEngine) Fetch(context.Context, chapter.Fetch, chapter.Options) error { return nil }

func (randomEngine) Capture(_ context.Context, a *chapter.Activations) error {
	root, err := a.Root()
	if err != nil {
		return err
	}
	n, tt, e := len(a.Batch), len(a.Batch[0]), a.Model.Config.NEmb
	w, err := store.Create(root, a.Key(), store.Meta{Model: a.Model.Name, Revision: a.Model.Revision, N: n, T: tt,
		NEmb: e, NLayers: a.Model.Config.NLayers, NHeads: a.Model.Config.NHeads, Layers: a.Layers, Tokens: a.Batch})
	if err != nil {
		return err
	}
	for _, l := range a.Layers {
		r := rand.New(rand.NewPCG(uint64(l), 34))
		data := make([]float32, 0, n*tt*3*e)
		for range n {
			for j := range tt {
				for c := range 3 * e {
					data = append(data, float32((r.NormFloat64()+float64(c/e)-0.3*float64(j))*(1+0.5*float64(l))))
				}
			}
		}
		lw, err := w.Layer(l)
		if err != nil {
			return err
		}
		if err := lw.Write(data); err != nil {
			return err
		}
	}
	return w.Commit()
}

// fixture is a small captured chapter: 3 layers, n_emb 8 in 2 heads, 6
// windows of 5 tokens.
type fixture struct {
	model *chapter.Model
	batch [][]int
	acts  *chapter.Activations
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	m := &chapter.Model{Name: "test", Revision: "r", Config: checkpoint.Config{NLayers: 3, NEmb: 8, NHeads: 2, NPositions: 32, VocabSize: 100}}
	batch := [][]int{{5, 6, 7, 8, 9}, {1, 2, 3, 4, 9}, {4, 4, 4, 4, 9}, {8, 7, 6, 5, 9}, {3, 1, 4, 1, 9}, {2, 7, 1, 8, 9}}
	a := chapter.NewActivations(m, batch, nil, chapter.Options{CacheDir: t.TempDir(), Engine: randomEngine{}, Log: io.Discard})
	if err := a.Capture(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &fixture{m, batch, a}
}

func (f *fixture) layer(t *testing.T, l int) (q, k, v tensor.Tensor3) {
	t.Helper()
	x, err := f.acts.Layer(l)
	if err != nil {
		t.Fatal(err)
	}
	return x.Split()
}

// expect checks a verdict: ok, or failing with a message holding want.
func expect(t *testing.T, name string, v verdict, want string) {
	t.Helper()
	if want == "" {
		if !v.ok {
			t.Errorf("%s: ✗ %s, want ✓", name, v.msg)
		}
		return
	}
	if v.ok || !strings.Contains(v.msg, want) {
		t.Errorf("%s: %v %q, want ✗ with %q", name, v.ok, v.msg, want)
	}
}

func TestPart1Checks(t *testing.T) {
	f := newFixture(t)
	expect(t, "n_emb", checkNEmb(f.model, 8, 3), "")
	expect(t, "n_emb = n_heads", checkNEmb(f.model, 2, 3), "n_emb is 2, model.Config.NHeads")
	expect(t, "n_emb = 3·n_emb", checkNEmb(f.model, 24, 3), "3·n_emb")
	expect(t, "n_layers one short", checkNEmb(f.model, 8, 2), "one short")

	tokens := []int{9, 1, 2, 3, 4, 5, 6, 9, 7, 8, 9, 1}
	keep := func(idx []int, lo int) (kept []int) {
		for _, i := range idx {
			if i >= lo {
				kept = append(kept, i)
			}
		}
		return kept
	}
	ctxw := BookContext
	long := append(make([]int, ctxw), tokens...) // targets at 50, 57, 60
	expect(t, "filter", checkFilter(long, 9, ctxw, keep, []int{50, 57, 60}), "")
	expect(t, "filter: contextwin", checkFilter(long, 9, 30, keep, []int{50, 57, 60}), "contextwin is 30")
	all := func(idx []int, lo int) []int { return idx }
	expect(t, "filter: not filtered", checkFilter(long, 9, ctxw, all, []int{50, 57, 60}), "keeps positions < contextwin")
	gt := func(idx []int, lo int) (kept []int) {
		for _, i := range idx {
			if i > lo {
				kept = append(kept, i)
			}
		}
		return kept
	}
	expect(t, "filter: >", checkFilter(long, 9, ctxw, gt, []int{57, 60}), "drops position contextwin")
	expect(t, "filter: ids", checkFilter(long, 9, ctxw, keep, []int{9, 9, 9}), "holds the token id 9")
	expect(t, "filter: +1", checkFilter(long, 9, ctxw, keep, []int{51, 58, 61}), "each position +1")

	w := 3
	idx := []int{7, 10}
	window := func(i int) []int { return tokens[i-w : i+1] }
	expect(t, "batch", checkBatch(tokens, idx, w, [][]int{window(7), window(10)}), "")
	expect(t, "batch one short", checkBatch(tokens, idx, w, [][]int{tokens[4:7], tokens[7:10]}),
		"every row of batch must end on target_id 9; row 0 ends on 6: a window is tokens[i-contextwin : i+1]")
	expect(t, "batch rows", checkBatch(tokens, idx, w, [][]int{window(7)}), "batch has 1 rows and target_idx 2")
	expect(t, "batch short start", checkBatch(tokens, idx, w, [][]int{tokens[5:8], tokens[8:11]}), "row 0 of batch has 3 tokens, want contextwin+1 = 4")

	hooks := []int{0, 1, 2}
	expect(t, "hooks", checkHooks(f.model, f.batch, hooks, f.acts), "")
	expect(t, "hooks: one short", checkHooks(f.model, f.batch, hooks[:2], f.acts), "without layer [2]")
	expect(t, "hooks: nil", checkHooks(f.model, f.batch, hooks, nil), "activations is nil")
	expect(t, "hooks: other batch", checkHooks(f.model, f.batch[:2], hooks, f.acts), "another batch")
	expect(t, "capture", checkCapture(f.acts), "")
	uncaptured := chapter.NewActivations(f.model, f.batch[:1], nil, f.acts.Options())
	expect(t, "capture: not yet", checkCapture(uncaptured), "not captured")
	if uncaptured.Stored() {
		t.Error("a check captured")
	}

	part1 := func(l, tok int, lines ...float64) Figure {
		x, _ := f.acts.Layer(l)
		fig := pyplot.NewFigure(10, 3)
		fig.Gca().Imshow(x.Token(tok), pyplot.ImageOpts{})
		for _, v := range lines {
			fig.Gca().AxVLine(v, pyplot.LineOpts{})
		}
		return fig
	}
	expect(t, "part 1", checkPart1(f.acts, 2, 8, part1(2, -1, 8, 16)), "")
	expect(t, "part 1: non-target", checkPart1(f.acts, 2, 8, part1(2, -2, 8, 16)), "the image is the non-target token (-2) of layer 2; Part 1 shows the target")
	expect(t, "part 1: layer", checkPart1(f.acts, 2, 8, part1(1, -1, 8, 16)), "the image is layer 1's target token; Part 1 shows layer layeri = 2")
	expect(t, "part 1: lines", checkPart1(f.acts, 2, 8, part1(2, -1, 1, 2)), "the dashed lines are at [1 2]")
}

func TestTokenChecks(t *testing.T) {
	tok, err := bpe.Load(testenv.SharedData(t, "gpt2-tokenizer"))
	if err != nil {
		t.Fatal(err)
	}
	tokens := tok.Encode("I like it, you like it; they would like it.")
	var idx []int
	for i, v := range tokens {
		if v == 588 {
			idx = append(idx, i)
		}
	}
	expect(t, "target", checkTargetIdx(tok, tokens, " like", idx), "")
	expect(t, "target without space", checkTargetIdx(tok, tokens, "like", idx), `" like" and "like" are different GPT-2 tokens (588 and`)
	expect(t, "another word", checkTargetIdx(tok, tokens, " it", idx), `the book's is " like"`)
	expect(t, "target_idx missing one", checkTargetIdx(tok, tokens, " like", idx[1:]), "has 2 positions")

	batch := [][]int{tokens, tokens[:len(tokens)-1]}
	last10 := func(i int) []int { return batch[i][len(batch[i])-10:] }
	expect(t, "examples", checkExamples(tok, batch, last10), "")
	expect(t, "examples: first 10", checkExamples(tok, batch, func(i int) []int { return batch[i][:10] }), "the first 10 tokens")
	expect(t, "examples: whole row", checkExamples(tok, batch, func(i int) []int { return batch[i] }), "all 13 tokens")
}

// checks at layer l of the fixture, standing in for the book's layer.
func TestPart2Checks(t *testing.T) {
	f := newFixture(t)
	q, k, v := f.layer(t, 1)
	expect(t, "split", checkSplit(f.acts, 1, q, k, v), "")
	q0, k0, v0 := f.layer(t, 0)
	expect(t, "split: layer 0", checkSplit(f.acts, 1, q0, k0, v0), "Q is layer 0's")

	right := func(x tensor.Tensor3, tok int) []float64 { d := bookDescriptives(x, tok); return d[:] }
	expect(t, "2a", checkPart2a(q, right(q, -1), right(q, -2)), "")
	meanForVar := right(q, -1)
	meanForVar[2] = q.Token(-1).Mean(1).Mean()
	expect(t, "2a: mean for var", checkPart2a(q, meanForVar, right(q, -2)), "qMeans_t[2] is the arithmetic mean of the target token (-1), not the variance")
	stdForVar := right(q, -1)
	stdForVar[2] = q.Token(-1).Std(1).Mean()
	expect(t, "2a: std for var", checkPart2a(q, stdForVar, right(q, -2)), "is the standard deviation")
	expect(t, "2a: token 0", checkPart2a(q, right(q, -1), right(q, 0)), "qMeans_n[0] is the arithmetic mean of token 0, not of the non-target token (-2)")
	expect(t, "2a: swapped", checkPart2a(q, right(q, -2), right(q, -1)), "of the non-target token (-2), not of the target token (-1)")
	noAbs := right(q, -1)
	noAbs[1] = noAbs[0]
	expect(t, "2a: no abs", checkPart2a(q, noAbs, right(q, -2)), "qMeans_t[1] is the arithmetic mean")

	edges := tensor.Linspace(-7, 7, 30)
	fig2b := func(density bool, swap bool) Figure {
		fig := pyplot.NewFigure(10, 3)
		x := edges[:len(edges)-1]
		for _, l := range part2bLines {
			tok := l.t
			if swap && l.m == 0 {
				tok = -3 - tok
			}
			fig.Gca().Plot(x, tensor.Histogram([]tensor.Tensor3{q, k, v}[l.m].Token(tok).Flatten(), edges, density), "k", pyplot.LineOpts{Label: l.label})
		}
		return fig
	}
	expect(t, "2b", checkPart2b([3]tensor.Tensor3{q, k, v}, edges, fig2b(true, false)), "")
	expect(t, "2b: counts", checkPart2b([3]tensor.Tensor3{q, k, v}, edges, fig2b(false, false)), `the line "Q target" is counts, not a density`)
	expect(t, "2b: swapped", checkPart2b([3]tensor.Tensor3{q, k, v}, edges, fig2b(true, true)), `the line "Q target" is the histogram of "Q nontarget"`)
}

func TestPart3Checks(t *testing.T) {
	f := newFixture(t)
	q, k, _ := f.layer(t, 1)
	mv := func(x tensor.Tensor3) ([3]float64, [3]float64) {
		return bookDescriptives(x, -1), bookDescriptives(x, -2)
	}
	expect(t, "meansAndVar", checkMeansAndVar(q, k, mv), "")
	expect(t, "meansAndVar of Q", checkMeansAndVar(q, k, func(tensor.Tensor3) ([3]float64, [3]float64) { return mv(q) }), "meansAndVar(K) returns what meansAndVar(Q) does")
	swapped := func(x tensor.Tensor3) ([3]float64, [3]float64) { a, b := mv(x); return b, a }
	expect(t, "meansAndVar swapped", checkMeansAndVar(q, k, swapped), "meansAndVar(Q): t1 is the arithmetic mean of the non-target token (-2)")

	ref, err := layerDescriptives(f.acts)
	if err != nil {
		t.Fatal(err)
	}
	table := func(edit func(l, m, c int) (int, int, int, bool)) *tensor.Array {
		d := tensor.Zeros(3, 3, 3, 2)
		for l := range 3 {
			for m := range 3 {
				for c := range 2 {
					l2, m2, c2, ok := edit(l, m, c)
					if ok {
						d.SetSlice(ref[l2][m2][c2][:], l, m, tensor.All, c)
					}
				}
			}
		}
		return d
	}
	same := func(l, m, c int) (int, int, int, bool) { return l, m, c, true }
	expect(t, "descriptives", checkDescriptives(f.acts, table(same)), "")
	expect(t, "descriptives: K in V", checkDescriptives(f.acts, table(func(l, m, c int) (int, int, int, bool) { return l, min(m, 1), c, true })), "descriptives[:,2,:,0] (V, target) holds K's target values")
	expect(t, "descriptives: unset", checkDescriptives(f.acts, table(func(l, m, c int) (int, int, int, bool) { return l, m, c, m < 2 || c == 0 })), "descriptives[:,2,:,1] (V, non-target) is all zeros")
	expect(t, "descriptives: one layer", checkDescriptives(f.acts, table(func(l, m, c int) (int, int, int, bool) { return 1, m, c, true })), "holds layer 1's values in every layer")

	d := table(same)
	fig3 := func(op func(*tensor.Array) *tensor.Array, ms [3]int) Figure {
		fig, axs := pyplot.Subplots(1, 3, 12, 3)
		for i, ax := range axs[0] {
			for j, label := range matrixNames {
				ax.Plot(nil, op(d.Slice(tensor.All, ms[j], i, tensor.All)).Data(), "gs-", pyplot.LineOpts{Label: label})
			}
			ax.Set(pyplot.AxesOpts{Title: []string{"Arithmetic mean", "L1 mean", "Variance"}[i]})
		}
		return fig
	}
	mean := func(a *tensor.Array) *tensor.Array { return a.Mean(-1) }
	diff := func(a *tensor.Array) *tensor.Array { return a.Diff(-1) }
	qkv := [3]int{0, 1, 2}
	expect(t, "3a", checkPart3(d, fig3(mean, qkv), false), "")
	expect(t, "3b", checkPart3(d, fig3(diff, qkv), true), "")
	expect(t, "3a: diff", checkPart3(d, fig3(diff, qkv), false), "is non-target minus target, .Diff(-1): Part 3b's")
	expect(t, "3b: mean", checkPart3(d, fig3(mean, qkv), true), "Part 3a's")
	expect(t, "3a: target only", checkPart3(d, fig3(func(a *tensor.Array) *tensor.Array { return a.Slice(tensor.All, 0) }, qkv), false), "the target values only")
	expect(t, "3a: Q for K", checkPart3(d, fig3(mean, [3]int{0, 0, 2}), false), `panel "Arithmetic mean"'s line K is Q's Arithmetic mean`)
}

func TestPart4Checks(t *testing.T) {
	f := newFixture(t)
	q, k, _ := f.layer(t, 1)
	edges := tensor.Linspace(-4, 4, 11)
	hists := func(x tensor.Tensor3) ([]float64, []float64) {
		return tensor.Histogram(x.Token(-1).Flatten(), edges, true), tensor.Histogram(x.Token(-2).Flatten(), edges, true)
	}
	expect(t, "calculateHists", checkCalculateHists(q, k, edges, hists), "")
	counts := func(x tensor.Tensor3) ([]float64, []float64) {
		return tensor.Histogram(x.Token(-1).Flatten(), edges, false), tensor.Histogram(x.Token(-2).Flatten(), edges, false)
	}
	expect(t, "calculateHists: counts", checkCalculateHists(q, k, edges, counts), "calculateHists(Q)'s yt is counts, not a density")
	swapped := func(x tensor.Tensor3) ([]float64, []float64) { a, b := hists(x); return b, a }
	expect(t, "calculateHists: swapped", checkCalculateHists(q, k, edges, swapped), "calculateHists(Q)'s yt is the histogram of the non-target token (-2)")
	ofQ := func(tensor.Tensor3) ([]float64, []float64) { return hists(q) }
	expect(t, "calculateHists: of Q", checkCalculateHists(q, k, edges, ofQ), "calculateHists(K) returns what calculateHists(Q) does")

	h := tensor.Zeros(3, 3, len(edges)-1, 2)
	for l := range 3 {
		x, _ := f.acts.Layer(l)
		xq, xk, xv := x.Split()
		for m, y := range []tensor.Tensor3{xq, xk, xv} {
			yt, yn := hists(y)
			h.SetSlice(yt, l, m, tensor.All, 0)
			h.SetSlice(yn, l, m, tensor.All, 1)
		}
	}
	expect(t, "histograms", checkHistograms(f.acts, edges, h), "")
	bad := tensor.Zeros(3, 3, len(edges)-1, 2)
	for l := range 3 {
		for m := range 3 {
			bad.SetSlice(h.Slice(l, m, tensor.All, 1).Data(), l, m, tensor.All, 0)
			bad.SetSlice(h.Slice(l, m, tensor.All, 0).Data(), l, m, tensor.All, 1)
		}
	}
	expect(t, "histograms: swapped", checkHistograms(f.acts, edges, bad), "histograms[:,0,:,0] (Q, target) holds Q's non-target values")

	fig4 := func(swap bool) Figure {
		fig, axs := pyplot.Subplots(2, 3, 12, 6)
		for i := range 3 {
			c0, c1 := 0, 1
			if swap {
				c0, c1 = 1, 0
			}
			axs[0][i].Imshow(h.Slice(tensor.All, i, tensor.All, c0), pyplot.ImageOpts{})
			axs[0][i].Set(pyplot.AxesOpts{Title: "Target " + matrixNames[i]})
			axs[1][i].Imshow(h.Slice(tensor.All, i, tensor.All, c1), pyplot.ImageOpts{})
		}
		return fig
	}
	expect(t, "part 4", checkPart4(h, fig4(false)), "")
	expect(t, "part 4: swapped rows", checkPart4(h, fig4(true)), `panel "Target Q" shows histograms[:,0,:,1] (Q, non-target)`)
}

func TestPart5Checks(t *testing.T) {
	f := newFixture(t)
	q, _, _ := f.layer(t, 1)
	expect(t, "heads", checkHeads(f.model, 8, 2, 4), "")
	expect(t, "heads: n_layers", checkHeads(f.model, 8, 3, 2), "n_heads is 3, model.Config.NLayers")
	expect(t, "heads: head_dim", checkHeads(f.model, 8, 2, 8), "head_dim is n_emb")

	expect(t, "Qh", checkQh(q, 2, 4, q.View(6, 5, 2, 4)), "")
	expect(t, "Qh: swapped", checkQh(q, 2, 4, q.View(6, 5, 4, 2)), "the heads come before their dimensions")

	qh := q.View(6, 5, 2, 4)
	fig5a := func(seq func(i int) (int, int)) Figure {
		fig, axs := pyplot.Subplots(1, 2, 12, 6)
		for i, ax := range axs[0] {
			k, h := seq(i)
			ax.Pcolor(qh.Head(k, h).T(), pyplot.ImageOpts{})
		}
		return fig
	}
	expect(t, "5a", checkPart5a(qh, fig5a(func(i int) (int, int) { return 0, i })), "")
	expect(t, "5a: sequence i", checkPart5a(qh, fig5a(func(i int) (int, int) { return i, 0 })), "panel Qh1 shows head 0 of sequence 1")

	hs := func(edit func(l, m int) (int, int)) *tensor.Array {
		out := tensor.Zeros(3, 3)
		for l := range 3 {
			x, _ := f.acts.Layer(l)
			xs := make([]tensor.Tensor3, 3)
			xs[0], xs[1], xs[2] = x.Split()
			for m := range 3 {
				_, m2 := edit(l, m)
				y := xs[m2]
				n, tt, e := y.Dims()
				out.Set(y.View(n, tt, 2, e/2).Std(1).Mean(), l, m)
			}
		}
		return out
	}
	expect(t, "5b", checkPart5b(f.acts, hs(func(l, m int) (int, int) { return l, m })), "")
	expect(t, "5b: Qh thrice", checkPart5b(f.acts, hs(func(l, m int) (int, int) { return l, 0 })), "head_stdevs[:,1] (K) holds Q's values")
	layer1 := tensor.Zeros(3, 3)
	for l := range 3 {
		for m := range 3 {
			layer1.Set(hs(func(l, m int) (int, int) { return l, m }).Slice(1, m).Item(), l, m)
		}
	}
	expect(t, "5b: one layer", checkPart5b(f.acts, layer1), "head_stdevs holds layer 1's values in every layer")
	if !slices.Equal(hs(func(l, m int) (int, int) { return l, m }).Shape(), []int{3, 3}) {
		t.Fatal("shape")
	}
}
