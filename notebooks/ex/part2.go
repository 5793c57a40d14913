package ex

import (
	"slices"

	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/pyplot/plotdata"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// SplitStep is the step of Part 2's Q, K and V.
type SplitStep struct{ Step }

// Split checks Part 2's split of one layer.
var Split = SplitStep{Step{"Split"}}

// Check checks that Q, K and V are the three blocks of layer layeri.
func (SplitStep) Check(activations *chapter.Activations, layeri int, Q, K, V tensor.Tensor3) {
	report(checkSplit(activations, layeri, Q, K, V))
}

func checkSplit(a *chapter.Activations, layeri int, q, k, v tensor.Tensor3) verdict {
	if v, bad := captured(a); bad {
		return v
	}
	x, err := a.Layer(layeri)
	if err != nil {
		return fail("%v", err)
	}
	wq, wk, wv := x.Split()
	if !slices.Equal(q.Shape(), wq.Shape()) {
		return fail("Q is %v; layer %d's Q is %v: [sequences, contextwin+1, n_emb]", q.Shape(), layeri, wq.Shape())
	}
	if !sameTensor(q, wq) || !sameTensor(k, wk) || !sameTensor(v, wv) {
		for l := range a.Model.Config.NLayers {
			if y, err := a.Layer(l); err == nil {
				if yq, _, _ := y.Split(); sameTensor(q, yq) {
					return fail("Q is layer %d's; Part 2 splits layer layeri = %d: activations.Layer(layeri)", l, layeri)
				}
			}
		}
		return fail("Q, K and V are not the three blocks of layer %d, activations.Layer(layeri).Split()", layeri)
	}
	return pass("Q, K and V are layer %d's three blocks of n_emb = %d columns, each %v", layeri, wq.Shape()[2], wq.Shape())
}

// sameTensor reports whether a and b hold the same values.
func sameTensor(a, b tensor.Tensor3) bool {
	if !slices.Equal(a.Shape(), b.Shape()) {
		return false
	}
	n, t, _ := a.Dims()
	for i := range n {
		for j := range t {
			if !slices.Equal(a.Row(i, j), b.Row(i, j)) {
				return false
			}
		}
	}
	return true
}

// A descriptive is one of the book's three descriptives of a token's
// matrix [N, E], or a usual mistake in its place.
type descriptive struct {
	name string // "the variance"
	how  string // the book's, in Go
	f    func(tensor.Matrix) float64
}

// descriptives are the book's three, in its order: arithmetic mean, L1
// mean, variance, each over a row's dimensions and then over the rows.
var descriptives = [3]descriptive{
	{"the arithmetic mean", "torch.mean(x,dim=1).mean() is x.Mean(1).Mean()", func(m tensor.Matrix) float64 { return m.Mean(1).Mean() }},
	{"the L1 mean", "the L1 mean is the mean of |x|: x.Abs().Mean(1).Mean()", func(m tensor.Matrix) float64 { return m.Abs().Mean(1).Mean() }},
	{"the variance", "torch.var(x,dim=1).mean() is x.Var(1).Mean()", func(m tensor.Matrix) float64 { return m.Var(1).Mean() }},
}

// lookalikes are what a descriptive is computed as by mistake.
var lookalikes = []descriptive{
	{name: "the standard deviation", f: func(m tensor.Matrix) float64 { return m.Std(1).Mean() }},
	{name: "the variance along dim 0 (across the sequences)", f: func(m tensor.Matrix) float64 { return m.Var(0).Mean() }},
	{name: "the standard deviation along dim 0 (across the sequences)", f: func(m tensor.Matrix) float64 { return m.Std(0).Mean() }},
}

// bookDescriptives returns the book's three descriptives of token t of x.
func bookDescriptives(x tensor.Tensor3, t int) [3]float64 {
	m := x.Token(t)
	return [3]float64{descriptives[0].f(m), descriptives[1].f(m), descriptives[2].f(m)}
}

// checkThree compares got, the three descriptives of token t of x that a
// cell computed (named names), with the book's: it says which is wrong and,
// when it is another descriptive or another token's, which.
func checkThree(x tensor.Tensor3, t int, got []float64, names [3]string, what string) (verdict, bool) {
	if len(got) != 3 {
		return fail("%s has %d values, want 3: the arithmetic mean, the L1 mean and the variance", what, len(got)), true
	}
	tokens := []int{-1, -2, 0, 1}
	for k := range 3 {
		want := descriptives[k].f(x.Token(t))
		if near(got[k], want) {
			continue
		}
		for _, u := range tokens {
			m := x.Token(u)
			for j, d := range append(descriptives[:], lookalikes...) {
				if !near(got[k], d.f(m)) {
					continue
				}
				switch {
				case u == t:
					return fail("%s is %s of %s, not %s: %s", names[k], d.name, tokenName(t), descriptives[k].name, descriptives[k].how), true
				case j == k:
					return fail("%s is %s of %s, not of %s: that is X.Token(%d)", names[k], d.name, tokenName(u), tokenName(t), t), true
				}
				return fail("%s is %s of %s; it should be %s of %s, X.Token(%d): %s", names[k], d.name, tokenName(u), descriptives[k].name, tokenName(t), t, descriptives[k].how), true
			}
		}
		return fail("%s is %s; %s of %s is %s (within "+within+"): %s", names[k], g(got[k]), descriptives[k].name, tokenName(t), g(want), descriptives[k].how), true
	}
	return verdict{}, false
}

// Part2aStep is the step of Part 2a's descriptives.
type Part2aStep struct{ Step }

// Part2a checks Part 2a's means and variances.
var Part2a = Part2aStep{Step{"Part2a"}}

// Check checks qMeansT and qMeansN, the target's and the non-target's
// arithmetic mean, L1 mean and variance of Q.
func (Part2aStep) Check(Q tensor.Tensor3, qMeansT, qMeansN []float64) {
	report(checkPart2a(Q, qMeansT, qMeansN))
}

func checkPart2a(q tensor.Tensor3, qt, qn []float64) verdict {
	if v, bad := checkThree(q, -1, qt, [3]string{"qMeans_t[0]", "qMeans_t[1]", "qMeans_t[2]"}, "qMeans_t"); bad {
		return v
	}
	if v, bad := checkThree(q, -2, qn, [3]string{"qMeans_n[0]", "qMeans_n[1]", "qMeans_n[2]"}, "qMeans_n"); bad {
		return v
	}
	n, _, _ := q.Dims()
	return pass("qMeans_t and qMeans_n are the arithmetic mean, L1 mean and variance of Q's target (-1) and non-target (-2) rows, averaged over the %d sequences (within "+within+")", n)
}

// histLine is one expected line of Part 2b: its label, matrix and token.
type histLine struct {
	label string
	m     int // 0 Q, 1 K, 2 V
	t     int
}

var part2bLines = []histLine{
	{"Q target", 0, -1}, {"Q nontarget", 0, -2}, {"K target", 1, -1}, {"K nontarget", 1, -2}, {"V target", 2, -1}, {"V nontarget", 2, -2},
}

// Part2bStep is the step of Part 2b's histograms.
type Part2bStep struct{ Step }

// Part2b checks Part 2b's figure.
var Part2b = Part2bStep{Step{"Part2b"}}

// Check checks that each line of fig is its label's density histogram over
// edges, against the left edges.
func (Part2bStep) Check(Q, K, V tensor.Tensor3, edges []float64, fig Figure) {
	report(checkPart2b([3]tensor.Tensor3{Q, K, V}, edges, fig))
}

func checkPart2b(qkv [3]tensor.Tensor3, edges []float64, fig Figure) verdict {
	axs := fig.Data().Axes
	if len(axs) == 0 {
		return fail("the figure has no axes")
	}
	lines := axs[0].Lines
	hist := func(m, t int, density bool) []float64 {
		return tensor.Histogram(qkv[m].Token(t).Flatten(), edges, density)
	}
	for _, want := range part2bLines {
		k := slices.IndexFunc(lines, func(l plotdata.Line) bool { return l.Label == want.label })
		if k < 0 {
			return fail("the figure has no line labelled %q", want.label)
		}
		y := lines[k].Y
		if len(y) != len(edges)-1 {
			return fail("the line %q has %d values; a histogram over %d edges has %d bins", want.label, len(y), len(edges), len(edges)-1)
		}
		if nearAll(y, hist(want.m, want.t, true)) {
			if !nearAll(lines[k].X, edges[:len(edges)-1]) {
				return fail("the line %q is not drawn against the left edges, edges[:-1]", want.label)
			}
			continue
		}
		for _, other := range part2bLines {
			if nearAll(y, hist(other.m, other.t, false)) {
				return fail("the line %q is counts, not a density: density=true (tensor.Histogram's last argument) divides each count by all the counts × the bin's width", want.label)
			}
			if nearAll(y, hist(other.m, other.t, true)) {
				return fail("the line %q is the histogram of %q: %s is %s, %s.Token(%d)", want.label, other.label, want.label, tokenName(want.t), "QKV"[want.m:want.m+1], want.t)
			}
		}
		return fail("the line %q is not the density histogram of %s.Token(%d).Flatten() over edges", want.label, "QKV"[want.m:want.m+1], want.t)
	}
	return pass("the six lines are the density histograms over %d bins from %g to %g of Q, K and V at the target (-1) and non-target (-2) token, each under its label (within "+within+")", len(edges)-1, edges[0], edges[len(edges)-1])
}
