package ex

import (
	"fmt"
	"slices"

	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/pyplot/plotdata"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// MeansAndVarStep is the step of Part 3's helper meansAndVar.
type MeansAndVarStep struct{ Step }

// MeansAndVar checks the helper meansAndVar.
var MeansAndVar = MeansAndVarStep{Step{"MeansAndVar"}}

// Check calls meansAndVar on Q and on K and checks what it returns against
// the book's descriptives of each.
func (MeansAndVarStep) Check(Q, K tensor.Tensor3, meansAndVar func(tensor.Tensor3) ([3]float64, [3]float64)) {
	report(checkMeansAndVar(Q, K, meansAndVar))
}

func checkMeansAndVar(q, k tensor.Tensor3, f func(tensor.Tensor3) ([3]float64, [3]float64)) verdict {
	qt, qn := f(q)
	kt, kn := f(k)
	if rq, rk := bookDescriptives(q, -1), bookDescriptives(k, -1); nearAll(kt[:], qt[:]) && nearAll(kn[:], qn[:]) && !nearAll(rq[:], rk[:]) {
		return fail("meansAndVar(K) returns what meansAndVar(Q) does: compute the values of its argument X, not of Q")
	}
	for _, c := range []struct {
		x    tensor.Tensor3
		name string
		t, n [3]float64
	}{{q, "Q", qt, qn}, {k, "K", kt, kn}} {
		if v, bad := checkThree(c.x, -1, c.t[:], [3]string{"t1", "t2", "t3"}, "T"); bad {
			v.msg = fmt.Sprintf("meansAndVar(%s): %s", c.name, v.msg)
			return v
		}
		if v, bad := checkThree(c.x, -2, c.n[:], [3]string{"n1", "n2", "n3"}, "N"); bad {
			v.msg = fmt.Sprintf("meansAndVar(%s): %s", c.name, v.msg)
			return v
		}
	}
	return pass("meansAndVar(X) returns the arithmetic mean, L1 mean and variance of X's target (-1) and non-target (-2) tokens, tried on Q and K (within " + within + ")")
}

// layerDescriptives returns the book's descriptives of every layer:
// [layer][matrix][category][descriptive].
func layerDescriptives(a *chapter.Activations) ([][3][2][3]float64, error) {
	out := make([][3][2][3]float64, a.Model.Config.NLayers)
	err := eachMatrix(a, func(l, m int, y tensor.Tensor3) {
		out[l][m] = [2][3]float64{bookDescriptives(y, -1), bookDescriptives(y, -2)}
	})
	return out, err
}

// eachMatrix calls f with Q, K and V (m = 0, 1, 2) of every layer l of a.
func eachMatrix(a *chapter.Activations, f func(l, m int, y tensor.Tensor3)) error {
	for l := range a.Model.Config.NLayers {
		x, err := a.Layer(l)
		if err != nil {
			return err
		}
		q, k, v := x.Split()
		for m, y := range []tensor.Tensor3{q, k, v} {
			f(l, m, y)
		}
		a.Release(l)
	}
	return nil
}

var (
	matrixNames   = [3]string{"Q", "K", "V"}
	categoryNames = [2]string{"target", "non-target"}
)

// DescriptivesStep is the step of Part 3's table of descriptives.
type DescriptivesStep struct{ Step }

// Descriptives checks Part 3's table of descriptives.
var Descriptives = DescriptivesStep{Step{"Descriptives"}}

// Check checks that descriptives [n_layers, 3, 3, 2] holds every layer's
// descriptives of Q, K and V at the target and the non-target token.
func (DescriptivesStep) Check(activations *chapter.Activations, descriptives *tensor.Array) {
	report(checkDescriptives(activations, descriptives))
}

func checkDescriptives(a *chapter.Activations, d *tensor.Array) verdict {
	if v, bad := captured(a); bad {
		return v
	}
	ref, err := layerDescriptives(a)
	if err != nil {
		return fail("%v", err)
	}
	if v, bad := checkSlots("descriptives", d, len(ref), 3, func(l, m, c int) []float64 { return ref[l][m][c][:] }, "feature"); bad {
		return v
	}
	return pass("descriptives %v holds every layer's arithmetic mean, L1 mean and variance of Q, K and V at the target and the non-target token (within "+within+")", d.Shape())
}

// fmtFloats formats values for a message.
func fmtFloats(v []float64) string {
	s := "["
	for i, x := range v {
		if i > 0 {
			s += " "
		}
		s += g(x)
	}
	return s + "]"
}

// Part3aStep is the step of Part 3a's figure.
type Part3aStep struct{ Step }

// Part3a checks Part 3a's figure.
var Part3a = Part3aStep{Step{"Part3a"}}

// Check checks that panel i's lines Q, K and V are descriptives[:,m,i,:]
// averaged over target and non-target.
func (Part3aStep) Check(descriptives *tensor.Array, fig Figure) {
	report(checkPart3(descriptives, fig, false))
}

// Part3bStep is the step of Part 3b's figure.
type Part3bStep struct{ Step }

// Part3b checks Part 3b's figure.
var Part3b = Part3bStep{Step{"Part3b"}}

// Check checks that panel i's lines Q, K and V are descriptives[:,m,i,:]'s
// non-target minus target.
func (Part3bStep) Check(descriptives *tensor.Array, fig Figure) {
	report(checkPart3(descriptives, fig, true))
}

func checkPart3(d *tensor.Array, fig Figure, diff bool) verdict {
	axs := fig.Data().Axes
	if len(axs) != 3 {
		return fail("the figure has %d panels, want 3: one per feature", len(axs))
	}
	s := d.Shape()
	if len(s) != 4 || s[1] != 3 || s[2] != 3 || s[3] != 2 {
		return fail("descriptives is %v, want [n_layers 3 3 2]", s)
	}
	want, other := "target and non-target averaged, .Mean(-1)", "non-target minus target, .Diff(-1): Part 3b's"
	if diff {
		want, other = "non-target minus target, .Diff(-1)", "target and non-target averaged, .Mean(-1): Part 3a's"
	}
	// cands are what a line may be: the right one first.
	type cand struct {
		m, i int
		what string
		y    []float64
	}
	cands := func(m, i int) []cand {
		sl := d.Slice(tensor.All, m, i, tensor.All)
		mean, dif := sl.Mean(-1).Data(), sl.Diff(-1).Data()
		neg := make([]float64, len(dif))
		for k, v := range dif {
			neg[k] = -v
		}
		right, wrong := mean, dif
		if diff {
			right, wrong = dif, mean
		}
		return []cand{{m, i, want, right}, {m, i, other, wrong},
			{m, i, "the target values only, [:,m,i,0]", d.Slice(tensor.All, m, i, 0).Data()},
			{m, i, "the non-target values only, [:,m,i,1]", d.Slice(tensor.All, m, i, 1).Data()},
			{m, i, "target minus non-target: diff(dim=-1) is the second minus the first, non-target minus target", neg}}
	}
	for i, ax := range axs {
		for m, label := range matrixNames {
			k := slices.IndexFunc(ax.Lines, func(l plotdata.Line) bool { return l.Label == label })
			if k < 0 {
				return fail("panel %q has no line labelled %q", ax.Title, label)
			}
			y := ax.Lines[k].Y
			if nearAll(y, cands(m, i)[0].y) {
				continue
			}
			where := fmt.Sprintf("panel %q's line %s", ax.Title, label)
			for _, c := range cands(m, i)[1:] {
				if nearAll(y, c.y) {
					return fail("%s is %s; it should be %s", where, c.what, want)
				}
			}
			for m2 := range 3 {
				for i2 := range 3 {
					if c := cands(m2, i2)[0]; (m2 != m || i2 != i) && nearAll(y, c.y) {
						return fail("%s is %s's %s: it should be descriptives[:,%d,%d,:] (matrix %d is %s, feature %d %q)", where, matrixNames[m2], axs[i2].Title, m, i, m, label, i, ax.Title)
					}
				}
			}
			return fail("%s is not descriptives[:,%d,%d,:]'s %s", where, m, i, want)
		}
	}
	return pass("in each panel i, the lines Q, K and V are descriptives[:,m,i,:] per layer, %s", want)
}
