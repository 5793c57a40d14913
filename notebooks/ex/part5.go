package ex

import (
	"fmt"
	"slices"

	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// HeadsStep is the step of n_heads and head_dim.
type HeadsStep struct{ Step }

// Heads checks n_heads and head_dim.
var Heads = HeadsStep{Step{"Heads"}}

// Check checks that nHeads is the model's and headDim nEmb / nHeads.
func (HeadsStep) Check(model *chapter.Model, nEmb, nHeads, headDim int) {
	report(checkHeads(model, nEmb, nHeads, headDim))
}

func checkHeads(model *chapter.Model, nEmb, nHeads, headDim int) verdict {
	c := model.Config
	if nHeads != c.NHeads {
		if f := configField(model, nHeads); f != "" {
			return fail("n_heads is %d, %s: the number of heads is model.Config.NHeads (n_head in config.json)", nHeads, f)
		}
		return fail("n_heads is %d: the number of heads is model.Config.NHeads (n_head in config.json)", nHeads)
	}
	want := nEmb / nHeads
	switch {
	case headDim == want:
		return pass("n_heads = %d (model.Config.NHeads) and head_dim = n_emb / n_heads = %d", nHeads, headDim)
	case headDim == nEmb:
		return fail("head_dim is n_emb, %d: the heads share the n_emb dimensions, n_emb / n_heads each", nEmb)
	case headDim == 3*nEmb/nHeads:
		return fail("head_dim is 3·n_emb / n_heads, %d: Q, K and V each have n_emb dimensions, n_emb / n_heads per head", headDim)
	}
	return fail("head_dim is %d; each head has n_emb / n_heads = %d dimensions", headDim, want)
}

// QhStep is the step of the heads view Qh.
type QhStep struct{ Step }

// Qh checks Q's heads view.
var Qh = QhStep{Step{"Qh"}}

// Check checks that Qh is Q viewed as [N, T, nHeads, headDim].
func (QhStep) Check(Q tensor.Tensor3, nHeads, headDim int, Qh tensor.Tensor4) {
	report(checkQh(Q, nHeads, headDim, Qh))
}

func checkQh(q tensor.Tensor3, nHeads, headDim int, qh tensor.Tensor4) verdict {
	n, t, e := q.Dims()
	got, want := qh.Shape(), []int{n, t, nHeads, headDim}
	switch {
	case slices.Equal(got, want):
	case slices.Equal(got, []int{n, t, headDim, nHeads}):
		return fail("Qh is %v: the heads come before their dimensions, Q.View(N, T, n_heads, head_dim) is %v", got, want)
	case got[0] != n || got[1] != t:
		return fail("Qh is %v: its first two dimensions are Q's, N = %d sequences (len(target_idx)) and T = %d tokens (contextwin+1)", got, n, t)
	default:
		return fail("Qh is %v, want %v: n_heads heads of head_dim dimensions", got, want)
	}
	for h := range nHeads {
		m := qh.Head(0, h)
		for j := range t {
			if !slices.Equal(m.Row(j), q.Row(0, j)[h*headDim:(h+1)*headDim]) {
				return fail("Qh's head %d is not Q's dimensions %d to %d", h, h*headDim, (h+1)*headDim-1)
			}
		}
	}
	return pass("Qh is Q [%d %d %d] viewed as %v: sequences, tokens, n_heads heads of head_dim dimensions", n, t, e, got)
}

// Part5aStep is the step of Part 5a's figure.
type Part5aStep struct{ Step }

// Part5a checks Part 5a's figure of the heads.
var Part5a = Part5aStep{Step{"Part5a"}}

// Check checks that panel i of fig shows head i of sequence 0, Qh[0,:,i,:].T.
func (Part5aStep) Check(Qh tensor.Tensor4, fig Figure) { report(checkPart5a(Qh, fig)) }

func checkPart5a(qh tensor.Tensor4, fig Figure) verdict {
	s := qh.Shape()
	n, t, nh, d := s[0], s[1], s[2], s[3]
	axs := fig.Data().Axes
	if len(axs) != nh {
		return fail("the figure has %d panels, want one per head, %d", len(axs), nh)
	}
	// shows reports whether an image is head h of sequence k, [D, T].
	shows := func(data []float64, k, h int) bool {
		m := qh.Head(k, h)
		for j := range t {
			for i, v := range m.Row(j) {
				if !near(data[i*t+j], float64(v)) {
					return false
				}
			}
		}
		return true
	}
	for i, ax := range axs {
		if len(ax.Images) != 1 {
			return fail("panel Qh%d shows %d images, want 1", i, len(ax.Images))
		}
		im := ax.Images[0]
		if im.Rows == t && im.Cols == d && t != d {
			return fail("panel Qh%d is [%d, %d], tokens × head dims: .T() puts the head dimensions on y", i, t, d)
		}
		if im.Rows != d || im.Cols != t {
			return fail("panel Qh%d is [%d, %d]; a head of one sequence, transposed, is [head_dim, tokens] = [%d, %d]", i, im.Rows, im.Cols, d, t)
		}
		if shows(im.Data, 0, i) {
			continue
		}
		for k := range min(n, nh+1) {
			for h := range nh {
				if shows(im.Data, k, h) {
					return fail("panel Qh%d shows head %d of sequence %d; it should show head %d of sequence 0, Qh[0,:,i,:]: Qh.Head(0, i)", i, h, k, i)
				}
			}
		}
		return fail("panel Qh%d does not show head %d of sequence 0, Qh.Head(0, i)", i, i)
	}
	return pass("panel Qh<i> shows head i of sequence 0, Qh[0,:,i,:].T [head_dim × tokens] = [%d × %d], for each of the %d heads", d, t, nh)
}

// Part5bStep is the step of Part 5b's standard deviations.
type Part5bStep struct{ Step }

// Part5b checks Part 5b's table of standard deviations.
var Part5b = Part5bStep{Step{"Part5b"}}

// Check checks that headStdevs [n_layers, 3] holds, for Q, K and V of every
// layer, the standard deviation along the tokens, averaged over everything
// else.
func (Part5bStep) Check(activations *chapter.Activations, headStdevs *tensor.Array) {
	report(checkPart5b(activations, headStdevs))
}

func checkPart5b(a *chapter.Activations, hs *tensor.Array) verdict {
	if v, bad := captured(a); bad {
		return v
	}
	nl := a.Model.Config.NLayers
	if s := hs.Shape(); !slices.Equal(s, []int{nl, 3}) {
		return fail("head_stdevs is %v, want [%d 3]: layers × Q, K, V", s, nl)
	}
	ref := make([][3]float64, nl)
	tokenStd := make([][3]float64, nl) // the mistake of the standard deviation across a token's dims
	if err := eachMatrix(a, func(l, m int, y tensor.Tensor3) {
		n, t, e := y.Dims()
		ref[l][m] = y.View(n, t, 1, e).Std(1).Mean()
		tokenStd[l][m] = y.Token(-1).Std(1).Mean()
	}); err != nil {
		return fail("%v", err)
	}
	col := func(tab [][3]float64, m int) []float64 {
		var out []float64
		for _, r := range tab {
			out = append(out, r[m])
		}
		return out
	}
	for l0 := range nl {
		same := nl > 1
		for l := range nl {
			for m := range 3 {
				same = same && near(hs.Slice(l, m).Item(), ref[l0][m])
			}
		}
		if same {
			return fail("head_stdevs holds layer %d's values in every layer: split activations.Layer(layeri) inside the loop", l0)
		}
	}
	for m, name := range matrixNames {
		got := hs.Slice(tensor.All, m).Data()
		if nearAll(got, col(ref, m)) {
			continue
		}
		where := fmt.Sprintf("head_stdevs[:,%d] (%s)", m, name)
		switch {
		case !slices.ContainsFunc(got, func(v float64) bool { return v != 0 }):
			return fail("%s is all zeros: it is never set", where)
		case nearAll(got, col(tokenStd, m)):
			return fail("%s is the standard deviation across the dimensions of the target token; the book's is along the tokens (dim 1) of the heads view: %sh.Std(1).Mean()", where, name)
		}
		for m2 := range 3 {
			if nearAll(got, col(ref, m2)) {
				return fail("%s holds %s's values: %sh.Std(1).Mean()", where, matrixNames[m2], name)
			}
		}
		for l := range nl {
			if !near(got[l], ref[l][m]) {
				return fail("%s is %s at layer %d; the standard deviation along the tokens, averaged, is %s (within "+within+")", where, g(got[l]), l, g(ref[l][m]))
			}
		}
	}
	return pass("head_stdevs %v holds, for Q, K and V of every layer, the standard deviation along the tokens of every head dimension, averaged (within "+within+")", hs.Shape())
}
